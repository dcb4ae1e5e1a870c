"""Read a simulation result directory and compute what the report shows.

This is a display adapter: money (int64 fen), points (int64 units) and prices (decimal) are
turned into floats here and only here, for plotting and for rounded figures in text. Nothing
computed in this module feeds back into the economy.
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

FloatArray = np.ndarray[Any, np.dtype[np.float64]]

UNITS_PER_POINT = 10_000
FEN_PER_CNY = 100
REWARD_TYPES = ("direct", "indirect", "differential", "peer", "regional", "dividend")

DAILY_COLUMNS = ("price", "pool_fen", "points_units", "exits", "open_positions")
COHORT_COLUMNS = (
    "cohort_start_day",
    "positions",
    "exited",
    "days_to_exit_p50",
    "days_to_exit_p90",
    "reached_1x",
    "reached_2x",
    "reached_3x",
)


class ResultError(ValueError):
    """The directory is not a finished, readable simulation result."""


@dataclass(frozen=True)
class Economy:
    initial_price: Decimal
    point_ratio: Decimal
    sell_fee: Decimal
    exit_multiple: Decimal
    exit_fee: Decimal
    exit_basis: str
    pool_share: Decimal
    raw: dict[str, Any]

    @property
    def value_share(self) -> Decimal:
        """Points value given to a buyer, as a share of the spend (pool share × point ratio)."""
        return self.pool_share * self.point_ratio

    @property
    def exit_factor(self) -> float | None:
        """SPEC 1.7: exit price ÷ entry price = exit_multiple / (pool share × point ratio)."""
        if self.exit_multiple <= 0 or self.value_share <= 0:
            return None
        return float(self.exit_multiple / self.value_share)


@dataclass
class Variant:
    index: int
    label: str
    params: dict[str, Any]
    economy: Economy
    stop_after_day: int | None
    days: FloatArray = field(default_factory=lambda: np.zeros(0))  # day of each daily column
    daily: dict[str, FloatArray] = field(default_factory=dict)  # column -> [runs, days]
    cohorts: dict[str, FloatArray] = field(default_factory=dict)  # column -> [runs, cohorts]
    cohort_days: FloatArray = field(default_factory=lambda: np.zeros(0))
    runs: dict[str, FloatArray] = field(default_factory=dict)  # column -> [runs]
    n_runs: int = 0


@dataclass
class Result:
    root: Path
    manifest: dict[str, Any]
    horizon_days: int
    cohort_days: int
    variants: list[Variant]

    @property
    def base(self) -> Variant:  # the first sweep point (index 0)
        return self.variants[0]


def _dec(value: Any, name: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ResultError(f"manifest economy.{name}: not a number: {value!r}") from None


def _economy(raw: dict[str, Any]) -> Economy:
    split = raw.get("split") or {}
    sell_fee = _dec(raw.get("sell_fee", "0.20"), "sell_fee")
    return Economy(
        initial_price=_dec(raw.get("initial_price", "1.00"), "initial_price"),
        point_ratio=_dec(raw.get("point_ratio", "0.70"), "point_ratio"),
        sell_fee=sell_fee,
        exit_multiple=_dec(raw.get("exit_multiple", "3"), "exit_multiple"),
        exit_fee=_dec(raw.get("exit_fee", sell_fee), "exit_fee"),
        exit_basis=str(raw.get("exit_basis", "acquired")),
        pool_share=_dec(split.get("pool", "0.30"), "split.pool"),
        raw=raw,
    )


def _variant_economy(base: dict[str, Any], variant: dict[str, Any]) -> dict[str, Any]:
    """The economy a sweep point ran with: its own ``economy`` if the manifest gives one, else
    the base economy with the point's ``economy.*`` / ``split.*`` parameters applied."""
    if isinstance(variant.get("economy"), dict):
        return dict(variant["economy"])
    economy = json.loads(json.dumps(base))  # deep copy of plain JSON
    for key, value in (variant.get("params") or {}).items():
        path = str(key).split(".")
        if path[0] == "economy":
            path = path[1:]
        elif path[0] != "split":
            continue
        node = economy
        for part in path[:-1]:
            node = node.setdefault(part, {})
        if path:
            node[path[-1]] = value
    return economy


