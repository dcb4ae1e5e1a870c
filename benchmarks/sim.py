"""Simulator throughput: 1,000 runs × ~10,000 orders of the seed economy, against radCAD.

    .venv/bin/python benchmarks/sim.py --setup-radcad   # once: build/venv-bench with radCAD
    .venv/bin/python benchmarks/sim.py                  # the full benchmark (about a minute)
    .venv/bin/python benchmarks/sim.py --quick          # a smoke check (seconds)

In one run it times:
1. the zengzhi sweep: ``run_all`` over ``--runs`` Monte Carlo runs of the seed economy (100
   members, 10 new a day, Poisson orders of 1,000.00 CNY at 100 a day for 100 days, 3× exits
   on the acquired basis), on ``--workers`` local processes, Parquet tables written to a
   temporary directory; the orders are counted from ``runs.parquet``;
2. the same on one process, on ``--single-runs`` runs, for a per-core figure;
3. the same model written for radCAD (``benchmarks/radcad_model.py``) on a subset of runs, with
   radCAD's default ``deepcopy=True`` and again with ``deepcopy=False``, in radCAD's single
   process backend. radCAD runs in its own virtual environment (``--radcad-python``, default
   ``build/venv-bench/bin/python``): radCAD 0.14.0 needs numpy < 1.26.4 and zengzhi numpy ≥ 2.2,
   so the two cannot share one (``requirements/bench.txt`` pins radCAD's side).

Speeds are compared per simulated order. Before any figure is trusted, every radCAD run is
replayed order by order through zengzhi's ``Economy`` and must end with the same pool, points,
price, exits and wallets: that is what makes it the same model. radCAD's cost per order grows
with the length of a run (by default it copies the whole state, every position included, for
every policy and state update function), so its subset keeps the full run length and takes
fewer runs; a shorter-run row shows the dependence.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from zengzhi.economy.config import EconomyConfig
from zengzhi.economy.engine import Economy
from zengzhi.economy.events import PositionExited
from zengzhi.runtime import tune_gc
from zengzhi.sim.runner import Executor, run_all
from zengzhi.sim.scenario import scenarios_from_mapping

ROOT = Path(__file__).resolve().parent.parent
RADCAD_MODEL = ROOT / "benchmarks" / "radcad_model.py"
BENCH_VENV = ROOT / "build" / "venv-bench"
BENCH_REQUIREMENTS = ROOT / "requirements" / "bench.txt"

TARGET_SWEEP_S = 60.0
TARGET_RATIO = 20.0

INITIAL_MEMBERS = 100
NEW_MEMBERS_PER_DAY = 10
AMOUNT_FEN = 100_000  # 1,000.00 CNY
CHECK_EXIT_MULTIPLE = "1.1"  # the extra equivalence check: a multiple that exits more often


@dataclass
class Timing:
    label: str
    runs: int
    orders: int
    wall_s: float

    @property
    def orders_per_s(self) -> float:
        return self.orders / self.wall_s


# ------------------------------------------------------------------------------ zengzhi
def scenario_mapping(days: int, orders_per_day: Decimal, seed: int) -> dict[str, Any]:
    return {
        "name": "bench",
        "horizon_days": days,
        "seed": seed,
        "arrival": {"orders_per_day": str(orders_per_day)},
        "order_size": {"amount": f"{AMOUNT_FEN // 100}.{AMOUNT_FEN % 100:02d}"},
        "members": {"initial": INITIAL_MEMBERS, "new_per_day": NEW_MEMBERS_PER_DAY},
    }


def zengzhi_sweep(
    label: str, runs: int, days: int, orders_per_day: Decimal, seed: int, executor: Executor
) -> Timing:
    scenario, variants = scenarios_from_mapping(scenario_mapping(days, orders_per_day, seed))
    with tempfile.TemporaryDirectory(prefix="zengzhi-bench-") as tmp:
        out = Path(tmp)
        started = time.perf_counter()
        run_all(scenario, variants, out, runs=runs, executor=executor)
        elapsed = time.perf_counter() - started
        table = pq.read_table(out / "runs.parquet", columns=["orders"])
        orders = sum(table.column("orders").to_pylist())
        if table.num_rows != runs:
            raise SystemExit(f"{table.num_rows} runs written, {runs} asked")
    return Timing(label, runs, orders, elapsed)


# ------------------------------------------------------------------------------ radCAD
def find_radcad_python(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    venv_python = BENCH_VENV / "bin" / "python"
    if venv_python.exists():
        return str(venv_python)
    probe = subprocess.run(
        [sys.executable, "-c", "import radcad"], capture_output=True, check=False
    )
    return sys.executable if probe.returncode == 0 else None


def setup_radcad() -> int:
    """Create build/venv-bench and install requirements/bench.txt into it."""
    base = shutil.which("python3.11") or shutil.which("python3") or sys.executable
    print(f"creating {BENCH_VENV.relative_to(ROOT)} with {base}", flush=True)
    subprocess.run([base, "-m", "venv", str(BENCH_VENV)], check=True)
    pip = [str(BENCH_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "-r", str(BENCH_REQUIREMENTS)], check=True)
    print("done: benchmarks/sim.py will use it", flush=True)
    return 0


def radcad_run(
    python: str,
    tmp: Path,
    name: str,
    *,
    runs: int,
    days: int,
    orders_per_day: Decimal,
    seed: int,
    deepcopy: bool,
    exit_multiple: str = "3",
) -> dict[str, Any]:
    out = tmp / f"{name}.json"
    command = [
        python, str(RADCAD_MODEL), "--runs", str(runs), "--days", str(days),
        "--orders-per-day", str(orders_per_day), "--amount-fen", str(AMOUNT_FEN),
        "--initial-members", str(INITIAL_MEMBERS),
        "--new-members-per-day", str(NEW_MEMBERS_PER_DAY), "--seed", str(seed),
        "--exit-multiple", exit_multiple, "--deepcopy", "on" if deepcopy else "off",
        "--json", str(out),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"radCAD run failed:\n{done.stdout}{done.stderr}")
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


def replay_check(report: dict[str, Any]) -> tuple[int, int, int]:
    """Replay each radCAD run's orders through zengzhi's engine; returns (runs, orders, exits).

    Stops the benchmark, naming the first run and quantity that differ.
    """
    multiple = Decimal(report["exit_multiple"])
    orders_total = exits_total = 0
    for result in report["results"]:
        economy = Economy(EconomyConfig(exit_multiple=multiple))
        exits = 0
        wallets: dict[int, int] = {}
        for buyer, amount_fen, subsidy_fen in result["orders"]:
            for event in economy.order(f"m{buyer}", amount_fen, subsidy_fen)[1:]:
                if type(event) is PositionExited:
                    exits += 1
                    member = int(event.member[1:])
                    wallets[member] = wallets.get(member, 0) + event.net_fen
        run = result["run"]
        expected = {
            "pool_fen": economy.pool_fen,
            "points_units": economy.points_units,
            "price": [economy.price_fen, economy.price_units],
            "exits": exits,
            "positions": len(economy.positions),
            "wallets": sorted(wallets.items()),
        }
        for key, value in expected.items():
            got = result[key]
            if key == "wallets":
                got = [tuple(pair) for pair in got]
            if got != value:
                raise SystemExit(
                    f"NOT THE SAME MODEL: run {run}: radCAD {key} = {got!r}, zengzhi {value!r}"
                )
        orders_total += len(result["orders"])
        exits_total += exits
    return len(report["results"]), orders_total, exits_total


# ------------------------------------------------------------------------------ report
def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def times(ratio: float) -> str:
    return f"{ratio:,.1f}×" if ratio >= 10 else f"{ratio:.2f}×"


def row(t: Timing) -> str:
    per_run = t.orders / t.runs
    return (
        f"  {t.label:<44} {t.runs:>6,} {per_run:>9,.0f} {t.orders:>12,} {t.wall_s:>9.2f} "
        f"{t.orders_per_s:>12,.0f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=1000, help="zengzhi sweep: Monte Carlo runs")
    parser.add_argument("--days", type=int, default=100, help="horizon of every run (days)")
    parser.add_argument("--orders-per-day", type=Decimal, default=Decimal(100), help="Poisson mean")
    parser.add_argument("--workers", type=int, default=2, help="zengzhi sweep processes")
    parser.add_argument(
        "--single-runs", type=int, default=100, help="runs for the one-process zengzhi figure"
    )
    parser.add_argument("--radcad-runs", type=int, default=3, help="radCAD subset: runs")
    parser.add_argument(
        "--radcad-orders",
        type=int,
        default=None,
        help="radCAD subset: orders per run (default: a full run, days × orders per day)",
    )
    parser.add_argument(
        "--radcad-short-runs", type=int, default=10, help="shorter-run radCAD row (0: skip)"
    )
    parser.add_argument(
        "--radcad-short-orders", type=int, default=2000, help="orders per run of that row"
    )
    parser.add_argument("--radcad-python", help="interpreter with radCAD installed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke check")
    parser.add_argument(
        "--setup-radcad", action="store_true", help="create build/venv-bench and exit"
    )
    args = parser.parse_args()
    if args.setup_radcad:
        return setup_radcad()
    if args.quick:
        args.runs, args.days, args.single_runs = 20, 10, 10
        args.radcad_runs, args.radcad_short_runs, args.radcad_short_orders = 2, 2, 500
    radcad_python = find_radcad_python(args.radcad_python)
    if radcad_python is None:
        print(
            "radCAD is not installed: run `.venv/bin/python benchmarks/sim.py --setup-radcad` "
            "(or pass --radcad-python)",
            file=sys.stderr,
        )
        return 2
    per_day = args.orders_per_day
    radcad_days = args.days if args.radcad_orders is None else round(args.radcad_orders / per_day)
    short_days = max(1, round(args.radcad_short_orders / per_day))

    tune_gc()  # as the CLI does
    print(
        f"machine: {cpu_name()}, {os.cpu_count()} CPUs; python {platform.python_version()}; "
        f"seed {args.seed}"
    )
    print(
        f"workload: the seed economy (SPEC 1.2 defaults, 3× exits, acquired basis); "
        f"{INITIAL_MEMBERS} members + {NEW_MEMBERS_PER_DAY}/day, Poisson {per_day:g} orders/day "
        f"of {AMOUNT_FEN / 100:,.2f} CNY, {args.days} days per run",
        flush=True,
    )
    timings: dict[str, Timing] = {}
    timings["sweep"] = zengzhi_sweep(
        f"zengzhi sweep, {args.workers} processes",
        args.runs,
        args.days,
        per_day,
        args.seed,
        Executor("processes", args.workers),
    )
    print(f"  zengzhi sweep done in {timings['sweep'].wall_s:.2f} s", flush=True)
    timings["single"] = zengzhi_sweep(
        "zengzhi, 1 process", args.single_runs, args.days, per_day, args.seed, Executor("inline")
    )
    print(f"  zengzhi, 1 process done in {timings['single'].wall_s:.2f} s", flush=True)

    reports: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="zengzhi-radcad-") as tmp_name:
        tmp = Path(tmp_name)
        common = {"orders_per_day": per_day, "seed": args.seed}
        reports["deepcopy"] = radcad_run(
            radcad_python, tmp, "deepcopy", runs=args.radcad_runs, days=radcad_days,
            deepcopy=True, **common,
        )  # fmt: skip
        print(f"  radCAD (deepcopy=True) done in {reports['deepcopy']['wall_s']:.2f} s", flush=True)
        reports["no_deepcopy"] = radcad_run(
            radcad_python, tmp, "no_deepcopy", runs=args.radcad_runs, days=radcad_days,
            deepcopy=False, **common,
        )  # fmt: skip
        if args.radcad_short_runs:
            reports["short"] = radcad_run(
                radcad_python, tmp, "short", runs=args.radcad_short_runs, days=short_days,
                deepcopy=True, **common,
            )  # fmt: skip
        reports["check"] = radcad_run(
            radcad_python, tmp, "check", runs=2, days=max(radcad_days, 60), deepcopy=False,
            exit_multiple=CHECK_EXIT_MULTIPLE, **common,
        )  # fmt: skip

    labels = {
        "deepcopy": "radCAD, deepcopy=True (default)",
        "no_deepcopy": "radCAD, deepcopy=False",
        "short": "radCAD, deepcopy=True, shorter runs",
    }
    for key, label in labels.items():
        if key in reports:
            r = reports[key]
            timings[key] = Timing(label, r["runs"], r["orders"], r["wall_s"])

    rc = reports["deepcopy"]
    print(
        f"radCAD {rc['radcad']} (python {rc['python']}, numpy {rc['numpy']}), backend "
        f"{rc['backend']}, everything else at radCAD's defaults"
    )
    print("\nsame model check: every radCAD run replayed order by order through zengzhi's Economy")
    for key in ("deepcopy", "no_deepcopy", "short", "check"):
        if key not in reports:
            continue
        r = reports[key]
        runs, orders, exits = replay_check(r)  # raises on the first difference
        what = labels.get(key, f"radCAD, exit_multiple {r['exit_multiple']} (exit-heavy case)")
        print(
            f"  {what:<44} {runs} runs, {orders:,} orders, {exits} exits: pool, points, "
            "price, exits, wallets identical"
        )

    print(
        f"\n  {'':<44} {'runs':>6} {'orders/run':>9} {'orders':>12} {'wall s':>9} {'orders/s':>12}"
    )
    for t in timings.values():
        print(row(t))

    sweep, single, default = timings["sweep"], timings["single"], timings["deepcopy"]
    no_copy = timings["no_deepcopy"]
    print("\nspeed per simulated order, zengzhi / radCAD:")
    print(f"  {'':<44} {'sweep':>9} {'per core':>9}")
    versus = [(f"radCAD default, {default.orders / default.runs:,.0f}-order runs", default)]
    if "short" in timings:
        short = timings["short"]
        versus.append((f"radCAD default, {short.orders / short.runs:,.0f}-order runs", short))
    versus.append(
        (f"radCAD deepcopy=False, {no_copy.orders / no_copy.runs:,.0f}-order runs", no_copy)
    )
    for label, other in versus:
        print(
            f"  {'vs ' + label:<44} {times(sweep.orders_per_s / other.orders_per_s):>9} "
            f"{times(single.orders_per_s / other.orders_per_s):>9}"
        )
    print(
        f"  (sweep: zengzhi on {args.workers} processes; per core: zengzhi on 1; radCAD on 1 "
        "in every row)"
    )

    ratio = sweep.orders_per_s / default.orders_per_s
    full = args.runs == 1000 and not args.quick
    print("\ntargets (issue #4):")
    print(
        f"  full sweep ≤ {TARGET_SWEEP_S:.0f} s on 2 cores: {sweep.wall_s:.2f} s with "
        f"{args.workers} processes, {sweep.runs:,} runs, {sweep.orders:,} orders: "
        f"{'PASS' if sweep.wall_s <= TARGET_SWEEP_S else 'FAIL'}"
        + ("" if full else " (not the full sweep: --runs 1000 without --quick)")
    )
    print(
        f"  ≥ {TARGET_RATIO:.0f}× radCAD per simulated order (radCAD's defaults): {times(ratio)}: "
        f"{'PASS' if ratio >= TARGET_RATIO else 'FAIL'}"
        + (" (--quick: runs too short to judge)" if args.quick else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
