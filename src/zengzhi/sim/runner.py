"""Running many simulations: Monte Carlo over runs, sweep variants, local processes or Dask.

Work is cut into chunks of runs; each chunk returns Arrow tables that are streamed, in a fixed
order, into Parquet files, so memory does not grow with the number of runs and every executor
writes the same tables. Files are written under temporary names and the manifest last: a
directory without ``manifest.json`` is never a finished result.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from zengzhi import __version__
from zengzhi.sim.run import simulate
from zengzhi.sim.scenario import Scenario, Variant
from zengzhi.sim.tables import TABLES

Chunk = tuple[Scenario, int, tuple[int, ...]]  # (variant's scenario, variant index, run indices)
ChunkResult = dict[str, pa.Table]


def run_chunk(chunk: Chunk) -> ChunkResult:
    """Simulate a chunk of runs of one variant (a top-level function, so processes can run it)."""
    scenario, variant, runs = chunk
    parts: dict[str, list[pa.Table]] = {name: [] for name in TABLES}
    for run in runs:
        result = simulate(scenario, variant, run)
        parts["daily"].append(result.daily)
        parts["cohorts"].append(result.cohorts)
        parts["runs"].append(result.runs)
    return {name: pa.concat_tables(tables) for name, tables in parts.items()}


def make_chunks(variants: Sequence[Variant], runs: int, chunk_runs: int) -> list[Chunk]:
    chunks: list[Chunk] = []
    for variant in variants:
        for start in range(0, runs, chunk_runs):
            indices = tuple(range(start, min(start + chunk_runs, runs)))
            chunks.append((variant.scenario, variant.index, indices))
    return chunks


def _in_process(chunks: Sequence[Chunk], workers: int) -> Iterator[ChunkResult]:
    yield from map(run_chunk, chunks)


def _processes(chunks: Sequence[Chunk], workers: int) -> Iterator[ChunkResult]:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(run_chunk, chunks)  # in submission order, as they complete


def _dask(chunks: Sequence[Chunk], workers: int, scheduler: str | None) -> Iterator[ChunkResult]:
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        futures = client.map(run_chunk, chunks, pure=False)
        for future in futures:  # in order: the tables come out as from local processes
            yield future.result()
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@dataclass(frozen=True)
class Executor:
    kind: str = "processes"  # "inline" | "processes" | "dask"
    workers: int = 0  # 0: one per CPU
    scheduler: str | None = None  # Dask scheduler address; None: a LocalCluster

    def map(self, chunks: Sequence[Chunk]) -> Iterator[ChunkResult]:
        workers = self.workers or os.cpu_count() or 1
        if self.kind == "inline" or (self.kind == "processes" and workers == 1):
            return _in_process(chunks, workers)
        if self.kind == "processes":
            return _processes(chunks, workers)
        if self.kind == "dask":
            return _dask(chunks, workers, self.scheduler)
        raise ValueError(f"unknown executor {self.kind!r}")


class ResultWriter:
    """Streams tables into ``DIR/<name>.parquet`` (and ``.csv``); finish() makes them final."""

    def __init__(self, out_dir: Path, *, csv: bool = False) -> None:
        self.out_dir = out_dir
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "manifest.json").unlink(missing_ok=True)  # an old result is no longer valid
        self.csv = csv
        self._parquet: dict[str, pq.ParquetWriter] = {}
        self._csv: dict[str, pacsv.CSVWriter] = {}
        self._partial: list[tuple[Path, Path]] = []
        for name, schema in TABLES.items():
            final = out_dir / f"{name}.parquet"
            partial = final.with_suffix(".parquet.partial")
            self._parquet[name] = pq.ParquetWriter(partial, schema, compression="zstd")
            self._partial.append((partial, final))
            if csv:
                final_csv = out_dir / f"{name}.csv"
                partial_csv = final_csv.with_suffix(".csv.partial")
                self._csv[name] = pacsv.CSVWriter(partial_csv, schema)
                self._partial.append((partial_csv, final_csv))

    def write(self, tables: ChunkResult) -> None:
        for name, table in tables.items():
            self._parquet[name].write_table(table)
            if self.csv:
                self._csv[name].write_table(table)

    def _close(self) -> None:
        for w in self._parquet.values():
            w.close()
        for c in self._csv.values():
            c.close()

    def finish(self, manifest: dict[str, Any]) -> None:
        self._close()
        for partial, final in self._partial:
            partial.replace(final)
        tmp = self.out_dir / "manifest.json.partial"
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(self.out_dir / "manifest.json")

    def abort(self) -> None:
        try:
            self._close()
        finally:
            for partial, _ in self._partial:
                partial.unlink(missing_ok=True)


def manifest_for(
    scenario: Scenario, variants: Sequence[Variant], runs: int, elapsed_s: float
) -> dict[str, Any]:
    from zengzhi.compliance import findings_to_json, lint_plan

    lint = lint_plan(scenario.plan, distribution_share=scenario.economy.split.distribution)
    return {
        "complete": True,
        "zengzhi_version": __version__,
        "scenario_name": scenario.name,
        "scenario_file": scenario.source,
        "description": scenario.description,
        "horizon_days": scenario.horizon_days,
        "runs": runs,
        "seed": scenario.seed,
        "cohort_days": scenario.cohort_days,
        "stop_after_day": scenario.arrival.stop_after_day,
        "variants": [
            {
                "index": v.index,
                "label": v.label,
                "params": dict(v.params),
                "economy": v.scenario.economy_mapping(),
            }
            for v in variants
        ],
        "economy": scenario.economy_mapping(),
        "plan": scenario.plan_mapping,
        "lint": findings_to_json(lint),
        "elapsed_s": round(elapsed_s, 3),
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def run_all(
    scenario: Scenario,
    variants: Sequence[Variant],
    out_dir: Path,
    *,
    runs: int | None = None,
    executor: Executor | None = None,
    csv: bool = False,
    chunk_runs: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Run every variant × run, stream the tables to ``out_dir``; returns the manifest."""
    runs = runs if runs is not None else scenario.runs
    if runs < 1:
        raise ValueError("runs must be ≥ 1")
    executor = executor or Executor()
    workers = executor.workers or os.cpu_count() or 1
    if chunk_runs is None:
        # Several chunks per worker keep the pool busy; small chunks keep progress smooth.
        chunk_runs = max(1, min(50, runs * len(variants) // (workers * 8) or 1))
    chunks = make_chunks(variants, runs, chunk_runs)
    total = runs * len(variants)
    writer = ResultWriter(out_dir, csv=csv)
    started = time.perf_counter()
    done = 0
    try:
        for chunk, tables in zip(chunks, executor.map(chunks), strict=True):
            writer.write(tables)
            done += len(chunk[2])
            if on_progress is not None:
                on_progress(done, total)
        manifest = manifest_for(scenario, variants, runs, time.perf_counter() - started)
        writer.finish(manifest)
    except BaseException:
        writer.abort()
        raise
    return manifest
