"""``lint_live``: a running platform's numbers against the criminal thresholds for 传销.

Reading of the 2013 Opinions (公通字〔2013〕37号) used here:

- 第一条: an organisation whose compensation forms a hierarchy, with ≥ 30 participants and ≥ 3
  levels, exposes its organisers to 组织、领导传销活动罪. 第四条: ≥ 120 participants or ≥ 2.5
  million CNY of participants' money collected is 情节严重.
- Levels are those of the hierarchy the money flows through, not of the referral tree as such. A
  plan that pays only the direct sponsor forms buyer → sponsor, two levels, however deep the tree.
  So the levels counted are min(tree depth, 1 + upline levels paid). The upline levels paid are
  the larger of what the ledger shows (``LiveStats.rewarded_levels``) and what the plan can pay,
  because the next order may pay the plan's full reach: direct 1, indirect 2, a rank ladder (级差 /
  平级) no bound, since its walk goes up the chain until the top rate is paid.
- A plan that pays by head (拉人头: a recruitment reward, or a paying rank earned by referrals or
  qualified legs) makes the recruiting tree itself the hierarchy: every level is counted.
- 第五条 spares 单纯的“团队计酬” (rewards on genuine product sales only) from this crime. The lint
  cannot tell genuine sales from purchases made to chase points, so it still reports an error and
  says so; proving the exception is the operator's case to make.
- 参与人员 are all members; 传销资金 is read as all settled orders in the network, which
  overstates it (it includes the cost of goods) and so errs towards warning early.

Approach warnings fire at 80% of a number (24 members, 96 members, 2 million CNY), and when the
network is one level short of 3 while the plan can pay across ≥ 2 upline levels.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from zengzhi.compliance import sources
from zengzhi.compliance.findings import Finding, Severity
from zengzhi.compliance.plan_rules import pays
from zengzhi.distribution.plan import Plan
from zengzhi.economy.errors import InvalidQuantity

CRIMINAL_MEMBERS = 30
CRIMINAL_LEVELS = 3
SERIOUS_MEMBERS = 120
SERIOUS_AMOUNT = Decimal("2500000")
NEAR = Decimal("0.8")  # share of a threshold at which a warning starts

NEAR_MEMBERS = int(CRIMINAL_MEMBERS * NEAR)  # 24
NEAR_SERIOUS_MEMBERS = int(SERIOUS_MEMBERS * NEAR)  # 96
NEAR_SERIOUS_AMOUNT = SERIOUS_AMOUNT * NEAR  # 2,000,000


@dataclass(frozen=True)
class LiveStats:
    """Numbers of a running platform."""

    members: int
    max_depth: (
        int  # levels of the referral tree below the top (a member with no sponsor is level 1)
    )
    total_amount: Decimal  # CNY of settled orders in the network
    rewarded_levels: int  # how many levels of upline are actually paid (from the plan)

    def __post_init__(self) -> None:
        for name in ("members", "max_depth", "rewarded_levels"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InvalidQuantity("invalid_live_stats", f"{name}: {value!r} is not an int ≥ 0")
        amount = self.total_amount
        if not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0:
            raise InvalidQuantity(
                "invalid_live_stats", f"total_amount: {amount!r} is not a Decimal ≥ 0"
            )
        if self.max_depth > self.members:
            raise InvalidQuantity(
                "invalid_live_stats",
                f"max_depth: {self.max_depth} levels need at least as many members, "
                f"not {self.members}",
            )


def pays_by_head(plan: Plan) -> bool:
    """Whether some reward depends on the number of people recruited (拉人头)."""
    if plan.marketing.recruit_reward > 0:
        return True
    return any(
        pays(r)
        and r.rule is not None
        and (r.rule.direct_referrals > 0 or r.rule.qualified_legs > 0)
        for r in plan.ranks
    )


def plan_reach(plan: Plan) -> int | None:
    """Upline levels one order can pay under the plan; ``None`` when the walk has no bound."""
    if any(pays(r) for r in plan.ranks):
        return None
    if plan.indirect_rate > 0:
        return 2
    if plan.direct_rate > 0 or plan.marketing.recruit_reward > 0:
        return 1
    return 0


def hierarchy_levels(plan: Plan, stats: LiveStats) -> tuple[int, int | None]:
    """(levels counted now, levels the plan can reach as the network grows; ``None``: no bound)."""
    if pays_by_head(plan):
        return stats.max_depth, None
    reach = plan_reach(plan)
    if reach is None:
        return stats.max_depth, None
    paid = max(reach, stats.rewarded_levels)
    return min(stats.max_depth, paid + 1), paid + 1


def _hierarchy_key(plan: Plan) -> str | None:
    if plan.marketing.recruit_reward > 0:
        return "marketing.recruit_reward"
    if any(pays(r) for r in plan.ranks):
        return "ranks"
    if plan.indirect_rate > 0:
        return "indirect_rate"
    return None  # the depth comes from what the ledger shows was paid, not from a plan key


def _cny(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def lint_live(plan: Plan, stats: LiveStats) -> list[Finding]:
    """Findings from the live platform's numbers; the plan's own findings come from lint_plan."""
    levels, reach = hierarchy_levels(plan, stats)
    members, amount = stats.members, stats.total_amount
    key = _hierarchy_key(plan)
    by_head = pays_by_head(plan)
    out: list[Finding] = []
    if levels >= CRIMINAL_LEVELS and members >= CRIMINAL_MEMBERS:
        if by_head:
            why_en = "The plan pays by head, so every level of the recruiting tree counts."
            why_zh = "方案按发展人数计酬，推荐关系的每一层都计入层级。"
        else:
            why_en = (
                "Art. 5 of the Opinions spares pure team compensation on genuine product sales; "
                "that is a fact the operator must be able to prove, not something the lint sees."
            )
            why_zh = (
                "《意见》第五条规定以销售商品为目的的单纯“团队计酬”不作为犯罪处理，"
                "但这需要运营方能够证明，本检查无法判断。"
            )
        out.append(
            Finding(
                "criminal.pyramid_organization",
                Severity.ERROR,
                sources.PYRAMID_CRIME,
                f"The network has {members} members and rewards flow through {levels} levels "
                f"(thresholds: {CRIMINAL_MEMBERS} members and {CRIMINAL_LEVELS} levels): the "
                "organisers may be criminally liable for organising or leading pyramid selling. "
                + why_en,
                f"网络现有会员 {members} 人，奖励贯穿 {levels} 个层级"
                f"（立案标准：{CRIMINAL_MEMBERS} 人以上且 {CRIMINAL_LEVELS} 级以上）："
                "组织者、领导者可能涉嫌组织、领导传销活动罪。" + why_zh,
                key,
            )
        )
        serious_en: list[str] = []
        serious_zh: list[str] = []
        if members >= SERIOUS_MEMBERS:
            serious_en.append(f"{members} members ≥ {SERIOUS_MEMBERS}")
            serious_zh.append(f"参与人员 {members} 人 ≥ {SERIOUS_MEMBERS} 人")
        if amount >= SERIOUS_AMOUNT:
            serious_en.append(f"{_cny(amount)} CNY ≥ {_cny(SERIOUS_AMOUNT)} CNY")
            serious_zh.append(f"资金 {_cny(amount)} 元 ≥ {_cny(SERIOUS_AMOUNT)} 元")
        if serious_en:
            out.append(
                Finding(
                    "criminal.pyramid_serious",
                    Severity.ERROR,
                    sources.PYRAMID_CRIME_SERIOUS,
                    "Serious circumstances (情节严重): " + "; ".join(serious_en) + ". The "
                    "sentence rises to five years' imprisonment or more.",
                    "达到“情节严重”标准："
                    + "；".join(serious_zh)
                    + "。法定刑升至五年以上有期徒刑。",
                    key,
                )
            )
        elif members >= NEAR_SERIOUS_MEMBERS or amount >= NEAR_SERIOUS_AMOUNT:
            out.append(
                Finding(
                    "criminal.pyramid_serious_near",
                    Severity.WARNING,
                    sources.PYRAMID_CRIME_SERIOUS,
                    f"Approaching serious circumstances (情节严重): {members} of "
                    f"{SERIOUS_MEMBERS} members, {_cny(amount)} of {_cny(SERIOUS_AMOUNT)} CNY.",
                    f"接近“情节严重”标准：参与人员 {members}/{SERIOUS_MEMBERS} 人，资金 "
                    f"{_cny(amount)}/{_cny(SERIOUS_AMOUNT)} 元。",
                    key,
                )
            )
        return out
    can_reach = reach is None or reach >= CRIMINAL_LEVELS
    if can_reach and levels >= CRIMINAL_LEVELS - 1 and members >= NEAR_MEMBERS:
        out.append(
            Finding(
                "criminal.pyramid_organization_near",
                Severity.WARNING,
                sources.PYRAMID_CRIME,
                f"Approaching the criminal threshold: {members} of {CRIMINAL_MEMBERS} members, "
                f"rewards through {levels} of {CRIMINAL_LEVELS} levels, and the plan pays across "
                "enough upline levels for the network to cross both.",
                f"接近立案标准：会员 {members}/{CRIMINAL_MEMBERS} 人，奖励层级 {levels}/"
                f"{CRIMINAL_LEVELS} 级，且方案的奖励层级足以使网络越过这两项标准。",
                key,
            )
        )
    return out
