"""The referral network: joins, queries, rejections (each leaving the state unchanged), depth."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from decimal import Decimal

import pytest
from dist_helpers import chain, make_plan, plan_mapping_full, ranks, settle, snapshot

from zengzhi.distribution import Distribution, RewardPayout, evaluate_ranks, region_keys
from zengzhi.economy.errors import InvalidQuantity, Rejected


def network() -> Distribution:
    d = Distribution(make_plan(**plan_mapping_full(), district_rate="0.01", dividend_rate="0.1"))
    d.join("root", None, "44/4419/441900")
    d.join("a", "root", "44/4419/441900")
    d.join("b", "a")
    d.join("c", "a", "11/1101/110101")
    d.join("d", "c")
    d.set_rank("a", "V2")
    d.appoint_agent("root", "44/4419/441900", "district")
    d.set_shareholder("root", Decimal(2))
    d.settle_order("d", 10_000, 6_000, 1_000)
    return d


def test_queries() -> None:
    d = network()
    assert d.has_member("a") and not d.has_member("zz")
    assert len(d) == 5
    assert list(d.members()) == ["root", "a", "b", "c", "d"]
    assert d.sponsor_of("a") == "root" and d.sponsor_of("root") is None
    assert list(d.upline("d")) == ["c", "a", "root"]
    assert list(d.upline("root")) == []
    assert d.direct_team("a") == ("b", "c")
    assert d.direct_team("d") == ()
    assert d.team_size("root") == 4 and d.team_size("a") == 3 and d.team_size("d") == 0
    assert d.team_volume_fen("root") == 10_000 and d.team_volume_fen("d") == 0
    assert d.personal_volume_fen("d") == 10_000
    assert d.region_of("c") == "11/1101/110101" and d.region_of("b") is None
    assert d.rank_of("a") == "V2" and d.rank_of("b") is None
    assert d.highest_rank_of("a") == "V2" and d.assigned_rank_of("a") == "V2"
    assert d.agents_of("44/4419/441900") == ("root",)
    assert d.shareholders() == {"root": Decimal(2)}
    assert d.dividend_pool_fen == 100


def test_region_keys() -> None:
    assert region_keys("44/4419/441900") == ("44/4419/441900", "44/4419", "44")


def test_ensure_member_creates_a_root_once() -> None:
    d = network()
    d.ensure_member("new")
    assert d.sponsor_of("new") is None and d.region_of("new") is None
    before = snapshot(d)
    d.ensure_member("a")
    assert snapshot(d) == before


REJECTIONS: list[tuple[str, Callable[[Distribution], object]]] = [
    ("member_exists", lambda d: d.join("a", "root")),
    ("member_exists", lambda d: d.join("root")),
    ("unknown_sponsor", lambda d: d.join("x", "nobody")),
    ("unknown_sponsor", lambda d: d.join("x", "x")),
    ("bad_region", lambda d: d.join("x", "a", "44/4419")),
    ("bad_region", lambda d: d.join("x", "a", "44//441900")),
    ("bad_region", lambda d: d.join("x", "a", "44/4419/441900/1")),
    ("bad_region", lambda d: d.join("x", "a", "")),
    ("bad_region", lambda d: d.join("x", "a", " 44/4419/441900")),
    ("unknown_member", lambda d: d.set_rank("zz", "V1")),
    ("unknown_rank", lambda d: d.set_rank("a", "V9")),
    ("unknown_member", lambda d: d.appoint_agent("zz", "44", "province")),
    ("bad_region", lambda d: d.appoint_agent("b", "44/4419", "district")),
    ("bad_region", lambda d: d.appoint_agent("b", "44/4419/441900", "city")),
    ("bad_region", lambda d: d.appoint_agent("b", "44/4419", "province")),
    ("bad_region", lambda d: d.appoint_agent("b", "", "province")),
    ("bad_level", lambda d: d.appoint_agent("b", "44", "country")),
    ("unknown_member", lambda d: d.dismiss_agent("zz", "44")),
    ("unknown_member", lambda d: d.set_shareholder("zz", Decimal(1))),
    ("bad_weight", lambda d: d.set_shareholder("b", Decimal(-1))),
    ("bad_weight", lambda d: d.set_shareholder("b", Decimal("NaN"))),
    ("bad_weight", lambda d: d.set_shareholder("b", Decimal("Infinity"))),
    ("unknown_member", lambda d: d.settle_order("zz", 100, 30, 10)),
    ("unknown_member", lambda d: d.sponsor_of("zz")),
    ("unknown_member", lambda d: list(d.upline("zz"))),
    ("unknown_member", lambda d: d.direct_team("zz")),
    ("unknown_member", lambda d: d.team_size("zz")),
    ("unknown_member", lambda d: d.team_volume_fen("zz")),
    ("unknown_member", lambda d: d.region_of("zz")),
    ("unknown_member", lambda d: d.rank_of("zz")),
]


@pytest.mark.parametrize(("code", "request_"), REJECTIONS)
def test_rejections_change_nothing(code: str, request_: Callable[[Distribution], object]) -> None:
    d = network()
    before = snapshot(d)
    with pytest.raises(Rejected) as info:
        request_(d)
    assert info.value.code == code
    assert snapshot(d) == before
    # the state still works the same afterwards
    assert settle(d, "d", 10_000) == settle(network(), "d", 10_000)


@pytest.mark.parametrize(
    "args", [(-1, 0, 0), (100, -1, 0), (100, 0, -1), (Decimal(100), 0, 0), (True, 0, 0)]
)
def test_settle_order_refuses_amounts_that_are_not_fen(args: tuple[object, ...]) -> None:
    d = network()
    before = snapshot(d)
    with pytest.raises(InvalidQuantity):
        d.settle_order("d", *args)  # type: ignore[arg-type]
    assert snapshot(d) == before


def test_set_rank_none_clears_and_the_highest_is_kept() -> None:
    d = network()
    d.set_rank("b", "V3")
    d.set_rank("b", "V1")
    assert (d.rank_of("b"), d.highest_rank_of("b")) == ("V1", "V3")
    d.set_rank("b", None)
    assert (d.rank_of("b"), d.assigned_rank_of("b"), d.highest_rank_of("b")) == (None, None, "V3")


def test_rank_changes_take_effect_on_the_next_order() -> None:
    d = Distribution(make_plan(ranks=ranks("0.1", "0.2")))
    chain(d, ["t", "m", "s", "b"])
    assert settle(d, "b", 1_000) == []
    d.set_rank("t", "V1")
    assert settle(d, "b", 1_000) == [RewardPayout("t", "differential", 100)]
    d.set_rank("m", "V2")
    assert settle(d, "b", 1_000) == [RewardPayout("m", "differential", 200)]
    d.set_rank("m", None)
    assert settle(d, "b", 1_000) == [RewardPayout("t", "differential", 100)]


def test_changing_the_plan_recompiles_and_drops_missing_ranks_from_pay() -> None:
    d = Distribution(make_plan(ranks=ranks("0.1", "0.2")))
    chain(d, ["t", "s", "b"])
    d.set_rank("s", "V1")
    d.set_rank("t", "V2")
    assert len(settle(d, "b", 1_000)) == 2
    d.plan = make_plan(ranks=ranks("0.15", names=["V2"]))
    assert d.rank_of("s") == "V1"  # the name is kept, but the plan no longer pays it
    assert settle(d, "b", 1_000) == [RewardPayout("t", "differential", 150)]
    d.plan = make_plan(direct_rate="0.01")
    assert settle(d, "b", 1_000) == [RewardPayout("s", "direct", 10)]


DEPTH = 10_000


def test_a_chain_ten_thousand_deep() -> None:
    d = Distribution(make_plan(**plan_mapping_full(), district_rate="0.01"))
    members = [f"m{i}" for i in range(DEPTH)]
    chain(d, members, "1/2/3")
    d.set_rank("m0", "V4")
    d.set_rank("m5000", "V1")
    d.appoint_agent("m0", "1/2/3", "district")
    bottom = members[-1]
    result = d.settle_order(bottom, 100_000, 60_000, 10_000)
    assert list(result.payouts) == [
        RewardPayout(members[-2], "direct", 10_000),
        RewardPayout(members[-3], "indirect", 5_000),
        RewardPayout("m5000", "differential", 10_000),
        RewardPayout("m0", "differential", 30_000),
        RewardPayout("m0", "regional", 1_000),
    ]
    assert sum(1 for _ in d.upline(bottom)) == DEPTH - 1
    assert d.team_size("m0") == DEPTH - 1
    assert d.team_volume_fen("m0") == 100_000
    # a rank change invalidates the cached pointers; the next walk recomputes them, iteratively
    d.set_rank("m9000", "V2")
    walked = d.settle_order(bottom, 100, 60, 10).payouts[2:]
    assert [(p.member, p.kind) for p in walked] == [
        ("m9000", "differential"),  # V2 nearer than m5000's V1, which is now passed over
        ("m0", "differential"),
        ("m0", "regional"),
    ]
    d.set_rank("m5000", None)
    d.set_rank("m9000", None)
    changes = evaluate_ranks(d)
    assert changes == [] or all(c.new is None for c in changes)
    # flat records: copying and pickling a deep chain does not recurse
    clone = copy.deepcopy(d)
    assert clone.settle_order(bottom, 100, 60, 10) == d.settle_order(bottom, 100, 60, 10)
    assert pickle.loads(pickle.dumps(d)).team_size("m0") == DEPTH - 1
