"""zh-CN and English strings for the command line (and later the web pages)."""

from __future__ import annotations

import os

LANGS = ("en", "zh")

Catalog = dict[str, dict[str, str]]  # key → {lang: text}

MESSAGES: Catalog = {
    "seed.title": {
        "en": "The seed's walk-through, computed by the engine (defaults: split 30/30/10/30, "
        "70% of the pool share as points, start price 1.00)",
        "zh": "种子文档的演算，由引擎计算（默认：成本/分销/平台/盈利池 30/30/10/30，"
        "盈利池份额的 70% 赠送积分，起盘价 1.00）",
    },
    "seed.buyer": {"en": "Buyer", "zh": "用户"},
    "seed.amount": {"en": "Spend", "zh": "消费"},
    "seed.contribution": {"en": "Into pool", "zh": "进入盈利池"},
    "seed.value": {"en": "Points value", "zh": "赠送积分价值"},
    "seed.price_before": {"en": "Price paid", "zh": "赠送时价格"},
    "seed.points": {"en": "Points", "zh": "获得积分"},
    "seed.pool": {"en": "Pool after", "zh": "盈利池"},
    "seed.total_points": {"en": "Points after", "zh": "流通积分"},
    "seed.price_after": {"en": "Price after", "zh": "积分价格"},
    "seed.triggers.title": {
        "en": "Prices at which each buyer's points are worth 1×, 2× and 3× the spend "
        "(3× is the default forced exit)",
        "zh": "每位用户积分价值达到消费 1 倍、2 倍、3 倍时的积分价格（3 倍为默认强制出局）",
    },
    "seed.break_even": {"en": "1× (break-even)", "zh": "1 倍（回本）"},
    "seed.trigger_2x": {"en": "2×", "zh": "2 倍"},
    "seed.trigger_3x": {"en": "3× (exit)", "zh": "3 倍（出局）"},
    "seed.sale.title": {
        "en": "The seed's sale example: the first buyer's points are worth 2000 "
        "(price lifted by an injection of {injected}) and he sells them all",
        "zh": "种子文档的卖出示例：第一位用户的积分价值 2000（通过融资注入 {injected} "
        "使价格达到该水平），全部卖出",
    },
    "seed.sale.price": {"en": "Price", "zh": "积分价格"},
    "seed.sale.points": {"en": "Points sold", "zh": "卖出积分"},
    "seed.sale.gross": {"en": "Gross value", "zh": "积分价值"},
    "seed.sale.net": {"en": "Paid to wallet (80%)", "zh": "结算到零钱（80%）"},
    "seed.sale.kept": {"en": "Stays in pool (20%)", "zh": "回流盈利池（20%）"},
    "seed.sale.price_after": {"en": "Price after", "zh": "卖出后价格"},
    "seed.warning": {
        "en": "Not a promise of returns. The price rises only when new orders, fees or "
        "injections arrive; with the defaults a buyer at price p exits only when the price "
        "reaches about 14.3 × p, which needs on the order of 200 times the sales seen before "
        "they joined. If orders stop, the price stops.",
        "zh": "这不是收益承诺。积分价格只有在新订单、手续费回流或融资注入时才会上涨；按默认参数，"
        "在价格 p 时加入的用户要等价格涨到约 14.3 × p 才会出局，这需要约为其加入前累计销售额 "
        "200 倍的新销售。订单一旦停止，价格也随之停止。",
    },
    "replay.malformed": {"en": "malformed input", "zh": "输入格式错误"},
}


def normalize_lang(lang: str) -> str:
    """Accept ``en``/``zh`` and the locale spellings a shell or browser hands over (``zh-CN``,
    ``zh_CN``, ``en-US``)."""
    base = lang.strip().lower().replace("_", "-").split("-", 1)[0]
    if base not in LANGS:
        raise ValueError(f"unsupported language {lang!r}: use 'en' or 'zh'")
    return base


def lookup(catalog: Catalog, key: str, lang: str, **params: object) -> str:
    """The text of ``key`` in ``lang`` (English when missing), with ``params`` filled in."""
    entry = catalog[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**params) if params else text


def default_lang() -> str:
    for var in ("ZENGZHI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def t(key: str, lang: str, **params: object) -> str:
    return lookup(MESSAGES, key, lang, **params)
