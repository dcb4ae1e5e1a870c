"""The seed's walk-through (SPEC 1.6), computed by the engine rather than copied from the text."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from zengzhi.economy.engine import Economy
from zengzhi.economy.events import OrderSettled, PointsSold
from zengzhi.economy.quantity import FEN_PER_CNY, UNITS_PER_POINT, price_decimal


@dataclass(frozen=True)
class SeedOrder:
    buyer: str
    amount_fen: int
    contribution_fen: int
    value_fen: int
    price_before: Decimal
    points_units: int
    pool_fen: int
    total_points_units: int
    price_after: Decimal
    break_even_price: Decimal  # 1× spend / points
    trigger_2x: Decimal
    trigger_3x: Decimal


@dataclass(frozen=True)
class SeedSale:
    price: Decimal
    points_units: int
    gross_fen: int
    net_fen: int
    kept_in_pool_fen: int
    price_after: Decimal
    injected_fen: int


@dataclass(frozen=True)
class SeedWalkthrough:
    orders: tuple[SeedOrder, ...]
    sale: SeedSale


def _multiple_price(multiple: int, spend_fen: int, units: int) -> Decimal:
    return price_decimal(multiple * spend_fen, units)


def seed_walkthrough(orders: int = 3) -> SeedWalkthrough:
    """Three orders of 1000 with the seed's defaults, then the seed's sale example: the first
    buyer's points are worth 2000 (price 2000/210) and he sells them all."""
    economy = Economy()
    rows: list[SeedOrder] = []
    for i in range(1, orders + 1):
        buyer = f"u{i}"
        settled = economy.order(buyer, 1000 * FEN_PER_CNY)[0]
        assert isinstance(settled, OrderSettled)
        spend, units = settled.spend_fen, settled.points_units
        rows.append(
            SeedOrder(
                buyer=buyer,
                amount_fen=settled.amount_fen,
                contribution_fen=settled.contribution_fen,
                value_fen=settled.value_fen,
                price_before=settled.price,
                points_units=units,
                pool_fen=economy.pool_fen,
                total_points_units=economy.points_units,
                price_after=economy.price,
                break_even_price=_multiple_price(1, spend, units),
                trigger_2x=_multiple_price(2, spend, units),
                trigger_3x=_multiple_price(3, spend, units),
            )
        )
    first = rows[0]
    # Inject exactly what lifts the price to 2000 / first.points: pool = 2000 × points / held.
    target_pool = 2000 * FEN_PER_CNY * economy.points_units
    assert target_pool % first.points_units == 0
    injected = target_pool // first.points_units - economy.pool_fen
    economy.inject(injected)
    sold = economy.sell(first.buyer, first.points_units)[0]
    assert isinstance(sold, PointsSold)
    gross = sold.points_units * sold.price_fen // sold.price_units
    sale = SeedSale(
        price=sold.price,
        points_units=sold.points_units,
        gross_fen=gross,
        net_fen=sold.net_fen,
        kept_in_pool_fen=gross - sold.net_fen,
        price_after=economy.price,
        injected_fen=injected,
    )
    return SeedWalkthrough(tuple(rows), sale)


def rounded(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


def points_text(units: int) -> str:
    return f"{Decimal(units) / UNITS_PER_POINT:.4f}"
