"""Simulation runs: closed form, the seed's numbers, determinism, executors agree."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from zengzhi.cli import app
from zengzhi.sim.run import Simulation, simulate
from zengzhi.sim.runner import Executor, run_all
from zengzhi.sim.scenario import ScenarioError, load_scenario, scenarios_from_mapping


def scenario_of(data: dict[str, object]):  # type: ignore[no-untyped-def]
    return scenarios_from_mapping(data)


CONSTANT = {
    "horizon_days": 30,
    "seed": 3,
    "economy": {"exit_multiple": "0"},
    "arrival": {"orders_per_day": 20},
    "order_size": {"amount": "500.00"},
    "members": {"initial": 5, "new_per_day": 1},
}


def test_closed_form_constant_orders_without_exits() -> None:
    scenario, _ = scenario_of(CONSTANT)
    daily = simulate(scenario).daily.to_pylist()
    # The exact recurrence for fixed orders: c = 150.00 into the pool, v = 105.00 of points
    # value, q_{n+1} = floor(v × points_n / pool_n) in 0.0001 units (q_1 at price 1.00).
    c, v = 15_000, 10_500
    pool = points = 0
    orders = 0
    for row in daily:
        for _ in range(row["orders"]):
            q = v * 100 if points == 0 else v * points // pool
            pool += c
            points += q
            orders += 1
        assert (row["pool_fen"], row["points_units"]) == (pool, points)
    assert orders > 400 and daily[-1]["exits"] == 0


def test_seed_scenario_first_numbers(scenarios_dir: Path) -> None:
    scenario, _ = load_scenario(scenarios_dir / "seed.toml")
    sim = Simulation(scenario, 0, 0)
    result = sim.simulate()
    acquired = [sim.economy.positions[i].acquired_units for i in (1, 2, 3)]
    assert acquired == [2_100_000, 1_470_000, 1_249_500]
    first_day = result.daily.to_pylist()[0]
    assert first_day["pool_fen"] == 30_000 * first_day["orders"]


def test_same_seed_repeats_bit_for_bit_and_seeds_differ() -> None:
    scenario, _ = scenario_of({**CONSTANT, "order_size": {"distribution": "lognormal"}})
    a, b = simulate(scenario, 0, 0), simulate(scenario, 0, 0)
    assert a.daily.equals(b.daily) and a.cohorts.equals(b.cohorts) and a.runs.equals(b.runs)
    other_run = simulate(scenario, 0, 1)
    assert not a.daily.column("pool_fen").equals(other_run.daily.column("pool_fen"))
    other_seed, _ = scenario_of(
        {**CONSTANT, "seed": 4, "order_size": {"distribution": "lognormal"}}
    )
    assert not a.daily.column("pool_fen").equals(simulate(other_seed).daily.column("pool_fen"))


def test_behaviours_sell_and_panic() -> None:
    scenario, _ = scenario_of(
        {
            **CONSTANT,
            "horizon_days": 60,
            "economy": {"exit_multiple": "3"},
            "arrival": {"orders_per_day": 30, "stop_after_day": 30},
            "behaviour": {
                "hold": "0.4",
                "sell_at_multiple": "0.2",
                "sell_multiple": "1.1",
                "sell_on_rise": "0.2",
                "rise": "0.3",
                "panic": "0.2",
            },
        }
    )
    sim = Simulation(scenario, 0, 0)
    result = sim.simulate()
    daily = result.daily.to_pylist()
    assert sum(d["sells"] for d in daily) > 0
    assert all(d["orders"] == 0 for d in daily[30:])
    prices = [d["price"] for d in daily]
    assert prices == sorted(prices)  # the price never falls, sales or not
    sim.economy.check_invariants()


def read(out: Path) -> dict[str, pa.Table]:
    return {name: pq.read_table(out / f"{name}.parquet") for name in ("daily", "cohorts", "runs")}


def test_processes_equal_in_process(tmp_path: Path, scenarios_dir: Path) -> None:
    scenario, variants = load_scenario(scenarios_dir / "full-plan.toml")
    inline = run_all(scenario, variants, tmp_path / "a", runs=2, executor=Executor("inline"))
    run_all(
        scenario, variants, tmp_path / "b", runs=2, executor=Executor("processes", 2), chunk_runs=1
    )
    a, b = read(tmp_path / "a"), read(tmp_path / "b")
    for name in a:
        assert a[name].equals(b[name]), name
    assert a["runs"].num_rows == 2 * len(variants) == 8
    assert inline["complete"] and json.loads((tmp_path / "b" / "manifest.json").read_text())


@pytest.mark.slow
def test_dask_equals_local_processes(tmp_path: Path, scenarios_dir: Path) -> None:
    scenario, variants = load_scenario(scenarios_dir / "slump.toml")
    run_all(scenario, variants, tmp_path / "local", runs=4, executor=Executor("processes", 2))
    run_all(scenario, variants, tmp_path / "dask", runs=4, executor=Executor("dask", 2))
    local, dask = read(tmp_path / "local"), read(tmp_path / "dask")
    for name in local:
        assert local[name].equals(dask[name]), name


def test_failed_run_leaves_nothing_that_looks_complete(tmp_path: Path) -> None:
    scenario, variants = scenario_of(CONSTANT)
    out = tmp_path / "out"
    run_all(scenario, variants, out, runs=1, executor=Executor("inline"))
    assert (out / "manifest.json").exists()

    def boom(done: int, total: int) -> None:
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        run_all(
            scenario,
            variants,
            out,
            runs=3,
            executor=Executor("inline"),
            chunk_runs=1,
            on_progress=boom,
        )
    assert not (out / "manifest.json").exists()
    assert not list(out.glob("*.partial"))


def test_cli_simulate_writes_tables_and_csv(tmp_path: Path, scenarios_dir: Path) -> None:
    out = tmp_path / "seed"
    result = CliRunner().invoke(
        app,
        [
            "simulate",
            str(scenarios_dir / "seed.toml"),
            "--runs",
            "2",
            "--out",
            str(out),
            "--csv",
            "--workers",
            "1",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    for name in ("daily", "cohorts", "runs"):
        assert (out / f"{name}.parquet").exists() and (out / f"{name}.csv").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["runs"] == 2 and manifest["scenario_name"] == "seed"


def test_cli_simulate_bad_scenario_exits_2_without_output(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('horizon_days = 10\n[arrival]\norders_per_day = "-3"\n')
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["simulate", str(bad), "--out", str(out)])
    assert result.exit_code == 2
    assert f"{bad}:3: arrival.orders_per_day" in result.stderr
    assert not out.exists()


def test_orders_replayed_from_data(tmp_path: Path) -> None:
    (tmp_path / "orders.csv").write_text(
        "day,amount,subsidy\n0,1000.00,0\n0,1000.00,0\n2,1000.00,0\n"
    )
    (tmp_path / "s.toml").write_text(
        'horizon_days = 4\n[arrival]\npattern = "replay"\nfile = "orders.csv"\n'
        "[members]\ninitial = 1\nnew_per_day = 0\n"
    )
    scenario, _ = load_scenario(tmp_path / "s.toml")
    daily = simulate(scenario).daily.to_pylist()
    assert [d["orders"] for d in daily] == [2, 0, 1, 0]
    assert daily[-1]["points_units"] == 2_100_000 + 1_470_000 + 1_249_500
    (tmp_path / "orders.csv").write_text("day,amount\n0,abc\n")
    with pytest.raises(ScenarioError, match=r"orders\.csv:2"):
        load_scenario(tmp_path / "s.toml")


@pytest.mark.slow
def test_existing_dask_scheduler(tmp_path: Path, scenarios_dir: Path) -> None:
    from dask.distributed import LocalCluster

    scenario, variants = load_scenario(scenarios_dir / "seed.toml")
    run_all(scenario, variants, tmp_path / "local", runs=2, executor=Executor("inline"))
    with LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster:
        executor = Executor("dask", scheduler=cluster.scheduler_address)
        run_all(scenario, variants, tmp_path / "remote", runs=2, executor=executor)
    local, remote = read(tmp_path / "local"), read(tmp_path / "remote")
    for name in local:
        assert local[name].equals(remote[name]), name


def test_members_reached_counts_are_consistent(scenarios_dir: Path) -> None:
    scenario, _ = load_scenario(scenarios_dir / "slump.toml")
    row = simulate(scenario).runs.to_pylist()[0]
    reached = [row[f"members_reached_{k}x"] for k in (1, 2, 3)]
    assert row["buyers"] >= reached[0] >= reached[1] >= reached[2] >= 0
    assert 0 < row["buyers"] <= row["members"]


def test_cli_png_export_failure_is_a_clear_error(
    tmp_path: Path, scenarios_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zengzhi.sim import report_png

    def no_browser(*args: object, **kwargs: object) -> None:
        raise report_png.PngExportError("no Chromium found (apt-get install chromium)")

    monkeypatch.setattr(report_png, "export_pngs", no_browser)
    monkeypatch.setattr("zengzhi.sim.report.export_pngs", no_browser, raising=False)
    result = CliRunner().invoke(
        app,
        ["simulate", str(scenarios_dir / "seed.toml"), "--runs", "1", "--workers", "1", "-q",
         "--out", str(tmp_path / "o"), "--png", str(tmp_path / "png")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "no Chromium found" in result.stderr
    assert not (tmp_path / "o" / "report.html").exists()