def stop_column(v: Variant) -> int | None:
    """Column of the daily matrices for the day orders stop, if that day has a later one."""
    if v.stop_after_day is None or v.n_runs == 0:
        return None
    col = int(np.searchsorted(v.days, v.stop_after_day))
    if col >= v.days.size - 1 or v.days[col] != v.stop_after_day:
        return None
    return col


def _variant_stop(default: Any, variant: dict[str, Any]) -> int | None:
    if "stop_after_day" in variant:
        return None if variant["stop_after_day"] is None else int(variant["stop_after_day"])
    for key, value in (variant.get("params") or {}).items():
        if str(key).split(".")[-1] == "stop_after_day":
            return None if value in (None, "", "none") else int(value)
    return None if default is None else int(default)


def to_float(column: Any) -> FloatArray:
    """An Arrow column (ints, decimals, floats, with nulls) as float64 with NaN for null."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    as_float = pc.cast(column, pa.float64())
    out: FloatArray = as_float.to_numpy(zero_copy_only=False).astype(np.float64, copy=False)
    return out


def _read(root: Path, name: str, columns: list[str] | None) -> Any:
    path = root / f"{name}.parquet"
    if not path.is_file():
        raise ResultError(f"{path}: missing (not a simulation result directory)")
    try:
        return pq.read_table(path, columns=columns)
    except (OSError, pa.ArrowInvalid, KeyError) as exc:
        raise ResultError(f"{path}: cannot read: {exc}") from exc


def _matrix(
    table: Any, variant: int, x_name: str, columns: tuple[str, ...]
) -> tuple[FloatArray, dict[str, FloatArray], int]:
    """Rows of one variant scattered into [run, x] matrices (NaN where a row is missing)."""
    rows = table.filter(pc.equal(table["variant"], variant))
    run_ids = rows["run"].to_numpy()
    xs = to_float(rows[x_name]).astype(np.int64)
    runs = np.unique(run_ids)
    xs_unique = np.unique(xs)
    r = np.searchsorted(runs, run_ids)
    c = np.searchsorted(xs_unique, xs)
    out: dict[str, FloatArray] = {}
    for name in columns:
        mat = np.full((len(runs), len(xs_unique)), np.nan)
        mat[r, c] = to_float(rows[name])
        out[name] = mat
    return xs_unique.astype(np.float64), out, len(runs)


def load_result(root: Path) -> Result:
    """Read ``manifest.json`` and the three tables of a finished result directory."""
    root = Path(root)
    manifest_path = root / "manifest.json"
    if not manifest_path.is_file():
        raise ResultError(f"{root}: no manifest.json (not a finished simulation result)")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ResultError(f"{manifest_path}: cannot read: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("complete") is not True:
        raise ResultError(f"{manifest_path}: the result is not complete")

    daily = _read(root, "daily", ["variant", "run", "day", *DAILY_COLUMNS])
    cohorts = _read(root, "cohorts", ["variant", "run", *COHORT_COLUMNS])
    runs = _read(root, "runs", None)

    horizon = int(manifest.get("horizon_days") or 0)
    if horizon <= 0 and daily.num_rows:
        horizon = int(pc.max(daily["day"]).as_py()) + 1
    base_economy = manifest.get("economy") or {}
    default_stop = manifest.get("stop_after_day")
    variants_raw = manifest.get("variants") or [{"index": 0, "label": "base", "params": {}}]
    variants_raw = sorted(variants_raw, key=lambda v: int(v.get("index", 0)))

    variants = []
    for raw in variants_raw:
        index = int(raw.get("index", 0))
        v = Variant(
            index=index,
            label=str(raw.get("label") or f"#{index}"),
            params=dict(raw.get("params") or {}),
            economy=_economy(_variant_economy(base_economy, raw)),
            stop_after_day=_variant_stop(default_stop, raw),
        )
        v.days, v.daily, v.n_runs = _matrix(daily, index, "day", DAILY_COLUMNS)
        v.cohort_days, v.cohorts, _ = _matrix(cohorts, index, "cohort_start_day", COHORT_COLUMNS)
        rows = runs.filter(pc.equal(runs["variant"], index))
        v.runs = {name: to_float(rows[name]) for name in rows.column_names if name not in ("seed",)}
        variants.append(v)
    return Result(
        root=root,
        manifest=manifest,
        horizon_days=horizon,
        cohort_days=int(manifest.get("cohort_days") or 0),
        variants=variants,
    )


# --- statistics -----------------------------------------------------------------------------


def quantiles(mat: FloatArray, qs: tuple[float, ...], axis: int = 0) -> list[FloatArray]:
    """Percentiles (0–100) across runs, ignoring NaN; all-NaN columns give NaN, silently."""
    if mat.size == 0:
        return [np.zeros(0) for _ in qs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = np.nanpercentile(mat, qs, axis=axis)
    return [np.asarray(row, dtype=np.float64) for row in out]


def nanmedian(values: FloatArray, axis: int | None = None) -> Any:
    if values.size == 0:
        if axis is None:
            return math.nan
        shape = list(values.shape)
        del shape[axis]
        return np.full(shape, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(values, axis=axis)


def ratio(num: float, den: float) -> float:
    return num / den if den else math.nan


@dataclass(frozen=True)
class VariantStats:
    """Headline numbers for one variant (floats, for display)."""

    runs: int
    price_p5: float
    price_p50: float
    price_p95: float
    growth: float
    sales_fen: float
    orders: float
    members: float
    positions: float  # all runs
    positions_per_run: float  # median
    exits: float  # median per run
    share_exited: float
    share_open: float
    stuck_value_fen: float  # mean per run
    stuck_spend_fen: float
    stuck_ratio: float
    reached: tuple[float, float, float]
    members_reached: tuple[float, float, float]  # share of buyers, by net value
    rewards_fen: dict[str, float]  # mean per run by type
    stop: int | None
    price_at_stop: float
    exits_after_stop: float
    open_at_end: float


def _sum(values: FloatArray | None) -> float:
    return float(np.nansum(values)) if values is not None and values.size else 0.0


def _mean(values: FloatArray | None) -> float:
    return float(np.nanmean(values)) if values is not None and values.size else math.nan


def _median(values: FloatArray | None) -> float:
    return float(nanmedian(values)) if values is not None and values.size else math.nan


def variant_stats(result: Result, v: Variant) -> VariantStats:
    runs = v.runs
    price = runs.get("price", np.zeros(0))
    p5, p50, p95 = (float(q) if q.size else math.nan for q in _price_q(price))
    positions = _sum(runs.get("positions"))
    cohort_positions = _sum(v.cohorts.get("positions"))
    reached = tuple(
        ratio(_sum(v.cohorts.get(f"reached_{k}x")), cohort_positions) for k in (1, 2, 3)
    )
    buyers = _sum(runs.get("buyers"))
    members_reached = tuple(
        ratio(_sum(runs.get(f"members_reached_{k}x")), buyers) for k in (1, 2, 3)
    )
    stop = v.stop_after_day
    price_at_stop = exits_after_stop = math.nan
    col = stop_column(v)
    if col is not None:
        price_at_stop = _median(v.daily["price"][:, col])
        exits_after_stop = _median(np.nansum(v.daily["exits"][:, col + 1 :], axis=1))
    stuck_value = _sum(runs.get("stuck_value_fen"))
    stuck_spend = _sum(runs.get("stuck_spend_fen"))
    return VariantStats(
        runs=v.n_runs or int(price.size),
        price_p5=p5,
        price_p50=p50,
        price_p95=p95,
        growth=ratio(p50, float(v.economy.initial_price)),
        sales_fen=_median(runs.get("sales_fen")),
        orders=_median(runs.get("orders")),
        members=_median(runs.get("members")),
        positions=positions,
        positions_per_run=_median(runs.get("positions")),
        exits=_median(runs.get("exits")),
        share_exited=ratio(_sum(runs.get("exits")), positions),
        share_open=ratio(_sum(runs.get("open_positions")), positions),
        stuck_value_fen=_mean(runs.get("stuck_value_fen")),
        stuck_spend_fen=_mean(runs.get("stuck_spend_fen")),
        stuck_ratio=ratio(stuck_value, stuck_spend),
        reached=(reached[0], reached[1], reached[2]),
        members_reached=(members_reached[0], members_reached[1], members_reached[2]),
        rewards_fen={t: _mean(runs.get(f"reward_{t}_fen")) for t in REWARD_TYPES},
        stop=stop,
        price_at_stop=price_at_stop,
        exits_after_stop=exits_after_stop,
        open_at_end=_median(runs.get("open_positions")),
    )


def _price_q(price: FloatArray) -> list[FloatArray]:
    if price.size == 0:
        return [np.zeros(0)] * 3
    return [np.asarray(q) for q in np.nanpercentile(price, (5, 50, 95))]
