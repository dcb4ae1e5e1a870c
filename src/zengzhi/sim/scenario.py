"""Scenario files (TOML) for the simulator, validated with errors that name the key and line.

A scenario says how orders arrive, how large they are, how the network grows, how holders
behave, when financing is injected, and which economy and plan to run: the same
``EconomyConfig`` and ``Plan`` the platform uses. An optional ``[sweep]`` turns one scenario
into several variants (zip or cross product of overrides).
"""

from __future__ import annotations

import copy
import csv
import itertools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from zengzhi.distribution.plan import NO_PLAN, Plan, load_plan, plan_from_mapping
from zengzhi.economy.config import EconomyConfig
from zengzhi.economy.errors import DomainError, InvalidConfig
from zengzhi.economy.quantity import parse_money, to_decimal

Pattern = Literal["constant", "growing", "seasonal", "replay"]
SizeDistribution = Literal["fixed", "uniform", "lognormal"]
SponsorChoice = Literal["random", "preferential", "recent", "none"]


class ScenarioError(InvalidConfig):
    """A scenario that cannot run; ``key`` and ``line`` say where (line 0: not located)."""

    def __init__(self, code: str, key: str, message: str, source: str = "", line: int = 0):
        where = f"{source}:{line}: " if source and line else (f"{source}: " if source else "")
        super().__init__(code, f"{where}{key}: {message}")
        self.key = key
        self.line = line
        self.source = source


@dataclass(frozen=True)
class Arrival:
    pattern: Pattern = "constant"
    orders_per_day: Decimal = Decimal(10)
    growth_per_day: Decimal = Decimal(0)  # growing: mean × (1 + g)^day
    amplitude: Decimal = Decimal(0)  # seasonal: mean × (1 + a × sin(2π day / period))
    period_days: int = 365
    stop_after_day: int | None = None  # no orders from this day on
    orders: tuple[tuple[int, int, int], ...] = ()  # replay: (day, amount_fen, subsidy_fen)


@dataclass(frozen=True)
class OrderSize:
    distribution: SizeDistribution = "fixed"
    amount_fen: int = 100_000
    low_fen: int = 10_000
    high_fen: int = 200_000
    median_fen: int = 30_000
    sigma: Decimal = Decimal("0.8")
    subsidy_share: Decimal = Decimal(0)  # share of each order paid by the financing fund


@dataclass(frozen=True)
class Members:
    initial: int = 10
    new_per_day: Decimal = Decimal(2)
    growth_per_day: Decimal = Decimal(0)
    sponsor: SponsorChoice = "random"
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Behaviour:
    """Shares of members by how they hold (sum to 1) and the parameters of each kind."""

    hold: Decimal = Decimal(1)
    sell_at_multiple: Decimal = Decimal(0)
    sell_multiple: Decimal = Decimal(2)  # sells a position once it is worth k × its spend
    sell_on_rise: Decimal = Decimal(0)
    rise: Decimal = Decimal("0.5")  # sells a position once the price rose this much since entry
    panic: Decimal = Decimal(0)
    panic_drop: Decimal = Decimal("0.5")  # sells all when sales fall by this share …
    panic_window_days: int = 7  # … window over window


@dataclass(frozen=True)
class DistributionSetup:
    """How the simulated network uses the plan: who the agents and shareholders are, how often
    ranks are evaluated and dividends paid."""

    agents_per_region: int = 1  # the first members to join a region become its agents
    shareholders: int = 5  # the first members, weight 1 each
    dividend_every_days: int = 30
    rank_every_days: int = 30


@dataclass(frozen=True)
class Injection:
    day: int
    amount_fen: int


@dataclass(frozen=True)
class Scenario:
    name: str = "scenario"
    description: str = ""
    horizon_days: int = 365
    seed: int = 0
    runs: int = 10
    cohort_days: int = 30
    economy: EconomyConfig = field(default_factory=EconomyConfig)
    plan: Plan = NO_PLAN
    plan_mapping: Mapping[str, Any] | None = None  # what the manifest records
    arrival: Arrival = field(default_factory=Arrival)
    order_size: OrderSize = field(default_factory=OrderSize)
    members: Members = field(default_factory=Members)
    behaviour: Behaviour = field(default_factory=Behaviour)
    distribution: DistributionSetup = field(default_factory=DistributionSetup)
    injections: tuple[Injection, ...] = ()
    source: str = ""

    def economy_mapping(self) -> dict[str, Any]:
        c = self.economy
        return {
            "initial_price": str(c.initial_price),
            "point_ratio": str(c.point_ratio),
            "sell_fee": str(c.sell_fee),
            "exit_multiple": str(c.exit_multiple),
            "exit_fee": str(c.exit_fee),
            "exit_basis": c.exit_basis,
            "split": {
                "cost": str(c.split.cost),
                "distribution": str(c.split.distribution),
                "platform": str(c.split.platform),
                "pool": str(c.split.pool),
            },
        }


