"""`zengzhi replay` as SPEC 6 states it: output, rejections, malformed input, determinism."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from zengzhi.cli import app
from zengzhi.economy.engine import Economy
from zengzhi.economy.errors import DomainError
from zengzhi.replay import Recorder, render_state, replay_lines

runner = CliRunner()


def lines(*ops: dict[str, Any]) -> list[str]:
    return [json.dumps(op) for op in ops]


def run_cli(text: str) -> Any:
    return runner.invoke(app, ["replay", "-"], input=text)


SEED = lines(
    {"op": "order", "member": "u1", "amount": "1000.00"},
    {"op": "order", "member": "u2", "amount": "1000.00", "subsidy": "0"},
    {"op": "order", "member": "u3", "amount": "1000.00"},
)


def test_seed_orders_give_the_golden_state() -> None:
    out = replay_lines(SEED)
    assert (out["pool"], out["points"], out["price"], out["orders"]) == (
        "900.00",
        "481.9500",
        "1.86741363",
        3,
    )
    assert out["members"]["u1"] == {
        "points": "210.0000",
        "wallet": "0.00",
        "rewards": {
            k: "0.00"
            for k in ("direct", "indirect", "differential", "peer", "regional", "dividend")
        },
    }
    assert out["exits"] == [] and out["rejected"] == []
    # No plan: the whole distribution share (300 each) and platform share (100 each) are platform.
    assert out["platform"] == "1200.00" and out["dividend_pool"] == "0.00"


def test_exit_is_reported_with_price_and_net() -> None:
    out = replay_lines([*SEED, json.dumps({"op": "inject", "amount": "5985.00"})])
    assert out["exits"] == [
        {
            "position": 1,
            "member": "u1",
            "points": "210.0000",
            "price": "14.28571429",
            "net": "2400.00",
        }
    ]
    assert out["members"]["u1"]["wallet"] == "2400.00"


def test_business_rejections_are_listed_and_replay_goes_on() -> None:
    out = replay_lines(
        [
            *SEED,
            json.dumps({"op": "sell", "member": "ghost", "points": "1"}),
            json.dumps({"op": "sell", "member": "u1", "points": "210.0001"}),
            json.dumps({"op": "join", "member": "u1"}),
            json.dumps({"op": "join", "member": "n1", "sponsor": "nobody"}),
            json.dumps({"op": "rank", "member": "u1", "rank": "V9"}),
            json.dumps({"op": "agent", "member": "u1", "region": "44/4419", "level": "district"}),
            json.dumps({"op": "join", "member": "n2", "region": "44"}),
            json.dumps({"op": "rank", "member": "ghost", "rank": "V1"}),
            json.dumps({"op": "sell", "member": "u1", "points": "10"}),
        ]
    )
    assert out["rejected"] == [
        {"line": 4, "code": "unknown_member"},
        {"line": 5, "code": "insufficient_points"},
        {"line": 6, "code": "member_exists"},
        {"line": 7, "code": "unknown_sponsor"},
        {"line": 8, "code": "unknown_rank"},
        {"line": 9, "code": "bad_region"},
        {"line": 10, "code": "bad_region"},
        {"line": 11, "code": "unknown_member"},
    ]
    assert out["members"]["u1"]["points"] == "200.0000"


def test_distribution_ops_are_accepted_without_rates() -> None:
    out = replay_lines(
        lines(
            {"op": "join", "member": "u1", "region": "44/4419/441900"},
            {"op": "join", "member": "u2", "sponsor": "u1", "region": "44/4419/441900"},
            {"op": "agent", "member": "u1", "region": "44/4419", "level": "city"},
            {"op": "shareholder", "member": "u1", "weight": "2"},
            {"op": "order", "member": "u2", "amount": "1000.00"},
            {"op": "dividend"},
        )
    )
    assert out["rejected"] == []
    assert set(out["members"]) == {"u1", "u2"}
    assert out["members"]["u1"]["wallet"] == "0.00"
    assert out["platform"] == "400.00"


def test_config_changes_the_economy() -> None:
    out = replay_lines(
        lines(
            {"op": "config", "economy": {"exit_multiple": "2"}, "split": {"pool": "0.25"}},
            {"op": "order", "member": "u1", "amount": "1000.00"},
        )
    )
    assert out["pool"] == "250.00" and out["points"] == "175.0000"
    assert out["platform"] == "400.00"


MALFORMED = [
    ("not json", "bad JSON"),
    ('["op", "order"]', "object"),
    ('{"op": "teleport"}', "unknown op"),
    ('{"member": "u1"}', "unknown op"),
    ('{"op": "order", "amount": "10"}', "member"),
    ('{"op": "order", "member": "u1"}', "amount"),
    ('{"op": "order", "member": "u1", "amount": "abc"}', "not a number"),
    ('{"op": "order", "member": "u1", "amount": "-5"}', "> 0"),
    ('{"op": "order", "member": "u1", "amount": "0"}', "> 0"),
    ('{"op": "order", "member": "u1", "amount": "1.001"}', "decimal places"),
    ('{"op": "order", "member": "u1", "amount": true}', "amount"),
    ('{"op": "order", "member": "u1", "amount": "10", "subsidy": "11"}', "subsidy"),
    ('{"op": "order", "member": "u1", "amount": "10", "subsidy": "-1"}', "subsidy"),
    ('{"op": "order", "member": "u1", "amount": "10", "subsidy": "0.001"}', "subsidy"),
    ('{"op": "order", "member": 7, "amount": "10"}', "member"),
    ('{"op": "sell", "member": "u1", "points": "0"}', "points"),
    ('{"op": "sell", "member": "u1", "points": "0.00001"}', "decimal places"),
    ('{"op": "sell", "member": "u1", "points": "-1"}', "points"),
    ('{"op": "sell", "member": "u1"}', "points"),
    ('{"op": "inject", "amount": "0"}', "amount"),
    ('{"op": "inject"}', "amount"),
    ('{"op": "config"}', "config"),
    ('{"op": "agent", "member": "u1", "region": "44", "level": "country"}', "level"),
    ('{"op": "shareholder", "member": "u1", "weight": "-1"}', "weight"),
    ('{"op": "shareholder", "member": "u1"}', "weight"),
    ('{"op": "join"}', "member"),
]


@pytest.mark.parametrize(("bad", "why"), MALFORMED)
def test_malformed_line_exits_2_naming_the_line(bad: str, why: str) -> None:
    result = run_cli("\n".join([SEED[0], bad, SEED[1]]) + "\n")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""  # no state printed
    assert "line 2" in result.stderr
    assert why.lower() in result.stderr.lower()


@pytest.mark.parametrize(
    "config",
    [
        {"op": "config", "split": {"cost": "0.5"}},  # does not sum to 1
        {"op": "config", "economy": {"sell_fee": "1.5"}},
        {"op": "config", "economy": {"exit_basis": "nope"}},
        {"op": "config", "economy": {"mystery": "1"}},
        {"op": "config", "plan": {"direct_rate": "0.2", "indirect_rate": "0.2"}},  # over budget
        {
            "op": "config",
            "plan": {"ranks": [{"name": "V1", "rate": "0.2"}, {"name": "V2", "rate": "0.1"}]},
        },
    ],
)
def test_invalid_config_is_malformed(config: dict[str, Any]) -> None:
    result = run_cli(json.dumps(config) + "\n" + SEED[0] + "\n")
    assert result.exit_code == 2
    assert "line 1" in result.stderr


def test_config_must_come_first() -> None:
    result = run_cli(SEED[0] + "\n" + json.dumps({"op": "config"}) + "\n")
    assert result.exit_code == 2 and "line 2" in result.stderr


def test_missing_file_is_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["replay", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2


def test_blank_lines_are_skipped_but_counted() -> None:
    out = replay_lines(
        ["", SEED[0], "  ", json.dumps({"op": "sell", "member": "x", "points": "1"})]
    )
    assert out["rejected"] == [{"line": 4, "code": "unknown_member"}]


def random_ops(count: int, seed: int) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    members = [f"m{i}" for i in range(200)]
    ops: list[dict[str, Any]] = [
        {"op": "config", "economy": {"exit_multiple": "1.5", "exit_basis": "total_return"}}
    ]
    for _ in range(count - 1):
        r = rnd.random()
        member = rnd.choice(members)
        if r < 0.6:
            amount = rnd.randrange(1, 500_000)
            ops.append(
                {
                    "op": "order",
                    "member": member,
                    "amount": f"{amount / 100:.2f}",
                    "subsidy": f"{rnd.randrange(0, amount + 1) / 100:.2f}"
                    if rnd.random() < 0.1
                    else "0",
                }
            )
        elif r < 0.95:
            units = rnd.randrange(1, 3_000_000)
            ops.append({"op": "sell", "member": member, "points": f"{units / 10_000:.4f}"})
        else:
            ops.append({"op": "inject", "amount": f"{rnd.randrange(1, 100_000) / 100:.2f}"})
    return ops


def through_engine_api(ops: list[dict[str, Any]]) -> dict[str, Any]:
    from zengzhi.economy.config import EconomyConfig

    economy = Economy(EconomyConfig.from_mapping(ops[0]["economy"]))
    recorder = Recorder()
    for line_no, op in enumerate(ops[1:], start=2):
        try:
            if op["op"] == "order":
                events = economy.order(
                    op["member"],
                    round(float(op["amount"]) * 100),
                    round(float(op["subsidy"]) * 100),
                )
            elif op["op"] == "sell":
                events = economy.sell(op["member"], round(float(op["points"]) * 10_000))
            else:
                events = economy.inject(round(float(op["amount"]) * 100))
            recorder.record(events)
        except DomainError as exc:
            recorder.rejected.append((line_no, exc.code))
    return render_state(economy, recorder)


@pytest.mark.slow
def test_200k_random_operations_match_the_engine_api(tmp_path: Path) -> None:
    ops = random_ops(200_000, seed=7)
    path = tmp_path / "ops.jsonl"
    path.write_text("\n".join(json.dumps(op) for op in ops) + "\n")
    proc = subprocess.run(
        [sys.executable, "-m", "zengzhi.cli", "replay", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    replayed = json.loads(proc.stdout)
    assert replayed == through_engine_api(ops)
    assert replayed["exits"] and replayed["rejected"]  # the run exercised both
    again = subprocess.run(
        [sys.executable, "-m", "zengzhi.cli", "replay", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert again.stdout == proc.stdout  # deterministic, byte for byte


def test_spec2_worked_example_through_replay() -> None:
    ranks = [{"name": f"V{i}", "rate": f"0.{i}", "peer_rate": "0.01"} for i in range(1, 5)]
    ops = [
        {
            "op": "config",
            "split": {"cost": "0.1", "distribution": "0.6", "platform": "0.1", "pool": "0.2"},
            "plan": {
                "direct_rate": "0.10",
                "indirect_rate": "0.05",
                "ranks": ranks,
                "peer_layers": 1,
                "peer_basis": "order",
            },
        },
        {"op": "join", "member": "E"},
        {"op": "join", "member": "D", "sponsor": "E"},
        {"op": "join", "member": "C", "sponsor": "D"},
        {"op": "join", "member": "B", "sponsor": "C"},
        {"op": "join", "member": "A", "sponsor": "B"},
        {"op": "join", "member": "buyer", "sponsor": "A"},
        {"op": "rank", "member": "A", "rank": "V1"},
        {"op": "rank", "member": "B", "rank": "V1"},
        {"op": "rank", "member": "C", "rank": "V3"},
        {"op": "rank", "member": "D", "rank": "V2"},
        {"op": "rank", "member": "E", "rank": "V4"},
        {"op": "order", "member": "buyer", "amount": "1000.00"},
    ]
    out = replay_lines(lines(*ops))
    assert out["rejected"] == []
    rewards = {
        m: {k: v for k, v in out["members"][m]["rewards"].items() if v != "0.00"} for m in "ABCDE"
    }
    assert rewards == {
        "A": {"direct": "100.00", "differential": "100.00"},
        "B": {"indirect": "50.00", "peer": "10.00"},
        "C": {"differential": "200.00"},
        "D": {},
        "E": {"differential": "100.00"},
    }
    assert out["members"]["A"]["wallet"] == "200.00"
    # Distribution share 600 − 560 paid = 40 unpaid, plus the platform share 100.
    assert out["platform"] == "140.00"


def test_regional_agents_and_dividends_through_replay() -> None:
    ops = [
        {
            "op": "config",
            "plan": {
                "district_rate": "0.03",
                "city_rate": "0.02",
                "province_rate": "0.01",
                "dividend_rate": "0.5",
            },
        },
        {"op": "join", "member": "d1"},
        {"op": "join", "member": "d2"},
        {"op": "join", "member": "p1"},
        {"op": "join", "member": "buyer", "region": "44/4419/441900"},
        {"op": "agent", "member": "d1", "region": "44/4419/441900", "level": "district"},
        {"op": "agent", "member": "d2", "region": "44/4419/441900", "level": "district"},
        {"op": "agent", "member": "d2", "region": "44/4419/441900", "level": "district"},
        {"op": "agent", "member": "p1", "region": "44", "level": "province"},
        {"op": "shareholder", "member": "d1", "weight": "1"},
        {"op": "shareholder", "member": "p1", "weight": "2"},
        {"op": "order", "member": "buyer", "amount": "333.33"},
        {"op": "dividend"},
    ]
    out = replay_lines(lines(*ops))
    m = out["members"]
    # district 3% of 333.33 = 9.9999 split between two agents: 4.99 each (round down).
    assert m["d1"]["rewards"]["regional"] == "4.99" and m["d2"]["rewards"]["regional"] == "4.99"
    assert m["p1"]["rewards"]["regional"] == "3.33"  # 1% = 3.3333 → 3.33; no city agent
    # platform share 33.33, accrual 16.66 (half, rounded down) → dividends 5.55 and 11.10.
    assert m["d1"]["rewards"]["dividend"] == "5.55" and m["p1"]["rewards"]["dividend"] == "11.10"
    assert out["dividend_pool"] == "0.01"
    unpaid = 10000 - 499 - 499 - 333  # distribution share 99.999 → 100.00, less the agents
    assert out["platform"] == f"{(3333 - 1666 + unpaid) / 100:.2f}"


def test_a_file_with_a_byte_order_mark_and_crlf_replays(tmp_path: Path) -> None:
    path = tmp_path / "ops.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(SEED).encode() + b"\r\n")
    result = runner.invoke(app, ["replay", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["pool"] == "900.00"


def test_progress_bar_does_not_change_the_output(tmp_path: Path) -> None:
    path = tmp_path / "ops.jsonl"
    path.write_text("\n".join(SEED) + "\n")
    plain = runner.invoke(app, ["replay", str(path), "--no-progress"])
    with_bar = runner.invoke(app, ["replay", str(path), "--progress"])
    assert plain.exit_code == with_bar.exit_code == 0
    assert plain.stdout == with_bar.stdout
    assert runner.invoke(app, ["replay", "-", "--progress"], input=SEED[0]).exit_code == 0
