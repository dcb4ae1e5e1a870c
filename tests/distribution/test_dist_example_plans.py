"""The example plans in examples/plans load, fit the default split, and pay what they say."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from dist_helpers import chain

from zengzhi.distribution import Distribution, RewardPayout
from zengzhi.distribution.plan import load_plan

PLANS = Path(__file__).resolve().parents[2] / "examples" / "plans"
DEFAULT_DISTRIBUTION_SHARE = Decimal("0.30")


@pytest.mark.parametrize("name", ["seed", "two-level", "full"])
def test_example_plan_loads_and_fits_the_default_split(name: str) -> None:
    plan = load_plan(PLANS / f"{name}.toml")
    assert plan.name == name
    plan.check_budget(DEFAULT_DISTRIBUTION_SHARE)


def test_seed_plan_pays_nothing() -> None:
    plan = load_plan(PLANS / "seed.toml")
    assert not plan.pays_rewards()
    d = Distribution(plan)
    chain(d, ["a", "b", "c"], "1/2/3")
    d.appoint_agent("a", "1/2/3", "district")
    result = d.settle_order("c", 100_000, 30_000, 10_000)
    assert result.payouts == () and result.unpaid_fen == 30_000
    assert result.dividend_accrual_fen == 0


def test_two_level_plan() -> None:
    d = Distribution(load_plan(PLANS / "two-level.toml"))
    chain(d, ["a", "b", "c"], "44/4419/441900")
    d.appoint_agent("a", "44/4419/441900", "district")
    d.appoint_agent("a", "44/4419", "city")
    d.appoint_agent("b", "44", "province")
    result = d.settle_order("c", 100_000, 30_000, 10_000)
    assert list(result.payouts) == [
        RewardPayout("b", "direct", 10_000),
        RewardPayout("a", "indirect", 5_000),
        RewardPayout("a", "regional", 3_000),
        RewardPayout("a", "regional", 2_000),
        RewardPayout("b", "regional", 1_000),
    ]


def test_full_plan_pays_all_six_types() -> None:
    d = Distribution(load_plan(PLANS / "full.toml"))
    chain(d, ["E", "D", "C", "B", "A", "buyer"], "44/4419/441900")
    for member, rank in [("A", "V1"), ("B", "V1"), ("C", "V3"), ("D", "V2"), ("E", "V4")]:
        d.set_rank(member, rank)
    d.appoint_agent("D", "44/4419/441900", "district")
    d.set_shareholder("E", Decimal(1))
    result = d.settle_order("buyer", 100_000, 30_000, 10_000)
    kinds = {p.kind for p in result.payouts}
    assert kinds == {"direct", "indirect", "differential", "peer", "regional"}
    assert result.paid_fen == 8_000 + 4_000 + 8_000 + 500 + 1_000
    assert result.dividend_accrual_fen == 1_000
    assert d.run_dividend() == (RewardPayout("E", "dividend", 1_000),)