@dataclass(frozen=True)
class Variant:
    index: int
    label: str
    params: Mapping[str, Any]
    scenario: Scenario


# ------------------------------------------------------------------------------ locating keys
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]+"|'[^']+'|[A-Za-z0-9_.-]+)\s*=""")


def key_lines(text: str) -> dict[str, int]:
    """Map dotted keys (``arrival.orders_per_day``, ``injection[1].day``) to 1-based lines."""
    lines: dict[str, int] = {}
    table = ""
    counts: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(raw)
        if header:
            name = header.group(2).strip()
            if header.group(1) == "[[":
                index = counts.get(name, 0)
                counts[name] = index + 1
                table = f"{name}[{index}]"
            else:
                table = name
            lines.setdefault(table, number)
            continue
        key = _KEY.match(raw)
        if key:
            name = key.group(1).strip("\"'")
            lines.setdefault(f"{table}.{name}" if table else name, number)
    return lines


# ------------------------------------------------------------------------------ parsing
_TOP_KEYS = {
    "name", "description", "horizon_days", "seed", "runs", "cohort_days", "economy", "split",
    "plan", "arrival", "order_size", "members", "behaviour", "injection", "sweep", "distribution",
}  # fmt: skip
_SECTION_KEYS = {
    "arrival": {"pattern", "orders_per_day", "growth_per_day", "amplitude", "period_days",
                "stop_after_day", "file"},
    "order_size": {"distribution", "amount", "low", "high", "median", "sigma", "subsidy_share"},
    "members": {"initial", "new_per_day", "growth_per_day", "sponsor", "regions"},
    "behaviour": {"hold", "sell_at_multiple", "sell_multiple", "sell_on_rise", "rise", "panic",
                  "panic_drop", "panic_window_days"},
    "distribution": {"agents_per_region", "shareholders", "dividend_every_days",
                     "rank_every_days"},
}  # fmt: skip


class _Reader:
    """Typed access to a scenario mapping; every error carries the dotted key."""

    def __init__(self, source: str, lines: Mapping[str, int]) -> None:
        self.source = source
        self.lines = lines

    def fail(self, key: str, message: str, code: str = "invalid_scenario") -> ScenarioError:
        line = self.lines.get(key, 0)
        if not line and "." in key:
            line = self.lines.get(key.rsplit(".", 1)[0], 0)
        return ScenarioError(code, key, message, self.source, line)

    def table(self, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
        value = data.get(key.rsplit(".", 1)[-1], {})
        if not isinstance(value, Mapping):
            raise self.fail(key, "must be a table")
        allowed = _SECTION_KEYS.get(key)
        if allowed is not None:
            for name in value:
                if name not in allowed:
                    raise self.fail(f"{key}.{name}", "unknown key", "unknown_key")
        return value

    def integer(
        self, data: Mapping[str, Any], key: str, default: int, low: int = 0, high: int | None = None
    ) -> int:
        name = key.rsplit(".", 1)[-1]
        if name not in data:
            return default
        value = data[name]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"{value!r} is not a whole number")
        if value < low or (high is not None and value > high):
            bound = f"between {low} and {high}" if high is not None else f"≥ {low}"
            raise self.fail(key, f"{value} must be {bound}", "out_of_range")
        return value

    def decimal(
        self,
        data: Mapping[str, Any],
        key: str,
        default: Decimal,
        low: Decimal = Decimal(0),
        high: Decimal | None = None,
    ) -> Decimal:
        name = key.rsplit(".", 1)[-1]
        if name not in data:
            return default
        try:
            value = to_decimal(data[name], key)
        except DomainError:
            raise self.fail(key, f"{data[name]!r} is not a number") from None
        if value < low or (high is not None and value > high):
            bound = f"in [{low}, {high}]" if high is not None else f"≥ {low}"
            raise self.fail(key, f"{value} must be {bound}", "out_of_range")
        return value

    def money(self, data: Mapping[str, Any], key: str, default: int) -> int:
        name = key.rsplit(".", 1)[-1]
        if name not in data:
            return default
        try:
            return parse_money(data[name], key)
        except DomainError as exc:
            raise self.fail(key, exc.message) from None

    def choice(self, data: Mapping[str, Any], key: str, options: tuple[str, ...]) -> str:
        name = key.rsplit(".", 1)[-1]
        value = data.get(name, options[0])
        if value not in options:
            raise self.fail(key, f"{value!r} is not one of {', '.join(options)}")
        return str(value)


