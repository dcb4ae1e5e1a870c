"""Distribution plans (分销方案): the rates a platform pays, validated before any use.

A plan is plain data. It comes from a TOML file (``load_plan``) or from the ``plan`` object of a
replay ``config`` line (``plan_from_mapping``); both go through the same validation, and every
error names the key it is about. Rates are exact ``Decimal``; the reward engine turns them into
integer fractions.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from zengzhi.economy.errors import DomainError, InvalidConfig
from zengzhi.economy.quantity import to_decimal

PeerBasis = Literal["order", "differential"]
PEER_BASES: tuple[PeerBasis, ...] = ("order", "differential")
REGION_LEVELS = ("district", "city", "province")

_ZERO = Decimal(0)


@dataclass(frozen=True)
class RankRule:
    """How a rank is earned in the periodic evaluation; all thresholds must hold (0 = no test)."""

    personal_volume: Decimal = _ZERO  # CNY of the member's own settled orders
    team_volume: Decimal = _ZERO  # CNY of settled orders in the member's subtree (self excluded)
    qualified_legs: int = 0  # direct legs each holding a member of rank ≥ leg_rank
    leg_rank: str | None = None
    direct_referrals: int = 0


@dataclass(frozen=True)
class Rank:
    name: str
    rate: Decimal
    peer_rate: Decimal = _ZERO
    price: Decimal = _ZERO  # money asked to hold the rank; the lint flags it as 入门费
    rule: RankRule | None = None


@dataclass(frozen=True)
class Marketing:
    """What the operator promises or charges outside the reward engine; read by the lint only."""

    recruit_reward: Decimal = _ZERO  # cash per member recruited (拉人头)
    entry_fee: Decimal = _ZERO  # cash to join (入门费)
    fixed_return_rate: Decimal = _ZERO  # a promised periodic return (固定回报)
    principal_back: bool = False  # promises the spend back (返本)
    recharge_pool: bool = False  # members pre-load cash (资金池)
    texts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    name: str = "none"
    version: int = 1
    direct_rate: Decimal = _ZERO
    indirect_rate: Decimal = _ZERO
    ranks: tuple[Rank, ...] = ()
    peer_layers: int = 1
    peer_basis: PeerBasis = "order"
    district_rate: Decimal = _ZERO
    city_rate: Decimal = _ZERO
    province_rate: Decimal = _ZERO
    dividend_rate: Decimal = _ZERO
    marketing: Marketing = field(default_factory=Marketing)

    def rank(self, name: str) -> Rank | None:
        for rank in self.ranks:
            if rank.name == name:
                return rank
        return None

    @property
    def top_rate(self) -> Decimal:
        return self.ranks[-1].rate if self.ranks else _ZERO

    def worst_case_rate(self) -> Decimal:
        """The most one order can pay out, as a share of its amount (SPEC 2)."""
        peer = sum(
            (
                r.peer_rate
                * self.peer_layers
                * (r.rate if self.peer_basis == "differential" else 1)
                for r in self.ranks
            ),
            _ZERO,
        )
        return (
            self.direct_rate
            + self.indirect_rate
            + self.top_rate
            + peer
            + self.district_rate
            + self.city_rate
            + self.province_rate
        )

    def pays_rewards(self) -> bool:
        return self.worst_case_rate() > 0 or self.dividend_rate > 0

    def check_budget(self, distribution_share: Decimal) -> None:
        worst = self.worst_case_rate()
        if worst > distribution_share:
            raise InvalidConfig(
                "plan_over_budget",
                f"plan {self.name!r}: worst case pays {worst} of an order but the distribution "
                f"share is {distribution_share}",
            )


NO_PLAN = Plan()

_PLAN_KEYS = {
    "name",
    "version",
    "direct_rate",
    "indirect_rate",
    "ranks",
    "peer_layers",
    "peer_basis",
    "district_rate",
    "city_rate",
    "province_rate",
    "dividend_rate",
    "marketing",
}
_RANK_KEYS = {"name", "rate", "peer_rate", "price", "rule"}
_RULE_KEYS = {"personal_volume", "team_volume", "qualified_legs", "leg_rank", "direct_referrals"}
_MARKETING_KEYS = {
    "recruit_reward",
    "entry_fee",
    "fixed_return_rate",
    "principal_back",
    "recharge_pool",
    "texts",
}


def _unknown(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise InvalidConfig("unknown_key", f"{where}{extra[0]}: unknown key")


def _number(data: Mapping[str, Any], key: str, where: str, code: str) -> Decimal | None:
    if key not in data:
        return None
    try:
        return to_decimal(data[key], f"{where}{key}")
    except DomainError as exc:
        raise InvalidConfig(code, f"{where}{key}: {exc.message}") from None


def _rate(data: Mapping[str, Any], key: str, where: str) -> Decimal:
    dec = _number(data, key, where, "invalid_rate")
    if dec is None:
        return _ZERO
    if not (0 <= dec <= 1):
        raise InvalidConfig("invalid_rate", f"{where}{key}: {data[key]!s} is not in [0, 1]")
    return dec


def _money(data: Mapping[str, Any], key: str, where: str) -> Decimal:
    dec = _number(data, key, where, "invalid_amount")
    if dec is None:
        return _ZERO
    if dec < 0 or dec != dec.quantize(Decimal("0.01")):
        raise InvalidConfig("invalid_amount", f"{where}{key}: {data[key]!s} is not an amount ≥ 0")
    return dec


def _count(data: Mapping[str, Any], key: str, where: str, default: int = 0) -> int:
    if key not in data:
        return default
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
        raise InvalidConfig("invalid_count", f"{where}{key}: {value!r} is not a whole number")
    try:
        dec = to_decimal(value, f"{where}{key}")
    except DomainError:
        raise InvalidConfig("invalid_count", f"{where}{key}: {value!r} is not a number") from None
    if dec != dec.to_integral_value() or dec < 0:
        raise InvalidConfig("invalid_count", f"{where}{key}: {value!s} is not a whole number ≥ 0")
    return int(dec)


def _flag(data: Mapping[str, Any], key: str, where: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise InvalidConfig("invalid_flag", f"{where}{key}: {value!r} is not true or false")
    return value


def _text(data: Mapping[str, Any], key: str, where: str, default: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise InvalidConfig("invalid_name", f"{where}{key}: {value!r} is not a non-empty string")
    return value


def _table(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidConfig("invalid_table", f"{where}: must be a table/object")
    return value


def _rule(data: Mapping[str, Any], where: str) -> RankRule:
    _unknown(data, _RULE_KEYS, where)
    leg_rank = data.get("leg_rank")
    if leg_rank is not None and not isinstance(leg_rank, str):
        raise InvalidConfig("invalid_name", f"{where}leg_rank: {leg_rank!r} is not a rank name")
    return RankRule(
        personal_volume=_money(data, "personal_volume", where),
        team_volume=_money(data, "team_volume", where),
        qualified_legs=_count(data, "qualified_legs", where),
        leg_rank=leg_rank,
        direct_referrals=_count(data, "direct_referrals", where),
    )


def plan_from_mapping(data: Mapping[str, Any], where: str = "plan.") -> Plan:
    """Validate a plan given as a mapping (TOML table or JSON object); errors name the key."""
    data = _table(data, where.rstrip("."))
    _unknown(data, _PLAN_KEYS, where)
    raw_ranks = data.get("ranks", [])
    if not isinstance(raw_ranks, list):
        raise InvalidConfig("invalid_table", f"{where}ranks: must be a list of tables")
    ranks: list[Rank] = []
    for i, raw in enumerate(raw_ranks):
        rw = f"{where}ranks[{i}]."
        raw = _table(raw, rw.rstrip("."))
        _unknown(raw, _RANK_KEYS, rw)
        name = _text(raw, "name", rw, "")
        if "rate" not in raw:
            raise InvalidConfig("missing_key", f"{rw}rate: missing")
        rule = _rule(_table(raw["rule"], f"{rw}rule"), f"{rw}rule.") if "rule" in raw else None
        ranks.append(
            Rank(
                name=name,
                rate=_rate(raw, "rate", rw),
                peer_rate=_rate(raw, "peer_rate", rw),
                price=_money(raw, "price", rw),
                rule=rule,
            )
        )
    names = [r.name for r in ranks]
    for i in range(1, len(ranks)):
        if names[i] in names[:i]:
            raise InvalidConfig("duplicate_rank", f"{where}ranks[{i}].name: {names[i]!r} repeats")
        if ranks[i].rate <= ranks[i - 1].rate:
            raise InvalidConfig(
                "rank_rates_not_increasing",
                f"{where}ranks[{i}].rate: {ranks[i].rate} is not above {ranks[i - 1].rate}",
            )
    for i, rank in enumerate(ranks):
        if rank.rule and rank.rule.leg_rank is not None and rank.rule.leg_rank not in names:
            raise InvalidConfig(
                "unknown_rank", f"{where}ranks[{i}].rule.leg_rank: {rank.rule.leg_rank!r} unknown"
            )
    basis = data.get("peer_basis", "order")
    if basis not in PEER_BASES:
        raise InvalidConfig(
            "invalid_peer_basis", f"{where}peer_basis: {basis!r} is not 'order' or 'differential'"
        )
    mk_where = f"{where}marketing."
    mk = _table(data.get("marketing", {}), mk_where.rstrip("."))
    _unknown(mk, _MARKETING_KEYS, mk_where)
    texts = _table(mk.get("texts", {}), f"{mk_where}texts")
    for key, value in texts.items():
        if not isinstance(value, str):
            raise InvalidConfig("invalid_text", f"{mk_where}texts.{key}: must be a string")
    marketing = Marketing(
        recruit_reward=_money(mk, "recruit_reward", mk_where),
        entry_fee=_money(mk, "entry_fee", mk_where),
        fixed_return_rate=_rate(mk, "fixed_return_rate", mk_where),
        principal_back=_flag(mk, "principal_back", mk_where),
        recharge_pool=_flag(mk, "recharge_pool", mk_where),
        texts=dict(texts),
    )
    version = _count(data, "version", where, default=1)
    return Plan(
        name=_text(data, "name", where, "unnamed"),
        version=version,
        direct_rate=_rate(data, "direct_rate", where),
        indirect_rate=_rate(data, "indirect_rate", where),
        ranks=tuple(ranks),
        peer_layers=_count(data, "peer_layers", where, default=1),
        peer_basis=basis,
        district_rate=_rate(data, "district_rate", where),
        city_rate=_rate(data, "city_rate", where),
        province_rate=_rate(data, "province_rate", where),
        dividend_rate=_rate(data, "dividend_rate", where),
        marketing=marketing,
    )


def parse_toml(text: str, source: str = "<plan>") -> dict[str, Any]:
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidConfig("invalid_toml", f"{source}: {exc}") from None


def load_plan(path: str | Path) -> Plan:
    """Load a plan TOML file: either top-level keys, or a ``[plan]`` table beside others."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidConfig("unreadable_file", f"{path}: {exc.strerror}") from None
    data: Mapping[str, Any] = parse_toml(text, str(path))
    if "plan" in data and isinstance(data["plan"], Mapping):
        data = data["plan"]
    try:
        return plan_from_mapping(data, where="")
    except InvalidConfig as exc:
        raise InvalidConfig(exc.code, f"{path}: {exc.message}") from None
