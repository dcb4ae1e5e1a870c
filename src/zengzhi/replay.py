"""``zengzhi replay``: run a JSON Lines file of operations through the engine (SPEC 6).

This is an adapter: it parses and validates each line at the edge, calls the one engine, and
renders the final state. A malformed line stops everything (``MalformedLine``); a business
rejection is recorded with its line number and stable code, and replay goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from zengzhi.distribution.plan import NO_PLAN, Plan, plan_from_mapping
from zengzhi.economy.config import EconomyConfig
from zengzhi.economy.engine import Economy
from zengzhi.economy.errors import DomainError, InvalidConfig, Rejected
from zengzhi.economy.events import Event, PositionExited, RewardPaid
from zengzhi.economy.quantity import (
    format_money,
    format_points,
    format_price,
    parse_money,
    parse_points,
    to_decimal,
)

REWARD_KINDS = ("direct", "indirect", "differential", "peer", "regional", "dividend")
AGENT_LEVEL_PARTS = {"district": 3, "city": 2, "province": 1}
OPS = ("config", "join", "rank", "agent", "shareholder", "order", "sell", "inject", "dividend")


class MalformedLine(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass
class Recorder:
    """Keeps what the output needs beyond the engine's state: exits and rewards by kind."""

    exits: list[PositionExited] = field(default_factory=list)
    rewards: dict[str, dict[str, int]] = field(default_factory=dict)
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def record(self, events: Iterable[Event]) -> None:
        for event in events:
            if isinstance(event, PositionExited):
                self.exits.append(event)
            elif isinstance(event, RewardPaid):
                by_kind = self.rewards.setdefault(event.member, {})
                by_kind[event.kind] = by_kind.get(event.kind, 0) + event.amount_fen


def render_state(economy: Economy, recorder: Recorder) -> dict[str, Any]:
    """The output object of SPEC 6, amounts as strings with their quantum."""
    members: dict[str, Any] = {}
    for member_id, account in economy.members.items():
        earned = recorder.rewards.get(member_id, {})
        members[member_id] = {
            "points": format_points(account.held_units),
            "wallet": format_money(account.wallet_fen),
            "rewards": {kind: format_money(earned.get(kind, 0)) for kind in REWARD_KINDS},
        }
    return {
        "pool": format_money(economy.pool_fen),
        "points": format_points(economy.points_units),
        "price": format_price(economy.price_fen, economy.price_units),
        "orders": economy.orders,
        "members": members,
        "exits": [
            {
                "position": e.position_id,
                "member": e.member,
                "points": format_points(e.points_units),
                "price": format_price(e.price_fen, e.price_units),
                "net": format_money(e.net_fen),
            }
            for e in recorder.exits
        ],
        "platform": format_money(economy.platform_revenue_fen),
        "dividend_pool": format_money(economy.dividend_pool_fen),
        "rejected": [{"line": line, "code": code} for line, code in recorder.rejected],
    }


# ----------------------------------------------------------------------------- field parsing
def _field(op: Mapping[str, Any], name: str) -> Any:
    if name not in op:
        raise ValueError(f"missing field {name!r}")
    return op[name]


def _member(op: Mapping[str, Any], name: str = "member", *, optional: bool = False) -> str | None:
    if optional and op.get(name) is None:
        return None
    value = _field(op, name)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name!r} must be a non-empty string, got {value!r}")
    return value


def _amount(op: Mapping[str, Any], name: str, *, allow_zero: bool = False) -> int:
    try:
        return parse_money(_field(op, name), name, allow_zero=allow_zero)
    except DomainError as exc:
        raise ValueError(exc.message) from None


def _text(op: Mapping[str, Any], name: str) -> str:
    value = _field(op, name)
    if not isinstance(value, str):
        raise ValueError(f"{name!r} must be a string, got {value!r}")
    return value


