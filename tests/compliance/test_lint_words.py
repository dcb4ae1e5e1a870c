"""Lure wording in operator texts (the 2018 six-department notice and its kin)."""

from __future__ import annotations

from typing import Any

import pytest

from zengzhi.compliance import Finding, Severity, lint_plan, sources
from zengzhi.compliance.words import scan
from zengzhi.distribution.plan import plan_from_mapping

PROMISE = "illegal_fundraising.promotion_words"
CLAIM = "illegal_fundraising.appreciation_claim"


def lint_texts(**texts: str) -> list[Finding]:
    return lint_plan(plan_from_mapping({"marketing": {"texts": texts}}))


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("消费等于赚钱", "消费等于赚钱"),
        ("几乎所有用户都能免费消费还赚钱", "消费等于赚钱"),  # the seed's own words
        ("消费＝赚钱", "消费等于赚钱"),  # full-width sign, folded by NFKC
        ("购物返本", "购物返本"),
        ("消费返本", "购物返本"),
        ("你消费，我还钱", "你消费我还钱"),
        ("消费全返", "消费全返"),
        ("消费多少返多少", "消费全返"),
        ("承诺全额返还消费款", "全额返还"),
        ("静态收益", "静态收益"),
        ("动态收益", "动态收益"),
        ("高额返利", "高额返利"),
        ("保本保息", "保本"),
        ("确保本金安全", "保本"),
        ("保底收益 8%", "保底收益"),
        ("稳赚不赔", "稳赚"),
        ("躺赚", "稳赚"),
        ("零风险", "零风险"),
        ("毫无风险", "零风险"),
        ("固定回报", "固定回报"),
        ("保证收益", "承诺回报"),
        ("还本付息", "还本付息"),
        ("轻松回本", "回本"),
        ("随时有资金可以托底回购积分", "回购承诺"),  # the seed's own words
        ("每日返利", "每日返利"),
        ("非常稳赚", "稳赚"),  # 非常 is "very", not a negation
        ("未来稳赚", "稳赚"),  # 未来 is "future", not a negation
        ("不仅保本还能赚", "保本"),  # 不仅 is "not only"
        ("Guaranteed returns for every member", "guaranteed return"),
        ("Your profit is guaranteed", "guaranteed return"),
        ("100% risk-free", "risk-free"),
        ("no risk at all", "risk-free"),
        ("Get your spend back", "principal back"),
        ("principal guaranteed", "principal back"),
        ("fixed income of 1% a month", "fixed return"),
        ("Spending is earning", "spending equals earning"),
        ("static income and dynamic income", "static income"),
        ("high returns", "high returns"),
        ("daily rebates", "daily rebate"),
    ],
)
def test_promises_are_errors(text: str, word: str) -> None:
    found = [f for f in lint_texts(slogan=text) if f.rule == PROMISE]
    assert found, text
    f = found[0]
    assert f.severity is Severity.ERROR
    assert f.source == sources.CONSUMER_REBATE_NOTICE
    assert "2018" in f.source and "消费返利" in f.source
    assert f.key == "marketing.texts.slogan"
    assert word in f.message_en and word in f.message_zh


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("积分每天单边上扬", "只涨不跌"),  # the seed's own words
        ("只涨不跌", "只涨不跌"),
        ("积分天天涨", "持续升值"),
        ("稳定升值", "持续升值"),
        ("收益翻倍", "收益翻倍"),
        ("实现财务自由", "财务自由"),
        ("免费购物", "免费消费"),
        ("被动收入", "被动收入"),
        ("the price only goes up", "only goes up"),
        ("points never fall", "only goes up"),
        ("double your money", "double your money"),
        ("passive income", "passive income"),
        ("get rich", "get rich"),
    ],
)
def test_appreciation_claims_are_warnings(text: str, word: str) -> None:
    found = lint_texts(slogan=text)
    assert [f.rule for f in found] == [CLAIM], text
    assert found[0].severity is Severity.WARNING
    assert word in found[0].message_en


def test_product_name_alone_is_no_finding() -> None:
    assert lint_texts(a="消费增值", b="消费增值经济模型", c="consumption appreciation") == []


@pytest.mark.parametrize(
    "text",
    [
        "消费增值，享受平台发展红利",
        "消费增值，轻松赚钱",
        "消费增值带来回报",
        "consumption appreciation profits",
    ],
)
def test_product_name_sold_as_earnings_is_a_warning(text: str) -> None:
    found = lint_texts(slogan=text)
    assert [(f.rule, f.severity) for f in found] == [(CLAIM, Severity.WARNING)]
    assert "消费增值" in found[0].message_zh


def test_product_name_beside_a_promise_reports_the_promise_only() -> None:
    assert [f.rule for f in lint_texts(slogan="消费增值，静态收益")] == [PROMISE]


@pytest.mark.parametrize(
    "text",
    [
        "本产品不保本",
        "非保本，积分价格随订单变化",
        "并非零风险",
        "投资不是稳赚",
        "平台不承诺固定回报",
        "消费增值不承诺收益",
        "确保本次活动顺利",  # 确保本次 is not 保本
        "returns are not guaranteed",
        "there is no guaranteed return",
        "this is not risk-free",
        "we do not offer fixed returns",
        "30-day money-back guarantee",  # a refund policy, not a return
    ],
)
def test_disclaimers_and_look_alikes_are_quiet(text: str) -> None:
    assert lint_texts(slogan=text) == []


def test_negation_does_not_reach_across_a_clause() -> None:
    assert [f.rule for f in lint_texts(slogan="不用担心，零风险")] == [PROMISE]


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"name": "稳赚计划"}, "name"),
        ({"ranks": [{"name": "保本会员", "rate": "0"}]}, "ranks[0].name"),
        ({"marketing": {"texts": {"banner": "购物返本"}}}, "marketing.texts.banner"),
    ],
)
def test_every_operator_text_is_scanned(data: dict[str, Any], key: str) -> None:
    found = lint_plan(plan_from_mapping(data))
    assert [(f.rule, f.key) for f in found] == [(PROMISE, key)]
    assert key in found[0].message_en


def test_each_word_is_reported_once_per_text_and_each_text_apart() -> None:
    found = lint_texts(a="购物返本，购物返本，零风险", b="购物返本")
    assert [(f.key, f.rule) for f in found] == [
        ("marketing.texts.a", PROMISE),
        ("marketing.texts.a", PROMISE),
        ("marketing.texts.b", PROMISE),
    ]
    assert "购物返本" in found[0].message_en and "零风险" in found[1].message_en


def test_scan_quotes_the_matched_text() -> None:
    hits = scan("几乎所有用户都能免费消费还赚钱")
    assert [(h.term.word, h.matched) for h in hits] == [
        ("消费等于赚钱", "消费还赚钱"),
        ("免费消费", "免费消费"),
    ]
