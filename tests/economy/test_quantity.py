from decimal import Decimal

import pytest

from zengzhi.economy.errors import InvalidQuantity
from zengzhi.economy.quantity import (
    Rate,
    format_money,
    format_points,
    format_price,
    mul_round_down,
    mul_round_half_even,
    parse_money,
    parse_points,
)


def test_parse_money_exact() -> None:
    assert parse_money("1000.00") == 100_000
    assert parse_money("0.01") == 1
    assert parse_money(5) == 500
    assert parse_money(Decimal("12.5")) == 1250
    assert parse_money("1e3") == 100_000


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("abc", "not_a_number"),
        ("", "not_a_number"),
        ("NaN", "not_a_number"),
        ("Infinity", "not_a_number"),
        ("-1.00", "non_positive"),
        ("0", "non_positive"),
        ("0.001", "too_many_decimals"),
        ("1.005", "too_many_decimals"),
        ("1.000000000000000000000000000001", "too_many_decimals"),  # beyond Decimal's 28 digits
        ("1_000.00", "not_a_number"),
        ("\uff11\uff10.00", "not_a_number"),  # full-width digits
        ("10000000000000.01", "too_large"),
    ],
)
def test_parse_money_rejects(text: str, code: str) -> None:
    with pytest.raises(InvalidQuantity) as err:
        parse_money(text)
    assert err.value.code == code


def test_floats_are_refused() -> None:
    with pytest.raises(InvalidQuantity):
        parse_money(1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidQuantity):
        parse_money(True)  # type: ignore[arg-type]


def test_parse_points() -> None:
    assert parse_points("210.0000") == 2_100_000
    assert parse_points("0.0001") == 1
    with pytest.raises(InvalidQuantity):
        parse_points("0.00001")
    with pytest.raises(InvalidQuantity):
        parse_points("0")


def test_formatting() -> None:
    assert format_money(90_000) == "900.00"
    assert format_money(5) == "0.05"
    assert format_money(-5) == "-0.05"
    assert format_points(4_819_500) == "481.9500"
    assert format_price(90_000, 4_819_500) == "1.86741363"
    assert format_price(100, 10_000) == "1.00000000"


def test_price_display_is_half_even() -> None:
    # 1/8 = 0.125 CNY/pt exactly at 3 places → ties go to even.
    from zengzhi.economy.quantity import price_decimal

    assert price_decimal(125, 100_000, places=2) == Decimal("0.12")
    assert price_decimal(375, 100_000, places=2) == Decimal("0.38")


def test_rounding_helpers() -> None:
    assert mul_round_half_even(5, Rate(1, 2)) == 2  # 2.5 → 2
    assert mul_round_half_even(7, Rate(1, 2)) == 4  # 3.5 → 4
    assert mul_round_half_even(100_000, Rate.of("0.30")) == 30_000
    assert mul_round_down(21_001, Rate.of("0.70")) == 14_700
    assert Rate.of("0.20").complement() == Rate(4, 5)