@dataclass
class Replayer:
    """Feeds lines one at a time; ``economy`` is created by the first operation."""

    economy: Economy | None = None
    recorder: Recorder = field(default_factory=Recorder)
    lines_seen: int = 0

    def _engine(self) -> Economy:
        if self.economy is None:
            self.economy = Economy()
        return self.economy

    def feed(self, line_no: int, text: str) -> None:
        if not text.strip():
            return  # blank lines (e.g. a trailing newline) are not operations
        try:
            op = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise MalformedLine(line_no, f"bad JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(op, dict):
            raise MalformedLine(line_no, "an operation must be a JSON object")
        name = op.get("op")
        if name not in OPS:
            raise MalformedLine(line_no, f"unknown op {name!r}")
        first = self.lines_seen == 0
        self.lines_seen += 1
        try:
            if name == "config":
                if not first:
                    raise ValueError("'config' may only come first")
                self.economy = _economy_from_config(op)
                return
            self._apply(name, op)
        except Rejected as exc:
            if exc.code in {"bad_level", "bad_weight"}:
                raise MalformedLine(line_no, exc.message) from None
            self.recorder.rejected.append((line_no, exc.code))
        except (ValueError, DomainError) as exc:
            message = exc.message if isinstance(exc, DomainError) else str(exc)
            raise MalformedLine(line_no, f"{name}: {message}") from None

    def _apply(self, name: str, op: Mapping[str, Any]) -> None:
        economy = self._engine()
        if name == "order":
            member = _member(op, "member")
            assert member is not None
            amount = _amount(op, "amount")
            subsidy = _amount(op, "subsidy", allow_zero=True) if "subsidy" in op else 0
            if subsidy > amount:
                raise ValueError("subsidy is above the amount")
            self.recorder.record(economy.order(member, amount, subsidy))
        elif name == "sell":
            member = _member(op, "member")
            assert member is not None
            try:
                units = parse_points(_field(op, "points"))
            except DomainError as exc:
                raise ValueError(exc.message) from None
            self.recorder.record(economy.sell(member, units))
        elif name == "inject":
            self.recorder.record(economy.inject(_amount(op, "amount")))
        elif name == "dividend":
            self.recorder.record(economy.run_dividend())
        elif name == "join":
            member = _member(op, "member")
            assert member is not None
            region = op.get("region")
            if region is not None and not isinstance(region, str):
                raise ValueError(f"'region' must be a string, got {region!r}")
            economy.join(member, _member(op, "sponsor", optional=True), region)
        elif name == "rank":
            member = _member(op, "member")
            assert member is not None
            rank = op.get("rank", ...)
            if rank is ...:
                raise ValueError("missing field 'rank'")
            if rank is not None and not isinstance(rank, str):
                raise ValueError(f"'rank' must be a string or null, got {rank!r}")
            economy.set_rank(member, rank)
        elif name == "agent":
            member = _member(op, "member")
            assert member is not None
            level = _text(op, "level")
            if level not in AGENT_LEVEL_PARTS:
                raise ValueError(f"'level' must be district, city or province, got {level!r}")
            economy.appoint_agent(member, _text(op, "region"), level)
        elif name == "shareholder":
            member = _member(op, "member")
            assert member is not None
            raw = _field(op, "weight")
            if isinstance(raw, bool):
                raise ValueError("'weight' must be a number")
            weight = to_decimal(raw, "weight")
            if weight < 0:
                raise ValueError(f"'weight' must be ≥ 0, got {raw}")
            economy.set_shareholder(member, weight)

    def result(self) -> dict[str, Any]:
        return render_state(self._engine(), self.recorder)


def _economy_from_config(op: Mapping[str, Any]) -> Economy:
    unknown = sorted(set(op) - {"op", "economy", "split", "plan"})
    if unknown:
        raise ValueError(f"unknown config key {unknown[0]!r}")
    try:
        config = EconomyConfig.from_mapping(op.get("economy"), op.get("split"))
        plan: Plan = plan_from_mapping(op["plan"]) if op.get("plan") is not None else NO_PLAN
        return Economy(config, plan)
    except InvalidConfig as exc:
        raise ValueError(f"invalid config: {exc.message}") from None


def replay_lines(lines: Iterable[str]) -> dict[str, Any]:
    """Replay an iterable of lines (1-based numbering); raises MalformedLine."""
    replayer = Replayer()
    for line_no, text in enumerate(lines, start=1):
        replayer.feed(line_no, text)
    return replayer.result()
