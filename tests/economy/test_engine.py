"""The engine against SPEC 1, case by case; properties over random sequences live next door."""

from decimal import Decimal

import pytest

from zengzhi.economy.config import EconomyConfig, Split
from zengzhi.economy.engine import Economy
from zengzhi.economy.errors import InvalidQuantity, Rejected
from zengzhi.economy.events import OrderSettled, PointsSold, PositionExited
from zengzhi.economy.quantity import format_money, format_points, format_price

CNY = 100  # fen
PT = 10_000  # point units


def state(e: Economy) -> tuple[str, str, str]:
    return format_money(e.pool_fen), format_points(e.points_units), format_price(*price(e))


def price(e: Economy) -> tuple[int, int]:
    return e.price_fen, e.price_units


def test_seed_golden_numbers() -> None:
    e = Economy()
    issued = []
    for buyer in ("u1", "u2", "u3"):
        settled = e.order(buyer, 1000 * CNY)[0]
        assert isinstance(settled, OrderSettled)
        issued.append(format_points(settled.points_units))
        e.check_invariants()
    assert issued == ["210.0000", "147.0000", "124.9500"]
    assert state(e) == ("900.00", "481.9500", "1.86741363")
    first = e.positions[1]
    assert first.trigger_price() == Decimal("14.28571429")  # 3000 / 210


def test_order_shares_add_up_to_the_amount() -> None:
    e = Economy()
    settled = e.order("u1", 123_457)[0]  # 1234.57
    assert isinstance(settled, OrderSettled)
    assert settled.contribution_fen == 37_037  # 370.371 → 370.37
    assert settled.distribution_fen == 37_037
    assert settled.platform_fen == 12_346  # 123.457 → 123.46
    total = (
        settled.cost_fen
        + settled.contribution_fen
        + settled.distribution_fen
        + settled.platform_fen
    )
    assert total == 123_457
    assert settled.value_fen == 25_925  # 370.37 × 0.7 = 259.259 → 259.25


def test_contribution_rounds_half_even() -> None:
    e = Economy(EconomyConfig(split=Split.from_mapping({"pool": "0.5", "distribution": "0.2"})))
    settled = e.order("u1", 1)[0]  # 0.005 → 0.00 (half to even)
    assert isinstance(settled, OrderSettled) and settled.contribution_fen == 0
    settled = e.order("u1", 3)[0]  # 0.015 → 0.02
    assert isinstance(settled, OrderSettled) and settled.contribution_fen == 2


def test_seed_sale_example() -> None:
    e = Economy()
    for buyer in ("u1", "u2", "u3"):
        e.order(buyer, 1000 * CNY)
    e.inject(459_000 - e.pool_fen)  # price 4590 / 481.95 = 2000 / 210
    sold = e.sell("u1", 210 * PT)[0]
    assert isinstance(sold, PointsSold)
    assert sold.net_fen == 1600 * CNY
    assert e.pool_fen == 459_000 - 160_000  # 400 of the 2000 stays
    e.check_invariants()


def test_first_buyer_exits_at_three_times() -> None:
    e = Economy()
    for buyer in ("u1", "u2", "u3"):
        e.order(buyer, 1000 * CNY)
    # Lift the price to just below, then to exactly, 3000/210.
    pool_at_trigger = 3000 * CNY * e.points_units // (210 * PT)  # 6885.00 exactly
    assert pool_at_trigger * 210 * PT == 3000 * CNY * e.points_units
    e.inject(pool_at_trigger - e.pool_fen - 1)
    assert e.positions[1].is_open
    events = e.inject(1)
    exits = [ev for ev in events if isinstance(ev, PositionExited)]
    assert [x.position_id for x in exits] == [1]
    assert exits[0].points_units == 210 * PT
    assert exits[0].net_fen == 2400 * CNY  # 3000 × 0.8
    assert e.members["u1"].wallet_fen == 2400 * CNY
    assert e.members["u1"].held_units == 0
    e.check_invariants()


