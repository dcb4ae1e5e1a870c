"""``lint_plan``: the rules a plan breaks by its settings and texts alone (SPEC 3)."""

from __future__ import annotations

from decimal import Decimal

from zengzhi.compliance import sources
from zengzhi.compliance.findings import Finding, Severity
from zengzhi.compliance.words import Kind, scan
from zengzhi.distribution.plan import Plan, Rank

DIRECT_SELLING_CAP = Decimal("0.30")  # 《直销管理条例》第二十四条: 30% of the seller's own sales

_ZERO = Decimal(0)
E = Severity.ERROR
W = Severity.WARNING


def _pct(rate: Decimal) -> str:
    # Exact: a rate of 0.125 shows as 12.5%, never as a float approximation.
    return f"{(rate * 100).normalize():f}%"


def _cny(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def pays(rank: Rank) -> bool:
    """Whether holding the rank earns anything from other members' orders."""
    return rank.rate > 0 or rank.peer_rate > 0


def _recruitment(plan: Plan) -> list[Finding]:
    src = sources.ANTI_PYRAMID_7_1
    out: list[Finding] = []
    mk = plan.marketing
    if mk.recruit_reward > 0:
        out.append(
            Finding(
                "mlm.recruitment_reward",
                E,
                src,
                f"The plan pays {_cny(mk.recruit_reward)} CNY for each member recruited. Paying "
                "by the number of people brought in is pyramid selling (拉人头).",
                f"方案对每发展一名会员奖励 {_cny(mk.recruit_reward)} 元。以发展人员的数量为依据"
                "计算和给付报酬，属于“拉人头”式传销。",
                "marketing.recruit_reward",
            )
        )
    for i, rank in enumerate(plan.ranks):
        rule = rank.rule
        if rule is None or not pays(rank):
            continue
        if rule.direct_referrals > 0:
            out.append(
                Finding(
                    "mlm.recruitment_reward",
                    E,
                    src,
                    f"Rank {rank.name!r} pays rewards and is earned by recruiting "
                    f"{rule.direct_referrals} members: the reward then depends on the number of "
                    "people recruited (拉人头).",
                    f"等级“{rank.name}”可获奖励，且以直推 {rule.direct_referrals} 人为晋升条件："
                    "报酬取决于发展人员的数量，属于“拉人头”。",
                    f"ranks[{i}].rule.direct_referrals",
                )
            )
        if rule.qualified_legs > 0:
            out.append(
                Finding(
                    "mlm.recruitment_reward",
                    E,
                    src,
                    f"Rank {rank.name!r} pays rewards and is earned by holding "
                    f"{rule.qualified_legs} qualified legs: the reward then depends on the number "
                    "of people recruited, directly or indirectly (拉人头).",
                    f"等级“{rank.name}”可获奖励，且以 {rule.qualified_legs} 条达标市场线为"
                    "晋升条件：报酬取决于直接或间接发展人员的数量，属于“拉人头”。",
                    f"ranks[{i}].rule.qualified_legs",
                )
            )
    return out


def _entry_fee(plan: Plan) -> list[Finding]:
    src = sources.ANTI_PYRAMID_7_2
    out: list[Finding] = []
    mk = plan.marketing
    if mk.entry_fee > 0:
        out.append(
            Finding(
                "mlm.entry_fee",
                E,
                src,
                f"Members pay {_cny(mk.entry_fee)} CNY to join. A fee for the right to join and "
                "to recruit others is pyramid selling (入门费).",
                f"会员须交纳 {_cny(mk.entry_fee)} 元方可加入。以交纳费用取得加入或发展他人加入的"
                "资格，属于“收取入门费”式传销。",
                "marketing.entry_fee",
            )
        )
    for i, rank in enumerate(plan.ranks):
        if rank.price > 0:
            if pays(rank):
                out.append(
                    Finding(
                        "mlm.entry_fee",
                        E,
                        src,
                        f"Rank {rank.name!r} costs {_cny(rank.price)} CNY and earns rewards from "
                        "other members' orders: buying the right to be paid for a downline is an "
                        "entry fee (入门费).",
                        f"等级“{rank.name}”须付费 {_cny(rank.price)} 元，且可从他人订单中获得奖励："
                        "花钱购买从下线获利的资格，属于“入门费”。",
                        f"ranks[{i}].price",
                    )
                )
            else:
                out.append(
                    Finding(
                        "mlm.entry_fee",
                        W,
                        src,
                        f"Rank {rank.name!r} costs {_cny(rank.price)} CNY but pays no reward: "
                        "today it is a membership fee, and it becomes an entry fee (入门费) as "
                        "soon as the rank earns anything from other members.",
                        f"等级“{rank.name}”须付费 {_cny(rank.price)} 元但不产生奖励："
                        "目前属于会员费；一旦该等级可从他人订单获得奖励，即构成“入门费”。",
                        f"ranks[{i}].price",
                    )
                )
        rule = rank.rule
        if rule is not None and pays(rank) and rule.personal_volume > 0:
            out.append(
                Finding(
                    "mlm.entry_fee",
                    W,
                    src,
                    f"Rank {rank.name!r} pays rewards and is earned by buying "
                    f"{_cny(rule.personal_volume)} CNY of goods oneself. Buying goods to qualify "
                    "for rewards can be read as a disguised entry fee (以认购商品方式变相交纳费用) "
                    "unless the purchases are genuine consumption at fair prices.",
                    f"等级“{rank.name}”可获奖励，且以本人消费满 {_cny(rule.personal_volume)} 元为"
                    "晋升条件。以购买商品取得获奖资格，可能被认定为“以认购商品等方式变相交纳费用”，"
                    "除非确属按公允价格的真实消费。",
                    f"ranks[{i}].rule.personal_volume",
                )
            )
    return out


def _team(plan: Plan) -> list[Finding]:
    src = sources.ANTI_PYRAMID_7_3
    out: list[Finding] = []
    if plan.indirect_rate > 0:
        out.append(
            Finding(
                "mlm.team_compensation",
                E,
                src,
                f"indirect_rate pays the sponsor's sponsor {_pct(plan.indirect_rate)} of an order: "
                "an upline paid on the sales of a second-level downline is team compensation "
                "(团队计酬). Only the first level (the direct sponsor) may be rewarded.",
                f"间推奖按订单金额的 {_pct(plan.indirect_rate)} 奖励推荐人的推荐人：以第二层下线的"
                "销售业绩为依据计酬，属于“团队计酬”。只可奖励第一层（直接推荐人）。",
                "indirect_rate",
            )
        )
    paying = [r for r in plan.ranks if r.rate > 0]
    if paying:
        names = ", ".join(r.name for r in paying)
        names_zh = "、".join(r.name for r in paying)
        out.append(
            Finding(
                "mlm.team_compensation",
                E,
                src,
                f"Ranks {names} take a differential reward (级差奖): the walk goes up the sponsor "
                "chain past the first level until the top rate is paid, so uplines are paid on "
                "their downline's sales (团队计酬).",
                f"等级 {names_zh} 领取级差奖：计算沿推荐链向上越过第一层，直到最高比例发放完毕，"
                "即以下线的销售业绩为依据给付上线报酬，属于“团队计酬”。",
                "ranks",
            )
        )
    for i, rank in enumerate(plan.ranks):
        if rank.peer_rate > 0:
            basis_en = "the order" if plan.peer_basis == "order" else "the differential paid below"
            basis_zh = "订单金额" if plan.peer_basis == "order" else "下方已付级差"
            out.append(
                Finding(
                    "mlm.team_compensation",
                    E,
                    src,
                    f"Rank {rank.name!r} takes a peer reward (平级奖) of {_pct(rank.peer_rate)} "
                    f"of {basis_en} for up to {plan.peer_layers} layer(s): it is paid to an "
                    "upline above the member who set the rate, always beyond the first level "
                    "(团队计酬).",
                    f"等级“{rank.name}”领取平级奖（{basis_zh}的 {_pct(rank.peer_rate)}，最多 "
                    f"{plan.peer_layers} 层）：平级奖付给更上层的上线，必然超出第一层，"
                    "属于“团队计酬”。",
                    f"ranks[{i}].peer_rate",
                )
            )
        rule = rank.rule
        if rule is not None and pays(rank) and rule.team_volume > 0:
            out.append(
                Finding(
                    "mlm.team_compensation",
                    E,
                    src,
                    f"Rank {rank.name!r} pays rewards and is earned by a team volume of "
                    f"{_cny(rule.team_volume)} CNY: the upline's pay then depends on the "
                    "downline's sales (团队计酬).",
                    f"等级“{rank.name}”可获奖励，且以团队业绩 {_cny(rule.team_volume)} 元为晋升"
                    "条件：上线报酬取决于下线的销售业绩，属于“团队计酬”。",
                    f"ranks[{i}].rule.team_volume",
                )
            )
    return out


def _reward_parts(plan: Plan) -> list[tuple[str, Decimal]]:
    peer = plan.worst_case_rate() - (
        plan.direct_rate
        + plan.indirect_rate
        + plan.top_rate
        + plan.district_rate
        + plan.city_rate
        + plan.province_rate
    )
    parts = [
        ("direct", plan.direct_rate),
        ("indirect", plan.indirect_rate),
        ("differential", plan.top_rate),
        ("peer", peer),
        ("regional", plan.district_rate + plan.city_rate + plan.province_rate),
    ]
    return [(name, rate) for name, rate in parts if rate > 0]


_PART_ZH = {
    "direct": "直推",
    "indirect": "间推",
    "differential": "级差",
    "peer": "平级",
    "regional": "区域代理",
}


def _cap(plan: Plan, distribution_share: Decimal) -> list[Finding]:
    out: list[Finding] = []
    worst = plan.worst_case_rate()
    parts = _reward_parts(plan)
    parts_en = " + ".join(f"{name} {_pct(rate)}" for name, rate in parts)
    parts_zh = " + ".join(f"{_PART_ZH[name]} {_pct(rate)}" for name, rate in parts)
    if worst > DIRECT_SELLING_CAP:
        out.append(
            Finding(
                "direct_selling.reward_cap",
                E,
                sources.DIRECT_SELLING_24,
                f"In the worst case one order pays {_pct(worst)} of its amount in rewards "
                f"({parts_en}), above the {_pct(DIRECT_SELLING_CAP)} of the seller's own sales "
                "that the law allows as total rewards.",
                f"最不利情况下一笔订单发放奖励 {_pct(worst)}（{parts_zh}），超过法规规定的报酬总额"
                f"不得超过直销员本人销售收入 {_pct(DIRECT_SELLING_CAP)} 的上限。",
                None,
            )
        )
    if worst > distribution_share:
        out.append(
            Finding(
                "plan.over_budget",
                E,
                sources.DISTRIBUTION_BUDGET,
                f"In the worst case one order pays {_pct(worst)} of its amount ({parts_en}) but "
                f"the distribution share is {_pct(distribution_share)}: the engine refuses to "
                "load this plan.",
                f"最不利情况下一笔订单发放 {_pct(worst)}（{parts_zh}），超过分销份额 "
                f"{_pct(distribution_share)}：引擎将拒绝加载此方案。",
                None,
            )
        )
    return out


def _fundraising(plan: Plan) -> list[Finding]:
    out: list[Finding] = []
    mk = plan.marketing
    if mk.fixed_return_rate > 0:
        out.append(
            Finding(
                "illegal_fundraising.fixed_return",
                E,
                sources.FUNDRAISING,
                f"The plan promises a fixed return of {_pct(mk.fixed_return_rate)} per period. "
                "Taking the public's money with a promised return is illegal fund-raising "
                "(非法吸收公众存款).",
                f"方案承诺每期 {_pct(mk.fixed_return_rate)} 的固定回报。以许诺回报的方式向不特定"
                "对象吸收资金，属于非法集资（非法吸收公众存款）。",
                "marketing.fixed_return_rate",
            )
        )
    if mk.principal_back:
        out.append(
            Finding(
                "illegal_fundraising.principal_back",
                E,
                sources.FUNDRAISING_PRINCIPAL,
                "The plan promises members their spend back (返本). A promise to repay the "
                "principal is the inducement (利诱性) that makes taking money illegal "
                "fund-raising.",
                "方案承诺返还会员的消费本金（返本）。承诺还本即非法集资的“利诱性”特征。",
                "marketing.principal_back",
            )
        )
    if mk.recharge_pool:
        out.append(
            Finding(
                "illegal_fundraising.recharge_pool",
                E,
                sources.FUNDRAISING,
                "Members pre-load cash into the platform (充值/预付消费), which forms a fund pool "
                "the platform controls. Beside a points economy that promises appreciation, that "
                "is taking public deposits without a licence.",
                "会员向平台预充值（充值/预付消费），形成由平台控制的资金池。在承诺积分增值的模式下，"
                "这属于未经许可吸收公众资金。",
                "marketing.recharge_pool",
            )
        )
    return out


def _texts(plan: Plan) -> list[tuple[str, str]]:
    texts = [("name", plan.name)]
    texts += [(f"ranks[{i}].name", r.name) for i, r in enumerate(plan.ranks)]
    texts += [(f"marketing.texts.{k}", v) for k, v in plan.marketing.texts.items()]
    return texts


def _words(plan: Plan) -> list[Finding]:
    out: list[Finding] = []
    for key, text in _texts(plan):
        for hit in scan(text):
            term = hit.term
            # English terms are their own gloss; Chinese ones get an English name beside them.
            what = term.word if term.word == term.en else f"{term.word}: {term.en}"
            named_en = (
                "a lure the 2018 six-department notice names"
                if term.named
                else "wording of the kind the 2018 six-department notice warns of"
            )
            named_zh = (
                "2018 年六部门风险提示点名的噱头"
                if term.named
                else "2018 年六部门风险提示所警示的同类宣传"
            )
            if term.kind is Kind.PROMISE:
                out.append(
                    Finding(
                        "illegal_fundraising.promotion_words",
                        E,
                        sources.CONSUMER_REBATE_NOTICE,
                        f"{key} says “{hit.matched}” ({what}), {named_en}. "
                        "It promises a return or the principal back; the product must never "
                        "describe returns as guaranteed.",
                        f"{key} 含“{hit.matched}”（{term.word}），属{named_zh}。该用语承诺回报或"
                        "返本；产品不得将收益描述为有保证。",
                        key,
                    )
                )
            else:
                out.append(
                    Finding(
                        "illegal_fundraising.appreciation_claim",
                        W,
                        sources.CONSUMER_REBATE_NOTICE,
                        f"{key} says “{hit.matched}” ({what}), {named_en}. "
                        "Points rise only while new orders arrive and an exit needs many times "
                        "the sales seen so far; show members live numbers instead of a claim.",
                        f"{key} 含“{hit.matched}”（{term.word}），属{named_zh}。"
                        "积分价格只在有新订单时上涨，出局需要远超以往的销售额；应向会员展示实时数据，而不是宣传口号。",
                        key,
                    )
                )
    return out


def lint_plan(plan: Plan, *, distribution_share: Decimal = Decimal("0.30")) -> list[Finding]:
    """Every finding the plan's settings and texts give, in the order of the legal sources.

    ``distribution_share`` is the split's distribution share (SPEC 1.2); a plan whose worst case
    exceeds it is one the engine refuses, reported as ``plan.over_budget``.
    """
    return [
        *_recruitment(plan),
        *_entry_fee(plan),
        *_team(plan),
        *_cap(plan, distribution_share),
        *_fundraising(plan),
        *_words(plan),
    ]
