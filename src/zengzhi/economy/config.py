"""Economy configuration (SPEC 1.2), validated once; the engine then trusts it.

Every rate is kept twice: as the ``Decimal`` the operator wrote (for display and audit) and as
an exact integer ``Rate`` the engine computes with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from zengzhi.economy.errors import DomainError, InvalidConfig
from zengzhi.economy.quantity import Rate, to_decimal

ExitBasis = Literal["acquired", "total_return"]
EXIT_BASES: tuple[ExitBasis, ...] = ("acquired", "total_return")

_ONE = Decimal(1)


def _decimal(data: Mapping[str, Any], key: str, where: str, default: Decimal) -> Decimal:
    if key not in data:
        return default
    try:
        return to_decimal(data[key], f"{where}{key}")
    except DomainError as exc:
        raise InvalidConfig("invalid_number", f"{where}{key}: {exc.message}") from None


def _check_range(
    value: Decimal, key: str, low: Decimal, high: Decimal | None, *, high_open: bool = False
) -> None:
    too_high = high is not None and (value >= high if high_open else value > high)
    if value < low or too_high:
        interval = f"[{low}, {high}{')' if high_open else ']'}" if high is not None else f"≥ {low}"
        raise InvalidConfig("out_of_range", f"{key}: {value} is not in {interval}")


_MAX_PLACES = 8


def _check_places(value: Decimal, key: str) -> None:
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -_MAX_PLACES:
        raise InvalidConfig("too_many_decimals", f"{key}: {value} has more than 8 decimal places")


@dataclass(frozen=True)
class Split:
    """How an order's amount is divided (SPEC 1.2). ``cost`` is what remains for the merchant."""

    cost: Decimal = Decimal("0.30")
    distribution: Decimal = Decimal("0.30")
    platform: Decimal = Decimal("0.10")
    pool: Decimal = Decimal("0.30")
    pool_rate: Rate = field(init=False, repr=False, compare=False)
    distribution_rate: Rate = field(init=False, repr=False, compare=False)
    platform_rate: Rate = field(init=False, repr=False, compare=False)
    # (pool num, den, distribution num, den, platform num, den) for the engine's hot path
    share_ints: tuple[int, int, int, int, int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for key in ("cost", "distribution", "platform", "pool"):
            _check_range(getattr(self, key), f"split.{key}", Decimal(0), _ONE)
        total = self.cost + self.distribution + self.platform + self.pool
        if total != _ONE:
            raise InvalidConfig(
                "split_not_one",
                f"split: cost + distribution + platform + pool = {total}, must be exactly 1",
            )
        object.__setattr__(self, "pool_rate", Rate.of(self.pool))
        object.__setattr__(self, "distribution_rate", Rate.of(self.distribution))
        object.__setattr__(self, "platform_rate", Rate.of(self.platform))
        object.__setattr__(
            self, "share_ints", (*self.pool_rate, *self.distribution_rate, *self.platform_rate)
        )

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], where: str = "split.") -> Split:
        """Keys are optional. Without ``cost``, cost is the remainder (SPEC: cost = amount − the
        other shares), so ``{"pool": "0.25"}`` means pool 0.25 and cost 0.35."""
        if not isinstance(data, Mapping):
            raise InvalidConfig("invalid_table", f"{where.rstrip('.')}: must be an object")
        unknown = sorted(set(data) - {"cost", "distribution", "platform", "pool"})
        if unknown:
            raise InvalidConfig("unknown_key", f"{where}{unknown[0]}: unknown key")
        default = cls()
        distribution = _decimal(data, "distribution", where, default.distribution)
        platform = _decimal(data, "platform", where, default.platform)
        pool = _decimal(data, "pool", where, default.pool)
        cost = _decimal(data, "cost", where, _ONE - distribution - platform - pool)
        return cls(cost=cost, distribution=distribution, platform=platform, pool=pool)


DEFAULT_SPLIT = Split()


@dataclass(frozen=True)
class EconomyConfig:
    """SPEC 1.2; the defaults are the seed's. ``exit_fee`` None means "same as sell_fee"."""

    initial_price: Decimal = Decimal("1.00")
    point_ratio: Decimal = Decimal("0.70")
    sell_fee: Decimal = Decimal("0.20")
    exit_multiple: Decimal = Decimal(3)
    exit_fee: Decimal | None = None
    exit_basis: ExitBasis = "acquired"
    split: Split = DEFAULT_SPLIT

    def __post_init__(self) -> None:
        # Bounds far beyond any real plan; they keep the exit heap's exact keys in range.
        _check_range(self.initial_price, "initial_price", Decimal("0.0001"), Decimal(10**8))
        _check_places(self.initial_price, "initial_price")
        # point_ratio ≤ 1 is what keeps the price from falling on an order (SPEC 1.5).
        _check_range(self.point_ratio, "point_ratio", Decimal(0), _ONE)
        _check_range(self.sell_fee, "sell_fee", Decimal(0), _ONE, high_open=True)
        _check_range(self.exit_multiple, "exit_multiple", Decimal(0), Decimal(1000))
        _check_places(self.exit_multiple, "exit_multiple")
        if self.exit_fee is None:
            object.__setattr__(self, "exit_fee", self.sell_fee)
        assert self.exit_fee is not None
        _check_range(self.exit_fee, "exit_fee", Decimal(0), _ONE, high_open=True)
        if self.exit_basis not in EXIT_BASES:
            raise InvalidConfig(
                "invalid_exit_basis",
                f"exit_basis: {self.exit_basis!r} is not 'acquired' or 'total_return'",
            )

    @property
    def exit_fee_rate(self) -> Decimal:
        assert self.exit_fee is not None
        return self.exit_fee

    @property
    def exits_enabled(self) -> bool:
        return self.exit_multiple > 0

    @classmethod
    def from_mapping(
        cls, economy: Mapping[str, Any] | None = None, split: Mapping[str, Any] | None = None
    ) -> EconomyConfig:
        """Build from the ``economy`` and ``split`` objects of a config line; keys optional."""
        economy = economy if economy is not None else {}
        if not isinstance(economy, Mapping):
            raise InvalidConfig("invalid_table", "economy: must be an object")
        keys = {
            "initial_price",
            "point_ratio",
            "sell_fee",
            "exit_multiple",
            "exit_fee",
            "exit_basis",
        }
        unknown = sorted(set(economy) - keys)
        if unknown:
            raise InvalidConfig("unknown_key", f"economy.{unknown[0]}: unknown key")
        d = cls()
        exit_fee = (
            _decimal(economy, "exit_fee", "economy.", Decimal(0)) if "exit_fee" in economy else None
        )
        basis = economy.get("exit_basis", d.exit_basis)
        if basis not in EXIT_BASES:
            raise InvalidConfig(
                "invalid_exit_basis",
                f"economy.exit_basis: {basis!r} is not 'acquired' or 'total_return'",
            )
        try:
            return cls(
                initial_price=_decimal(economy, "initial_price", "economy.", d.initial_price),
                point_ratio=_decimal(economy, "point_ratio", "economy.", d.point_ratio),
                sell_fee=_decimal(economy, "sell_fee", "economy.", d.sell_fee),
                exit_multiple=_decimal(economy, "exit_multiple", "economy.", d.exit_multiple),
                exit_fee=exit_fee,
                exit_basis=basis,
                split=Split.from_mapping(split) if split is not None else DEFAULT_SPLIT,
            )
        except InvalidConfig as exc:
            if exc.message.startswith(("split", "economy")):
                raise
            raise InvalidConfig(exc.code, f"economy.{exc.message}") from None
