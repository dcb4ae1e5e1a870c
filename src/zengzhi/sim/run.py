"""One simulated run: a scenario driving the real ``Economy`` day by day.

Nothing here models the rules: every order, sale, injection, reward and exit is the engine's.
The run only decides *who does what when* (arrivals, sizes, referrals, holder behaviour) from
its own random stream, and records what the engine reports into the tables of ``tables.py``.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pyarrow as pa

from zengzhi.distribution.ranks import evaluate_ranks
from zengzhi.economy.engine import Economy, Position
from zengzhi.economy.events import Event, OrderSettled, PointsSold, PositionExited, RewardPaid
from zengzhi.economy.quantity import Rate, price_decimal
from zengzhi.sim.scenario import Scenario
from zengzhi.sim.tables import COHORTS, DAILY, RUNS

HOLD, SELL_AT_MULTIPLE, SELL_ON_RISE, PANIC = 0, 1, 2, 3
REWARD_KINDS = ("direct", "indirect", "differential", "peer", "regional", "dividend")
_KEY_SHIFT = 256  # exact integer image of a target price, as in the engine's exit heap


def run_stream(seed: int, run: int) -> np.random.Generator:
    """The run's own random stream: independent of every other run, the same for the same
    (seed, run) in every variant of a sweep (common random numbers make variants comparable)."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(run,))))


@dataclass
class RunResult:
    daily: pa.Table
    cohorts: pa.Table
    runs: pa.Table


class _Day:
    """Counters for one day, reset every day."""

    __slots__ = (
        "exit_net",
        "exits",
        "injected",
        "orders",
        "rewards",
        "sales",
        "sell_net",
        "sell_points",
        "sells",
        "subsidy",
    )

    def __init__(self) -> None:
        self.orders = self.sales = self.subsidy = self.sells = self.sell_points = 0
        self.sell_net = self.exits = self.exit_net = self.injected = self.rewards = 0


