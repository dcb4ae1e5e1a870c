"""Scenario files: validation errors name the key and the line; sweeps expand as written."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from zengzhi.sim.scenario import ScenarioError, key_lines, load_scenario


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_examples_load(scenarios_dir: Path) -> None:
    for path in sorted(scenarios_dir.glob("*.toml")):
        scenario, variants = load_scenario(path)
        assert scenario.horizon_days > 0 and variants
    seed, _ = load_scenario(scenarios_dir / "seed.toml")
    assert seed.order_size.amount_fen == 100_000 and seed.economy.exit_multiple == 3
    slump, _ = load_scenario(scenarios_dir / "slump.toml")
    assert slump.arrival.stop_after_day == 90


def test_key_lines() -> None:
    text = (
        'name = "x"\n\n[arrival]\norders_per_day = 5\n'
        "[[injection]]\nday = 1\n[[injection]]\nday = 2\n"
    )
    lines = key_lines(text)
    assert lines["name"] == 1
    assert lines["arrival.orders_per_day"] == 4
    assert lines["injection[1].day"] == 8


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ("horizon_days = 10\n[arrival]\nrate = 5\n", "arrival.rate", 3),
        ("horizon_days = -5\n", "horizon_days", 1),
        ('name = "x"\n[economy]\nsell_fee = "1.5"\n', "economy.sell_fee", 3),
        ('[split]\npool = "0.9"\n', "split.cost", 1),  # the remainder would be negative
        ("[behaviour]\nhold = 0.5\nsell_at_multiple = 0.2\n", "behaviour.hold", 2),
        ('[arrival]\npattern = "sometimes"\n', "arrival.pattern", 2),
        ("surprise = 1\n", "surprise", 1),
        ('[plan]\ndirect_rate = "0.5"\n', "plan", 1),
        ('[plan]\ndirect_rate = "2"\n', "plan.direct_rate", 2),
        ('horizon_days = 10\n[[injection]]\nday = 50\namount = "1.00"\n', "injection[0].day", 3),
        ('[order_size]\namount = "1.001"\n', "order_size.amount", 2),
        ('[members]\nregions = ["44/4419"]\n', "members.regions", 2),
        ('[sweep]\n"economy.exit_multiple" = ["-1"]\n', "sweep.economy.exit_multiple", 1),
        ('[sweep]\nmode = "zip"\n"runs" = [1, 2]\n"seed" = [1]\n', "sweep.mode", 2),
    ],
)
def test_errors_name_key_and_line(tmp_path: Path, text: str, key: str, line: int) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert err.value.key == key
    assert err.value.line == line
    assert f"{path}:{line}: {key}" in err.value.message


def test_bad_toml_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as err:
        load_scenario(write(tmp_path, 'name = "x"\nhorizon_days = = 3\n'))
    assert err.value.line == 2


def test_sweeps_zip_and_product(tmp_path: Path) -> None:
    base = 'horizon_days = 5\n[sweep]\n"economy.exit_multiple" = ["2", "3"]\n'
    _, product = load_scenario(write(tmp_path, base + '"arrival.orders_per_day" = [1, 2]\n'))
    assert len(product) == 4
    assert [v.scenario.economy.exit_multiple for v in product] == [2, 2, 3, 3]
    _, zipped = load_scenario(
        write(
            tmp_path,
            base.replace("[sweep]", '[sweep]\nmode = "zip"')
            + '"arrival.orders_per_day" = [1, 2]\n',
        )
    )
    assert [
        (v.scenario.economy.exit_multiple, v.scenario.arrival.orders_per_day) for v in zipped
    ] == [(2, 1), (3, 2)]
    assert zipped[1].label == "economy.exit_multiple=3, arrival.orders_per_day=2"
    assert zipped[0].scenario.economy.sell_fee == Decimal("0.20")
