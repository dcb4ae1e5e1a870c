"""Engine throughput with exits enabled, against a naive full-scan cascade, in one run.

    .venv/bin/python benchmarks/engine.py                # 10^4, 10^5, 10^6 orders
    .venv/bin/python benchmarks/engine.py --sizes 10000  # a quick look

For each size N it settles N orders of the seed economy (3× exits on the acquired basis,
amounts 50–2000 CNY, repeat buyers: N/10 members) and reports the whole run's orders/s. It then
measures the marginal cost of one more order at that size, for the heap cascade and for the
naive baseline (the same engine with ``NaiveScanEconomy``'s scan of every position per event),
from the same state. SPEC 1.4 asks that the cost per order not grow with open positions.
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import sys
import time

from zengzhi.economy.engine import Economy
from zengzhi.economy.events import PositionExited
from zengzhi.economy.naive import NaiveScanEconomy
from zengzhi.runtime import GC_THRESHOLDS, tune_gc


def workload(n: int, seed: int) -> list[tuple[str, int]]:
    rnd = random.Random(seed)
    members = max(n // 10, 100)
    return [(f"m{rnd.randrange(members)}", rnd.randrange(5_000, 200_001)) for _ in range(n)]


def timed_orders(economy: Economy, orders: list[tuple[str, int]]) -> tuple[float, int]:
    order = economy.order
    exits = 0
    start = time.perf_counter()
    for member, amount in orders:
        events = order(member, amount)
        if len(events) > 1:
            exits += sum(1 for e in events if isinstance(e, PositionExited))
    return time.perf_counter() - start, exits


def run(
    sizes: list[int], marginal: int, naive_budget_s: float, seed: int
) -> list[dict[str, float]]:
    rows = []
    for n in sizes:
        gc.collect()
        economy = Economy()
        elapsed, exits = timed_orders(economy, workload(n, seed))
        more = workload(marginal, seed + 1)
        fast_s, _ = timed_orders(economy, more)
        fast_us = fast_s / marginal * 1e6
        # Same state, naive cascade: time as many orders as the budget allows (at least 3).
        economy.__class__ = NaiveScanEconomy
        naive_orders = 0
        naive_s = 0.0
        for member, amount in more:
            start = time.perf_counter()
            economy.order(member, amount)
            naive_s += time.perf_counter() - start
            naive_orders += 1
            if naive_orders >= 3 and naive_s > naive_budget_s:
                break
        naive_us = naive_s / naive_orders * 1e6
        rows.append(
            {
                "orders": n,
                "open": economy.open_position_count(),
                "exits": exits,
                "orders_per_s": n / elapsed,
                "fast_us": fast_us,
                "naive_us": naive_us,
                "naive_orders_per_s": 1e6 / naive_us,
            }
        )
        print_row(rows[-1])
        del economy
    return rows


HEADER = (
    f"{'orders':>9} {'open pos.':>10} {'exits':>7} {'heap ord/s':>11} "
    f"{'heap µs/ord':>12} {'naive µs/ord':>13} {'naive ord/s':>12} {'speed-up':>9}"
)


def print_row(r: dict[str, float]) -> None:
    print(
        f"{r['orders']:>9,.0f} {r['open']:>10,.0f} {r['exits']:>7,.0f} {r['orders_per_s']:>11,.0f} "
        f"{r['fast_us']:>12.2f} {r['naive_us']:>13.1f} {r['naive_orders_per_s']:>12,.1f} "
        f"{r['naive_us'] / r['fast_us']:>8,.0f}×",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--marginal", type=int, default=20_000, help="orders timed at each size")
    parser.add_argument("--naive-budget", type=float, default=2.0, help="seconds per naive size")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--default-gc", action="store_true", help="keep CPython's GC thresholds (not tuned)"
    )
    args = parser.parse_args()
    if not args.default_gc:
        tune_gc()
    print(
        f"python {platform.python_version()} on {platform.machine()}, seed {args.seed}, "
        f"gc thresholds {gc.get_threshold()}"
        + ("" if args.default_gc else f" (zengzhi.runtime.tune_gc: {GC_THRESHOLDS})")
    )
    print(HEADER)
    rows = run(args.sizes, args.marginal, args.naive_budget, args.seed)
    if len(rows) > 1:
        ratio = rows[-1]["fast_us"] / rows[0]["fast_us"]
        verdict = "ok" if ratio <= 1.5 else "TOO SLOW"
        print(
            f"heap cost per order at {rows[-1]['open']:,.0f} open positions / at "
            f"{rows[0]['open']:,.0f}: {ratio:.2f}× (limit 1.5×: {verdict})"
        )
    best = max(r["orders_per_s"] for r in rows)
    print(f"best whole-run throughput: {best:,.0f} orders/s (target ≥ 150,000)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
