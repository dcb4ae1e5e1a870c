"""The seed economy written for radCAD, the comparison point of ``benchmarks/sim.py``.

This file is the same model as ``benchmarks/sim.py``'s zengzhi sweep, written the way a radCAD
user would write it, and imports nothing from zengzhi: it runs in its own environment, because
radCAD 0.14.0 requires numpy < 1.26.4 and zengzhi numpy ≥ 2.2 (see ``requirements/bench.txt``).

    build/venv-bench/bin/python benchmarks/radcad_model.py --runs 2 --days 20 --json out.json

The model (SPEC 1.3 and 1.4 with the seed's defaults, integer fen and 0.0001-point units):
- state variables: ``members`` (count), ``order_book`` (today's orders), ``pool_fen``,
  ``points_units``, ``price`` (the exact ratio (fen, units), the last one when no points
  circulate), ``positions`` (one dict per order), ``exit_queue`` (a heap of open positions by
  trigger price, so that the cascade does not scan every position), ``wallets`` (what each
  member received from exits) and ``exits`` (a counter);
- each timestep is a day of three partial state update blocks: new members join (a Poisson
  count), orders arrive (a Poisson count of fixed-size orders from uniformly drawn members), and
  the orders settle one after another, each followed by the exit cascade at 3× on the acquired
  basis. Settling is the mechanism: the policy computes it from the day's order book and returns
  the new pool, points, price, the opened and exited positions and the payouts as signals; one
  state update function per variable applies them (as cadCAD bonding-curve models do: the
  policy prices the trades on the curve, the state updates apply the results).

radCAD settings: ``Engine(backend=Backend.SINGLE_PROCESS, deepcopy=...)``, everything else at
its default: ``deepcopy=True`` (radCAD's default: every policy and state update function gets a
pickled copy of the state), substeps kept. The benchmark measures both ``deepcopy=True`` and
``deepcopy=False``; the functions never mutate their inputs, so both give the same results.
``SINGLE_PROCESS`` rather than the default pathos pool: on a 2-core machine radCAD's default pool
has ``cpu_count() - 1 = 1`` worker, which only adds the cost of shipping results between
processes; one process is radCAD's best case per core.

Randomness: each policy draws from a generator seeded by (seed, run, timestep, block), so a run
is reproducible with any backend (no global random state, which radCAD's process pools would not
carry into their workers).
"""

from __future__ import annotations

import argparse
import heapq
import json
import platform
import sys
import time
from fractions import Fraction
from typing import Any

import numpy as np
import radcad
from radcad import Backend, Engine, Experiment, Model, Simulation

# ------------------------------------------------------------------------------ parameters
# The seed's defaults (SPEC 1.2), as exact integer fractions.
POOL_SHARE = (3, 10)  # split.pool = 0.30
POINT_RATIO = (7, 10)  # point_ratio = 0.70
EXIT_KEEP = (4, 5)  # 1 − exit_fee (= sell_fee = 0.20)
INITIAL_PRICE = (100, 10_000)  # 1.00 CNY per point = 100 fen per 10,000 units
KEY_SHIFT = 128  # heap keys floor(trigger × 2^128): exact order for denominators < 2^64


def default_params(
    seed: int = 1,
    orders_per_day: float = 100.0,
    amount_fen: int = 100_000,
    new_members_per_day: float = 10.0,
    exit_multiple: tuple[int, int] = (3, 1),
) -> dict[str, list[Any]]:
    # radCAD parameters are lists (one entry per sweep subset); this model has one subset.
    return {
        "seed": [seed],
        "orders_per_day": [orders_per_day],
        "amount_fen": [amount_fen],
        "new_members_per_day": [new_members_per_day],
        "exit_multiple": [exit_multiple],  # (num, den); the seed's is 3, on the acquired basis
    }


def initial_state(initial_members: int = 100) -> dict[str, Any]:
    return {
        "members": initial_members,
        "order_book": [],  # today's orders: [buyer index, amount_fen, subsidy_fen]
        "pool_fen": 0,
        "points_units": 0,
        "price": INITIAL_PRICE,
        "positions": [],
        "exit_queue": [],  # heap of (trigger key, position id)
        "wallets": {},  # member index → fen received from exits
        "exits": 0,
    }


def _rng(params: dict[str, Any], state: dict[str, Any], block: int) -> np.random.Generator:
    return np.random.default_rng([params["seed"], state["run"], state["timestep"], block])


