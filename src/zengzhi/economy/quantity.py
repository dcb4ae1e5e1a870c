"""Exact quantities: money counts fen (0.01 CNY), points count 0.0001-point units.

Everything in the engine is an ``int`` of these quanta, so arithmetic is exact and fast.
Rates (fees, shares, multiples) are exact fractions ``num / den`` of ints, taken from the
decimal text an operator wrote. Conversions to and from text live here and nowhere else.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import NamedTuple

from zengzhi.economy.errors import InvalidQuantity

FEN_PER_CNY = 100
UNITS_PER_POINT = 10_000
PRICE_DISPLAY_PLACES = 8

# The largest amount an operation may carry: 10 trillion CNY. Far above any real order, it keeps
# the exact integer keys of the exit heap within their proven range (engine._KEY_SHIFT).
MAX_MONEY_FEN = 10**15
MAX_POINTS_UNITS = 10**22

# Plain ASCII decimal text; Decimal() alone would also take "1_000", "１０" and "NaN".
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")

MONEY_QUANTUM = Decimal("0.01")
POINTS_QUANTUM = Decimal("0.0001")


class Rate(NamedTuple):
    """An exact non-negative ratio ``num / den`` (den > 0), e.g. a fee, a share or a multiple."""

    num: int
    den: int

    @classmethod
    def of(cls, value: Decimal | str | int) -> Rate:
        dec = to_decimal(value, "rate")
        if dec < 0:
            raise InvalidQuantity("negative_rate", f"rate {value!s} is negative")
        num, den = dec.as_integer_ratio()
        return cls(num, den)

    @property
    def decimal(self) -> Decimal:
        return Decimal(self.num) / Decimal(self.den)

    def is_zero(self) -> bool:
        return self.num == 0

    def complement(self) -> Rate:
        """1 − self, for fees: the share that leaves the pool."""
        assert self.num <= self.den, "complement of a rate above 1"
        return Rate(self.den - self.num, self.den)

    def __str__(self) -> str:
        return format(self.decimal.normalize(), "f")


ZERO_RATE = Rate(0, 1)
ONE_RATE = Rate(1, 1)


def to_decimal(value: Decimal | str | int, what: str) -> Decimal:
    """Parse text or an int into a finite Decimal; floats are refused, they are not exact."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, str, int)):
        raise InvalidQuantity("not_a_number", f"{what} must be a decimal string, got {value!r}")
    if isinstance(value, str):
        value = value.strip()
        if not _NUMBER.fullmatch(value):
            raise InvalidQuantity("not_a_number", f"{what} {value!r} is not a number")
    try:
        dec = Decimal(value)  # exact: construction never rounds
    except InvalidOperation:
        raise InvalidQuantity("not_a_number", f"{what} {value!r} is not a number") from None
    if not dec.is_finite():
        raise InvalidQuantity("not_a_number", f"{what} {value!r} is not a finite number")
    return dec


def _to_quanta(value: Decimal | str | int, what: str, scale: int, places: int, limit: int) -> int:
    dec = to_decimal(value, what)
    # Integer arithmetic, not Decimal's 28-digit context: "1.000…0001" must not round to 1.
    num, den = dec.as_integer_ratio()
    quanta, rest = divmod(num * scale, den)
    if rest:
        raise InvalidQuantity(
            "too_many_decimals", f"{what} {value!s} has more than {places} decimal places"
        )
    if abs(quanta) > limit:
        raise InvalidQuantity("too_large", f"{what} {value!s} is above the largest allowed")
    return quanta


def parse_money(
    value: Decimal | str | int, what: str = "amount", *, allow_zero: bool = False
) -> int:
    """Text like ``"1000.00"`` to fen; must be positive (or zero when allowed), at most 2 places."""
    fen = _to_quanta(value, what, FEN_PER_CNY, 2, MAX_MONEY_FEN)
    if fen < 0 or (fen == 0 and not allow_zero):
        raise InvalidQuantity("non_positive", f"{what} must be {'≥' if allow_zero else '>'} 0")
    return fen


def parse_points(value: Decimal | str | int, what: str = "points") -> int:
    """Text like ``"100.0000"`` to point units; must be positive, at most 4 places."""
    units = _to_quanta(value, what, UNITS_PER_POINT, 4, MAX_POINTS_UNITS)
    if units <= 0:
        raise InvalidQuantity("non_positive", f"{what} must be > 0")
    return units


def format_money(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), FEN_PER_CNY)
    return f"{sign}{whole}.{part:02d}"


def format_points(units: int) -> str:
    sign = "-" if units < 0 else ""
    whole, part = divmod(abs(units), UNITS_PER_POINT)
    return f"{sign}{whole}.{part:04d}"


def money_decimal(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def points_decimal(units: int) -> Decimal:
    return Decimal(units).scaleb(-4)


def price_decimal(fen: int, units: int, places: int = PRICE_DISPLAY_PLACES) -> Decimal:
    """CNY per point of ``fen / units``, rounded half-even to ``places`` (display only)."""
    assert units > 0
    scale = 10**places
    # CNY per point = (fen / 100) / (units / 10_000) = fen * 100 / units
    q, r = divmod(fen * 100 * scale, units)
    if 2 * r > units or (2 * r == units and q % 2 == 1):
        q += 1
    return Decimal(q).scaleb(-places)


def format_price(fen: int, units: int) -> str:
    return f"{price_decimal(fen, units):.{PRICE_DISPLAY_PLACES}f}"


def mul_round_half_even(quanta: int, rate: Rate) -> int:
    """round_half_even(quanta × rate) for non-negative quanta."""
    q, r = divmod(quanta * rate.num, rate.den)
    twice = 2 * r
    if twice > rate.den or (twice == rate.den and q & 1):
        q += 1
    return q


def mul_round_down(quanta: int, rate: Rate) -> int:
    """round_down(quanta × rate) for non-negative quanta (toward zero = floor here)."""
    return quanta * rate.num // rate.den


def round_half_even_decimal(value: Decimal, quantum: Decimal) -> Decimal:
    return value.quantize(quantum, rounding=ROUND_HALF_EVEN)
