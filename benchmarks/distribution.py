"""Orders per second of the distribution reward engine (SPEC 2) with the full example plan.

    .venv/bin/python benchmarks/distribution.py            # 10⁴, 10⁵, 10⁶ members
    .venv/bin/python benchmarks/distribution.py --quick    # a small run, seconds

Each tree has the same shape whatever its size, so that a change in orders/s with size would be
the engine's doing: a fixed share of roots, depths drawn from one distribution capped at 30, and
the same ranks, regions and agents in proportion; on top of it a few chains 10⁴ deep. Building
the tree is timed apart from settling. Orders are timed in four ways:

- cold: right after the ranks were set, so every walk first refills its skip pointers;
- warm: the same orders again (the steady state between two rank changes);
- local: buyers drawn from the first 10⁴ members only. The generator is seeded, so those members
  and their uplines are the very same subtree at every size: equal figures across sizes show that
  what a bigger tree costs with random buyers is memory locality, not work per order;
- deep: buyers at the bottom of the 10⁴-deep chains, the worst case: the walk goes up until a
  top-rank member and its peer are paid, which with these odds is a few thousand members up
  (it visits only the ranked ones, through the skip pointers).

Randomness comes from a seeded generator, so two runs build the same trees and orders.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from zengzhi.distribution import Distribution, evaluate_ranks  # noqa: E402
from zengzhi.distribution.plan import Plan, load_plan  # noqa: E402
from zengzhi.economy.quantity import Rate, mul_round_half_even  # noqa: E402

MAX_DEPTH = 30
ROOT_SHARE = 0.001
RANK_ODDS = (("V4", 0.001), ("V3", 0.004), ("V2", 0.015), ("V1", 0.05))
PROVINCES, CITIES, DISTRICTS = 34, 10, 10
DISTRIBUTION_SHARE = Decimal("0.30")
PLATFORM_SHARE = Decimal("0.10")

Order = tuple[str, int, int, int]


def draw_rank(rng: random.Random) -> str | None:
    x = rng.random()
    for name, odds in RANK_ODDS:
        if x < odds:
            return name
        x -= odds
    return None


def draw_region(rng: random.Random) -> str:
    p = rng.randrange(PROVINCES) + 11
    c = rng.randrange(CITIES) + 1
    d = rng.randrange(DISTRICTS) + 1
    return f"{p}/{p}{c:02d}/{p}{c:02d}{d:02d}"


def build(plan: Plan, size: int, chains: int, chain_depth: int, seed: int) -> Distribution:
    """A tree of ``size`` members of fixed shape, plus ``chains`` chains ``chain_depth`` deep."""
    rng = random.Random(seed)
    d = Distribution(plan)
    levels: list[list[str]] = [[] for _ in range(MAX_DEPTH + 1)]
    for i in range(size):
        member = f"m{i}"
        depth = (
            0
            if i == 0 or rng.random() < ROOT_SHARE
            else min(MAX_DEPTH, 1 + int(rng.gammavariate(3, 3)))
        )
        while depth and not levels[depth - 1]:
            depth -= 1
        sponsor = rng.choice(levels[depth - 1]) if depth else None
        d.join(member, sponsor, draw_region(rng))
        levels[depth].append(member)
    for i in range(size):
        rank = draw_rank(rng)
        if rank is not None:
            d.set_rank(f"m{i}", rank)
    # The chains draw from their own generator: the same chains, ranks and regions at every size.
    chain_rng = random.Random(seed + 7)
    for c in range(chains):
        sponsor = rng.choice(levels[rng.randrange(1, 10)] or levels[0])
        for j in range(chain_depth):
            member = f"c{c}_{j}"
            d.join(member, sponsor, draw_region(chain_rng))
            rank = draw_rank(chain_rng)
            if rank is not None:
                d.set_rank(member, rank)
            sponsor = member
    for p in range(11, 11 + PROVINCES):
        d.appoint_agent(f"m{rng.randrange(size)}", str(p), "province")
        for c in range(1, CITIES + 1):
            if rng.random() < 0.5:
                d.appoint_agent(f"m{rng.randrange(size)}", f"{p}/{p}{c:02d}", "city")
            for k in range(1, DISTRICTS + 1):
                for _ in range(rng.choice((0, 1, 1, 2))):
                    region = f"{p}/{p}{c:02d}/{p}{c:02d}{k:02d}"
                    d.appoint_agent(f"m{rng.randrange(size)}", region, "district")
    for _ in range(10):
        d.set_shareholder(f"m{rng.randrange(size)}", Decimal(rng.randrange(1, 10)))
    return d


def orders(buyers: Sequence[str], count: int, seed: int) -> list[Order]:
    rng = random.Random(seed)
    dist_rate, plat_rate = Rate.of(DISTRIBUTION_SHARE), Rate.of(PLATFORM_SHARE)
    out: list[Order] = []
    for _ in range(count):
        amount = rng.randrange(100, 200_001)  # 1 to 2 000 CNY, in fen
        out.append(
            (
                rng.choice(buyers),
                amount,
                mul_round_half_even(amount, dist_rate),
                mul_round_half_even(amount, plat_rate),
            )
        )
    return out


def settle_all(d: Distribution, batch: list[Order]) -> tuple[float, int]:
    """Seconds to settle ``batch``, and the fen it paid (checked against its budget)."""
    settle = d.settle_order
    paid = 0
    budget = 0
    start = time.perf_counter()
    for buyer, amount, dist, plat in batch:
        paid += settle(buyer, amount, dist, plat).paid_fen
    seconds = time.perf_counter() - start
    budget = sum(o[2] for o in batch)
    assert paid <= budget
    return seconds, paid


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small trees and few orders")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="tree sizes, comma list")
    parser.add_argument("--orders", type=int, default=200_000, help="orders per timed run")
    parser.add_argument("--chains", type=int, default=3, help="deep chains per tree")
    parser.add_argument("--chain-depth", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20_240_601)
    parser.add_argument("--plan", default=str(ROOT / "examples" / "plans" / "full.toml"))
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.orders, args.chain_depth = "1000,10000", 20_000, 2_000

    plan = load_plan(args.plan)
    plan.check_budget(DISTRIBUTION_SHARE)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"plan {plan.name!r} v{plan.version}; {args.orders:,} orders per run; "
        f"{args.chains} chains {args.chain_depth:,} deep per tree; seed {args.seed}"
    )
    header = (
        f"{'tree':>10} {'members':>10} {'depth':>6} {'build s':>8} {'cold ord/s':>11} "
        f"{'warm ord/s':>11} {'local ord/s':>11} {'deep ord/s':>11} {'paid/budget':>11} "
        f"{'ranks s':>8}"
    )
    print(header)
    print("-" * len(header))
    for size in sizes:
        start = time.perf_counter()
        d = build(plan, size, args.chains, args.chain_depth, args.seed)
        built = time.perf_counter() - start
        tree = [f"m{i}" for i in range(size)]
        batch = orders(tree, args.orders, args.seed + 1)
        cold, paid = settle_all(d, batch)
        warm, _ = settle_all(d, batch)
        # Buyers from the first 10^4 members only: the same work per order as a 10^4 tree but
        # with a small working set, which separates memory locality from the algorithm's cost.
        local_batch = orders(tree[:10_000], args.orders, args.seed + 3)
        settle_all(d, local_batch)  # refill skip pointers, as "warm" had
        local, _ = settle_all(d, local_batch)
        bottoms = [f"c{c}_{args.chain_depth - 1}" for c in range(args.chains)]
        deep_batch = orders(bottoms or tree, max(1, args.orders // 10), args.seed + 2)
        deep, _ = settle_all(d, deep_batch)
        start = time.perf_counter()
        evaluate_ranks(d, dry_run=True)
        ranks = time.perf_counter() - start
        budget = sum(o[2] for o in batch)
        sample = batch[:2_000]
        depth = sum(sum(1 for _ in d.upline(o[0])) for o in sample) / len(sample)
        print(
            f"{size:>10,} {len(d):>10,} {depth:>6.1f} {built:>8.2f} {len(batch) / cold:>11,.0f} "
            f"{len(batch) / warm:>11,.0f} {len(local_batch) / local:>11,.0f} "
            f"{len(deep_batch) / deep:>11,.0f} "
            f"{paid / budget:>11.3f} {ranks:>8.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