# ------------------------------------------------------------------------------ block 1: join
def p_join(params, substep, state_history, previous_state):
    rng = _rng(params, previous_state, 1)
    return {"new_members": int(rng.poisson(params["new_members_per_day"]))}


def s_members(params, substep, state_history, previous_state, policy_input):
    return "members", previous_state["members"] + policy_input["new_members"]


# ------------------------------------------------------------------------------ block 2: orders
def p_orders(params, substep, state_history, previous_state):
    rng = _rng(params, previous_state, 2)
    count = int(rng.poisson(params["orders_per_day"]))
    buyers = rng.integers(0, previous_state["members"], count).tolist()
    return {"orders": [[buyer, params["amount_fen"], 0] for buyer in buyers]}


def s_order_book(params, substep, state_history, previous_state, policy_input):
    return "order_book", policy_input["orders"]


# ------------------------------------------------------------------------------ block 3: settle
def p_settle(params, substep, state_history, previous_state):
    """Settle the day's orders in sequence (SPEC 1.3), each followed by the cascade (SPEC 1.4)."""
    pool = previous_state["pool_fen"]
    points = previous_state["points_units"]
    price_fen, price_units = previous_state["price"]
    positions = previous_state["positions"]
    queue = list(previous_state["exit_queue"])  # a copy: inputs are never mutated
    opened: list[dict[str, Any]] = []
    held: dict[int, int] = {}  # held units of every position opened or exited today
    exited: dict[int, int] = {}  # position id → net paid on exit
    payouts: dict[int, int] = {}  # member → net received from today's exits
    m_num, m_den = params["exit_multiple"]
    k_num, k_den = EXIT_KEEP
    for buyer, amount_fen, subsidy_fen in previous_state["order_book"]:
        # 1. contribution = round_half_even(amount × split.pool, 0.01)
        contribution, rest = divmod(amount_fen * POOL_SHARE[0], POOL_SHARE[1])
        if 2 * rest > POOL_SHARE[1] or (2 * rest == POOL_SHARE[1] and contribution % 2):
            contribution += 1
        # 2. value = round_down(contribution × point_ratio, 0.01)
        value = contribution * POINT_RATIO[0] // POINT_RATIO[1]
        # 3. q = round_down(value / price, 0.0001) at the price before the order
        q = value * price_units // price_fen
        # 4. pool and points grow; a position opens
        position_id = len(positions) + len(opened)
        spend = amount_fen - subsidy_fen
        opened.append({"member": buyer, "spend_fen": spend, "acquired_units": q, "held_units": q})
        held[position_id] = q
        pool += contribution
        points += q
        if q:
            trigger_key = ((m_num * spend) << KEY_SHIFT) // (m_den * q)
            heapq.heappush(queue, (trigger_key, position_id))
        if points:
            price_fen, price_units = pool, points
        # 5. exit cascade: lowest trigger first while reached (multiple × spend × points ≤
        # pool × acquired, exactly); each exit sells all held points with the exit fee.
        while queue:
            position_id = queue[0][1]
            if position_id < len(positions):
                p = positions[position_id]
            else:
                p = opened[position_id - len(positions)]
            if m_num * p["spend_fen"] * points > pool * p["acquired_units"] * m_den:
                break
            heapq.heappop(queue)
            units = held.get(position_id, p["held_units"])
            net = units * pool * k_num // (points * k_den)
            pool -= net
            points -= units
            held[position_id] = 0
            exited[position_id] = net
            payouts[p["member"]] = payouts.get(p["member"], 0) + net
            if points:
                price_fen, price_units = pool, points
    return {
        "pool_fen": pool,
        "points_units": points,
        "price": (price_fen, price_units),
        "opened": opened,
        "exited": exited,
        "payouts": payouts,
        "exit_queue": queue,
    }


def s_pool_fen(params, substep, state_history, previous_state, policy_input):
    return "pool_fen", policy_input["pool_fen"]


def s_points_units(params, substep, state_history, previous_state, policy_input):
    return "points_units", policy_input["points_units"]


def s_price(params, substep, state_history, previous_state, policy_input):
    return "price", policy_input["price"]


def s_positions(params, substep, state_history, previous_state, policy_input):
    positions = previous_state["positions"] + policy_input["opened"]
    for position_id in policy_input["exited"]:
        positions[position_id] = {**positions[position_id], "held_units": 0}
    return "positions", positions


def s_exit_queue(params, substep, state_history, previous_state, policy_input):
    return "exit_queue", policy_input["exit_queue"]


def s_wallets(params, substep, state_history, previous_state, policy_input):
    wallets = dict(previous_state["wallets"])
    for member, net in policy_input["payouts"].items():
        wallets[member] = wallets.get(member, 0) + net
    return "wallets", wallets


