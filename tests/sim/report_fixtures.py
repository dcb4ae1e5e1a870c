"""A small synthetic result directory for the report tests.

The numbers come from a toy model of the economy (pool, points, a 3× or 2× exit trigger, FIFO
positions), not from the engine: the report only reads the tables, so it needs rows that follow
``zengzhi.sim.tables`` and look like a real run, not the engine's exact output.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from zengzhi.sim.tables import COHORTS, DAILY, RUNS

LINT = [
    {
        "rule": "mlm.team_reward_depth",
        "severity": "error",
        "source": "《禁止传销条例》第七条 (Regulations on Prohibition of Pyramid Selling, art. 7)",
        "message_en": "indirect_rate pays rewards from sales below the first level",
        "message_zh": "间推奖按第一层以下的销售计酬（团队计酬）",
        "key": "indirect_rate",
    },
    {
        "rule": "ds.reward_cap",
        "severity": "warning",
        "source": "《直销管理条例》第二十四条 (Direct Selling Regulation, art. 24)",
        "message_en": "worst-case rewards <35%> exceed 30% of the order",
        "message_zh": "最坏情况下奖励 <35%> 超过订单金额的 30%",
        "key": None,
    },
]

PLAN = {"name": "two-level", "version": 1, "direct_rate": "0.10", "indirect_rate": "0.05"}

ECONOMY = {
    "initial_price": "1.00",
    "point_ratio": "0.70",
    "sell_fee": "0.20",
    "exit_multiple": "3",
    "exit_fee": "0.20",
    "exit_basis": "acquired",
    "split": {"cost": "0.30", "distribution": "0.30", "platform": "0.10", "pool": "0.30"},
}

UNIT = 10_000  # point units per point


def _price(pool_fen: int, points_units: int, last: Decimal) -> Decimal:
    if points_units == 0:
        return last
    return (Decimal(pool_fen) / 100 / (Decimal(points_units) / UNIT)).quantize(Decimal("1e-8"))


def _percentile(values: list[int], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return float(values[min(len(values) - 1, int(q * len(values)))])


def _cascade(
    positions: list[dict[str, Any]],
    pool: int,
    points: int,
    last: Decimal,
    multiple: int,
    day: int,
) -> tuple[int, int, int, int]:
    """Force-sell positions whose value reached multiple × spend, lowest trigger first."""
    exits = exit_net = 0
    while multiple:
        ready = [
            p for p in positions if p["held"] and multiple * p["spend"] * points <= pool * p["acq"]
        ]
        if not ready:
            break
        price = _price(pool, points, last)
        p = min(ready, key=lambda p: p["spend"] / p["acq"])
        net = int(Decimal(p["held"]) / UNIT * price * 100 * Decimal("0.8"))
        pool -= net
        points -= p["held"]
        p["held"] = 0
        p["net"] += net
        p["exit_day"] = day
        exits += 1
        exit_net += net
    return pool, points, exits, exit_net


def _run(
    variant: int, run: int, seed: int, *, days: int, stop: int | None, multiple: int, cohort: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    rng = random.Random(seed)
    pool = 0
    points = 0
    last = Decimal("1.00")
    members = 0
    positions: list[dict[str, Any]] = []  # open and closed
    daily: list[dict[str, Any]] = []
    totals = {"orders": 0, "sales": 0, "exits": 0, "exit_net": 0, "rewards": 0, "injected": 0}
    for day in range(days):
        ordering = stop is None or day <= stop
        n = rng.randint(8, 16) + day * day // 20 if ordering else 0
        new_members = rng.randint(0, n)
        members += new_members
        sales = exits = exit_net = 0
        for _ in range(n):
            amount = rng.choice([10_000, 50_000, 100_000, 200_000])  # fen
            price = _price(pool, points, last)
            contribution = amount * 3 // 10
            value = contribution * 7 // 10
            q = int(Decimal(value) / 100 / price * UNIT)
            pool += contribution
            points += q
            sales += amount
            positions.append(
                {"day": day, "spend": amount, "acq": q, "held": q, "net": 0, "exit_day": None}
            )
            pool, points, e, en = _cascade(positions, pool, points, last, multiple, day)
            exits += e
            exit_net += en
        injected = 0
        if day in (20, 35):  # financing injections lift the price (and trigger exits)
            injected = pool * 2
            pool += injected
            pool, points, e, en = _cascade(positions, pool, points, last, multiple, day)
            exits += e
            exit_net += en
        last = _price(pool, points, last)
        rewards = sales * 15 // 100
        totals["orders"] += n
        totals["sales"] += sales
        totals["exits"] += exits
        totals["exit_net"] += exit_net
        totals["rewards"] += rewards
        totals["injected"] += injected
        daily.append(
            {
                "variant": variant,
                "run": run,
                "seed": seed,
                "day": day,
                "orders": n,
                "sales_fen": sales,
                "subsidy_fen": 0,
                "new_members": new_members,
                "members": members,
                "sells": 0,
                "sell_points_units": 0,
                "sell_net_fen": 0,
                "exits": exits,
                "exit_net_fen": exit_net,
                "injected_fen": injected,
                "rewards_fen": rewards,
                "pool_fen": pool,
                "points_units": points,
                "price": last,
                "open_positions": sum(1 for p in positions if p["held"]),
            }
        )
    cohorts = []
    for start in range(0, days, cohort):
        group = [p for p in positions if start <= p["day"] < start + cohort]
        waits = [p["exit_day"] - p["day"] for p in group if p["exit_day"] is not None]

        def reached(k: int, group: list[dict[str, Any]] = group) -> int:
            return sum(
                1
                for p in group
                if p["net"] + Decimal(p["held"]) * last * 100 / UNIT >= k * p["spend"]
            )

        first = group[0] if group else None
        cohorts.append(
            {
                "variant": variant,
                "run": run,
                "seed": seed,
                "cohort_start_day": start,
                "positions": len(group),
                "spend_fen": sum(p["spend"] for p in group),
                "exited": len(waits),
                "days_to_exit_p50": _percentile(waits, 0.5),
                "days_to_exit_p90": _percentile(waits, 0.9),
                "reached_1x": reached(1),
                "reached_2x": reached(2),
                "reached_3x": reached(3),
                "entry_price_first": (
                    (Decimal(first["spend"]) * 21 / 10_000 / first["acq"] * UNIT).quantize(
                        Decimal("1e-8")
                    )
                    if first and first["acq"]
                    else Decimal("0")
                ),
            }
        )
    open_ = [p for p in positions if p["held"]]
    r = totals["rewards"]
    runs_row = {
        "variant": variant,
        "run": run,
        "seed": seed,
        "orders": totals["orders"],
        "sales_fen": totals["sales"],
        "members": members,
        "pool_fen": pool,
        "points_units": points,
        "price": last,
        "exits": totals["exits"],
        "exit_net_fen": totals["exit_net"],
        "sell_net_fen": 0,
        "injected_fen": totals["injected"],
        "subsidy_fen": 0,
        "reward_direct_fen": r * 10 // 15,
        "reward_indirect_fen": r - r * 10 // 15,
        "reward_differential_fen": 0,
        "reward_peer_fen": 0,
        "reward_regional_fen": 0,
        "reward_dividend_fen": 0,
        "platform_revenue_fen": totals["sales"] // 10,
        "positions": len(positions),
        "open_positions": len(open_),
        "stuck_value_fen": int(sum(Decimal(p["held"]) / UNIT * last * 100 for p in open_)),
        "stuck_spend_fen": sum(p["spend"] for p in open_),
    }
    return daily, cohorts, runs_row


def make_result(
    root: Path,
    *,
    runs: int = 3,
    days: int = 60,
    stop: int | None = 40,
    cohort_days: int = 10,
    multiples: tuple[int, ...] = (3, 2),
    lint: list[dict[str, Any]] | None = None,
    plan: dict[str, Any] | None = PLAN,
    name: str = "synthetic",
) -> Path:
    """Write daily/cohorts/runs Parquet and manifest.json under ``root``; return ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    daily: list[dict[str, Any]] = []
    cohorts: list[dict[str, Any]] = []
    totals: list[dict[str, Any]] = []
    variants = []
    for v, multiple in enumerate(multiples):
        params = {} if v == 0 else {"economy.exit_multiple": str(multiple)}
        label = "base" if v == 0 else f"exit_multiple={multiple}"
        variants.append({"index": v, "label": label, "params": params})
        for run in range(runs):
            seed = 1000 * v + run
            d, c, r = _run(
                v, run, seed, days=days, stop=stop, multiple=multiple, cohort=cohort_days
            )
            daily += d
            cohorts += c
            totals.append(r)
    pq.write_table(pa.Table.from_pylist(daily, schema=DAILY), root / "daily.parquet")
    pq.write_table(pa.Table.from_pylist(cohorts, schema=COHORTS), root / "cohorts.parquet")
    pq.write_table(pa.Table.from_pylist(totals, schema=RUNS), root / "runs.parquet")
    economy = dict(ECONOMY, exit_multiple=str(multiples[0]))
    manifest = {
        "complete": True,
        "zengzhi_version": "0.1.0",
        "scenario_name": name,
        "scenario_file": f"examples/scenarios/{name}.toml",
        "horizon_days": days,
        "runs": runs,
        "cohort_days": cohort_days,
        "stop_after_day": stop,
        "variants": variants,
        "economy": economy,
        "plan": plan,
        "lint": LINT if lint is None else lint,
        "created": "2026-12-03T19:00:00Z",
    }
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return root
