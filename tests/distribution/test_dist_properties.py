"""Properties over random trees and random plans: budget, agreement with a slow reference."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import Any

from dist_helpers import reference_rewards, share_fen
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from zengzhi.distribution import Distribution, evaluate_ranks
from zengzhi.distribution.plan import Plan, plan_from_mapping

REGIONS = ["1/10/100", "1/10/101", "1/11/110", "2/20/200"]
AGENT_KEYS = [
    *((r, "district") for r in REGIONS),
    ("1/10", "city"),
    ("1/11", "city"),
    ("2/20", "city"),
    ("1", "province"),
    ("2", "province"),
]
NAMES = ["V1", "V2", "V3", "V4", "V5"]


def _units(draw: st.DrawFn, top: int) -> Decimal:
    # rates in 1/10 000 give awkward fractions of odd fen amounts
    return Decimal(draw(st.integers(0, top))).scaleb(-4)


@st.composite
def budgeted_plans(draw: st.DrawFn) -> tuple[Plan, Decimal]:
    k = draw(st.integers(0, 5))
    rates: list[Decimal] = []
    rate = Decimal(-1)
    for _ in range(k):
        step = _units(draw, 1_500)
        rate = max(rate + Decimal("0.0001"), step if rate < 0 else rate + step)
        rates.append(rate)
    data: dict[str, Any] = {
        "direct_rate": _units(draw, 1_500),
        "indirect_rate": _units(draw, 800),
        "ranks": [
            {"name": NAMES[i], "rate": r, "peer_rate": _units(draw, 2_000)}
            for i, r in enumerate(rates)
        ],
        "peer_layers": draw(st.integers(0, 3)),
        "peer_basis": draw(st.sampled_from(["order", "differential"])),
        "district_rate": _units(draw, 500),
        "city_rate": _units(draw, 300),
        "province_rate": _units(draw, 300),
        "dividend_rate": _units(draw, 10_000),
    }
    plan = plan_from_mapping(data)
    # the tightest budget the plan passes, or a little more
    slack = Decimal(draw(st.integers(0, 5))).scaleb(-2)
    share = plan.worst_case_rate().quantize(Decimal("0.01"), rounding=ROUND_CEILING) + slack
    assume(share <= 1)
    plan.check_budget(share)
    return plan, share


@st.composite
def networks(draw: st.DrawFn, plan: Plan) -> Distribution:
    d = Distribution(plan)
    n = draw(st.integers(1, 25))
    rank_names = [None, *(r.name for r in plan.ranks)]
    for i in range(n):
        # mostly deep chains (long walks, repeated ranks), some branching, a few roots
        shape = draw(st.integers(0, 9)) if i else 0
        sponsor: int | None
        if shape == 0:
            sponsor = None
        elif shape <= 6:
            sponsor = max(0, i - 1 - draw(st.integers(0, 2)))
        else:
            sponsor = draw(st.integers(0, i - 1))
        region = draw(st.sampled_from([None, *REGIONS]))
        d.join(f"m{i}", None if sponsor is None else f"m{sponsor}", region)
        # copying the sponsor's rank makes runs of peers; a fresh draw makes higher ranks above
        if sponsor is not None and draw(st.integers(0, 4)) < 2:
            rank = d.rank_of(f"m{sponsor}")
        else:
            rank = draw(st.sampled_from(rank_names))
        if rank is not None:
            d.set_rank(f"m{i}", rank)
    for _ in range(draw(st.integers(0, 6))):
        region, level = draw(st.sampled_from(AGENT_KEYS))
        d.appoint_agent(f"m{draw(st.integers(0, n - 1))}", region, level)
    return d


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_order_rewards_stay_within_the_distribution_share_and_match_the_reference(
    data: st.DataObject,
) -> None:
    plan, share = data.draw(budgeted_plans())
    d = data.draw(networks(plan))
    n = len(d)
    rank_names = [None, *(r.name for r in plan.ranks)]
    pool = 0
    for _ in range(data.draw(st.integers(1, 12))):
        if data.draw(st.booleans()):
            # rank changes between orders must be seen by the next order's walk
            d.set_rank(
                f"m{data.draw(st.integers(0, n - 1))}", data.draw(st.sampled_from(rank_names))
            )
        buyer = f"m{data.draw(st.integers(0, n - 1))}"
        amount = data.draw(st.one_of(st.integers(1, 10_000), st.integers(1, 10**10)))
        distribution = share_fen(amount, share)
        platform = share_fen(amount, Decimal("0.1"))
        expected = reference_rewards(d, buyer, amount)
        result = d.settle_order(buyer, amount, distribution, platform)
        assert list(result.payouts) == expected
        assert all(p.amount_fen > 0 for p in result.payouts)
        assert result.paid_fen == sum(p.amount_fen for p in result.payouts)
        assert result.paid_fen <= distribution
        assert result.paid_fen <= amount * plan.worst_case_rate()
        assert result.unpaid_fen == distribution - result.paid_fen
        accrual = int(platform * plan.dividend_rate)
        assert result.dividend_accrual_fen == accrual
        pool += accrual
    assert d.dividend_pool_fen == pool


def reference_evaluation(d: Distribution) -> dict[str, str | None]:
    """Ranks the slow way: children join after their sponsor, so reverse join order settles
    every subtree first; every figure is a fresh scan of the subtree."""
    plan = d.plan
    level = {r.name: i + 1 for i, r in enumerate(plan.ranks)}
    new: dict[str, int] = {}

    def subtree(m: str) -> list[str]:
        out, stack = [], list(d.direct_team(m))
        while stack:
            x = stack.pop()
            out.append(x)
            stack.extend(d.direct_team(x))
        return out

    for m in reversed(list(d.members())):
        team = sum(d.period_volume_fen(x) for x in subtree(m))
        earned = 0
        for i, rank in enumerate(plan.ranks):
            rule = rank.rule
            if rule is None:
                continue
            leg_level = level[rule.leg_rank] if rule.leg_rank else 1
            legs = sum(
                1 for c in d.direct_team(m) if max(new[x] for x in [c, *subtree(c)]) >= leg_level
            )
            if (
                d.period_volume_fen(m) >= rule.personal_volume * 100
                and team >= rule.team_volume * 100
                and len(d.direct_team(m)) >= rule.direct_referrals
                and legs >= rule.qualified_legs
            ):
                earned = i + 1
        assigned = d.assigned_rank_of(m)
        new[m] = max(earned, level[assigned] if assigned else 0)
    return {m: plan.ranks[v - 1].name if v else None for m, v in new.items()}


@st.composite
def rank_plans(draw: st.DrawFn) -> Plan:
    k = draw(st.integers(1, 4))
    ranks = []
    for i in range(k):
        rank: dict[str, Any] = {"name": NAMES[i], "rate": Decimal(i + 1).scaleb(-2)}
        if draw(st.integers(0, 4)):
            rank["rule"] = {
                "personal_volume": draw(st.integers(0, 300)),
                "team_volume": draw(st.integers(0, 1_000)),
                "qualified_legs": draw(st.integers(0, 2)),
                "direct_referrals": draw(st.integers(0, 3)),
            }
            if draw(st.booleans()):
                rank["rule"]["leg_rank"] = NAMES[draw(st.integers(0, k - 1))]
        ranks.append(rank)
    return plan_from_mapping({"ranks": ranks})


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_rank_evaluation_matches_a_slow_reference(data: st.DataObject) -> None:
    plan = data.draw(rank_plans())
    d = data.draw(networks(plan))
    n = len(d)
    for _ in range(data.draw(st.integers(0, 2))):  # a few periods in a row
        for _ in range(data.draw(st.integers(0, 15))):
            fen = data.draw(st.integers(1, 50_000))
            d.settle_order(f"m{data.draw(st.integers(0, n - 1))}", fen, fen, 0)
        before = {m: d.rank_of(m) for m in d.members()}
        highest = {m: d.highest_rank_of(m) for m in d.members()}
        expected = reference_evaluation(d)
        changes = evaluate_ranks(d)
        assert {c.member: c.new for c in changes} == {
            m: r for m, r in expected.items() if r != before[m]
        }
        assert all(c.old == before[c.member] for c in changes)
        assert {m: d.rank_of(m) for m in d.members()} == expected
        level = {r.name: i + 1 for i, r in enumerate(plan.ranks)}
        for m in d.members():
            h = d.highest_rank_of(m)
            got = level.get(h, 0) if h else 0
            want = max((level.get(x, 0) if x else 0) for x in (highest[m], expected[m]))
            assert got == want
            assert d.period_volume_fen(m) == 0
