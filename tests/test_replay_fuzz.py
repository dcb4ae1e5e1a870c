"""Hostile input: whatever a line holds, replay either lists a rejection or stops with
MalformedLine — never another exception, never a half-applied operation."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from zengzhi.replay import OPS, MalformedLine, replay_lines

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["1000.00", "0.0001", "-1", "0", "1e400", "NaN", "44/4419/441900", "44",
                     "V1", "district", "city", "u1", "u2", "1.005", " 5 "]),
)  # fmt: skip
config_keys = st.sampled_from(
    ["direct_rate", "indirect_rate", "ranks", "name", "rate", "peer_rate", "peer_layers",
     "peer_basis", "district_rate", "dividend_rate", "exit_multiple", "sell_fee", "exit_basis",
     "pool", "cost", "initial_price", "point_ratio", "marketing", "texts", "rule"]
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(config_keys, inner, max_size=4)
    ),
    max_leaves=8,
)
fields = st.sampled_from(
    ["member", "sponsor", "region", "rank", "level", "weight", "amount", "subsidy", "points",
     "economy", "split", "plan"]
)  # fmt: skip
ops = st.builds(
    lambda op, extra: {"op": op, **extra},
    st.sampled_from([*OPS, "nope"]),
    st.dictionaries(fields, values, max_size=5),
)


@given(st.lists(ops, max_size=12))
def test_replay_never_crashes(lines: list[dict[str, Any]]) -> None:
    text = [json.dumps(line, allow_nan=True) for line in lines]
    try:
        out = replay_lines(text)
    except MalformedLine as exc:
        assert 1 <= exc.line <= len(lines)
        return
    assert {"pool", "points", "price", "members", "rejected"} <= set(out)