def test_cascade_one_event_several_exits_lowest_trigger_first() -> None:
    e = Economy(EconomyConfig(exit_multiple=Decimal(2)))
    for buyer in ("a", "b", "c", "d"):
        e.order(buyer, 1000 * CNY)
    events = e.inject(1_000_000 * CNY)
    exits = [ev for ev in events if isinstance(ev, PositionExited)]
    assert [x.member for x in exits] == ["a", "b", "c", "d"]
    prices = [x.price_fen * 10**12 // x.price_units for x in exits]
    assert prices == sorted(prices)  # each exit raises the price
    assert e.points_units == 0 and e.open_position_count() == 0
    e.check_invariants()


def test_equal_triggers_exit_oldest_first() -> None:
    e = Economy(EconomyConfig(exit_multiple=Decimal(2), initial_price=Decimal(1)))
    # The first order sets the price; the next two get identical positions at the same price.
    e.order("x", 1000 * CNY)
    e.inject(1)  # nudge
    e.sell("x", 1)
    e.order("a", 50 * CNY, subsidy_fen=25 * CNY)
    e.order("b", 50 * CNY, subsidy_fen=25 * CNY)
    pa, pb = e.positions[2], e.positions[3]
    if pa.trigger_num * pb.trigger_den == pb.trigger_num * pa.trigger_den:
        events = e.inject(10_000_000 * CNY)
        order = [ev.position_id for ev in events if isinstance(ev, PositionExited)]
        assert order.index(2) < order.index(3)


def test_total_return_basis_counts_sales() -> None:
    cfg = EconomyConfig(exit_basis="total_return")
    e = Economy(cfg)
    for buyer in ("u1", "u2", "u3"):
        e.order(buyer, 1000 * CNY)
    p1 = e.positions[1]
    before = p1.trigger_price()
    e.sell("u1", 100 * PT)  # receives cash: the remaining target falls, the trigger moves
    assert p1.net_received_fen > 0
    after = p1.trigger_price()
    assert before is not None and after is not None
    # (3000 − received) / 110 vs 3000 / 210: it changes and is recomputed exactly.
    assert after == Decimal(
        (Decimal(3000) - Decimal(p1.net_received_fen) / 100) / Decimal(110)
    ).quantize(Decimal("0.00000001"))
    e.check_invariants()
    events = e.inject(20_000 * CNY)
    assert any(isinstance(ev, PositionExited) and ev.position_id == 1 for ev in events)
    e.check_invariants()


def test_acquired_basis_trigger_is_fixed_after_a_partial_sale() -> None:
    e = Economy()
    for buyer in ("u1", "u2"):
        e.order(buyer, 1000 * CNY)
    before = e.positions[1].trigger_price()
    e.sell("u1", 100 * PT)
    assert e.positions[1].trigger_price() == before


def test_sell_is_fifo_and_per_position_rounded() -> None:
    e = Economy(EconomyConfig(exit_multiple=Decimal(0)))
    e.order("u1", 333 * CNY)
    e.order("u2", 1000 * CNY)
    e.order("u1", 777 * CNY)
    held = e.members["u1"].held_units
    first, second = e.positions[1], e.positions[3]
    sold = e.sell("u1", first.held_units + 5)[0]
    assert isinstance(sold, PointsSold)
    assert [p.position_id for p in sold.parts] == [1, 3]
    assert sold.parts[0].closed and not sold.parts[1].closed
    pool, points = sold.price_fen, sold.price_units
    for part in sold.parts:
        assert part.net_fen == part.points_units * pool * 4 // (points * 5)
    assert sold.net_fen == sum(p.net_fen for p in sold.parts)
    assert not first.is_open and second.held_units == second.acquired_units - 5
    assert e.members["u1"].held_units == held - sold.points_units
    e.check_invariants()


def test_price_never_falls_through_a_mixed_sequence() -> None:
    e = Economy()
    last = (e.price_fen, e.price_units)
    for i in range(50):
        e.order(f"m{i % 7}", (i + 1) * 997)
        if i % 3 == 0 and e.members[f"m{i % 7}"].held_units:
            e.sell(f"m{i % 7}", e.members[f"m{i % 7}"].held_units // 2 or 1)
        now = (e.price_fen, e.price_units)
        assert now[0] * last[1] >= last[0] * now[1]
        last = now
        e.check_invariants()


def test_tiny_order_at_a_high_price_issues_nothing() -> None:
    e = Economy(EconomyConfig(initial_price=Decimal("1000000")))
    settled = e.order("u1", 1)[0]  # 0.01 → contribution 0.00
    assert isinstance(settled, OrderSettled) and settled.points_units == 0
    assert not e.positions[settled.position_id].is_open
    settled = e.order("u1", 1000)[0]  # 10.00 → value 2.10 at 10^6/pt → 0 points
    assert isinstance(settled, OrderSettled) and settled.points_units == 0
    assert e.pool_fen == 300 and e.points_units == 0
    assert e.orders == 2
    e.check_invariants()


def test_last_price_when_no_points_circulate() -> None:
    e = Economy(EconomyConfig(exit_multiple=Decimal(0)))
    e.order("u1", 1000 * CNY)
    before = (e.pool_fen, e.points_units)
    e.sell("u1", e.members["u1"].held_units)
    assert e.points_units == 0 and e.pool_fen == 6000  # the 20% fee stays
    assert (e.price_fen, e.price_units) == before
    settled = e.order("u2", 1000 * CNY)[0]
    assert isinstance(settled, OrderSettled)
    assert (settled.price_fen, settled.price_units) == before  # issued at the last price
    e.check_invariants()


def test_full_subsidy_position_exits_at_once() -> None:
    e = Economy()
    e.order("u1", 1000 * CNY)
    events = e.order("u2", 1000 * CNY, subsidy_fen=1000 * CNY)
    assert any(isinstance(ev, PositionExited) and ev.member == "u2" for ev in events)
    e.check_invariants()


def test_exits_disabled_with_zero_multiple() -> None:
    e = Economy(EconomyConfig(exit_multiple=Decimal(0)))
    e.order("u1", 1000 * CNY)
    assert e.inject(10**9)[1:] == []


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda e: e.sell("ghost", 1), "unknown_member"),
        (lambda e: e.sell("u1", 210 * PT + 1), "insufficient_points"),
        (lambda e: e.sell("u1", 0), "non_positive"),
        (lambda e: e.sell("u1", -5), "non_positive"),
        (lambda e: e.order("u1", 0), "non_positive"),
        (lambda e: e.order("u1", -100), "non_positive"),
        (lambda e: e.order("u1", 100, subsidy_fen=101), "bad_subsidy"),
        (lambda e: e.order("u1", 100, subsidy_fen=-1), "bad_subsidy"),
        (lambda e: e.inject(0), "non_positive"),
        (lambda e: e.order("u1", Decimal("1.5")), "non_positive"),
    ],
)
def test_rejections_change_nothing(call, code: str) -> None:  # type: ignore[no-untyped-def]
    e = Economy()
    e.order("u1", 1000 * CNY)
    before = e.snapshot()
    with pytest.raises((Rejected, InvalidQuantity)) as err:
        call(e)
    assert err.value.code == code
    assert e.snapshot() == before


