"""The simulator's result tables: what a run writes and what the report reads.

A result directory holds ``daily.parquet``, ``cohorts.parquet``, ``runs.parquet`` (optionally
the same as ``.csv``) and ``manifest.json``. The manifest is written last: a directory without
it is not a finished result. Money is int64 fen, points int64 units, prices exact decimals with
8 places; nothing in the tables is a float.
"""

from __future__ import annotations

import pyarrow as pa

PRICE = pa.decimal128(24, 8)  # CNY per point, rounded half-even to 8 places (display)
MULTIPLE = pa.decimal128(18, 6)

KEYS = [
    pa.field("variant", pa.int32()),  # index of the sweep point (0 without a sweep)
    pa.field("run", pa.int32()),  # Monte Carlo run within the variant
    pa.field("seed", pa.int64()),  # the run's own seed (independent stream)
]

# One row per run per day (day 0 … horizon_days − 1), state at the end of the day.
DAILY = pa.schema(
    [
        *KEYS,
        pa.field("day", pa.int32()),
        pa.field("orders", pa.int32()),  # orders settled that day
        pa.field("sales_fen", pa.int64()),  # Σ order amounts that day
        pa.field("subsidy_fen", pa.int64()),  # Σ subsidies that day
        pa.field("new_members", pa.int32()),
        pa.field("members", pa.int32()),  # members at the end of the day
        pa.field("sells", pa.int32()),  # voluntary sales that day (holder behaviour)
        pa.field("sell_points_units", pa.int64()),
        pa.field("sell_net_fen", pa.int64()),
        pa.field("exits", pa.int32()),  # forced exits that day
        pa.field("exit_net_fen", pa.int64()),
        pa.field("injected_fen", pa.int64()),
        pa.field("rewards_fen", pa.int64()),  # all distribution rewards paid that day
        pa.field("pool_fen", pa.int64()),
        pa.field("points_units", pa.int64()),
        pa.field("price", PRICE),
        pa.field("open_positions", pa.int32()),
    ]
)

# One row per run per entry cohort (positions opened in [start_day, start_day + cohort_days)).
COHORTS = pa.schema(
    [
        *KEYS,
        pa.field("cohort_start_day", pa.int32()),
        pa.field("positions", pa.int32()),
        pa.field("spend_fen", pa.int64()),
        pa.field("exited", pa.int32()),  # force-exited by the horizon
        pa.field("days_to_exit_p50", pa.float64(), nullable=True),  # days, not money
        pa.field("days_to_exit_p90", pa.float64(), nullable=True),
        # positions whose value (net received + held × price at the horizon) reached k × spend
        pa.field("reached_1x", pa.int32()),
        pa.field("reached_2x", pa.int32()),
        pa.field("reached_3x", pa.int32()),
        pa.field("entry_price_first", PRICE),  # price paid by the cohort's first position
    ]
)

# One row per run: totals at the horizon.
RUNS = pa.schema(
    [
        *KEYS,
        pa.field("orders", pa.int64()),
        pa.field("sales_fen", pa.int64()),
        pa.field("members", pa.int32()),
        pa.field("pool_fen", pa.int64()),
        pa.field("points_units", pa.int64()),
        pa.field("price", PRICE),
        pa.field("exits", pa.int64()),
        pa.field("exit_net_fen", pa.int64()),
        pa.field("sell_net_fen", pa.int64()),
        pa.field("injected_fen", pa.int64()),
        pa.field("subsidy_fen", pa.int64()),
        pa.field("reward_direct_fen", pa.int64()),
        pa.field("reward_indirect_fen", pa.int64()),
        pa.field("reward_differential_fen", pa.int64()),
        pa.field("reward_peer_fen", pa.int64()),
        pa.field("reward_regional_fen", pa.int64()),
        pa.field("reward_dividend_fen", pa.int64()),
        pa.field("platform_revenue_fen", pa.int64()),
        pa.field("positions", pa.int64()),
        pa.field("open_positions", pa.int64()),
        pa.field("stuck_value_fen", pa.int64()),  # held × final price over open positions
        pa.field("stuck_spend_fen", pa.int64()),  # spend of positions still open
        pa.field("buyers", pa.int32()),  # members with at least one order
        # buyers whose net received + held × final price reached k × their total spend
        pa.field("members_reached_1x", pa.int32()),
        pa.field("members_reached_2x", pa.int32()),
        pa.field("members_reached_3x", pa.int32()),
    ]
)

TABLES = {"daily": DAILY, "cohorts": COHORTS, "runs": RUNS}
