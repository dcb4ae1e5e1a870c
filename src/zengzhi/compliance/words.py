"""Lure wording in operator texts: the 2018 six-department notice's words and their kin.

Matching is lexical on purpose: a finding names the text key and quotes what matched, and the
operator judges. Two choices keep honest texts quiet:

- A hit that a negation shortly precedes in the same clause ("本产品不保本", "returns are not
  guaranteed", "not risk-free") is a disclaimer, not a promise, and is skipped. Flagging it would
  push operators to delete exactly the sentences the law wants them to write.
- 消费增值 is the product's own name, so it is never a finding by itself. Beside words that sell
  it as earnings (收益, 赚钱, 回报 …) in the same text it becomes a warning: that pairing is how
  the 2018 notice describes consumption turned into an investment.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    PROMISE = "promise"  # promises a return or the principal back: illegal fund-raising wording
    CLAIM = "claim"  # sells appreciation or earnings without a hard promise


@dataclass(frozen=True)
class Term:
    word: str  # canonical form shown in findings
    en: str  # English gloss for the English message
    kind: Kind
    named: bool  # the 2018 notice itself names it (others are the same family of lures)
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Hit:
    term: Term
    matched: str  # the text as it appears (after NFKC normalisation)


def _zh(word: str, en: str, kind: Kind, pattern: str, *, named: bool = False) -> Term:
    return Term(word, en, kind, named, re.compile(pattern))


def _en(word: str, kind: Kind, pattern: str) -> Term:
    return Term(word, word, kind, False, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE))


_P = Kind.PROMISE
_C = Kind.CLAIM

TERMS: tuple[Term, ...] = (
    _zh(
        "消费等于赚钱",
        "spending equals earning",
        _P,
        r"(?:消费|购物)(?:等于|即是|就是|即|=|还能|也能|就能|还|也|能)赚钱",
        named=True,
    ),
    _zh("购物返本", "shopping returns your principal", _P, r"(?:购物|消费)返本", named=True),
    _zh("你消费我还钱", "you spend, we pay you back", _P, r"你消费[，,]?我还钱", named=True),
    _zh("消费全返", "full rebate of spending", _P, r"(?:购物|消费)全返|(?:消费|购物)多少返多少"),
    _zh("全额返还", "full refund of the spend", _P, r"全额返还", named=True),
    _zh("静态收益", "static income", _P, r"静态收益"),
    _zh("动态收益", "dynamic income", _P, r"动态收益", named=True),
    _zh("高额返利", "high rebates", _P, r"高额(?:返利|返现|回报|收益|利息)|高息", named=True),
    # 确保本次…, 环保本色 and 投保本人 contain 保本 without meaning it.
    _zh("保本", "principal guaranteed", _P, r"(?<![确环投])保本|确保本金"),
    _zh("保底收益", "guaranteed minimum return", _P, r"保底(?:收益|回报|利息|分红|返利)"),
    _zh("稳赚", "sure profit", _P, r"稳赚|只赚不赔|躺赚"),
    _zh("零风险", "zero risk", _P, r"[零无]风险"),
    _zh("固定回报", "fixed return", _P, r"固定(?:收益|回报|利息|分红|返利)"),
    _zh("承诺回报", "promised return", _P, r"(?:保证|承诺)(?:收益|回报|返利|回本)"),
    _zh("还本付息", "principal and interest repaid", _P, r"还本付息"),
    _zh("回本", "getting the spend back", _P, r"(?:必定|必然|稳定|轻松|快速)回本"),
    _zh("回购承诺", "buy-back promise", _P, r"(?:托底|保底|承诺|约定)回购"),
    _zh("每日返利", "daily rebate", _P, r"(?:每天|每日|天天)返(?:利|现|钱)?"),
    _en("guaranteed return", _P, r"guaranteed\s+(?:returns?|profits?|income|yields?|interest)"),
    _en(
        "guaranteed return",
        _P,
        r"(?:returns?|profits?|income|yields?)\s+(?:is\s+|are\s+)?guaranteed",
    ),
    _en("risk-free", _P, r"risk[-\s]?free|no[-\s]risk|zero[-\s]risk"),
    _en(
        "principal back",
        _P,
        r"(?:principal|capital)[-\s](?:back|returned|guaranteed|protected)"
        r"|get\s+(?:your|the)\s+(?:principal|capital|spend(?:ing)?)\s+back",
    ),
    _en("fixed return", _P, r"fixed\s+(?:returns?|income|interest|yields?)"),
    _en(
        "spending equals earning",
        _P,
        r"(?:spend(?:ing)?|shop(?:ping)?|consumption)\s+(?:is|=|equals)\s+earning",
    ),
    _en("static income", _P, r"static\s+(?:income|returns?)"),
    _en("dynamic income", _P, r"dynamic\s+(?:income|returns?)"),
    _en("high returns", _P, r"high\s+(?:returns?|yields?|rebates?)"),
    _en("sure profit", _P, r"sure[-\s]win|can'?t\s+lose|no[-\s]lose"),
    _en("daily rebate", _P, r"daily\s+(?:rebates?|returns?|payouts?)"),
    _zh("只涨不跌", "only goes up", _C, r"单边上扬|只涨不跌|只升不降|永不下跌|永不贬值"),
    _zh(
        "持续升值",
        "rises every day",
        _C,
        r"(?:稳定|持续|天天|每天|每日)(?:升值|上涨|增值)|天天涨",
    ),
    _zh("收益翻倍", "doubles your money", _C, r"(?:收益|资产|财富|钱)翻(?:倍|番)"),
    _zh("财务自由", "financial freedom", _C, r"财务自由"),
    _zh("免费消费", "shop for free", _C, r"免费(?:消费|购物)|零成本(?:消费|购物)"),
    _zh("被动收入", "passive income", _C, r"被动收入"),
    _en(
        "only goes up", _C, r"only\s+goes\s+up|never\s+(?:go(?:es)?\s+down|falls?|drops?|declines?)"
    ),
    _en("only goes up", _C, r"always\s+(?:rises|goes\s+up)"),
    _en("double your money", _C, r"double\s+your\s+money"),
    _en("financial freedom", _C, r"financial\s+freedom"),
    _en("passive income", _C, r"passive\s+income"),
    _en("get rich", _C, r"get\s+rich"),
)

_PRODUCT = re.compile(r"消费增值|consumption[-\s]appreciation", re.IGNORECASE)
_EARNINGS = (
    re.compile(r"赚钱|收益|回报|获利|盈利|变现|红利"),
    re.compile(r"\b(?:profits?|returns?|income|earn(?:ing)?\s+money|make\s+money)\b", re.I),
)
EARNINGS_TERM = Term(
    "消费增值 + 收益",
    "consumption appreciation sold as earnings",
    Kind.CLAIM,
    False,
    _PRODUCT,
)

_CLAUSE_END = re.compile(r"[，。；！？、：,.;!?:\n\r]")
# Negations, minus the look-alikes that introduce a promise instead: 不仅/不但 (not only),
# 不断 (ceaselessly), 不用/不要/不管 (no need, don't, whatever), 非常 (very), 无论/无需 (whatever,
# no need). 未 and 别 stay out: 未来稳赚 and 别错过稳赚 are promises.
_ZH_NEGATION = re.compile(
    r"不(?![仅但只止断用要管论过愁])|并非|绝非|非(?![常凡])|没有?|无(?![论需须限忧])"
)
_EN_NEGATORS = frozenset(
    {"not", "no", "never", "without", "nor", "cannot", "isn't", "aren't", "don't", "doesn't"}
)
_ZH_WINDOW = 4  # characters before a Chinese hit searched for a negation ("不承诺保本")
_EN_WINDOW = 3  # words before an English hit searched for a negation ("do not offer fixed…")


def _negated(text: str, start: int) -> bool:
    before = text[:start]
    ends = list(_CLAUSE_END.finditer(before))
    if ends:
        before = before[ends[-1].end() :]
    if _ZH_NEGATION.search(before[-_ZH_WINDOW:]):
        return True
    words = re.findall(r"[a-z']+", before.lower())[-_EN_WINDOW:]
    return any(w in _EN_NEGATORS or w.endswith("n't") for w in words)


def _first(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    for m in pattern.finditer(text):
        if not _negated(text, m.start()):
            return m
    return None


def normalise(text: str) -> str:
    # NFKC folds full-width letters and signs (＝, Ａ) that operators paste from Chinese IMEs.
    return unicodedata.normalize("NFKC", text)


def scan(text: str) -> list[Hit]:
    """Lure words in one text, one hit per canonical word, in the order of ``TERMS``."""
    text = normalise(text)
    hits: list[Hit] = []
    seen: set[str] = set()
    for term in TERMS:
        if term.word in seen:
            continue
        m = _first(term.pattern, text)
        if m is not None:
            seen.add(term.word)
            hits.append(Hit(term, m.group(0)))
    if not hits:
        product = _first(_PRODUCT, text)
        earnings = next((e for p in _EARNINGS if (e := _first(p, text)) is not None), None)
        if product is not None and earnings is not None:
            hits.append(Hit(EARNINGS_TERM, f"{product.group(0)} … {earnings.group(0)}"))
    return hits