def s_exits(params, substep, state_history, previous_state, policy_input):
    return "exits", previous_state["exits"] + len(policy_input["exited"])


STATE_UPDATE_BLOCKS = [
    {
        "label": "join",
        "policies": {"join": p_join},
        "variables": {"members": s_members},
    },
    {
        "label": "orders",
        "policies": {"orders": p_orders},
        "variables": {"order_book": s_order_book},
    },
    {
        "label": "settle",
        "policies": {"settle": p_settle},
        "variables": {
            "pool_fen": s_pool_fen,
            "points_units": s_points_units,
            "price": s_price,
            "positions": s_positions,
            "exit_queue": s_exit_queue,
            "wallets": s_wallets,
            "exits": s_exits,
        },
    },
]


# ------------------------------------------------------------------------------ running it
def run(
    runs: int,
    days: int,
    *,
    seed: int = 1,
    orders_per_day: float = 100.0,
    amount_fen: int = 100_000,
    initial_members: int = 100,
    new_members_per_day: float = 10.0,
    exit_multiple: tuple[int, int] = (3, 1),
    deepcopy: bool = True,
) -> tuple[float, list[dict[str, Any]]]:
    """Run the experiment; returns (wall seconds of ``experiment.run()``, one dict per run)."""
    model = Model(
        initial_state=initial_state(initial_members),
        state_update_blocks=STATE_UPDATE_BLOCKS,
        params=default_params(seed, orders_per_day, amount_fen, new_members_per_day, exit_multiple),
    )
    simulation = Simulation(model=model, timesteps=days, runs=runs)
    experiment = Experiment([simulation])
    experiment.engine = Engine(backend=Backend.SINGLE_PROCESS, deepcopy=deepcopy)
    started = time.perf_counter()
    results = experiment.run()
    elapsed = time.perf_counter() - started
    # Results are one flat list of state dicts (every substep of every timestep of every run).
    out: dict[int, dict[str, Any]] = {}
    for row in results:
        r = out.setdefault(row["run"], {"run": row["run"], "orders": [], "final": row})
        if row["substep"] == 2:  # the order book as drawn that day, in settlement order
            r["orders"].extend(row["order_book"])
        r["final"] = row
    summaries = []
    for r in out.values():
        final = r["final"]
        summaries.append(
            {
                "run": r["run"],
                "orders": r["orders"],
                "pool_fen": final["pool_fen"],
                "points_units": final["points_units"],
                "price": list(final["price"]),
                "exits": final["exits"],
                "wallets": sorted(final["wallets"].items()),
                "positions": len(final["positions"]),
            }
        )
    return elapsed, summaries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--days", type=int, default=20, help="timesteps per run")
    parser.add_argument("--orders-per-day", type=float, default=100.0)
    parser.add_argument("--amount-fen", type=int, default=100_000)
    parser.add_argument("--initial-members", type=int, default=100)
    parser.add_argument("--new-members-per-day", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--exit-multiple", default="3", help="e.g. 3 (the seed's) or 1.5")
    parser.add_argument("--deepcopy", choices=("on", "off"), default="on")
    parser.add_argument("--json", help="write the timing and each run's orders and end state")
    args = parser.parse_args()
    multiple = Fraction(args.exit_multiple)
    exit_multiple = (multiple.numerator, multiple.denominator)
    elapsed, summaries = run(
        args.runs,
        args.days,
        seed=args.seed,
        orders_per_day=args.orders_per_day,
        amount_fen=args.amount_fen,
        initial_members=args.initial_members,
        new_members_per_day=args.new_members_per_day,
        exit_multiple=exit_multiple,
        deepcopy=args.deepcopy == "on",
    )
    orders = sum(len(s["orders"]) for s in summaries)
    report = {
        "radcad": radcad.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "backend": "SINGLE_PROCESS",
        "deepcopy": args.deepcopy == "on",
        "runs": args.runs,
        "days": args.days,
        "exit_multiple": args.exit_multiple,
        "wall_s": elapsed,
        "orders": orders,
        "results": summaries,
    }
    if args.json:
        with open(args.json, "w", encoding="utf-8") as stream:
            json.dump(report, stream)
    print(
        f"radCAD {radcad.__version__}: {args.runs} runs × {args.days} timesteps, {orders:,} "
        f"orders in {elapsed:.2f} s ({orders / elapsed:,.0f} orders/s, deepcopy={args.deepcopy})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
