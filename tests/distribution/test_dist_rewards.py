"""SPEC 2 reward types, alone and combined, to the fen."""

from __future__ import annotations

from decimal import Decimal

import pytest
from dist_helpers import by_kind, chain, make_plan, plan_mapping_full, ranks, settle

from zengzhi.distribution import Distribution, RewardPayout
from zengzhi.distribution.rewards import compile_plan, differential_and_peer


def worked_example() -> Distribution:
    """SPEC 2: buyer → A(V1) → B(V1) → C(V3) → D(V2) → E(V4)."""
    d = Distribution(make_plan(**plan_mapping_full()))
    chain(d, ["E", "D", "C", "B", "A", "buyer"])
    for member, rank in [("A", "V1"), ("B", "V1"), ("C", "V3"), ("D", "V2"), ("E", "V4")]:
        d.set_rank(member, rank)
    return d


def test_spec_worked_example_to_the_cent() -> None:
    d = worked_example()
    result = d.settle_order("buyer", 100_000, 100_000, 10_000)
    assert list(result.payouts) == [
        RewardPayout("A", "direct", 10_000),
        RewardPayout("B", "indirect", 5_000),
        RewardPayout("A", "differential", 10_000),
        RewardPayout("B", "peer", 1_000),
        RewardPayout("C", "differential", 20_000),
        RewardPayout("E", "differential", 10_000),
    ]
    assert result.paid_fen == 56_000
    assert result.unpaid_fen == 100_000 - 56_000
    assert result.dividend_accrual_fen == 0
    assert d.personal_volume_fen("buyer") == 100_000


def test_no_sponsor_pays_nothing_and_all_goes_to_platform() -> None:
    d = Distribution(make_plan(**plan_mapping_full()))
    d.ensure_member("solo")
    d.set_rank("solo", "V4")  # a buyer's own rank earns them nothing on their own order
    result = d.settle_order("solo", 100_000, 30_000, 10_000)
    assert result.payouts == ()
    assert (result.paid_fen, result.unpaid_fen) == (0, 30_000)


def test_direct_alone() -> None:
    d = Distribution(make_plan(direct_rate="0.07"))
    chain(d, ["top", "s", "b"])
    assert settle(d, "b", 12_345) == [RewardPayout("s", "direct", 864)]  # 864.15 rounded down


def test_indirect_alone_and_missing_grand_sponsor() -> None:
    d = Distribution(make_plan(indirect_rate="0.033"))
    chain(d, ["g", "s", "b"])
    assert settle(d, "b", 100_001) == [RewardPayout("g", "indirect", 3300)]  # 3300.033
    assert settle(d, "s", 100_001) == []  # s has a sponsor but no sponsor's sponsor


def test_rewards_round_down_each_on_its_own() -> None:
    d = Distribution(make_plan(direct_rate="0.015", indirect_rate="0.015"))
    chain(d, ["g", "s", "b"])
    # 0.015 × 99 fen = 1.485 fen each: 1 fen each, never 3 fen between them
    assert by_kind(settle(d, "b", 99)) == {("s", "direct"): 1, ("g", "indirect"): 1}
    # an order too small to earn a whole fen pays no zero-fen entries
    assert settle(d, "b", 33) == []


def test_differential_alone_compresses_unranked_uplines() -> None:
    d = Distribution(make_plan(ranks=ranks("0.10", "0.20", "0.30")))
    chain(d, ["top", "u3", "r2", "u2", "u1", "r1", "s", "b"])
    d.set_rank("r1", "V1")
    d.set_rank("r2", "V3")
    d.set_rank("top", "V2")  # lower than what was already paid: passed over
    assert settle(d, "b", 100_000) == [
        RewardPayout("r1", "differential", 10_000),
        RewardPayout("r2", "differential", 20_000),
    ]


