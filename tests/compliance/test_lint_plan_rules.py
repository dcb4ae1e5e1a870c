"""lint_plan: each rule fires on a plan built to break it, with its severity and legal source."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zengzhi.compliance import Finding, Severity, has_errors, lint_plan, sources
from zengzhi.distribution.plan import NO_PLAN, plan_from_mapping

E = Severity.ERROR
W = Severity.WARNING


def lint(data: dict[str, Any], **kw: Any) -> list[Finding]:
    return lint_plan(plan_from_mapping(data), **kw)


def only(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def one(data: dict[str, Any], rule: str, **kw: Any) -> Finding:
    found = only(lint(data, **kw), rule)
    assert len(found) == 1, found
    return found[0]


def rules(findings: list[Finding]) -> set[tuple[str, Severity, str | None]]:
    return {(f.rule, f.severity, f.key) for f in findings}


# --- clean plans ---


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"direct_rate": "0.05"},
        {"direct_rate": "0.10", "district_rate": "0.05", "city_rate": "0.05"},
        {"direct_rate": "0.30"},  # exactly the cap: 不得超过 allows it
        {"dividend_rate": "0.50"},  # paid from the platform share, not a seller reward
        {"ranks": [{"name": "会员", "rate": "0"}]},  # a title that pays nothing
        {
            "name": "消费增值",
            "marketing": {
                "texts": {
                    "slogan": "消费送积分，积分价格随订单变化。",
                    "risk": "本产品不保本，不承诺收益，并非零风险。",
                    "en": "Points are not a deposit; returns are not guaranteed and it is not "
                    "risk-free.",
                }
            },
        },
    ],
)
def test_clean_plans_have_no_findings(data: dict[str, Any]) -> None:
    assert lint(data) == []


def test_seed_default_plan_is_clean() -> None:
    assert lint_plan(NO_PLAN) == []


# --- 《禁止传销条例》第七条第（一）项 拉人头 ---


def test_recruit_reward_is_an_error() -> None:
    f = one({"marketing": {"recruit_reward": "10.00"}}, "mlm.recruitment_reward")
    assert f.severity is E
    assert f.source == sources.ANTI_PYRAMID_7_1
    assert "第七条第（一）项" in f.source and "art. 7(1)" in f.source
    assert f.key == "marketing.recruit_reward"
    assert "10.00" in f.message_en and "拉人头" in f.message_zh


@pytest.mark.parametrize(("rule_key", "value"), [("direct_referrals", 3), ("qualified_legs", 2)])
def test_paying_rank_earned_by_head_count_is_an_error(rule_key: str, value: int) -> None:
    v2 = {"name": "V2", "rate": "0.05", "rule": {rule_key: value}}
    data = {"ranks": [{"name": "V1", "rate": "0"}, v2]}
    f = one(data, "mlm.recruitment_reward")
    assert (f.severity, f.key) == (E, f"ranks[1].rule.{rule_key}")
    assert f.source == sources.ANTI_PYRAMID_7_1


def test_rank_earned_by_head_count_that_pays_nothing_is_fine() -> None:
    data = {"ranks": [{"name": "V1", "rate": "0", "rule": {"direct_referrals": 5}}]}
    assert lint(data) == []


# --- 第七条第（二）项 入门费 ---


def test_entry_fee_is_an_error() -> None:
    f = one({"marketing": {"entry_fee": "99.00"}}, "mlm.entry_fee")
    assert (f.severity, f.key, f.source) == (E, "marketing.entry_fee", sources.ANTI_PYRAMID_7_2)
    assert "第七条第（二）项" in f.source
    assert "99.00" in f.message_en and "入门费" in f.message_zh


def test_paid_rank_that_pays_rewards_is_an_error() -> None:
    data = {
        "direct_rate": "0.05",
        "ranks": [{"name": "V1", "rate": "0.05"}, {"name": "V2", "rate": "0.10", "price": "399"}],
    }
    f = one(data, "mlm.entry_fee")
    assert (f.severity, f.key) == (E, "ranks[1].price")
    assert "399.00" in f.message_en


def test_paid_rank_with_only_a_peer_reward_is_an_error() -> None:
    data = {"ranks": [{"name": "V1", "rate": "0", "peer_rate": "0.01", "price": "10"}]}
    assert one(data, "mlm.entry_fee").severity is E


def test_paid_rank_that_pays_nothing_is_a_warning() -> None:
    f = one({"ranks": [{"name": "黑卡", "rate": "0", "price": "199.00"}]}, "mlm.entry_fee")
    assert (f.severity, f.key, f.source) == (W, "ranks[0].price", sources.ANTI_PYRAMID_7_2)
    assert lint({"ranks": [{"name": "黑卡", "rate": "0", "price": "199.00"}]}) == [f]


def test_paying_rank_earned_by_own_purchases_is_a_warning() -> None:
    data = {"ranks": [{"name": "V1", "rate": "0.05", "rule": {"personal_volume": "10000"}}]}
    f = one(data, "mlm.entry_fee")
    assert (f.severity, f.key) == (W, "ranks[0].rule.personal_volume")
    assert "变相" in f.message_zh


# --- 第七条第（三）项 团队计酬 ---


def test_indirect_reward_is_team_compensation() -> None:
    findings = lint({"direct_rate": "0.10", "indirect_rate": "0.05"})
    assert rules(findings) == {("mlm.team_compensation", E, "indirect_rate")}
    assert findings[0].source == sources.ANTI_PYRAMID_7_3
    assert "第七条第（三）项" in findings[0].source and "art. 7(3)" in findings[0].source
    assert "5%" in findings[0].message_en and "团队计酬" in findings[0].message_zh


def test_differential_ranks_are_team_compensation() -> None:
    data = {"ranks": [{"name": "V1", "rate": "0.05"}, {"name": "V2", "rate": "0.10"}]}
    findings = lint(data)
    assert rules(findings) == {("mlm.team_compensation", E, "ranks")}
    assert "V1, V2" in findings[0].message_en and "V1、V2" in findings[0].message_zh


def test_a_single_paying_rank_is_team_compensation() -> None:
    # The differential walk passes over unranked uplines, so even one rank pays beyond level 1.
    assert rules(lint({"ranks": [{"name": "V1", "rate": "0.05"}]})) == {
        ("mlm.team_compensation", E, "ranks")
    }


@pytest.mark.parametrize("basis", ["order", "differential"])
def test_peer_reward_is_team_compensation(basis: str) -> None:
    data = {
        "peer_basis": basis,
        "ranks": [
            {"name": "V1", "rate": "0.05"},
            {"name": "V2", "rate": "0.1", "peer_rate": "0.01"},
        ],
    }
    found = [f for f in lint(data) if f.key == "ranks[1].peer_rate"]
    assert len(found) == 1
    f = found[0]
    assert (f.rule, f.severity, f.source) == ("mlm.team_compensation", E, sources.ANTI_PYRAMID_7_3)
    assert "平级奖" in f.message_zh
    assert ("order" if basis == "order" else "differential") in f.message_en


def test_paying_rank_earned_by_team_volume_is_team_compensation() -> None:
    data = {"ranks": [{"name": "V1", "rate": "0.05", "rule": {"team_volume": "50000"}}]}
    keys = {f.key for f in only(lint(data), "mlm.team_compensation")}
    assert keys == {"ranks", "ranks[0].rule.team_volume"}


def test_direct_reward_alone_is_no_finding() -> None:
    assert lint({"direct_rate": "0.20"}) == []


# --- 《直销管理条例》第二十四条 30% ---


@pytest.mark.parametrize(
    ("data", "fires"),
    [
        ({"direct_rate": "0.29"}, False),
        ({"direct_rate": "0.30"}, False),
        ({"direct_rate": "0.3001"}, True),
        ({"direct_rate": "0.20", "district_rate": "0.06", "city_rate": "0.03"}, False),
        ({"direct_rate": "0.20", "district_rate": "0.06", "city_rate": "0.05"}, True),
    ],
)
def test_reward_cap(data: dict[str, Any], fires: bool) -> None:
    found = only(lint(data, distribution_share=Decimal("1")), "direct_selling.reward_cap")
    assert bool(found) is fires
    if fires:
        f = found[0]
        assert (f.severity, f.key, f.source) == (E, None, sources.DIRECT_SELLING_24)
        assert "第二十四条" in f.source and "30%" in f.message_en and "30%" in f.message_zh


def test_reward_cap_counts_the_worst_case_with_peers() -> None:
    data = {
        "peer_layers": 2,
        "ranks": [
            {"name": "V1", "rate": "0.10"},
            {"name": "V2", "rate": "0.20", "peer_rate": "0.06"},
        ],
    }
    # 0.20 top rate + 0.06 × 2 peer layers = 32%
    f = one(data, "direct_selling.reward_cap", distribution_share=Decimal("1"))
    assert "32%" in f.message_en and "peer 12%" in f.message_en


def test_dividend_is_not_counted_in_the_cap() -> None:
    assert lint({"direct_rate": "0.30", "dividend_rate": "1"}) == []


def test_over_budget_depends_on_the_distribution_share() -> None:
    data = {"direct_rate": "0.25"}
    assert lint(data) == []
    f = one(data, "plan.over_budget", distribution_share=Decimal("0.20"))
    assert (f.severity, f.source) == (E, sources.DISTRIBUTION_BUDGET)
    assert only(lint(data, distribution_share=Decimal("0.20")), "direct_selling.reward_cap") == []


def test_over_cap_and_over_budget_both_report() -> None:
    assert {f.rule for f in lint({"direct_rate": "0.40"})} == {
        "direct_selling.reward_cap",
        "plan.over_budget",
    }


# --- 非法集资 ---


@pytest.mark.parametrize(
    ("marketing", "rule", "key", "source"),
    [
        (
            {"fixed_return_rate": "0.001"},
            "illegal_fundraising.fixed_return",
            "marketing.fixed_return_rate",
            sources.FUNDRAISING,
        ),
        (
            {"principal_back": True},
            "illegal_fundraising.principal_back",
            "marketing.principal_back",
            sources.FUNDRAISING_PRINCIPAL,
        ),
        (
            {"recharge_pool": True},
            "illegal_fundraising.recharge_pool",
            "marketing.recharge_pool",
            sources.FUNDRAISING,
        ),
    ],
)
def test_fundraising_settings_are_errors(
    marketing: dict[str, Any], rule: str, key: str, source: str
) -> None:
    findings = lint({"marketing": marketing})
    assert rules(findings) == {(rule, E, key)}
    assert findings[0].source == source
    assert "第一百七十六条" in source and "art. 176" in source


def test_fixed_return_message_shows_the_rate_exactly() -> None:
    f = one({"marketing": {"fixed_return_rate": "0.125"}}, "illegal_fundraising.fixed_return")
    assert "12.5%" in f.message_en and "12.5%" in f.message_zh


def test_findings_follow_the_order_of_the_sources() -> None:
    data = {
        "indirect_rate": "0.05",
        "marketing": {"recharge_pool": True, "entry_fee": "1", "recruit_reward": "1"},
    }
    assert [f.rule for f in lint(data)] == [
        "mlm.recruitment_reward",
        "mlm.entry_fee",
        "mlm.team_compensation",
        "illegal_fundraising.recharge_pool",
    ]
    assert has_errors(lint(data))