class Simulation:
    def __init__(self, scenario: Scenario, variant: int, run: int) -> None:
        self.scenario = scenario
        self.variant = variant
        self.run = run
        self.rng = run_stream(scenario.seed, run)
        self.economy = Economy(scenario.economy, scenario.plan)
        plan = scenario.plan
        setup = scenario.distribution
        self.agents_per_region = (
            setup.agents_per_region
            if plan.district_rate or plan.city_rate or plan.province_rate
            else 0
        )
        self.agents: dict[str, int] = defaultdict(int)  # region key → agents appointed
        self.shareholders = setup.shareholders if plan.dividend_rate else 0
        self.has_rank_rules = any(rank.rule for rank in plan.ranks)
        self.member_ids: list[str] = []
        self.kinds: list[int] = []
        self.preferential: list[int] = []  # one entry per member plus one per recruit
        self.targets: list[tuple[int, int, Position, int]] = []  # sellers' target prices
        self.panickers: list[int] = []
        self.position_day: list[int] = [0]  # open day by position id (ids start at 1)
        self.exit_day: dict[int, int] = {}
        self.cohort_entry: dict[int, tuple[int, int]] = {}  # price paid by a cohort's first order
        self.day = 0
        self.today = _Day()
        self.rewards_by_kind: dict[str, int] = defaultdict(int)
        self.totals: defaultdict[str, int] = defaultdict(int)
        b = scenario.behaviour
        cumulative = np.cumsum(
            [float(b.hold), float(b.sell_at_multiple), float(b.sell_on_rise), float(b.panic)]
        )
        self.kind_edges = cumulative[:-1]  # shares are probabilities here, not money
        self.sell_multiple = Rate.of(b.sell_multiple)
        self.rise = Rate.of(b.rise)

    # ------------------------------------------------------------------ network
    def _join(self, count: int) -> None:
        s = self.scenario.members
        rng = self.rng
        kinds = np.searchsorted(self.kind_edges, rng.random(count), side="right")
        regions = rng.integers(0, len(s.regions), count) if s.regions else None
        picks = rng.random(count)
        for i in range(count):
            index = len(self.member_ids)
            member = f"m{index}"
            sponsor: str | None = None
            if index and s.sponsor != "none":
                if s.sponsor == "preferential":
                    sponsor_index = self.preferential[int(picks[i] * len(self.preferential))]
                elif s.sponsor == "recent":
                    window = max(1, index // 10)  # the newest tenth of the network
                    sponsor_index = index - 1 - int(picks[i] * window)
                else:
                    sponsor_index = int(picks[i] * index)
                sponsor = self.member_ids[sponsor_index]
                self.preferential.append(sponsor_index)
            region = s.regions[int(regions[i])] if regions is not None else None
            self.economy.join(member, sponsor, region)
            if region is not None and self.agents_per_region:
                self._appoint(member, region)
            if index < self.shareholders:
                self.economy.set_shareholder(member, Decimal(1))
            self.member_ids.append(member)
            self.preferential.append(index)
            kind = int(kinds[i])
            self.kinds.append(kind)
            if kind == PANIC:
                self.panickers.append(index)

    def _appoint(self, member: str, region: str) -> None:
        parts = region.split("/")
        for level, key in (("district", region), ("city", "/".join(parts[:2])),
                           ("province", parts[0])):  # fmt: skip
            if self.agents[key] < self.agents_per_region:
                self.agents[key] += 1
                self.economy.appoint_agent(member, key, level)

    # ------------------------------------------------------------------ arrivals
    def _mean(self, base: Decimal, growth: Decimal, day: int) -> float:
        # Arrival rates are expectations of counts, not money: floats are fine here.
        mean = float(base) * (1.0 + float(growth)) ** day
        a = self.scenario.arrival
        if a.pattern == "seasonal":
            mean *= 1.0 + float(a.amplitude) * math.sin(2 * math.pi * day / a.period_days)
        return max(mean, 0.0)

    def _amounts(self, count: int) -> np.ndarray:
        size = self.scenario.order_size
        rng = self.rng
        if size.distribution == "fixed":
            return np.full(count, size.amount_fen, dtype=np.int64)
        if size.distribution == "uniform":
            return rng.integers(size.low_fen, size.high_fen + 1, count, dtype=np.int64)
        draws = size.median_fen * np.exp(float(size.sigma) * rng.standard_normal(count))
        return np.maximum(np.rint(draws), 1).astype(np.int64)

    def _orders_today(self) -> list[tuple[int, int]]:
        """(amount_fen, subsidy_fen) of today's orders."""
        s = self.scenario
        a = s.arrival
        day = self.day
        if a.stop_after_day is not None and day >= a.stop_after_day:
            return []
        if a.pattern == "replay":
            return [(amount, subsidy) for d, amount, subsidy in self._replayed.get(day, ())]
        growth = a.growth_per_day if a.pattern == "growing" else Decimal(0)
        count = int(self.rng.poisson(self._mean(a.orders_per_day, growth, day)))
        if not count:
            return []
        amounts = self._amounts(count).tolist()
        share = Rate.of(s.order_size.subsidy_share)
        if share.num:
            return [(amt, amt * share.num // share.den) for amt in amounts]
        return [(amt, 0) for amt in amounts]

    # ------------------------------------------------------------------ recording
    def _record(self, events: list[Event]) -> None:
        today = self.today
        for event in events:
            if type(event) is PositionExited:
                today.exits += 1
                today.exit_net += event.net_fen
                self.exit_day[event.position_id] = self.day
            elif type(event) is RewardPaid:
                today.rewards += event.amount_fen
                self.rewards_by_kind[event.kind] += event.amount_fen
            elif type(event) is PointsSold:
                today.sells += 1
                today.sell_points += event.points_units
                today.sell_net += event.net_fen

    def _push_target(
        self, position: Position, member: int, kind: int, settled: OrderSettled
    ) -> None:
        if kind == SELL_AT_MULTIPLE:
            m = self.sell_multiple
            num, den = m.num * position.spend_fen, m.den * position.acquired_units
        else:
            r = self.rise
            num = (r.den + r.num) * settled.price_fen
            den = r.den * settled.price_units
        heapq.heappush(self.targets, ((num << _KEY_SHIFT) // den, position.id, position, member))
        position_targets = self._target_fraction
        position_targets[position.id] = (num, den)

    def _sell_reached_targets(self) -> None:
        e = self.economy
        targets = self.targets
        fractions = self._target_fraction
        while targets:
            _, position_id, position, member = targets[0]
            if not position.is_open:
                heapq.heappop(targets)
                del fractions[position_id]
                continue
            num, den = fractions[position_id]
            if e.pool_fen * den < num * e.points_units:
                return
            heapq.heappop(targets)
            del fractions[position_id]
            member_id = self.member_ids[member]
            # The engine sells oldest first, so the points sold may come from an older position
            # of the same member; the amount is what this position holds.
            units = min(position.held_units, e.members[member_id].held_units)
            if units:
                self._record(e.sell(member_id, units))

    def _panic(self, sales_by_day: list[int]) -> None:
        b = self.scenario.behaviour
        window = b.panic_window_days
        if not self.panickers or len(sales_by_day) < 2 * window:
            return
        recent = sum(sales_by_day[-window:])
        before = sum(sales_by_day[-2 * window : -window])
        drop = Rate.of(b.panic_drop)
        # recent < (1 − drop) × before, exactly
        if before and recent * drop.den < (drop.den - drop.num) * before:
            e = self.economy
            for member in self.panickers:
                member_id = self.member_ids[member]
                held = e.members[member_id].held_units
                if held:
                    self._record(e.sell(member_id, held))

    # ------------------------------------------------------------------ the run
    def simulate(self) -> RunResult:
        s = self.scenario
        e = self.economy
        self._target_fraction: dict[int, tuple[int, int]] = {}
        self._replayed: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        for row in s.arrival.orders:
            self._replayed[row[0]].append(row)
        injections: dict[int, list[int]] = defaultdict(list)
        for inj in s.injections:
            injections[inj.day].append(inj.amount_fen)
        daily: dict[str, list[object]] = {f.name: [] for f in DAILY}
        sales_by_day: list[int] = []
        self._join(s.members.initial)
        position_day = self.position_day
        kinds = self.kinds
        member_ids = self.member_ids
        seller_kinds = (SELL_AT_MULTIPLE, SELL_ON_RISE)
        has_sellers = bool(s.behaviour.sell_at_multiple or s.behaviour.sell_on_rise)
        for day in range(s.horizon_days):
            self.day = day
            self.today = today = _Day()
            for amount in injections.get(day, ()):
                today.injected += amount
                self._record(e.inject(amount))
            members_before = len(member_ids)
            m = s.members
            new = int(self.rng.poisson(self._mean(m.new_per_day, m.growth_per_day, day)))
            if new:
                self._join(new)
            orders = self._orders_today()
            if orders:
                buyers = self.rng.integers(0, len(member_ids), len(orders)).tolist()
                cohort = day // s.cohort_days
                if cohort not in self.cohort_entry:
                    self.cohort_entry[cohort] = (e.price_fen, e.price_units)
                order = e.order
                for (amount, subsidy), buyer in zip(orders, buyers, strict=True):
                    events = order(member_ids[buyer], amount, subsidy)
                    settled = events[0]
                    assert type(settled) is OrderSettled
                    position_day.append(day)
                    today.orders += 1
                    today.sales += amount
                    today.subsidy += subsidy
                    if len(events) > 1:
                        self._record(events)
                    if has_sellers and settled.points_units and kinds[buyer] in seller_kinds:
                        position = e.positions[settled.position_id]
                        if position.is_open:
                            self._push_target(position, buyer, kinds[buyer], settled)
            if has_sellers:
                self._sell_reached_targets()
            sales_by_day.append(today.sales)
            self._panic(sales_by_day)
            setup = s.distribution
            if self.has_rank_rules and (day + 1) % setup.rank_every_days == 0:
                evaluate_ranks(e.distribution)
            if self.shareholders and (day + 1) % setup.dividend_every_days == 0:
                self._record(e.run_dividend())
            self._snapshot(daily, len(member_ids) - members_before)
            for key in ("orders", "sales", "subsidy", "exits", "exit_net", "sell_net", "injected"):
                self.totals[key] += getattr(today, key)
        return RunResult(
            pa.Table.from_pydict(daily, schema=DAILY),
            self._cohorts(),
            self._run_row(),
        )

    def _snapshot(self, daily: dict[str, list[object]], new_members: int) -> None:
        e = self.economy
        t = self.today
        row = (
            self.variant, self.run, self.scenario.seed, self.day, t.orders, t.sales, t.subsidy,
            new_members, len(self.member_ids), t.sells, t.sell_points, t.sell_net, t.exits,
            t.exit_net, t.injected, t.rewards, e.pool_fen, e.points_units,
            price_decimal(e.price_fen, e.price_units), e.open_position_count(),
        )  # fmt: skip
        for column, value in zip(daily.values(), row, strict=True):
            column.append(value)

    def _cohorts(self) -> pa.Table:
        s = self.scenario
        e = self.economy
        pf, pu = e.price_fen, e.price_units
        width = s.cohort_days
        groups: dict[int, list[Position]] = defaultdict(list)
        for position in e.positions.values():
            groups[self.position_day[position.id] // width].append(position)
        columns: dict[str, list[object]] = {f.name: [] for f in COHORTS}
        for cohort in sorted(groups):
            positions = groups[cohort]
            waits = [
                self.exit_day[p.id] - self.position_day[p.id]
                for p in positions
                if p.id in self.exit_day
            ]
            reached = [0, 0, 0]
            multiple = s.economy.exit_multiple
            for p in positions:
                # A force-exited position was worth its exit multiple when sold (it received
                # that less the exit fee); any other is valued at net received + held × price.
                exited = p.id in self.exit_day
                value_scaled = p.net_received_fen * pu + p.held_units * pf
                for k in (1, 2, 3):
                    if (exited and k <= multiple) or value_scaled >= k * p.spend_fen * pu:
                        reached[k - 1] += 1
            entry_fen, entry_units = self.cohort_entry[cohort]
            row = (
                self.variant, self.run, s.seed, cohort * width, len(positions),
                sum(p.spend_fen for p in positions), len(waits),
                float(np.percentile(waits, 50)) if waits else None,
                float(np.percentile(waits, 90)) if waits else None,
                *reached, price_decimal(entry_fen, entry_units),
            )  # fmt: skip
            for column, value in zip(columns.values(), row, strict=True):
                column.append(value)
        return pa.Table.from_pydict(columns, schema=COHORTS)

    def _run_row(self) -> pa.Table:
        s = self.scenario
        e = self.economy
        t = self.totals
        open_positions = [p for p in e.positions.values() if p.is_open]
        # Per member: what they received (net of fees) or hold at the final price, against
        # everything they spent; exits count at what was actually paid out.
        pf, pu = e.price_fen, e.price_units
        spend: dict[str, int] = defaultdict(int)
        value_scaled: dict[str, int] = defaultdict(int)
        for p in e.positions.values():
            spend[p.member] += p.spend_fen
            value_scaled[p.member] += p.net_received_fen * pu + p.held_units * pf
        members_reached = [
            sum(1 for m, v in value_scaled.items() if v >= k * spend[m] * pu) for k in (1, 2, 3)
        ]
        row = {
            "variant": self.variant, "run": self.run, "seed": s.seed, "orders": t["orders"],
            "sales_fen": t["sales"], "members": len(self.member_ids), "pool_fen": e.pool_fen,
            "points_units": e.points_units, "price": price_decimal(e.price_fen, e.price_units),
            "exits": len(self.exit_day), "exit_net_fen": t["exit_net"],
            "sell_net_fen": t["sell_net"], "injected_fen": t["injected"],
            "subsidy_fen": t["subsidy"],
            **{f"reward_{k}_fen": self.rewards_by_kind.get(k, 0) for k in REWARD_KINDS},
            "platform_revenue_fen": e.platform_revenue_fen, "positions": len(e.positions),
            "open_positions": len(open_positions),
            "stuck_value_fen": e.points_units * e.price_fen // e.price_units,
            "stuck_spend_fen": sum(p.spend_fen for p in open_positions),
            "buyers": len(spend),
            "members_reached_1x": members_reached[0],
            "members_reached_2x": members_reached[1],
            "members_reached_3x": members_reached[2],
        }  # fmt: skip
        return pa.Table.from_pylist([row], schema=RUNS)


def simulate(scenario: Scenario, variant: int = 0, run: int = 0) -> RunResult:
    return Simulation(scenario, variant, run).simulate()