def test_zero_point_order_still_moves_the_price() -> None:
    e = Economy(EconomyConfig(initial_price=Decimal("100")))
    e.order("a", 1000 * CNY)
    before = (e.price_fen, e.price_units)
    settled = e.order("a", 3)[0]  # contribution 0.01, value 0.00: no points
    assert isinstance(settled, OrderSettled) and settled.points_units == 0
    assert (e.price_fen, e.price_units) == (e.pool_fen, e.points_units) != before
    e.check_invariants()


def test_product_split_too_small_for_the_plan_is_refused_whole() -> None:
    from zengzhi.distribution.plan import plan_from_mapping
    from zengzhi.economy.errors import InvalidConfig

    e = Economy(plan=plan_from_mapping({"direct_rate": "0.2"}))
    e.order("u1", 1000 * CNY)
    before = e.snapshot()
    narrow = Split.from_mapping({"distribution": "0.1", "pool": "0.5"})
    with pytest.raises(InvalidConfig) as err:
        e.order("u1", 1000 * CNY, split=narrow)
    assert err.value.code == "plan_over_budget"
    assert e.snapshot() == before
    wide = Split.from_mapping({"distribution": "0.25", "pool": "0.35"})
    settled = e.order("u1", 1000 * CNY, split=wide)[0]
    assert isinstance(settled, OrderSettled) and settled.contribution_fen == 35_000


def test_volumes_are_counted_even_when_the_plan_pays_nothing() -> None:
    e = Economy()
    e.join("top")
    e.join("child", sponsor="top")
    e.order("child", 1000 * CNY)
    e.order("top", 500 * CNY)
    assert e.personal_volume_fen("child") == 1000 * CNY
    assert e.team_volume_fen("top") == 1000 * CNY
    assert e.personal_volume_fen("top") == 500 * CNY
    assert e.team_volume_fen("child") == 0