def test_lower_rank_passed_over_then_higher_pays_the_difference() -> None:
    d = Distribution(make_plan(ranks=ranks("0.05", "0.12", "0.20")))
    chain(d, ["c", "low", "a", "b"])
    d.set_rank("a", "V2")
    d.set_rank("low", "V1")
    d.set_rank("c", "V3")
    assert by_kind(settle(d, "b", 10_000)) == {
        ("a", "differential"): 1200,
        ("c", "differential"): 800,
    }


def test_rank_with_zero_rate_never_paid() -> None:
    d = Distribution(make_plan(ranks=ranks("0", "0.1")))
    chain(d, ["z", "s", "b"])
    d.set_rank("s", "V1")  # rate 0
    d.set_rank("z", "V1")
    assert settle(d, "b", 10_000) == []
    d.set_rank("z", "V2")
    assert settle(d, "b", 10_000) == [RewardPayout("z", "differential", 1000)]


def peer_plan(layers: int, basis: str = "order") -> Distribution:
    d = Distribution(
        make_plan(
            ranks=[
                {"name": "V1", "rate": "0.10", "peer_rate": "0.02"},
                {"name": "V2", "rate": "0.20", "peer_rate": "0.05"},
            ],
            peer_layers=layers,
            peer_basis=basis,
        )
    )
    chain(d, ["p5", "p4", "q3", "q2", "q1", "p3", "p2", "p1", "s", "b"])
    for m in ("s", "p1", "p2", "p3"):
        d.set_rank(m, "V1")
    for m in ("q1", "q2", "q3"):
        d.set_rank(m, "V2")
    for m in ("p4", "p5"):
        d.set_rank(m, "V1")
    return d


def test_peer_one_layer() -> None:
    d = peer_plan(1)
    assert settle(d, "b", 100_000) == [
        RewardPayout("s", "differential", 10_000),
        RewardPayout("p1", "peer", 2_000),
        RewardPayout("q1", "differential", 10_000),
        RewardPayout("q2", "peer", 5_000),
    ]


def test_peer_two_layers_and_count_restarts_at_a_higher_rank() -> None:
    d = peer_plan(2)
    assert settle(d, "b", 100_000) == [
        RewardPayout("s", "differential", 10_000),
        RewardPayout("p1", "peer", 2_000),
        RewardPayout("p2", "peer", 2_000),
        RewardPayout("q1", "differential", 10_000),
        RewardPayout("q2", "peer", 5_000),
        RewardPayout("q3", "peer", 5_000),
    ]


def test_peer_zero_layers_pays_no_peer() -> None:
    d = peer_plan(0)
    assert by_kind(settle(d, "b", 100_000)) == {
        ("s", "differential"): 10_000,
        ("q1", "differential"): 10_000,
    }


def test_peer_on_differential_basis() -> None:
    d = peer_plan(2, "differential")
    # V1 peers get 2% of s's differential (10 000); V2 peers 5% of q1's differential (10 000)
    assert by_kind(settle(d, "b", 100_000)) == {
        ("s", "differential"): 10_000,
        ("p1", "peer"): 200,
        ("p2", "peer"): 200,
        ("q1", "differential"): 10_000,
        ("q2", "peer"): 500,
        ("q3", "peer"): 500,
    }


def test_peer_differential_basis_uses_the_rounded_differential_paid() -> None:
    d = Distribution(
        make_plan(
            ranks=[{"name": "V1", "rate": "0.10", "peer_rate": "0.5"}], peer_basis="differential"
        )
    )
    chain(d, ["p", "s", "b"])
    d.set_rank("s", "V1")
    d.set_rank("p", "V1")
    # differential = round_down(0.1 × 1 999) = 199; peer = round_down(0.5 × 199) = 99
    assert settle(d, "b", 1_999) == [
        RewardPayout("s", "differential", 199),
        RewardPayout("p", "peer", 99),
    ]


