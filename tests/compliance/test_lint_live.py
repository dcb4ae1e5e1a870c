"""lint_live: the criminal thresholds for 传销, at, below and above each number."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zengzhi.compliance import Finding, LiveStats, Severity, lint_live, sources
from zengzhi.distribution.plan import NO_PLAN, Plan, plan_from_mapping
from zengzhi.economy.errors import InvalidQuantity

TWO_LEVEL = plan_from_mapping({"direct_rate": "0.10", "indirect_rate": "0.05"})
DIRECT_ONLY = plan_from_mapping({"direct_rate": "0.10"})
RANKS = plan_from_mapping({"ranks": [{"name": "V1", "rate": "0.05"}]})
BY_HEAD = plan_from_mapping({"marketing": {"recruit_reward": "10.00"}})

ORG = "criminal.pyramid_organization"
ORG_NEAR = "criminal.pyramid_organization_near"
SERIOUS = "criminal.pyramid_serious"
SERIOUS_NEAR = "criminal.pyramid_serious_near"


def stats(members: int = 30, depth: int = 3, amount: str = "0", rewarded: int = 0) -> LiveStats:
    return LiveStats(
        members=members, max_depth=depth, total_amount=Decimal(amount), rewarded_levels=rewarded
    )


def live(plan: Plan = TWO_LEVEL, **kw: Any) -> list[tuple[str, Severity]]:
    return [(f.rule, f.severity) for f in lint_live(plan, stats(**kw))]


E = Severity.ERROR
W = Severity.WARNING


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        (23, []),
        (24, [(ORG_NEAR, W)]),
        (29, [(ORG_NEAR, W)]),
        (30, [(ORG, E)]),
        (31, [(ORG, E)]),
    ],
)
def test_member_threshold(members: int, expected: list[tuple[str, Severity]]) -> None:
    assert live(members=members, depth=3) == expected


@pytest.mark.parametrize(
    ("depth", "expected"),
    [(1, []), (2, [(ORG_NEAR, W)]), (3, [(ORG, E)]), (4, [(ORG, E)])],
)
def test_level_threshold(depth: int, expected: list[tuple[str, Severity]]) -> None:
    assert live(members=30, depth=depth) == expected


def test_organization_finding_cites_the_law() -> None:
    [f] = lint_live(TWO_LEVEL, stats(members=30, depth=3))
    assert f.source == sources.PYRAMID_CRIME
    assert "第二百二十四条之一" in f.source and "2013" in f.source and "224-1" in f.source
    assert f.key == "indirect_rate"
    assert "30" in f.message_en and "3 levels" in f.message_en
    assert "组织、领导传销活动罪" in f.message_zh
    assert "Art. 5" in f.message_en and "第五条" in f.message_zh


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        (95, [(ORG, E)]),
        (96, [(ORG, E), (SERIOUS_NEAR, W)]),
        (119, [(ORG, E), (SERIOUS_NEAR, W)]),
        (120, [(ORG, E), (SERIOUS, E)]),
        (121, [(ORG, E), (SERIOUS, E)]),
    ],
)
def test_serious_member_threshold(members: int, expected: list[tuple[str, Severity]]) -> None:
    assert live(members=members, depth=3) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1999999.99", [(ORG, E)]),
        ("2000000.00", [(ORG, E), (SERIOUS_NEAR, W)]),
        ("2499999.99", [(ORG, E), (SERIOUS_NEAR, W)]),
        ("2500000.00", [(ORG, E), (SERIOUS, E)]),
        ("2500000.01", [(ORG, E), (SERIOUS, E)]),
    ],
)
def test_serious_amount_threshold(amount: str, expected: list[tuple[str, Severity]]) -> None:
    assert live(members=30, depth=3, amount=amount) == expected


def test_serious_finding_names_both_criteria() -> None:
    found = lint_live(TWO_LEVEL, stats(members=150, depth=5, amount="3000000"))
    serious = [f for f in found if f.rule == SERIOUS]
    assert len(serious) == 1
    f = serious[0]
    assert f.source == sources.PYRAMID_CRIME_SERIOUS and "第四条" in f.source
    assert "150 members ≥ 120" in f.message_en
    assert "3,000,000.00 CNY ≥ 2,500,000.00 CNY" in f.message_en
    assert "情节严重" in f.message_zh


def test_serious_needs_the_base_threshold() -> None:
    # Money alone is not a pyramid organization: 情节严重 aggravates the crime, it is not one.
    assert live(members=29, depth=3, amount="9000000") == [(ORG_NEAR, W)]
    assert live(members=500, depth=2, amount="9000000") == [(ORG_NEAR, W)]


def test_direct_only_plan_never_forms_three_levels() -> None:
    assert live(DIRECT_ONLY, members=10_000, depth=50, amount="1e9") == []


def test_ledger_showing_deeper_payments_counts() -> None:
    assert live(DIRECT_ONLY, members=30, depth=3, rewarded=2) == [(ORG, E)]


def test_plan_without_rewards_is_quiet_at_any_size() -> None:
    assert live(NO_PLAN, members=1_000_000, depth=100, amount="1e12") == []


def test_rank_ladder_counts_every_level() -> None:
    [f] = lint_live(RANKS, stats(members=30, depth=7))
    assert f.rule == ORG and f.key == "ranks" and "7 levels" in f.message_en


def test_plan_paying_by_head_counts_the_recruiting_tree() -> None:
    [f] = lint_live(BY_HEAD, stats(members=30, depth=3))
    assert (f.rule, f.key) == (ORG, "marketing.recruit_reward")
    assert "by head" in f.message_en and "第五条" not in f.message_zh


def test_two_level_plan_counts_three_levels_however_deep_the_tree() -> None:
    [f] = lint_live(TWO_LEVEL, stats(members=30, depth=12))
    assert "through 3 levels" in f.message_en


@pytest.mark.parametrize(
    "kw",
    [
        {"members": -1},
        {"max_depth": -1},
        {"rewarded_levels": -1},
        {"members": True},
        {"total_amount": Decimal("-0.01")},
        {"total_amount": 1.5},
        {"total_amount": Decimal("NaN")},
        {"members": 2, "max_depth": 3},
    ],
)
def test_live_stats_are_validated(kw: dict[str, Any]) -> None:
    base: dict[str, Any] = {
        "members": 10,
        "max_depth": 3,
        "total_amount": Decimal("0"),
        "rewarded_levels": 1,
    }
    with pytest.raises(InvalidQuantity):
        LiveStats(**(base | kw))


def test_live_findings_are_findings() -> None:
    assert all(isinstance(f, Finding) for f in lint_live(TWO_LEVEL, stats(members=200)))
