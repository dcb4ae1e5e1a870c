"""Process-wide settings for programs that host the engine (CLI, simulator, server, benchmarks)."""

from __future__ import annotations

import gc

# The engine keeps millions of long-lived, acyclic objects (positions, members, heap entries).
# With CPython's default thresholds (700, 10, 10) the collector rescans them so often that it
# halves order throughput at 10^6 positions (docs/PERFORMANCE.md); collecting young objects
# every 50,000 allocations keeps cycles collected while leaving the hot path alone.
GC_THRESHOLDS = (50_000, 50, 100)


def tune_gc() -> None:
    gc.set_threshold(*GC_THRESHOLDS)
