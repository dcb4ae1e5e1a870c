"""Earned ranks: the periodic evaluation, operator floors, highest rank kept apart."""

from __future__ import annotations

from typing import Any

from dist_helpers import chain, make_plan, settle, snapshot

from zengzhi.distribution import Distribution, RankChange, RewardPayout, evaluate_ranks


def rank(name: str, rate: str, **rule: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "rate": rate}
    if rule:
        out["rule"] = rule
    return out


def order(d: Distribution, member: str, cny: int) -> None:
    d.settle_order(member, cny * 100, cny * 100, 0)


def test_personal_volume_earns_the_highest_rank_whose_rule_holds() -> None:
    d = Distribution(
        make_plan(
            ranks=[
                rank("V1", "0.01", personal_volume="1000"),
                rank("V2", "0.02", personal_volume="5000"),
            ]
        )
    )
    for m in ("a", "b", "c"):
        d.join(m)
    order(d, "a", 999)
    order(d, "b", 1000)
    order(d, "c", 6000)
    assert evaluate_ranks(d) == [RankChange("b", None, "V1"), RankChange("c", None, "V2")]
    assert [d.rank_of(m) for m in "abc"] == [None, "V1", "V2"]
    assert [d.highest_rank_of(m) for m in "abc"] == [None, "V1", "V2"]


def test_team_volume_counts_the_subtree_without_self() -> None:
    d = Distribution(make_plan(ranks=[rank("V1", "0.01", team_volume="300")]))
    chain(d, ["top", "mid", "low"])
    d.join("side", "top")
    order(d, "top", 10_000)  # own volume does not count toward the team
    order(d, "low", 200)
    order(d, "side", 100)
    assert evaluate_ranks(d) == [RankChange("top", None, "V1")]
    assert d.rank_of("mid") is None  # mid's team is only low's 200


def test_direct_referrals() -> None:
    d = Distribution(make_plan(ranks=[rank("V1", "0.01", direct_referrals=2)]))
    d.join("a")
    d.join("b", "a")
    d.join("c", "b")  # a's second-level recruit is not a direct referral
    assert evaluate_ranks(d) == []
    d.join("d", "a")
    assert evaluate_ranks(d) == [RankChange("a", None, "V1")]


def test_qualified_legs_see_ranks_earned_in_the_same_evaluation() -> None:
    d = Distribution(
        make_plan(
            ranks=[
                rank("V1", "0.1", personal_volume="100"),
                rank("V2", "0.2", qualified_legs=2, leg_rank="V1"),
                rank("V3", "0.3", qualified_legs=2, leg_rank="V2"),
            ]
        )
    )
    d.join("boss")
    d.join("L", "boss")
    d.join("R", "boss")
    d.join("L1", "L")
    d.join("L2", "L1")
    d.join("L3", "L1")
    d.join("R1", "R")
    d.join("R2", "R1")
    for m in ("L2", "L3", "R2"):
        order(d, m, 100)
    # L1 has two V1 legs: V2. boss has two legs holding ≥ V1 but only one holding ≥ V2: V2.
    changes = evaluate_ranks(d)
    assert {c.member: c.new for c in changes} == {
        "boss": "V2",  # legs L (holds V2) and R (holds V1) both hold ≥ V1; only one holds ≥ V2
        "L1": "V2",
        "L2": "V1",
        "L3": "V1",
        "R2": "V1",
    }


def test_qualified_legs_without_leg_rank_need_any_rank() -> None:
    d = Distribution(
        make_plan(
            ranks=[rank("V1", "0.01", personal_volume="1"), rank("V2", "0.02", qualified_legs=1)]
        )
    )
    chain(d, ["a", "b", "c"])
    order(d, "c", 1)
    assert {c.member: c.new for c in evaluate_ranks(d)} == {"c": "V1", "b": "V2", "a": "V2"}


def test_rank_without_rule_is_only_assigned() -> None:
    d = Distribution(make_plan(ranks=[rank("V1", "0.01", personal_volume="1"), rank("V2", "0.02")]))
    d.join("a")
    order(d, "a", 1_000_000)
    assert evaluate_ranks(d) == [RankChange("a", None, "V1")]


def test_operator_assignment_is_a_floor() -> None:
    d = Distribution(
        make_plan(
            ranks=[
                rank("V1", "0.01", personal_volume="100"),
                rank("V2", "0.02"),
                rank("V3", "0.03", personal_volume="1000"),
            ]
        )
    )
    for m in ("floor", "above", "cleared"):
        d.join(m)
        d.set_rank(m, "V2")
    order(d, "floor", 100)  # earns V1 < the assigned V2
    order(d, "above", 1000)  # earns V3 > V2
    d.set_rank("cleared", None)
    assert evaluate_ranks(d) == [RankChange("above", "V2", "V3")]
    assert d.rank_of("floor") == "V2" and d.rank_of("cleared") is None
    # next period nothing is earned: the assignment holds, the earned rank lapses
    assert evaluate_ranks(d) == [RankChange("above", "V3", "V2")]
    assert d.highest_rank_of("above") == "V3"
    assert d.highest_rank_of("cleared") == "V2"


def test_paid_rank_lapses_each_period_and_the_highest_stays() -> None:
    d = Distribution(make_plan(ranks=[rank("V1", "0.1", personal_volume="100")]))
    d.join("a")
    d.join("b", "a")
    order(d, "a", 100)
    assert evaluate_ranks(d) == [RankChange("a", None, "V1")]
    assert d.period_volume_fen("a") == 0 and d.personal_volume_fen("a") == 10_000
    assert settle(d, "b", 1_000) == [RewardPayout("a", "differential", 100)]
    assert evaluate_ranks(d) == [RankChange("a", "V1", None)]
    assert (d.rank_of("a"), d.highest_rank_of("a")) == (None, "V1")
    assert settle(d, "b", 1_000) == []


def test_open_period_keeps_accumulating() -> None:
    d = Distribution(make_plan(ranks=[rank("V1", "0.01", personal_volume="100")]))
    d.join("a")
    order(d, "a", 60)
    assert evaluate_ranks(d, close_period=False) == []
    order(d, "a", 40)
    assert evaluate_ranks(d) == [RankChange("a", None, "V1")]


def test_dry_run_changes_nothing() -> None:
    d = Distribution(make_plan(ranks=[rank("V1", "0.01", personal_volume="100")]))
    d.join("a")
    order(d, "a", 100)
    before = snapshot(d)
    assert evaluate_ranks(d, dry_run=True) == [RankChange("a", None, "V1")]
    assert snapshot(d) == before


def test_evaluation_on_a_chain_ten_thousand_deep() -> None:
    d = Distribution(
        make_plan(
            ranks=[
                rank("V1", "0.1", personal_volume="1"),
                rank("V2", "0.2", team_volume="5000", qualified_legs=1, leg_rank="V1"),
            ]
        )
    )
    members = [f"m{i}" for i in range(10_000)]
    chain(d, members)
    for m in members[-10:]:
        order(d, m, 1000)
    changes = {c.member: c.new for c in evaluate_ranks(d)}
    # the bottom 10 earn V1; every upline with ≥ 5 000 below it and a V1 leg earns V2
    assert changes["m9999"] == "V1"
    assert changes["m9994"] == "V2"  # m9994 itself earned V1 but its team volume makes it V2
    assert changes["m0"] == "V2"
    assert [changes[f"m{i}"] for i in range(9993, 10_000)] == ["V2", "V2"] + ["V1"] * 5
    assert len(changes) == 10_000
    assert settle(d, "m9999", 1_000)[0] == RewardPayout("m9998", "differential", 100)