def test_peer_paid_to_the_setter_rank_after_a_lower_rank_passed_over() -> None:
    d = Distribution(make_plan(ranks=ranks("0.1", "0.2", peer="0.01"), peer_layers=1))
    chain(d, ["x", "lo", "hi", "b"])
    d.set_rank("hi", "V2")
    d.set_rank("lo", "V1")
    d.set_rank("x", "V2")
    assert by_kind(settle(d, "b", 10_000)) == {("hi", "differential"): 2000, ("x", "peer"): 100}


class CountingDict(dict):  # type: ignore[type-arg]
    """A member table that counts lookups, to show how far the walk went."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.reads: list[object] = []

    def __getitem__(self, key: object) -> object:
        self.reads.append(key)
        return super().__getitem__(key)

    def get(self, key: object, default: object = None) -> object:
        self.reads.append(key)
        return super().get(key, default)


@pytest.mark.parametrize(
    ("top_peer", "layers", "visited"),
    [("0", 1, {"s", "t"}), ("0.01", 0, {"s", "t"}), ("0.01", 1, {"s", "t", "t2"})],
)
def test_walk_stops_at_the_top_rate(top_peer: str, layers: int, visited: set[str]) -> None:
    d = Distribution(
        make_plan(
            ranks=[
                {"name": "V1", "rate": "0.1"},
                {"name": "V2", "rate": "0.2", "peer_rate": top_peer},
            ],
            peer_layers=layers,
        )
    )
    far = [f"far{i}" for i in range(200)]
    chain(d, [*far, "t2", "t", "s", "b"])
    for m in far[::7]:
        d.set_rank(m, "V2")
    d.set_rank("t2", "V2")
    d.set_rank("t", "V2")
    d.set_rank("s", "V1")
    counting = CountingDict(d._members)
    d._members = counting
    settle(d, "b", 10_000)
    assert set(map(str, counting.reads)) <= {"b", *visited}


def test_walk_skips_unranked_so_a_deep_chain_costs_its_ranked_uplines() -> None:
    d = Distribution(make_plan(ranks=ranks("0.1", "0.2")))
    members = [f"m{i}" for i in range(3000)]
    chain(d, members)
    d.set_rank("m0", "V2")
    d.set_rank("m1500", "V1")
    assert by_kind(settle(d, "m2999", 10_000)) == {
        ("m1500", "differential"): 1000,
        ("m0", "differential"): 1000,
    }
    counting = CountingDict(d._members)
    d._members = counting
    settle(d, "m2999", 10_000)
    # the buyer, then the two ranked uplines through their cached pointers
    assert len(counting.reads) < 10


def test_pure_walk_accepts_unranked_entries() -> None:
    terms = compile_plan(make_plan(**plan_mapping_full()))
    v = terms.by_name
    uplines = [
        ("A", v["V1"]),
        ("x", None),
        ("B", v["V1"]),
        ("C", v["V3"]),
        ("D", v["V2"]),
        ("E", v["V4"]),
    ]
    assert differential_and_peer(terms, 100_000, iter(uplines)) == [
        RewardPayout("A", "differential", 10_000),
        RewardPayout("B", "peer", 1_000),
        RewardPayout("C", "differential", 20_000),
        RewardPayout("E", "differential", 10_000),
    ]


def regional_network() -> Distribution:
    d = Distribution(make_plan(district_rate="0.03", city_rate="0.02", province_rate="0.01"))
    d.join("buyer", None, "44/4419/441900")
    for m in ("d1", "d2", "d3", "c1", "p1", "other"):
        d.join(m)
    d.appoint_agent("d1", "44/4419/441900", "district")
    d.appoint_agent("d2", "44/4419/441900", "district")
    d.appoint_agent("d3", "44/4419/441900", "district")
    d.appoint_agent("c1", "44/4419", "city")
    d.appoint_agent("p1", "44", "province")
    d.appoint_agent("other", "44/4403/440305", "district")
    d.appoint_agent("other", "45", "province")
    return d


def test_regional_agents_split_equally_and_the_remainder_is_not_paid() -> None:
    d = regional_network()
    result = d.settle_order("buyer", 100_000, 30_000, 10_000)
    # district 3 000 / 3 = 1 000 each; city 2 000; province 1 000
    assert list(result.payouts) == [
        RewardPayout("d1", "regional", 1_000),
        RewardPayout("d2", "regional", 1_000),
        RewardPayout("d3", "regional", 1_000),
        RewardPayout("c1", "regional", 2_000),
        RewardPayout("p1", "regional", 1_000),
    ]
    # 0.03 × 1 001 / 3 = 10.01 → 10 each: 30 of the 30.03 fen paid, the rest stays unpaid
    result = d.settle_order("buyer", 1_001, 300, 100)
    assert by_kind(result.payouts) == {
        ("d1", "regional"): 10,
        ("d2", "regional"): 10,
        ("d3", "regional"): 10,
        ("c1", "regional"): 20,
        ("p1", "regional"): 10,
    }
    assert result.unpaid_fen == 300 - 60


def test_regional_needs_the_buyers_region() -> None:
    d = regional_network()
    d.join("nowhere", "buyer")
    assert settle(d, "nowhere", 100_000) == []
    d.ensure_member("walk-in")
    assert settle(d, "walk-in", 100_000) == []


def test_regional_city_and_province_match_by_prefix_parts_not_text() -> None:
    d = Distribution(make_plan(city_rate="0.02", province_rate="0.01"))
    d.join("c", None)
    d.join("p", None)
    d.join("b", None, "4/44/4419")
    d.appoint_agent("c", "44/4419", "city")  # would match a text prefix search, not the parts
    d.appoint_agent("p", "4", "province")
    assert settle(d, "b", 10_000) == [RewardPayout("p", "regional", 100)]


def test_same_agent_appointed_twice_changes_nothing() -> None:
    d = regional_network()
    d.appoint_agent("d1", "44/4419/441900", "district")
    assert d.agents_of("44/4419/441900") == ("d1", "d2", "d3")
    assert by_kind(settle(d, "buyer", 90_000))[("d1", "regional")] == 900


def test_dismissed_agent_no_longer_paid() -> None:
    d = regional_network()
    d.dismiss_agent("d2", "44/4419/441900")
    d.dismiss_agent("d2", "44/4419/441900")
    d.dismiss_agent("c1", "44/4419")
    payouts = by_kind(settle(d, "buyer", 100_000))
    assert payouts == {
        ("d1", "regional"): 1_500,
        ("d3", "regional"): 1_500,
        ("p1", "regional"): 1_000,
    }


def test_an_agent_is_paid_on_their_own_order_in_their_region() -> None:
    d = Distribution(make_plan(district_rate="0.03"))
    d.join("a", None, "1/2/3")
    d.appoint_agent("a", "1/2/3", "district")
    assert settle(d, "a", 100) == [RewardPayout("a", "regional", 3)]


def test_dividend_accrues_from_the_platform_share() -> None:
    d = Distribution(make_plan(dividend_rate="0.15"))
    d.ensure_member("b")
    result = d.settle_order("b", 100_000, 30_000, 10_001)
    assert result.dividend_accrual_fen == 1_500  # 1 500.15 rounded down
    assert d.dividend_pool_fen == 1_500


def test_dividend_run_pays_by_weight_and_the_remainder_stays() -> None:
    d = Distribution(make_plan(dividend_rate="1"))
    for m in ("a", "b", "c"):
        d.join(m)
    d.set_shareholder("a", Decimal("1"))
    d.set_shareholder("b", Decimal("1"))
    d.set_shareholder("c", Decimal("1.5"))
    d.settle_order("a", 1_000, 0, 1_000)
    assert d.dividend_pool_fen == 1_000
    # weights 1 : 1 : 1.5 of 1 000: 285.71…, 285.71…, 428.57… → 285, 285, 428; 2 fen stay
    assert d.run_dividend() == (
        RewardPayout("a", "dividend", 285),
        RewardPayout("b", "dividend", 285),
        RewardPayout("c", "dividend", 428),
    )
    assert d.dividend_pool_fen == 2
    d.settle_order("a", 5, 0, 5)
    assert d.dividend_pool_fen == 7
    # 7 × 2/7 = 2, 2, 3: the remainder carried over is paid in a later run
    assert [p.amount_fen for p in d.run_dividend()] == [2, 2, 3]
    assert d.dividend_pool_fen == 0


def test_dividend_run_with_tiny_pool_pays_nothing_and_keeps_it() -> None:
    d = Distribution(make_plan(dividend_rate="1"))
    for m in ("a", "b", "c"):
        d.join(m)
        d.set_shareholder(m, Decimal(1))
    d.settle_order("a", 2, 0, 2)
    assert d.run_dividend() == ()
    assert d.dividend_pool_fen == 2


def test_dividend_with_no_shareholders_keeps_the_pool() -> None:
    d = Distribution(make_plan(dividend_rate="0.5"))
    d.ensure_member("a")
    d.settle_order("a", 100, 0, 100)
    assert d.run_dividend() == ()
    assert d.dividend_pool_fen == 50


def test_shareholder_weight_replaced_and_removed() -> None:
    d = Distribution(make_plan(dividend_rate="1"))
    for m in ("a", "b"):
        d.join(m)
    d.set_shareholder("a", Decimal(1))
    d.set_shareholder("b", Decimal(1))
    d.set_shareholder("a", Decimal(3))  # replaces, does not add
    assert d.shareholders() == {"a": Decimal(3), "b": Decimal(1)}
    d.settle_order("a", 400, 0, 400)
    assert d.run_dividend() == (
        RewardPayout("a", "dividend", 300),
        RewardPayout("b", "dividend", 100),
    )
    d.set_shareholder("a", Decimal(0))
    assert d.shareholders() == {"b": Decimal(1)}
    d.settle_order("a", 400, 0, 400)
    assert d.run_dividend() == (RewardPayout("b", "dividend", 400),)


def test_all_six_types_combined() -> None:
    d = Distribution(
        make_plan(
            direct_rate="0.05",
            indirect_rate="0.03",
            ranks=ranks("0.02", "0.04", "0.06", "0.08", peer="0.005"),
            peer_layers=1,
            district_rate="0.01",
            city_rate="0.005",
            province_rate="0.005",
            dividend_rate="0.10",
        )
    )
    region = "44/4419/441900"
    chain(d, ["E", "D", "C", "B", "A", "buyer"], region)
    for member, rank in [("A", "V1"), ("B", "V1"), ("C", "V3"), ("D", "V2"), ("E", "V4")]:
        d.set_rank(member, rank)
    d.appoint_agent("D", region, "district")
    d.appoint_agent("C", "44/4419", "city")
    d.appoint_agent("E", "44", "province")
    d.set_shareholder("E", Decimal(1))
    result = d.settle_order("buyer", 100_000, 30_000, 10_000)
    assert list(result.payouts) == [
        RewardPayout("A", "direct", 5_000),
        RewardPayout("B", "indirect", 3_000),
        RewardPayout("A", "differential", 2_000),
        RewardPayout("B", "peer", 500),
        RewardPayout("C", "differential", 4_000),
        RewardPayout("E", "differential", 2_000),
        RewardPayout("D", "regional", 1_000),
        RewardPayout("C", "regional", 500),
        RewardPayout("E", "regional", 500),
    ]
    assert result.paid_fen == 18_500
    assert result.unpaid_fen == 11_500
    assert result.dividend_accrual_fen == 1_000
    assert d.run_dividend() == (RewardPayout("E", "dividend", 1_000),)


def test_order_over_the_plan_budget_is_refused_and_changes_nothing() -> None:
    d = Distribution(make_plan(direct_rate="0.5"))
    chain(d, ["s", "b"])
    with pytest.raises(AssertionError):
        d.settle_order("b", 1_000, 100, 0)
    assert d.personal_volume_fen("b") == 0
