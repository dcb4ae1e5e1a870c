"""Black-box conformance tests for `zengzhi replay`, derived from SPEC sections 1, 2 and 6 alone.

Every expectation is computed here with exact `Fraction` arithmetic that follows the SPEC's
rounding rules (round_down / round_half_even at the stated quantum); nothing from the engine is
imported. `zengzhi replay` runs as a subprocess and its stdout JSON, exit status and stderr are
checked.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest

_BIN = Path(sys.executable).parent / "zengzhi"
CMD = [str(_BIN)] if _BIN.exists() else [shutil.which("zengzhi") or "zengzhi"]

KINDS = ("direct", "indirect", "differential", "peer", "regional", "dividend")
REGION = "44/4419/441900"

Op = dict[str, Any]


# --- exact arithmetic, as SPEC 1.1 states it ---------------------------------------------------


def rd(x: F, places: int) -> F:
    """round_down to 10**-places (every quantity rounded down here is >= 0)."""
    scale = 10**places
    return F(math.floor(x * scale), scale)


def rhe(x: F, places: int) -> F:
    """round_half_even to 10**-places (Fraction.__round__ rounds half to even)."""
    scale = 10**places
    return F(round(x * scale), scale)


def fmt(x: F, places: int) -> str:
    n = round(x * 10**places)
    whole, frac = divmod(abs(n), 10**places)
    return f"{'-' if n < 0 else ''}{whole}.{frac:0{places}d}"


def m2(x: F) -> str:
    assert x == rd(x, 2), x
    return fmt(x, 2)


def p4(x: F) -> str:
    assert x == rd(x, 4), x
    return fmt(x, 4)


def px(x: F) -> str:
    return fmt(x, 8)


def sale(pool: F, points: F, held: F, fee: str | F) -> F:
    """net of selling `held` points at pool/points with `fee` (SPEC 1.3 sell / 1.4 exit)."""
    return rd(held * pool / points * (1 - F(fee)), 2)


# --- operations and the black box ---------------------------------------------------------------


def order(member: str, amount: str, subsidy: str | None = None) -> Op:
    o: Op = {"op": "order", "member": member, "amount": amount}
    if subsidy is not None:
        o["subsidy"] = subsidy
    return o


def sell(member: str, points: str) -> Op:
    return {"op": "sell", "member": member, "points": points}


def inject(amount: str) -> Op:
    return {"op": "inject", "amount": amount}


def join(member: str, sponsor: str | None = None, region: str = REGION) -> Op:
    o: Op = {"op": "join", "member": member, "region": region}
    if sponsor is not None:
        o["sponsor"] = sponsor
    return o


def rank(member: str, name: str) -> Op:
    return {"op": "rank", "member": member, "rank": name}


def agent(member: str, region: str, level: str) -> Op:
    return {"op": "agent", "member": member, "region": region, "level": level}


def shareholder(member: str, weight: str) -> Op:
    return {"op": "shareholder", "member": member, "weight": weight}


def config(**kw: Any) -> Op:
    return {"op": "config", **kw}


Proc = subprocess.CompletedProcess[str]
_RUNS: dict[str, Proc] = {}  # one process per distinct input; runs are deterministic (SPEC 1.5)


def _spawn(text: str) -> Proc:
    return subprocess.run(
        [*CMD, "replay", "-"], input=text, capture_output=True, text=True, timeout=60
    )


def run_texts(texts: list[str]) -> list[Proc]:
    """Run each distinct input once, several at a time (the CLI's start-up dominates)."""
    missing = [t for t in dict.fromkeys(texts) if t not in _RUNS]
    if len(missing) > 1:
        with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as ex:
            _RUNS.update(zip(missing, ex.map(_spawn, missing), strict=True))
    else:
        _RUNS.update((t, _spawn(t)) for t in missing)
    return [_RUNS[t] for t in texts]


def run_text(text: str) -> Proc:
    return run_texts([text])[0]


def text_of(ops: list[Op]) -> str:
    return "".join(json.dumps(o) + "\n" for o in ops)


def replay_many(*scenarios: list[Op]) -> list[dict[str, Any]]:
    outs = []
    for proc in run_texts([text_of(ops) for ops in scenarios]):
        assert proc.returncode == 0, proc.stderr
        outs.append(json.loads(proc.stdout))
    return outs


def replay(*ops: Op) -> dict[str, Any]:
    return replay_many(list(ops))[0]


def state(out: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in out.items() if k != "rejected"}


def member(points: str = "0.0000", wallet: str = "0.00", **rewards: str) -> dict[str, Any]:
    r = dict.fromkeys(KINDS, "0.00")
    r.update(rewards)
    return {"points": points, "wallet": wallet, "rewards": r}


def exit_rec(position: int, who: str, points: str, price: str, net: str) -> dict[str, Any]:
    return {"position": position, "member": who, "points": points, "price": price, "net": net}


def golden() -> list[Op]:
    return [order("u1", "1000.00"), order("u2", "1000.00"), order("u3", "1000.00")]


# --- SPEC 1: the economy ------------------------------------------------------------------------


def test_spec_1_6_golden_numbers() -> None:
    out = replay(*golden())
    pool, points, price, issued = F(0), F(0), F(1), []
    for _ in range(3):
        contribution = rhe(F(1000) * F("0.30"), 2)
        value = rd(contribution * F("0.70"), 2)
        q = rd(value / price, 4)  # at the price before this order
        pool, points = pool + contribution, points + q
        price = pool / points
        issued.append(p4(q))
    assert issued == ["210.0000", "147.0000", "124.9500"]
    assert (out["pool"], out["points"], out["price"]) == (m2(pool), p4(points), px(price))
    assert (out["pool"], out["points"], out["price"]) == ("900.00", "481.9500", "1.86741363")
    assert out["orders"] == 3
    assert out["members"] == {
        "u1": member("210.0000"),
        "u2": member("147.0000"),
        "u3": member("124.9500"),
    }
    assert out["exits"] == [] and out["rejected"] == []
    # No plan: each order's distribution share (300) and platform share (100) are the platform's.
    assert (out["platform"], out["dividend_pool"]) == ("1200.00", "0.00")


def test_replay_reads_a_file_as_well_as_stdin(tmp_path: Path) -> None:
    path = tmp_path / "ops.jsonl"
    path.write_text(text_of(golden()))
    proc = subprocess.run([*CMD, "replay", str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == replay(*golden())


def test_empty_replay_and_empty_config_show_the_initial_price() -> None:
    out, empty_cfg, priced = replay_many([], [config()], [config(economy={"initial_price": "2.5"})])
    assert (out["pool"], out["points"], out["price"], out["orders"]) == (
        "0.00",
        "0.0000",
        "1.00000000",
        0,
    )
    assert out["members"] == {} and out["exits"] == [] and out["rejected"] == []
    assert (out["platform"], out["dividend_pool"]) == ("0.00", "0.00")
    assert empty_cfg == out  # every key of config is optional
    assert priced["price"] == "2.50000000"


def test_seed_sale_example_and_last_price_when_all_points_are_sold() -> None:
    # One holder with points worth exactly 2000 sells them all: 1600 paid, 400 stays in the pool.
    amount = F("6666.67")
    contribution = rhe(amount * F("0.30"), 2)  # 2000.00
    q = rd(rd(contribution * F("0.70"), 2) / 1, 4)  # 1400.0000
    price = contribution / q  # 10/7: 1400 points are worth 2000
    assert q * price == 2000
    net = sale(contribution, q, q, "0.20")
    assert net == 1600
    ops = [order("u1", "6666.67"), sell("u1", "1400.0000")]
    out, nxt = replay_many(ops, [*ops, order("u2", "1000.00")])
    assert out["members"]["u1"] == member("0.0000", "1600.00")
    assert (out["pool"], out["points"]) == ("400.00", "0.0000")
    # No points circulate: the price is the last price.
    assert out["price"] == px(price) == "1.42857143"
    assert out["exits"] == []
    # The next order is issued at the last price.
    q2 = rd(F("210.00") / price, 4)
    assert nxt["members"]["u2"]["points"] == p4(q2) == "147.0000"
    assert (nxt["pool"], nxt["points"]) == ("700.00", "147.0000")
    assert nxt["price"] == px(F(700) / q2)


def test_an_injection_before_any_order_keeps_the_initial_price() -> None:
    out = replay(inject("100.00"), order("u1", "1000.00"))
    assert out["members"]["u1"]["points"] == "210.0000"  # 210 / initial_price 1
    assert (out["pool"], out["price"]) == ("400.00", px(F(400, 210)))


def test_first_buyer_exits_exactly_at_the_3x_trigger() -> None:
    # Trigger reached when multiple * spend * points <= pool * acquired: 3000 * 481.95 <= pool * 210
    needed = F(3000) * F("481.95") / 210
    assert needed == 6885  # inject 5985.00 onto 900.00
    below, out = replay_many([*golden(), inject("5984.99")], [*golden(), inject("5985.00")])
    assert below["exits"] == [] and below["pool"] == "6884.99"
    pool, points = F(6885), F("481.95")
    net = sale(pool, points, F(210), "0.20")
    assert net == F("2400.00")
    assert out["exits"] == [exit_rec(1, "u1", "210.0000", px(pool / points), m2(net))]
    assert out["exits"][0]["price"] == "14.28571429"
    assert out["members"]["u1"] == member("0.0000", "2400.00")
    assert (out["pool"], out["points"]) == (m2(pool - net), p4(points - 210))
    assert out["price"] == px((pool - net) / (points - 210))


def test_trigger_is_exact_not_rounded_to_8_places() -> None:
    # spend 9523809.53, acquired 2000000: trigger 28571428.59 / 2000000 = 14.285714295 exactly
    base = [order("u1", "9523809.53")]
    below, out = replay_many([*base, inject("25714285.72")], [*base, inject("25714285.73")])
    assert below["exits"] == [] and below["price"] == "14.28571429"
    pool, points = F("28571428.59"), F(2000000)
    assert 3 * F("9523809.53") * points == pool * points  # the trigger, to the fen
    net = sale(pool, points, points, "0.20")
    assert out["exits"] == [exit_rec(1, "u1", "2000000.0000", "14.28571430", m2(net))]
    assert (out["pool"], out["price"]) == (m2(pool - net), "14.28571430")


def test_sell_pays_net_and_the_fee_stays_in_the_pool() -> None:
    out = replay(*golden(), sell("u1", "100.0000"))
    pool, points = F(900), F("481.95")
    net = sale(pool, points, F(100), "0.20")
    assert net == F("149.39")
    assert out["members"]["u1"] == member("110.0000", "149.39")
    assert (out["pool"], out["points"]) == ("750.61", "381.9500")
    assert out["price"] == px((pool - net) / (points - 100))
    assert (pool - net) / (points - 100) > pool / points  # the fee raised the price
    assert out["exits"] == []


def test_sell_spanning_positions_is_fifo_with_per_position_rounding() -> None:
    ops = [order("u1", "1000.00"), order("u1", "1000.00"), sell("u1", "300.0000")]
    pool, points = F(600), F(357)  # positions 1 (210) and 2 (147)
    part1 = sale(pool, points, F(210), "0.20")  # 282.352... -> 282.35
    part2 = sale(pool, points, F(90), "0.20")  # 121.008... -> 121.00
    net = part1 + part2
    assert net == F("403.35") and sale(pool, points, F(300), "0.20") == F("403.36")
    pool, points = pool - net, points - 300
    # FIFO: position 1 is closed, position 2 holds 57. Price 15 would exit position 1 (trigger
    # 3000/210) if it still held points; only position 2 (trigger 3000/147) can exit.
    at15 = [*ops, inject(m2(57 * F(15) - pool))]
    out, mid, end = replay_many(ops, at15, [*at15, inject("308.27")])
    assert out["members"]["u1"] == member("57.0000", m2(net))
    assert (out["pool"], out["points"]) == (m2(pool), "57.0000")
    assert mid["exits"] == [] and mid["price"] == "15.00000000"
    pool = F("1163.27")
    assert F(3000) * 57 <= pool * 147 and F(3000) * 57 > (pool - F("0.01")) * 147
    net2 = sale(pool, F(57), F(57), "0.20")
    assert end["exits"] == [exit_rec(2, "u1", "57.0000", px(pool / 57), m2(net2))]
    assert end["members"]["u1"]["wallet"] == m2(net + net2)
    assert (end["pool"], end["points"]) == (m2(pool - net2), "0.0000")
    assert end["price"] == px(pool / 57)  # last price


def test_exit_cascade_orders_by_lowest_trigger_then_oldest() -> None:
    # P1 spend 1000 / 210 and P2 spend 700 / 147 tie at 100/7; P3 spend 400 / 124.95 is lowest.
    ops = [
        order("u1", "1000.00"),
        order("u2", "1000.00", "300.00"),
        order("u3", "1000.00", "600.00"),
        inject("5985.00"),
    ]
    out, nxt = replay_many(ops, [*ops, order("u4", "1000.00")])
    pool, points = F(6885), F("481.95")
    assert F(3 * 1000, 210) == F(3 * 700, 147) == pool / points
    recs = []
    last = pool / points
    for pos, who, held in ((3, "u3", F("124.95")), (1, "u1", F(210)), (2, "u2", F(147))):
        net = sale(pool, points, held, "0.20")
        recs.append(exit_rec(pos, who, p4(held), px(pool / points), m2(net)))
        last = pool / points
        pool, points = pool - net, points - held
    assert [r["net"] for r in recs] == ["1428.00", "2568.00", "2311.20"]
    assert out["exits"] == recs
    assert (out["pool"], out["points"]) == (m2(pool), "0.0000") == ("577.80", "0.0000")
    assert out["price"] == px(last) == "19.65306122"
    for who, rec in zip(("u3", "u1", "u2"), recs, strict=True):
        assert out["members"][who] == member("0.0000", rec["net"])
    # The next order is issued at the last price.
    q = rd(F("210.00") / last, 4)
    assert nxt["members"]["u4"]["points"] == p4(q) == "10.6853"
    assert (nxt["pool"], nxt["points"]) == (m2(pool + 300), p4(q))


def test_exit_in_the_cascade_of_an_order() -> None:
    # spend 100.01: trigger 300.03/210, just above the price 300/210 after the order itself.
    first = [order("u1", "1000.00", "899.99")]
    alone, out = replay_many(first, [*first, order("u2", "1000.00")])
    assert alone["exits"] == []
    pool, points = F(600), F(357)
    net = sale(pool, points, F(210), "0.20")
    assert out["exits"] == [exit_rec(1, "u1", "210.0000", px(pool / points), m2(net))]
    assert out["members"]["u2"] == member("147.0000")
    assert (out["pool"], out["points"]) == (m2(pool - net), "147.0000")


def test_exit_in_the_cascade_of_a_sell() -> None:
    # P2 (u1, spend 82.36, 147 points): trigger 247.08/147 = 1.68082, price 600/357 = 1.68067.
    ops = [order("u2", "1000.00"), order("u1", "1000.00", "917.64")]
    before, out = replay_many(ops, [*ops, sell("u2", "100.0000")])
    assert before["exits"] == [] and before["members"]["u1"]["points"] == "147.0000"
    net = sale(F(600), F(357), F(100), "0.20")  # u2's fee raises the price past P2's trigger
    pool, points = F(600) - net, F(257)
    assert 3 * F("82.36") * points <= pool * 147
    net2 = sale(pool, points, F(147), "0.20")
    assert out["exits"] == [exit_rec(2, "u1", "147.0000", px(pool / points), m2(net2))]
    assert out["members"]["u1"] == member("0.0000", m2(net2))
    assert out["members"]["u2"] == member("110.0000", m2(net))
    assert (out["pool"], out["points"]) == (m2(pool - net2), "110.0000")


def test_a_position_emptied_by_a_sale_never_exits() -> None:
    ops = [order("u1", "1000.00"), order("u2", "1000.00"), sell("u1", "210.0000")]
    out = replay(*ops, inject("100000.00"))
    assert [e["position"] for e in out["exits"]] == [2]
    assert out["members"]["u1"]["wallet"] == m2(sale(F(600), F(357), F(210), "0.20"))


def _basis_run(basis: str) -> tuple[dict[str, Any], list[dict[str, Any]], F, F]:
    ops = [*golden(), sell("u1", "100.0000"), inject("7100.00")]
    out = replay(config(economy={"exit_basis": basis}), *ops)
    return out, out["exits"], F("7850.61"), F("381.95")


def test_exit_basis_acquired_keeps_the_trigger_after_a_partial_sell() -> None:
    out, exits, pool, points = _basis_run("acquired")
    # acquired triggers: P1 3000/210 = 14.29 (fixed), P2 3000/147 = 20.41, P3 3000/124.95 = 24.01
    expected = []
    for pos, who, held, acquired in (
        (1, "u1", F(110), F(210)),
        (2, "u2", F(147), F(147)),
        (3, "u3", F("124.95"), F("124.95")),
    ):
        assert 3 * F(1000) * points <= pool * acquired  # reached
        net = sale(pool, points, held, "0.20")
        expected.append(exit_rec(pos, who, p4(held), px(pool / points), m2(net)))
        pool, points = pool - net, points - held
    assert exits == expected
    assert (out["pool"], out["points"]) == (m2(pool), "0.0000")


def test_exit_basis_total_return_trigger_moves_after_a_partial_sell() -> None:
    out, exits, pool, points = _basis_run("total_return")
    received = F("149.39")  # u1's sale of 100 from P1, which holds 110 now
    # total_return triggers: P2 20.41, P3 24.01, P1 (3000 - 149.39) / 110 = 25.91
    assert pool / points >= F(3000, 147)
    net2 = sale(pool, points, F(147), "0.20")
    expected = [exit_rec(2, "u2", "147.0000", px(pool / points), m2(net2))]
    pool, points = pool - net2, points - 147
    assert pool / points < F(3000) / F("124.95")  # P3 not reached, P1 neither
    assert pool / points < (3000 - received) / 110
    assert exits == expected
    assert out["members"]["u1"] == member("110.0000", "149.39")
    assert (out["pool"], out["points"]) == (m2(pool), p4(points))


def test_total_return_exit_boundary_counts_net_received() -> None:
    cfg = config(economy={"exit_basis": "total_return"})
    ops = [cfg, order("u1", "1000.00"), order("u2", "1000.00"), sell("u1", "10.0000")]
    received = sale(F(600), F(357), F(10), "0.20")
    assert received == F("13.44")
    pool, points = F(600) - received, F(347)
    # P1 exits when 13.44 + 200 * price >= 3000, i.e. pool >= 2986.56 * 347 / 200 = 5181.6816
    at_acquired, below, out = replay_many(
        [*ops, inject(m2(F("4957.15") - pool))],
        [*ops, inject(m2(F("5181.68") - pool))],
        [*ops, inject(m2(F("5181.69") - pool))],
    )
    assert at_acquired["exits"] == []  # the acquired basis would exit P1 here (trigger 3000/210)
    assert below["exits"] == []
    pool = F("5181.69")
    net1 = sale(pool, points, F(200), "0.20")
    expected = [exit_rec(1, "u1", "200.0000", px(pool / points), m2(net1))]
    pool, points = pool - net1, points - 200
    assert pool / points < F(3000, 147)  # P2 not reached after it
    assert out["exits"] == expected
    assert out["members"]["u1"]["wallet"] == m2(received + net1)
    assert (out["pool"], out["points"]) == (m2(pool), "147.0000")


def test_total_return_counts_each_positions_own_part_of_a_fifo_sale() -> None:
    cfg = config(economy={"exit_basis": "total_return"})
    ops = [cfg, order("u1", "1000.00"), order("u1", "1000.00"), sell("u1", "300.0000")]
    pool = F(600) - F("403.35")  # parts 282.35 (P1, now closed) + 121.00 (P2, holds 57)
    # P2 exits when 121.00 + 57 * price >= 3000, i.e. pool >= 2879.00 (57 points circulate)
    below, out = replay_many(
        [*ops, inject(m2(F("2878.99") - pool))], [*ops, inject(m2(F("2879.00") - pool))]
    )
    assert below["exits"] == []
    net = sale(F(2879), F(57), F(57), "0.20")
    assert out["exits"] == [exit_rec(2, "u1", "57.0000", px(F(2879, 57)), m2(net))]


def test_exit_fee_differs_from_sell_fee() -> None:
    cfg = config(economy={"exit_fee": "0.5"})
    ops = [order("u1", "1000.00"), order("u2", "1000.00"), sell("u1", "10.0000")]
    received = sale(F(600), F(357), F(10), "0.20")  # the sale still pays sell_fee 0.20
    pool, points = F(600) - received, F(347)
    out = replay(cfg, *ops, inject(m2(F("4957.15") - pool)))
    pool = F("4957.15")
    assert 3 * F(1000) * points <= pool * 210 and 3 * F(1000) * points > (pool - F("0.01")) * 210
    net1 = sale(pool, points, F(200), "0.5")
    expected = [exit_rec(1, "u1", "200.0000", px(pool / points), m2(net1))]
    pool, points = pool - net1, points - 200
    assert 3 * F(1000) * points <= pool * 147
    net2 = sale(pool, points, F(147), "0.5")
    expected.append(exit_rec(2, "u2", "147.0000", px(pool / points), m2(net2)))
    assert [r["net"] for r in expected] == ["1428.57", "1764.29"]
    assert out["exits"] == expected
    assert out["members"]["u1"]["wallet"] == m2(received + net1)
    assert (out["pool"], out["points"]) == (m2(pool - net2), "0.0000")


def test_full_subsidy_exits_at_once_and_exit_fee_defaults_to_sell_fee() -> None:
    # spend = 0: the trigger 3 * 0 * points <= pool * acquired holds at any price.
    full = order("u1", "1000.00", "1000.00")
    out, half, tr = replay_many(
        [full],
        [config(economy={"sell_fee": "0.5"}), full],
        [config(economy={"exit_basis": "total_return"}), full],
    )
    pool, points = F(300), F(210)
    net = sale(pool, points, points, "0.20")
    assert out["exits"] == [exit_rec(1, "u1", "210.0000", px(pool / points), m2(net))]
    assert (out["pool"], out["points"], out["price"]) == ("60.00", "0.0000", "1.42857143")
    assert out["members"]["u1"] == member("0.0000", "240.00")
    assert tr["exits"] == out["exits"]  # 0 + 210 * price >= 3 * 0 on the total_return basis
    # exit_fee defaults to sell_fee, also when sell_fee is configured.
    assert half["exits"][0]["net"] == m2(sale(pool, points, points, "0.5")) == "150.00"


def test_subsidy_lowers_spend_only() -> None:
    sub = order("u1", "1000.00", "500.00")
    plain, subsidised, below, out, unsub = replay_many(
        [order("u1", "1000.00")],
        [sub],
        [sub, inject("1199.99")],
        [sub, inject("1200.00")],
        [order("u1", "1000.00"), inject("1200.00")],
    )
    assert subsidised == plain  # pool, points, platform, members: the subsidy changes none
    # spend 500: trigger 1500/210, reached when pool reaches 1500 (inject 1200).
    assert below["exits"] == [] and unsub["exits"] == []
    net = sale(F(1500), F(210), F(210), "0.20")
    assert out["exits"] == [exit_rec(1, "u1", "210.0000", px(F(1500, 210)), m2(net))]


def test_exit_multiple_two_and_zero() -> None:
    two = config(economy={"exit_multiple": "2"})
    off = config(economy={"exit_multiple": "0"})
    below, out, none = replay_many(
        [two, order("u1", "1000.00"), inject("1699.99")],
        [two, order("u1", "1000.00"), inject("1700.00")],
        [off, order("u1", "1000.00", "1000.00"), order("u2", "1000.00"), inject("1000000.00")],
    )
    assert below["exits"] == []
    assert out["exits"] == [exit_rec(1, "u1", "210.0000", px(F(2000, 210)), "1600.00")]
    # 0 disables exits, even for a position with spend 0 and at any price.
    assert none["exits"] == []
    assert (none["pool"], none["points"]) == ("1000600.00", "357.0000")


def test_tiny_order_issuing_zero_points() -> None:
    off = config(economy={"exit_multiple": "0"})
    ops = [off, order("u1", "1000.00"), sell("u1", "209.9999")]
    net = sale(F(300), F(210), F("209.9999"), "0.20")
    assert net == F("239.99")
    pool, points = F(300) - net, F("0.0001")
    assert pool / points == 600100
    out = replay(*ops, order("u2", "1.00"))
    contribution = rhe(F(1) * F("0.30"), 2)
    q = rd(rd(contribution * F("0.70"), 2) / (pool / points), 4)
    assert q == 0
    assert out["orders"] == 2
    assert out["members"]["u2"] == member("0.0000")
    assert (out["pool"], out["points"]) == (m2(pool + contribution), "0.0001")
    assert out["price"] == px((pool + contribution) / points) == "603100.00000000"


def test_zero_point_position_never_exits_and_price_stays_last() -> None:
    # u1 sells all but 0.0001: price 600100 reaches P1's trigger, the rest exits.
    ops = [order("u1", "1000.00"), sell("u1", "209.9999")]
    pool, points = F("60.01"), F("0.0001")
    net = sale(pool, points, points, "0.20")
    assert net == F("48.00")
    first = exit_rec(1, "u1", "0.0001", "600100.00000000", "48.00")
    # A fully subsidised tiny order: spend 0 and 0 points, closed at once, never exits.
    out, later = replay_many(ops, [*ops, order("u2", "1.00", "1.00"), inject("1000.00")])
    assert out["exits"] == [first]
    assert (out["pool"], out["points"], out["price"]) == ("12.01", "0.0000", "600100.00000000")
    assert later["exits"] == [first]
    assert later["orders"] == 2 and later["members"]["u2"] == member("0.0000")
    assert (later["pool"], later["points"]) == ("1012.31", "0.0000")
    assert later["price"] == "600100.00000000"


def test_inject_raises_the_pool_only() -> None:
    out = replay(*golden(), inject("5000.00"))
    assert (out["pool"], out["points"]) == ("5900.00", "481.9500")
    assert out["price"] == px(F(5900) / F("481.95"))
    assert out["exits"] == [] and out["platform"] == "1200.00"
    assert out["orders"] == 3


def test_shares_round_half_even() -> None:
    a, b = replay_many([order("u1", "0.15")], [order("u1", "0.05")])
    # 0.15: pool 0.045 -> 0.04, distribution 0.045 -> 0.04, platform 0.015 -> 0.02
    contribution = rhe(F("0.15") * F("0.30"), 2)
    assert contribution == F("0.04")
    q = rd(rd(contribution * F("0.70"), 2), 4)
    assert (a["pool"], a["points"], a["price"]) == ("0.04", p4(q), "2.00000000")
    assert a["platform"] == m2(rhe(F("0.015"), 2) + rhe(F("0.045"), 2)) == "0.06"
    # 0.05: pool 0.015 -> 0.02, distribution 0.02, platform 0.005 -> 0.00
    assert (b["pool"], b["points"], b["platform"]) == ("0.02", "0.0100", "0.02")


def test_config_split_pool_override_cost_is_the_remainder() -> None:
    full = {"cost": "0.40", "distribution": "0.20", "platform": "0.10", "pool": "0.30"}
    out, whole = replay_many(
        [config(split={"pool": "0.25"}), order("u1", "1000.00")],
        [config(split=full), order("u1", "1000.00")],
    )
    assert (out["pool"], out["points"]) == ("250.00", "175.0000")
    assert out["platform"] == "400.00"
    assert (whole["pool"], whole["points"], whole["platform"]) == ("300.00", "210.0000", "300.00")


def test_config_economy_overrides() -> None:
    a, b = replay_many(
        [config(economy={"initial_price": "2", "point_ratio": "0.5"}), order("u", "1000")],
        [config(economy={"sell_fee": "0.1"}), *golden(), sell("u1", "100.0000")],
    )
    assert (a["pool"], a["points"]) == ("300.00", "75.0000")
    assert b["members"]["u1"]["wallet"] == m2(sale(F(900), F("481.95"), F(100), "0.1"))


# --- output formatting --------------------------------------------------------------------------


def test_price_is_rounded_half_even_to_8_places() -> None:
    base = [order("u1", "9523809.53")]  # pool 2857142.86, points 2000000.0000
    out, odd, even = replay_many(base, [*base, inject("0.01")], [*base, inject("0.03")])
    assert (out["pool"], out["points"], out["price"]) == (
        "2857142.86",
        "2000000.0000",
        "1.42857143",
    )
    # 1.428571435 -> ...44 (3 is odd, rounds up); 1.428571445 -> ...44 (4 is even, stays)
    assert odd["price"] == "1.42857144"
    assert even["price"] == "1.42857144"


def test_amounts_points_and_prices_have_their_quantum() -> None:
    money = re.compile(r"^\d+\.\d{2}$")
    points = re.compile(r"^\d+\.\d{4}$")
    price = re.compile(r"^\d+\.\d{8}$")
    out = replay(*_worked_example(), *golden(), sell("u1", "1"), inject("60000"))
    assert out["exits"]
    assert money.match(out["pool"]) and points.match(out["points"])
    assert price.match(out["price"]) and isinstance(out["orders"], int)
    assert money.match(out["platform"]) and money.match(out["dividend_pool"])
    for m in out["members"].values():
        assert points.match(m["points"]) and money.match(m["wallet"])
        assert set(m["rewards"]) == set(KINDS)
        assert all(money.match(v) for v in m["rewards"].values())
    for e in out["exits"]:
        assert isinstance(e["position"], int) and isinstance(e["member"], str)
        assert points.match(e["points"]) and price.match(e["price"])
        assert money.match(e["net"])


# --- SPEC 2: distribution rewards ---------------------------------------------------------------


def ranks(*spec: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"name": n, "rate": r, "peer_rate": p} for n, r, p in spec]


def chain(ranked: list[tuple[str, str | None]], buyer: str = "X") -> list[Op]:
    """Joins from the top of the chain down to the buyer; `ranked` lists the uplines top first."""
    ops: list[Op] = []
    above: str | None = None
    for name, r in ranked:
        ops.append(join(name, above))
        if r is not None:
            ops.append(rank(name, r))
        above = name
    ops.append(join(buyer, above))
    return ops


def _worked_example() -> list[Op]:
    plan = {
        "direct_rate": "0.10",
        "indirect_rate": "0.05",
        "ranks": ranks(
            ("V1", "0.10", "0.01"),
            ("V2", "0.20", "0.01"),
            ("V3", "0.30", "0.01"),
            ("V4", "0.40", "0.01"),
        ),
        "peer_layers": 1,
        "peer_basis": "order",
    }
    # worst case 0.10 + 0.05 + 0.40 + 4 * 0.01 = 0.59 <= distribution 0.60
    split = {"cost": "0.05", "distribution": "0.60", "platform": "0.05", "pool": "0.30"}
    return [
        config(plan=plan, split=split),
        *chain([("E", "V4"), ("D", "V2"), ("C", "V3"), ("B", "V1"), ("A", "V1")]),
        order("X", "1000.00"),
    ]


def test_spec_2_worked_example() -> None:
    out = replay(*_worked_example())
    mem = out["members"]
    assert mem["A"] == member(wallet="200.00", direct="100.00", differential="100.00")
    assert mem["B"] == member(wallet="60.00", indirect="50.00", peer="10.00")
    assert mem["C"] == member(wallet="200.00", differential="200.00")
    assert mem["D"] == member()
    assert mem["E"] == member(wallet="100.00", differential="100.00")
    assert mem["X"] == member("210.0000")
    # platform share 50 + distribution 600 - 560 paid
    assert out["platform"] == "90.00" and out["pool"] == "300.00"


def test_direct_reward_alone() -> None:
    cfg = config(plan={"direct_rate": "0.10"})
    out = replay(cfg, join("s"), join("b", "s"), order("b", "333.33"), order("n", "333.33"))
    direct = rd(F("0.10") * F("333.33"), 2)  # 33.33
    assert out["members"]["s"] == member(wallet=m2(direct), direct=m2(direct))
    share_platform, share_dist = rhe(F("33.333"), 2), rhe(F("99.999"), 2)
    assert out["platform"] == m2(2 * (share_platform + share_dist) - direct) == "233.33"


def test_indirect_reward_alone() -> None:
    cfg = config(plan={"indirect_rate": "0.05"})
    ops = [cfg, join("g"), join("s", "g"), join("b", "s"), join("b2", "g")]
    out = replay(*ops, order("b", "1000.00"), order("b2", "1000.00"))
    assert out["members"]["g"] == member(wallet="50.00", indirect="50.00")
    assert out["members"]["s"] == member()
    assert out["platform"] == "750.00"


def test_differential_reward_alone() -> None:
    plan = {
        "ranks": ranks(("V1", "0.10", "0"), ("V2", "0.20", "0"), ("V3", "0.30", "0")),
        "peer_basis": "order",
    }
    ops = chain([("D", "V3"), ("C", "V2"), ("B", "V3"), ("A", "V1")])
    out = replay(config(plan=plan), *ops, order("X", "333.33"))
    a = rd(F("0.10") * F("333.33"), 2)
    b = rd((F("0.30") - F("0.10")) * F("333.33"), 2)
    mem = out["members"]
    assert (
        mem["A"]
        == member(wallet=m2(a), differential=m2(a))
        == member("0.0000", "33.33", differential="33.33")
    )
    assert mem["B"] == member(wallet=m2(b), differential=m2(b))
    assert mem["C"] == member() and mem["D"] == member()  # lower rank; equal with peer_rate 0
    assert out["platform"] == m2(F("33.33") + F("100.00") - a - b) == "33.34"


def test_peer_on_differential_basis() -> None:
    plan = {
        "ranks": ranks(("V1", "0.10", "0.25"), ("V2", "0.20", "0.25")),
        "peer_layers": 1,
        "peer_basis": "differential",
    }
    # worst case 0.20 + 0.25 * 0.10 + 0.25 * 0.20 = 0.275 <= 0.30
    ops = chain([("E", "V2"), ("D", "V2"), ("C", "V2"), ("B", "V1"), ("A", "V1")])
    out = replay(config(plan=plan), *ops, order("X", "1000.00"))
    mem = out["members"]
    assert mem["A"] == member(wallet="100.00", differential="100.00")
    assert mem["B"] == member(wallet="25.00", peer="25.00")  # 0.25 * A's 100
    assert mem["C"] == member(wallet="100.00", differential="100.00")
    assert mem["D"] == member(wallet="25.00", peer="25.00")  # 0.25 * C's 100, not 200
    assert mem["E"] == member()
    assert out["platform"] == "150.00"


def test_peer_on_differential_basis_uses_the_differential_paid() -> None:
    plan = {"ranks": ranks(("V1", "0.10", "0.90")), "peer_basis": "differential"}
    ops = chain([("B", "V1"), ("A", "V1")])
    out = replay(config(plan=plan), *ops, order("X", "333.39"))
    paid = rd(F("0.10") * F("333.39"), 2)  # 33.339 -> 33.33
    peer = rd(F("0.90") * paid, 2)  # 29.997 -> 29.99 (the unrounded 33.339 would give 30.00)
    assert out["members"]["A"] == member(wallet=m2(paid), differential="33.33")
    assert out["members"]["B"] == member(wallet=m2(peer), peer="29.99")


def test_peer_on_order_basis_two_layers() -> None:
    plan = {
        "ranks": ranks(("V1", "0.05", "0.01"), ("V2", "0.10", "0.02")),
        "peer_layers": 2,
        "peer_basis": "order",
    }
    top_down = [
        ("I", "V2"),
        ("H", "V2"),
        ("G", "V2"),
        ("E", "V2"),
        ("F", "V1"),
        ("D", "V1"),
        ("C", None),
        ("B", "V1"),
        ("A", "V1"),
    ]
    out = replay(config(plan=plan), *chain(top_down), order("X", "1000.00"))
    mem = out["members"]
    assert mem["A"] == member(wallet="50.00", differential="50.00")
    assert mem["B"] == member(wallet="10.00", peer="10.00")
    assert mem["C"] == member()  # unranked: passed over, uses no layer
    assert mem["D"] == member(wallet="10.00", peer="10.00")
    assert mem["F"] == member()  # V1's two layers are used up
    assert mem["E"] == member(wallet="50.00", differential="50.00")
    assert mem["G"] == member(wallet="20.00", peer="20.00")  # count restarted
    assert mem["H"] == member(wallet="20.00", peer="20.00")
    assert mem["I"] == member()
    assert out["platform"] == "240.00"


def test_unranked_and_lower_ranked_uplines_are_compressed() -> None:
    plan = {"ranks": ranks(("V1", "0.05", "0.01"), ("V2", "0.10", "0.02")), "peer_basis": "order"}
    # peer_layers defaults to 1. The buyer's own rank V2 does not count: the walk starts above.
    top_down = [("F", "V2"), ("E", "V2"), ("D", None), ("C", "V1"), ("B", "V2"), ("A", None)]
    ops = [*chain(top_down), rank("X", "V2"), order("X", "1000.00")]
    out = replay(config(plan=plan), *ops)
    mem = out["members"]
    assert mem["A"] == member()
    assert mem["B"] == member(wallet="100.00", differential="100.00")
    assert mem["C"] == member() and mem["D"] == member()
    assert mem["E"] == member(wallet="20.00", peer="20.00")
    assert mem["F"] == member()
    assert mem["X"] == member("210.0000")
    assert out["platform"] == "280.00"


def test_regional_agents_split_round_down() -> None:
    plan = {"district_rate": "0.01", "city_rate": "0.02", "province_rate": "0.01"}
    names = ["g1", "g2", "g3", "c1", "p1", "p2", "x1", "x2"]
    ops: list[Op] = [config(plan=plan), *(join(n, region="45/4501/450101") for n in names)]
    ops += [agent(g, REGION, "district") for g in ("g1", "g2", "g3")]
    ops += [
        agent("c1", "44/4419", "city"),
        agent("p1", "44", "province"),
        agent("p1", "44", "province"),  # twice: changes nothing
        agent("p2", "44", "province"),
        agent("x1", "44/4419/441901", "district"),
        agent("x2", "45", "province"),
        join("b"),
        order("b", "1000.00"),
        order("nowhere", "1000.00"),  # no join: no region, no agent
    ]
    out = replay(*ops)
    district = rd(F("0.01") * 1000 / 3, 2)
    province = rd(F("0.01") * 1000 / 2, 2)
    mem = out["members"]
    for g in ("g1", "g2", "g3"):
        assert (
            mem[g]
            == member(wallet=m2(district), regional=m2(district))
            == member(wallet="3.33", regional="3.33")
        )
    assert mem["c1"] == member(wallet="20.00", regional="20.00")
    assert mem["p1"] == mem["p2"] == member(wallet=m2(province), regional="5.00")
    assert mem["x1"] == member() and mem["x2"] == member()
    paid = 3 * district + 20 + 2 * province
    assert out["platform"] == m2(2 * F(400) - paid) == "760.01"


def test_dividend_runs_remainder_and_weight_replacement() -> None:
    ops = [
        config(plan={"dividend_rate": "0.10"}),
        join("u1"),
        join("u2"),
        join("u3"),
        shareholder("u1", "1"),
        shareholder("u2", "1"),
        shareholder("u3", "1"),
        order("b", "1000.00"),
        {"op": "dividend"},
        order("b", "1000.00"),
        shareholder("u1", "2"),  # replaces 1
        {"op": "dividend"},
    ]
    out = replay(*ops)
    accrual = rd(F(100) * F("0.10"), 2)
    first = rd(accrual / 3, 2)
    pool = accrual - 3 * first + accrual
    assert pool == F("10.01")
    u1, u23 = rd(pool * 2 / 4, 2), rd(pool * 1 / 4, 2)
    remainder = pool - u1 - 2 * u23
    mem = out["members"]
    assert mem["u1"] == member(wallet=m2(first + u1), dividend=m2(first + u1))
    assert mem["u1"]["wallet"] == "8.33"
    for u in ("u2", "u3"):
        assert mem[u] == member(wallet=m2(first + u23), dividend="5.83")
    assert out["dividend_pool"] == m2(remainder) == "0.01"
    assert out["platform"] == m2(2 * (F(100) - accrual) + 2 * F(300)) == "780.00"


def test_dividend_accrual_rounds_down_and_platform_formula() -> None:
    ops = [config(plan={"dividend_rate": "0.10", "direct_rate": "0.10"}), join("s")]
    ops += [join("b", "s"), order("b", "333.33")]
    out, run = replay_many(ops, [*ops, {"op": "dividend"}])
    share = rhe(F("333.33") * F("0.10"), 2)  # 33.33
    accrual = rd(share * F("0.10"), 2)  # 3.33
    dist = rhe(F("333.33") * F("0.30"), 2)  # 100.00
    direct = rd(F("333.33") * F("0.10"), 2)  # 33.33
    assert out["dividend_pool"] == m2(accrual) == "3.33"
    assert out["platform"] == m2(share - accrual + dist - direct) == "96.67"
    # A run with no shareholders pays nothing and keeps the pool.
    assert state(run) == state(out)


# --- SPEC 6: rejections -------------------------------------------------------------------------

REJ_PLAN = {
    "direct_rate": "0.10",
    "indirect_rate": "0.05",
    "ranks": ranks(("V1", "0.10", "0")),
    "district_rate": "0.01",
    "city_rate": "0.01",
    "province_rate": "0.01",
    "dividend_rate": "0.10",
}
REJ_BASE: list[Op] = [
    config(plan=REJ_PLAN),
    join("s"),
    join("b", "s"),
    order("b", "1000.00"),
    order("b", "1000.00"),  # b holds 210 + 147
]
REJ_TAIL: list[Op] = [
    sell("b", "100.0000"),
    rank("s", "V1"),
    agent("s", REGION, "district"),
    shareholder("s", "1"),
    order("b", "500.00"),
    {"op": "dividend"},
    join("late", "b"),
    order("late", "100.00"),
]


REJECTIONS: list[tuple[Op, str]] = [
    (sell("ghost", "1.0000"), "unknown_member"),
    (sell("b", "357.0001"), "insufficient_points"),
    (sell("s", "0.0001"), "insufficient_points"),
    (join("b", None, "45/4501/450101"), "member_exists"),
    (join("s", "b"), "member_exists"),
    (join("n", "ghost"), "unknown_sponsor"),
    (join("n", "n"), "unknown_sponsor"),
    (rank("s", "V9"), "unknown_rank"),
    (rank("ghost", "V1"), "unknown_member"),
    (agent("s", "44/4419", "district"), "bad_region"),
    (agent("s", REGION, "city"), "bad_region"),
    (agent("s", "44/4419", "province"), "bad_region"),
    (agent("ghost", "44", "province"), "unknown_member"),
    (shareholder("ghost", "1"), "unknown_member"),
]


@pytest.fixture(scope="module")
def rejection_runs() -> None:
    """Start every rejection scenario (and the clean one) at once."""
    replay_many([*REJ_BASE, *REJ_TAIL], *([*REJ_BASE, bad, *REJ_TAIL] for bad, _ in REJECTIONS))


@pytest.mark.parametrize(("bad", "code"), REJECTIONS)
@pytest.mark.usefixtures("rejection_runs")
def test_rejection_is_listed_and_changes_nothing(bad: Op, code: str) -> None:
    out, clean = replay_many([*REJ_BASE, bad, *REJ_TAIL], [*REJ_BASE, *REJ_TAIL])
    assert out["rejected"] == [{"line": len(REJ_BASE) + 1, "code": code}]
    assert clean["rejected"] == []
    assert state(out) == state(clean)


def test_rejections_keep_their_line_numbers_and_replay_goes_on() -> None:
    ops = [*REJ_BASE, sell("b", "400"), *REJ_TAIL[:2], rank("s", "V7"), *REJ_TAIL[2:]]
    ops += [join("late", "s")]
    out = replay(*ops)
    assert out["rejected"] == [
        {"line": 6, "code": "insufficient_points"},
        {"line": 9, "code": "unknown_rank"},
        {"line": len(ops), "code": "member_exists"},
    ]
    assert state(out) == state(replay(*REJ_BASE, *REJ_TAIL))


def test_join_with_a_malformed_region_is_bad_region() -> None:
    out = replay(join("a", region="44/4419"), order("a", "10"))
    assert out["rejected"] == [{"line": 1, "code": "bad_region"}]


# --- SPEC 6: malformed input --------------------------------------------------------------------

PRE = [json.dumps(order("u1", "1000.00")), json.dumps(sell("u1", "1.0000"))]


def _bad(line: str | Op, *, first: bool = False) -> tuple[list[str], int]:
    text = line if isinstance(line, str) else json.dumps(line)
    return ([text, *PRE] if first else [*PRE, text]), (1 if first else 3)


def _cfg(**kw: Any) -> tuple[list[str], int]:
    return _bad(config(**kw), first=True)


MALFORMED: dict[str, tuple[list[str], int]] = {
    "bad json": _bad('{"op": "order", "member": "u1", "amount": "1.00"'),
    "not an object": _bad("[1, 2]"),
    "unknown op": _bad({"op": "refund", "member": "u1"}),
    "missing op": _bad({"member": "u1", "amount": "1.00"}),
    "order no member": _bad({"op": "order", "amount": "1.00"}),
    "order no amount": _bad({"op": "order", "member": "u1"}),
    "sell no points": _bad({"op": "sell", "member": "u1"}),
    "inject no amount": _bad({"op": "inject"}),
    "join no member": _bad({"op": "join", "region": REGION}),
    "rank no rank": _bad({"op": "rank", "member": "u1"}),
    "agent no level": _bad({"op": "agent", "member": "u1", "region": "44"}),
    "shareholder no weight": _bad({"op": "shareholder", "member": "u1"}),
    "amount zero": _bad(order("u1", "0")),
    "amount negative": _bad(order("u1", "-5.00")),
    "amount non-numeric": _bad(order("u1", "abc")),
    "amount empty": _bad(order("u1", "")),
    "amount NaN": _bad(order("u1", "NaN")),
    "amount Infinity": _bad(order("u1", "Infinity")),
    "amount finer than fen": _bad(order("u1", "1.001")),
    "inject zero": _bad(inject("0.00")),
    "inject negative": _bad(inject("-1.00")),
    "inject finer than fen": _bad(inject("1.005")),
    "sell zero": _bad(sell("u1", "0")),
    "sell negative": _bad(sell("u1", "-1.0000")),
    "sell non-numeric": _bad(sell("u1", "x")),
    "sell finer than quantum": _bad(sell("u1", "1.00001")),
    "subsidy above amount": _bad(order("u1", "100.00", "100.01")),
    "subsidy negative": _bad(order("u1", "100.00", "-1.00")),
    "subsidy finer than fen": _bad(order("u1", "100.00", "0.001")),
    "config not first": _bad(config(economy={"exit_multiple": "2"})),
    "config split over 1": _cfg(split={"cost": "0.40", "pool": "0.30"}),
    "config split under 1": _cfg(
        split={"cost": "0.20", "distribution": "0.30", "platform": "0.10", "pool": "0.30"}
    ),
    "config split remainder negative": _cfg(split={"pool": "0.70"}),
    "config bad exit_basis": _cfg(economy={"exit_basis": "whenever"}),
    "config negative multiple": _cfg(economy={"exit_multiple": "-1"}),
    "config sell_fee above 1": _cfg(economy={"sell_fee": "1.5"}),
    "config point_ratio above 1": _cfg(economy={"point_ratio": "1.5"}),
    "config ranks not increasing": _cfg(
        plan={"ranks": ranks(("V1", "0.10", "0"), ("V2", "0.10", "0"))}
    ),
    "config bad peer_basis": _cfg(plan={"peer_basis": "sometimes"}),
    "config negative rate": _cfg(plan={"direct_rate": "-0.01"}),
    "plan over budget": _cfg(plan={"direct_rate": "0.20", "indirect_rate": "0.11"}),
    "plan over budget regional": _cfg(
        plan={"direct_rate": "0.25", "district_rate": "0.03", "city_rate": "0.03"}
    ),
    "plan over budget peer layers": _cfg(
        plan={
            "ranks": ranks(("V1", "0.10", "0.05"), ("V2", "0.20", "0.05")),
            "peer_layers": 1,
            "peer_basis": "order",
            "direct_rate": "0.01",
        }
    ),
    "plan over budget default layers": _cfg(
        plan={
            "ranks": ranks(("V1", "0.10", "0.05"), ("V2", "0.20", "0.05")),
            "peer_basis": "order",
            "direct_rate": "0.01",
        }
    ),
    "plan over budget order basis": _cfg(
        plan={
            "ranks": ranks(("V1", "0.10", "0.25"), ("V2", "0.20", "0.25")),
            "peer_layers": 1,
            "peer_basis": "order",
        }
    ),
    "plan over a smaller split": _cfg(
        split={"cost": "0.50", "distribution": "0.10", "platform": "0.10", "pool": "0.30"},
        plan={"direct_rate": "0.10", "indirect_rate": "0.01"},
    ),
}


def _malformed_text(case: str) -> str:
    lines, _ = MALFORMED[case]
    return "\n".join([*lines, json.dumps(order("u9", "1.00"))]) + "\n"


@pytest.fixture(scope="module")
def malformed_runs() -> None:
    """Start every malformed scenario at once (with those of the exactness section below)."""
    extra = [text_of([order("u1", "1000.00"), bad]) for bad in [*LONG_VALUES, *ODD_NUMBERS]]
    run_texts([*(_malformed_text(case) for case in MALFORMED), *extra])


@pytest.mark.parametrize("case", list(MALFORMED))
@pytest.mark.usefixtures("malformed_runs")
def test_malformed_line_stops_replay(case: str) -> None:
    number = MALFORMED[case][1]
    proc = run_text(_malformed_text(case))
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stdout == ""
    assert re.search(rf"line\W{{0,3}}{number}\b", proc.stderr, re.IGNORECASE), proc.stderr


WITHIN_BUDGET: list[dict[str, Any]] = [
    {"direct_rate": "0.20", "indirect_rate": "0.10"},
    {
        "direct_rate": "0.24",
        "district_rate": "0.02",
        "city_rate": "0.02",
        "province_rate": "0.02",
    },
    {
        "ranks": ranks(("V1", "0.10", "0.25"), ("V2", "0.20", "0.25")),
        "peer_layers": 1,
        "peer_basis": "differential",
    },
    {
        "ranks": ranks(("V1", "0.10", "0.025"), ("V2", "0.20", "0.025")),
        "peer_layers": 2,
        "peer_basis": "order",
    },
]


def test_plans_within_budget_are_accepted() -> None:
    outs = replay_many(*([config(plan=plan), order("u1", "1000.00")] for plan in WITHIN_BUDGET))
    assert all(out["pool"] == "300.00" and out["rejected"] == [] for out in outs)


# --- exactness of amounts and points at their quantum (SPEC 1.1, SPEC 6) -------------------------

# A long fraction must not round to a whole number of fen / point units (Python's Decimal
# context has 28 digits): the quantum check is done on exact integers.
LONG_VALUES: list[Op] = [
    order("u1", "1000.000000000000000000000000001"),
    sell("u1", "100.00000000000000000000000001"),
    inject("12345678901234567890123456.785"),
]


@pytest.mark.parametrize("bad", LONG_VALUES, ids=["amount", "points", "inject"])
@pytest.mark.usefixtures("malformed_runs")
def test_a_long_value_finer_than_its_quantum_is_malformed(bad: Op) -> None:
    proc = run_text(text_of([order("u1", "1000.00"), bad]))
    assert proc.returncode == 2 and proc.stdout == ""
    assert re.search(r"line\W{0,3}2\b", proc.stderr, re.IGNORECASE), proc.stderr


def test_a_large_amount_stays_exact() -> None:
    big = "9999999999999.99"  # just under the 10-trillion-CNY ceiling of one operation
    assert replay(inject(big))["pool"] == big


def test_an_amount_above_the_ceiling_is_malformed() -> None:
    proc = run_text(text_of([inject("10000000000000.01")]))
    assert proc.returncode == 2 and proc.stdout == "" and "line 1" in proc.stderr


# Python's Decimal also reads "1_000" and full-width digits; neither is a decimal string that
# another tool reading the same file would take for a number (SPEC 6: non-numeric is malformed).
ODD_NUMBERS: list[Op] = [
    order("u1", "1_000.00"),
    order("u1", "\uff11\uff10.00"),
    sell("u1", "1_0.0000"),
]


@pytest.mark.parametrize("bad", ODD_NUMBERS, ids=["underscore", "fullwidth", "points-underscore"])
@pytest.mark.usefixtures("malformed_runs")
def test_non_ascii_or_underscored_numbers_are_malformed(bad: Op) -> None:
    proc = run_text(text_of([order("u1", "1000.00"), bad]))
    assert proc.returncode == 2 and proc.stdout == ""