def _arrival(r: _Reader, data: Mapping[str, Any], base: Path) -> Arrival:
    a = r.table(data, "arrival")
    pattern = r.choice(a, "arrival.pattern", ("constant", "growing", "seasonal", "replay"))
    stop = r.integer(a, "arrival.stop_after_day", -1)
    orders: tuple[tuple[int, int, int], ...] = ()
    if pattern == "replay":
        if "file" not in a or not isinstance(a["file"], str):
            raise r.fail("arrival.file", "replay needs a CSV file of day,amount[,subsidy]")
        orders = _orders_csv(r, base / a["file"])
    return Arrival(
        pattern=pattern,  # type: ignore[arg-type]
        orders_per_day=r.decimal(a, "arrival.orders_per_day", Decimal(10), high=Decimal(10**6)),
        growth_per_day=r.decimal(a, "arrival.growth_per_day", Decimal(0), Decimal(-1), Decimal(1)),
        amplitude=r.decimal(a, "arrival.amplitude", Decimal(0), high=Decimal(1)),
        period_days=r.integer(a, "arrival.period_days", 365, low=1),
        stop_after_day=None if stop < 0 else stop,
        orders=orders,
    )


def _orders_csv(r: _Reader, path: Path) -> tuple[tuple[int, int, int], ...]:
    try:
        with path.open(newline="", encoding="utf-8") as stream:
            rows = list(csv.DictReader(stream))
    except OSError as exc:
        raise r.fail("arrival.file", f"cannot read {path}: {exc.strerror}") from None
    out = []
    for number, row in enumerate(rows, start=2):
        try:
            day = int(row["day"])
            amount = parse_money(row["amount"])
            subsidy = parse_money(row.get("subsidy") or "0", allow_zero=True)
        except (KeyError, TypeError, ValueError, DomainError) as exc:
            raise r.fail("arrival.file", f"{path}:{number}: bad row ({exc})") from None
        if day < 0 or subsidy > amount:
            raise r.fail("arrival.file", f"{path}:{number}: day < 0 or subsidy > amount")
        out.append((day, amount, subsidy))
    out.sort(key=lambda row: row[0])
    return tuple(out)


def _order_size(r: _Reader, data: Mapping[str, Any]) -> OrderSize:
    s = r.table(data, "order_size")
    size = OrderSize(
        distribution=r.choice(  # type: ignore[arg-type]
            s, "order_size.distribution", ("fixed", "uniform", "lognormal")
        ),
        amount_fen=r.money(s, "order_size.amount", 100_000),
        low_fen=r.money(s, "order_size.low", 10_000),
        high_fen=r.money(s, "order_size.high", 200_000),
        median_fen=r.money(s, "order_size.median", 30_000),
        sigma=r.decimal(s, "order_size.sigma", Decimal("0.8"), high=Decimal(5)),
        subsidy_share=r.decimal(s, "order_size.subsidy_share", Decimal(0), high=Decimal(1)),
    )
    if size.low_fen > size.high_fen:
        raise r.fail("order_size.low", "is above order_size.high", "out_of_range")
    return size


def _members(r: _Reader, data: Mapping[str, Any]) -> Members:
    m = r.table(data, "members")
    regions = m.get("regions", [])
    if not isinstance(regions, list) or not all(isinstance(x, str) for x in regions):
        raise r.fail("members.regions", "must be a list of region codes like '44/4419/441900'")
    for region in regions:
        parts = region.split("/")
        if len(parts) != 3 or not all(parts):
            raise r.fail("members.regions", f"{region!r} is not province/city/district")
    return Members(
        initial=r.integer(m, "members.initial", 10, low=1),
        new_per_day=r.decimal(m, "members.new_per_day", Decimal(2), high=Decimal(10**6)),
        growth_per_day=r.decimal(m, "members.growth_per_day", Decimal(0), Decimal(-1), Decimal(1)),
        sponsor=r.choice(  # type: ignore[arg-type]
            m, "members.sponsor", ("random", "preferential", "recent", "none")
        ),
        regions=tuple(regions),
    )


