"""The command line as a new user meets it: help, version, the seed example, lint."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from zengzhi import __version__
from zengzhi.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("replay", "example", "lint"):
        assert command in result.stdout


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.stdout


def test_example_seed_json_has_the_seed_numbers() -> None:
    result = runner.invoke(app, ["example", "seed", "--json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    orders = doc["orders"]
    assert [o["points"] for o in orders] == ["210.0000", "147.0000", "124.9500"]
    assert [o["price_after"][:4] for o in orders] == ["1.42", "1.68", "1.86"]
    assert orders[-1]["price_after"] == "1.86741363"
    assert orders[0]["break_even_price"].startswith("4.7619")
    assert orders[0]["trigger_3x"] == "14.28571429"
    assert orders[1]["trigger_3x"] == "20.40816327"
    assert doc["sale"] == {
        "price": "9.52380952",
        "points": "210.0000",
        "gross": "2000.00",
        "net": "1600.00",
        "kept_in_pool": "400.00",
        "price_after": doc["sale"]["price_after"],
        "injected": "3690.00",
    }


def test_example_seed_tables_in_both_languages() -> None:
    en = runner.invoke(app, ["example", "seed", "--lang", "en"])
    zh = runner.invoke(app, ["example", "seed", "--lang", "zh"])
    assert en.exit_code == zh.exit_code == 0
    assert "14.28571429" in en.stdout and "Not a promise of returns" in en.stdout
    assert "盈利池" in zh.stdout and "不是收益承诺" in zh.stdout


def test_lint_clean_plan_exits_0_and_bad_plan_exits_1() -> None:
    clean = runner.invoke(app, ["lint", str(ROOT / "examples/plans/seed.toml")])
    assert clean.exit_code == 0, clean.output
    bad = runner.invoke(app, ["lint", str(ROOT / "examples/plans/lint-bad.toml"), "--json"])
    assert bad.exit_code == 1
    rules = {f["rule"] for f in json.loads(bad.stdout)}
    assert {"mlm.recruitment_reward", "mlm.entry_fee", "mlm.team_compensation"} <= rules


def test_lint_unreadable_or_invalid_plan_exits_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["lint", str(tmp_path / "missing.toml")]).exit_code == 2
    bad = tmp_path / "bad.toml"
    bad.write_text('direct_rate = "1.5"\n')
    result = runner.invoke(app, ["lint", str(bad)])
    assert result.exit_code == 2 and "direct_rate" in result.stderr


def test_lint_live_counts_the_network(tmp_path: Path) -> None:
    ops = [{"op": "join", "member": "m0"}]
    ops += [{"op": "join", "member": f"m{i}", "sponsor": f"m{i - 1}"} for i in range(1, 40)]
    ops += [{"op": "order", "member": "m39", "amount": "100.00"}]
    live = tmp_path / "live.jsonl"
    live.write_text("\n".join(json.dumps(op) for op in ops) + "\n")
    result = runner.invoke(
        app,
        ["lint", str(ROOT / "examples/plans/lint-two-level.toml"), "--live", str(live), "--json"],
    )
    assert result.exit_code == 1
    rules = {f["rule"] for f in json.loads(result.stdout)}
    assert "criminal.pyramid_organization" in rules
