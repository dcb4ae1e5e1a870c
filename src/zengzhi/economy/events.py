"""What the engine reports: each operation returns the events it caused, in order.

Events are immutable tuples of exact ints (fen, point units). A price travels as the exact pair
``(pool_fen, points_units)`` it was computed from, never as a rounded number.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from zengzhi.economy.quantity import price_decimal


class OrderSettled(NamedTuple):
    order_id: int
    member: str
    amount_fen: int
    subsidy_fen: int
    spend_fen: int
    contribution_fen: int  # into the pool
    value_fen: int  # points value granted to the buyer
    points_units: int  # points issued (0 when the order is too small for the price)
    position_id: int
    price_fen: int  # price before the order, as the exact ratio price_fen / price_units
    price_units: int
    distribution_fen: int  # the order's distribution share
    platform_fen: int  # the order's platform share
    cost_fen: int  # merchant payable
    rewards_paid_fen: int
    dividend_accrual_fen: int
    platform_revenue_fen: int  # platform share − dividend accrual + unpaid distribution

    @property
    def price(self) -> Decimal:
        return price_decimal(self.price_fen, self.price_units)


class RewardPaid(NamedTuple):
    order_id: int | None  # None for a dividend run
    member: str
    kind: str  # direct | indirect | differential | peer | regional | dividend
    amount_fen: int


class SalePart(NamedTuple):
    position_id: int
    points_units: int
    net_fen: int
    closed: bool


class PointsSold(NamedTuple):
    member: str
    points_units: int
    net_fen: int
    price_fen: int
    price_units: int
    parts: tuple[SalePart, ...]

    @property
    def price(self) -> Decimal:
        return price_decimal(self.price_fen, self.price_units)


class Injected(NamedTuple):
    amount_fen: int


class PositionExited(NamedTuple):
    position_id: int
    member: str
    points_units: int
    net_fen: int
    price_fen: int
    price_units: int

    @property
    def price(self) -> Decimal:
        return price_decimal(self.price_fen, self.price_units)


class DividendRun(NamedTuple):
    paid_fen: int
    remaining_pool_fen: int


Event = OrderSettled | RewardPaid | PointsSold | Injected | PositionExited | DividendRun