def _behaviour(r: _Reader, data: Mapping[str, Any]) -> Behaviour:
    b = r.table(data, "behaviour")
    one = Decimal(1)
    shares = {
        k: r.decimal(b, f"behaviour.{k}", Decimal(0), high=one)
        for k in ("sell_at_multiple", "sell_on_rise", "panic")
    }
    hold = r.decimal(b, "behaviour.hold", one - sum(shares.values(), Decimal(0)), high=one)
    if hold + sum(shares.values(), Decimal(0)) != one:
        raise r.fail(
            "behaviour.hold", "hold + sell_at_multiple + sell_on_rise + panic must be exactly 1"
        )
    return Behaviour(
        hold=hold,
        sell_at_multiple=shares["sell_at_multiple"],
        sell_multiple=r.decimal(b, "behaviour.sell_multiple", Decimal(2), low=Decimal("0.01")),
        sell_on_rise=shares["sell_on_rise"],
        rise=r.decimal(b, "behaviour.rise", Decimal("0.5"), low=Decimal("0.0001")),
        panic=shares["panic"],
        panic_drop=r.decimal(b, "behaviour.panic_drop", Decimal("0.5"), high=one),
        panic_window_days=r.integer(b, "behaviour.panic_window_days", 7, low=1),
    )


def _distribution(r: _Reader, data: Mapping[str, Any]) -> DistributionSetup:
    d = r.table(data, "distribution")
    return DistributionSetup(
        agents_per_region=r.integer(d, "distribution.agents_per_region", 1),
        shareholders=r.integer(d, "distribution.shareholders", 5),
        dividend_every_days=r.integer(d, "distribution.dividend_every_days", 30, low=1),
        rank_every_days=r.integer(d, "distribution.rank_every_days", 30, low=1),
    )


def _injections(r: _Reader, data: Mapping[str, Any]) -> tuple[Injection, ...]:
    raw = data.get("injection", [])
    if not isinstance(raw, list):
        raise r.fail("injection", "must be an array of tables [[injection]]")
    out = []
    for i, item in enumerate(raw):
        key = f"injection[{i}]"
        if not isinstance(item, Mapping):
            raise r.fail(key, "must be a table")
        for name in item:
            if name not in {"day", "amount"}:
                raise r.fail(f"{key}.{name}", "unknown key", "unknown_key")
        if "day" not in item or "amount" not in item:
            raise r.fail(key, "needs day and amount")
        out.append(Injection(r.integer(item, f"{key}.day", 0), r.money(item, f"{key}.amount", 0)))
    return tuple(out)


def _economy_and_plan(
    r: _Reader, data: Mapping[str, Any], base: Path
) -> tuple[EconomyConfig, Plan, Mapping[str, Any] | None]:
    try:
        economy = EconomyConfig.from_mapping(data.get("economy"), data.get("split"))
    except InvalidConfig as exc:
        key = exc.message.split(":", 1)[0]
        key = key if key.startswith(("economy", "split")) else f"economy.{key}"
        raise r.fail(key, exc.message.split(":", 1)[-1].strip(), exc.code) from None
    raw = data.get("plan")
    plan: Plan = NO_PLAN
    mapping: Mapping[str, Any] | None = None
    if isinstance(raw, str):
        path = base / raw
        try:
            plan = load_plan(path)
            text = path.read_text(encoding="utf-8")
        except InvalidConfig as exc:
            raise r.fail("plan", exc.message, exc.code) from None
        loaded = tomllib.loads(text, parse_float=Decimal)
        mapping = loaded["plan"] if isinstance(loaded.get("plan"), dict) else loaded
    elif isinstance(raw, Mapping):
        try:
            plan = plan_from_mapping(raw, where="plan.")
        except InvalidConfig as exc:
            key = exc.message.split(":", 1)[0]
            raise r.fail(key, exc.message.split(":", 1)[-1].strip(), exc.code) from None
        mapping = raw
    elif raw is not None:
        raise r.fail("plan", "must be a path to a plan TOML or a [plan] table")
    try:
        plan.check_budget(economy.split.distribution)
    except InvalidConfig as exc:
        raise r.fail("plan", exc.message, exc.code) from None
    return economy, plan, _plain(mapping) if mapping is not None else None


