from decimal import Decimal

import pytest

from zengzhi.economy.config import EconomyConfig, Split
from zengzhi.economy.errors import InvalidConfig


def test_defaults_are_the_seed() -> None:
    cfg = EconomyConfig()
    assert cfg.initial_price == Decimal("1.00")
    assert cfg.point_ratio == Decimal("0.70")
    assert cfg.sell_fee == cfg.exit_fee == Decimal("0.20")
    assert cfg.exit_multiple == 3
    assert cfg.exit_basis == "acquired"
    assert (cfg.split.cost, cfg.split.distribution, cfg.split.platform, cfg.split.pool) == (
        Decimal("0.30"),
        Decimal("0.30"),
        Decimal("0.10"),
        Decimal("0.30"),
    )


def test_exit_fee_follows_sell_fee_unless_given() -> None:
    assert EconomyConfig.from_mapping({"sell_fee": "0.1"}).exit_fee == Decimal("0.1")
    cfg = EconomyConfig.from_mapping({"sell_fee": "0.1", "exit_fee": "0.05"})
    assert cfg.exit_fee == Decimal("0.05")


def test_partial_split_leaves_cost_as_remainder() -> None:
    split = Split.from_mapping({"pool": "0.25"})
    assert split.cost == Decimal("0.35")
    assert split.pool == Decimal("0.25")


@pytest.mark.parametrize(
    "split",
    [
        {"cost": "0.5"},  # sums to 1.2
        {"cost": "0.3", "distribution": "0.3", "platform": "0.1", "pool": "0.2"},
        {"pool": "0.8"},  # remainder would be negative
        {"pool": "-0.1"},
        {"pool": "x"},
        {"bogus": "0.1"},
    ],
)
def test_bad_splits(split: dict[str, str]) -> None:
    with pytest.raises(InvalidConfig) as err:
        Split.from_mapping(split)
    assert "split" in err.value.message


@pytest.mark.parametrize(
    ("economy", "key"),
    [
        ({"point_ratio": "1.5"}, "point_ratio"),
        ({"sell_fee": "1"}, "sell_fee"),
        ({"sell_fee": "-0.1"}, "sell_fee"),
        ({"exit_multiple": "-2"}, "exit_multiple"),
        ({"exit_fee": "2"}, "exit_fee"),
        ({"exit_basis": "whatever"}, "exit_basis"),
        ({"initial_price": "0"}, "initial_price"),
        ({"initial_price": "0.00001"}, "initial_price"),
        ({"exit_multiple": "1001"}, "exit_multiple"),
        ({"exit_multiple": "2.123456789"}, "exit_multiple"),
        ({"initial_price": "abc"}, "initial_price"),
        ({"surprise": "1"}, "surprise"),
    ],
)
def test_bad_economy_names_the_key(economy: dict[str, str], key: str) -> None:
    with pytest.raises(InvalidConfig) as err:
        EconomyConfig.from_mapping(economy)
    assert key in err.value.message