def _plain(value: Any) -> Any:
    """Decimals to strings, so the mapping can go into JSON."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


def scenario_from_mapping(
    data: Mapping[str, Any], *, source: str = "", base: Path = Path("."), text: str = ""
) -> Scenario:
    r = _Reader(source, key_lines(text))
    for name in data:
        if name not in _TOP_KEYS:
            raise r.fail(name, "unknown key", "unknown_key")
    economy, plan, plan_mapping = _economy_and_plan(r, data, base)
    name = data.get("name", Path(source).stem if source else "scenario")
    if not isinstance(name, str) or not name.strip():
        raise r.fail("name", "must be a non-empty string")
    horizon = r.integer(data, "horizon_days", 365, low=1, high=100_000)
    scenario = Scenario(
        name=name,
        description=str(data.get("description", "")),
        horizon_days=horizon,
        seed=r.integer(data, "seed", 0, high=2**63 - 1),
        runs=r.integer(data, "runs", 10, low=1, high=10**7),
        cohort_days=r.integer(data, "cohort_days", 30, low=1),
        economy=economy,
        plan=plan,
        plan_mapping=plan_mapping,
        arrival=_arrival(r, data, base),
        order_size=_order_size(r, data),
        members=_members(r, data),
        behaviour=_behaviour(r, data),
        distribution=_distribution(r, data),
        injections=_injections(r, data),
        source=source,
    )
    for i, inj in enumerate(scenario.injections):
        if inj.day >= horizon:
            raise r.fail(f"injection[{i}].day", f"{inj.day} is beyond the horizon", "out_of_range")
    return scenario


# ------------------------------------------------------------------------------ sweeps
def _set_path(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise KeyError(path)
        node = child
    node[parts[-1]] = value


def _variants_of(r: _Reader, sweep: Mapping[str, Any]) -> list[dict[str, Any]]:
    mode = sweep.get("mode", "product")
    if mode not in ("zip", "product"):
        raise r.fail("sweep.mode", f"{mode!r} is not 'zip' or 'product'")
    axes = {k: v for k, v in sweep.items() if k != "mode"}
    for key, values in axes.items():
        if not isinstance(values, list) or not values:
            raise r.fail(f"sweep.{key}", "must be a non-empty list of values")
        if key.split(".")[0] not in _TOP_KEYS - {"sweep"}:
            raise r.fail(f"sweep.{key}", "does not name a scenario key", "unknown_key")
    if not axes:
        return [{}]
    names = list(axes)
    if mode == "zip":
        lengths = {len(axes[n]) for n in names}
        if len(lengths) != 1:
            raise r.fail("sweep.mode", "zip needs lists of the same length")
        combos = list(zip(*(axes[n] for n in names), strict=True))
    else:
        combos = list(itertools.product(*(axes[n] for n in names)))
    return [dict(zip(names, combo, strict=True)) for combo in combos]


def load_scenario(path: str | Path) -> tuple[Scenario, list[Variant]]:
    """Parse and validate a scenario file and its sweep variants (one variant without a sweep)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError("unreadable_file", str(path), exc.strerror or "cannot read") from None
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        line = int(found.group(1)) if found else 0
        raise ScenarioError("invalid_toml", "toml", str(exc), str(path), line) from None
    return scenarios_from_mapping(data, source=str(path), base=path.parent, text=text)


def scenarios_from_mapping(
    data: Mapping[str, Any], *, source: str = "", base: Path = Path("."), text: str = ""
) -> tuple[Scenario, list[Variant]]:
    r = _Reader(source, key_lines(text))
    sweep = data.get("sweep", {})
    if not isinstance(sweep, Mapping):
        raise r.fail("sweep", "must be a table")
    base_data = {k: v for k, v in data.items() if k != "sweep"}
    scenario = scenario_from_mapping(base_data, source=source, base=base, text=text)
    variants = []
    for index, params in enumerate(_variants_of(r, sweep)):
        if not params:
            variants.append(Variant(index, "base", {}, scenario))
            continue
        patched = copy.deepcopy(dict(base_data))
        for key, value in params.items():
            try:
                _set_path(patched, key, value)
            except KeyError:
                raise r.fail(f"sweep.{key}", "does not name a table key") from None
        try:
            variant = scenario_from_mapping(patched, source=source, base=base, text=text)
        except ScenarioError as exc:
            raise ScenarioError(
                exc.code, f"sweep.{exc.key}", exc.message, source, r.lines.get("sweep", 0)
            ) from None
        label = ", ".join(f"{k}={v}" for k, v in params.items())
        variants.append(Variant(index, label, _plain(params), variant))
    return scenario, variants
