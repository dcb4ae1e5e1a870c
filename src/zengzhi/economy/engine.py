"""The points economy engine (SPEC 1): orders, sells, injections and the exit cascade.

State is integers only: the pool in fen, points in 0.0001-point units. The price is the exact
ratio pool_fen / points_units (fen per unit) and is never stored rounded. Each operation
validates everything first and only then mutates, so a rejected operation leaves no trace; each
returns the events it caused.

The exit cascade keeps open positions in a binary heap keyed by an exact integer image of their
trigger price (see ``_trigger_key``), so an exit costs O(log n) in the number of open positions.
Closed or re-keyed positions leave stale heap entries that are skipped when they surface, and
the heap is compacted when stale entries outnumber live ones (amortised O(1)).
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zengzhi.distribution.network import Distribution
from zengzhi.distribution.plan import NO_PLAN, Plan
from zengzhi.economy.config import EconomyConfig, Split
from zengzhi.economy.errors import InvalidConfig, InvalidQuantity, Rejected
from zengzhi.economy.events import (
    DividendRun,
    Event,
    Injected,
    OrderSettled,
    PointsSold,
    PositionExited,
    RewardPaid,
    SalePart,
)
from zengzhi.economy.quantity import (
    FEN_PER_CNY,
    MAX_MONEY_FEN,
    UNITS_PER_POINT,
    Rate,
    price_decimal,
)

# Trigger prices are compared through floor(num * 2**_KEY_SHIFT / den). Two different fractions
# whose denominators are below 2**(_KEY_SHIFT/2) differ by more than 2**-_KEY_SHIFT, so their
# keys differ in the same direction and equal fractions get equal keys: the heap order is exact.
# den = multiple's denominator × points units, far below 2**128 for amounts ≤ MAX_MONEY_FEN.
_KEY_SHIFT = 256
_MAX_KEY_DENOMINATOR = 1 << (_KEY_SHIFT // 2)


NO_EVENT = Injected(0)  # placeholder filled in before an operation returns


class Position:
    """One order's points (持仓). Mutable; only the engine changes it."""

    __slots__ = (
        "acquired_units",
        "held_units",
        "id",
        "is_open",
        "key",
        "member",
        "net_received_fen",
        "spend_fen",
        "trigger_den",
        "trigger_num",
    )

    def __init__(self, position_id: int, member: str, spend_fen: int, acquired_units: int) -> None:
        self.id = position_id
        self.member = member
        self.spend_fen = spend_fen
        self.acquired_units = acquired_units
        self.held_units = acquired_units
        self.net_received_fen = 0
        self.is_open = acquired_units > 0
        # Trigger price as the exact fraction trigger_num / trigger_den (fen per point unit).
        self.trigger_num = 0
        self.trigger_den = 0
        self.key: int | None = None  # heap key of the live entry; None until first keyed

    def trigger_price(self) -> Decimal | None:
        """CNY per point at which this position exits (display, 8 places); None if it cannot."""
        if self.key is None or not self.is_open:
            return None
        if self.trigger_num <= 0:
            return Decimal(0)
        return price_decimal(self.trigger_num, self.trigger_den)

    def __repr__(self) -> str:
        return (
            f"Position(id={self.id}, member={self.member!r}, spend_fen={self.spend_fen}, "
            f"acquired={self.acquired_units}, held={self.held_units}, open={self.is_open})"
        )


class Member:
    """A member's economy account: open positions (oldest first), held points, wallet."""

    __slots__ = ("held_units", "id", "ordered_fen", "positions", "wallet_fen")

    def __init__(self, member_id: str) -> None:
        self.id = member_id
        self.wallet_fen = 0
        self.held_units = 0
        self.ordered_fen = 0  # Σ amounts of the member's settled orders
        # Open positions, oldest first; positions closed by an exit stay until they reach the
        # front (lazy removal keeps exits O(log n)).
        self.positions: deque[Position] = deque()

    def open_positions(self) -> Iterator[Position]:
        return (p for p in self.positions if p.is_open)


@dataclass(frozen=True)
class Totals:
    """Running sums the invariants of SPEC 1.5 are checked against."""

    contributions_fen: int
    injections_fen: int
    paid_out_fen: int
    points_issued_units: int
    points_removed_units: int


class Economy:
    """One economy: a pool, its points, members' positions and wallets, and their rewards."""

    def __init__(self, config: EconomyConfig | None = None, plan: Plan = NO_PLAN) -> None:
        self.config = config if config is not None else EconomyConfig()
        cfg = self.config
        plan.check_budget(cfg.split.distribution)
        self._plan_worst_rate = plan.worst_case_rate()
        self.distribution = Distribution(plan)
        # A plan that pays nothing and earns no ranks needs no walk (volumes: Member.ordered_fen).
        self._rewards_active = plan.pays_rewards() or any(r.rule for r in plan.ranks)
        self.pool_fen = 0
        self.points_units = 0
        # The price as an exact ratio; equals (pool, points) while points circulate and keeps the
        # last value when none do (SPEC 1.1). initial_price CNY/point = initial_price/100 fen/unit.
        initial = Rate.of(cfg.initial_price)
        self.price_fen, self.price_units = initial.num * FEN_PER_CNY, initial.den * UNITS_PER_POINT
        self.members: dict[str, Member] = {}
        self.positions: dict[int, Position] = {}
        self.orders = 0
        self.platform_revenue_fen = 0
        self._point_ratio_num, self._point_ratio_den = Rate.of(cfg.point_ratio)
        self._shares = cfg.split.share_ints
        self._sell_keep = Rate.of(cfg.sell_fee).complement()
        self._exit_keep = Rate.of(cfg.exit_fee_rate).complement()
        self._multiple = Rate.of(cfg.exit_multiple)
        self._exits = cfg.exits_enabled
        self._total_return = cfg.exit_basis == "total_return"
        self._heap: list[tuple[int, int, Position]] = []
        self._stale = 0
        self._open_count = 0
        self._next_position_id = 1
        self._contributions_fen = 0
        self._injections_fen = 0
        self._paid_out_fen = 0
        self._issued_units = 0
        self._removed_units = 0

    # ----------------------------------------------------------------- queries
    @property
    def price(self) -> Decimal:
        """CNY per point, rounded half-even to 8 places (display only)."""
        return price_decimal(self.price_fen, self.price_units)

    @property
    def dividend_pool_fen(self) -> int:
        return self.distribution.dividend_pool_fen

    def member(self, member_id: str) -> Member:
        try:
            return self.members[member_id]
        except KeyError:
            raise Rejected("unknown_member", f"unknown member {member_id!r}") from None

    def totals(self) -> Totals:
        return Totals(
            self._contributions_fen,
            self._injections_fen,
            self._paid_out_fen,
            self._issued_units,
            self._removed_units,
        )

    def open_position_count(self) -> int:
        return self._open_count

    def personal_volume_fen(self, member_id: str) -> int:
        """Σ amounts of the member's settled orders."""
        return self.member(member_id).ordered_fen

    def team_volume_fen(self, member_id: str) -> int:
        """Σ amounts of settled orders in the member's referral subtree, self excluded.
        O(subtree): for reports and batches, never on the order path."""
        self.member(member_id)
        members = self.members
        return sum(
            account.ordered_fen
            for account in (members.get(m) for m in self.distribution.team(member_id))
            if account is not None
        )

    # ----------------------------------------------------------------- members
    def _account(self, member_id: str) -> Member:
        account = self.members.get(member_id)
        if account is None:
            account = self.members[member_id] = Member(member_id)
        return account

    def join(self, member_id: str, sponsor: str | None = None, region: str | None = None) -> None:
        self.distribution.join(member_id, sponsor, region)
        self._account(member_id)

    def set_rank(self, member_id: str, rank: str | None) -> None:
        self.distribution.set_rank(member_id, rank)

    def appoint_agent(self, member_id: str, region: str, level: str) -> None:
        self.distribution.appoint_agent(member_id, region, level)

    def set_shareholder(self, member_id: str, weight: Decimal) -> None:
        self.distribution.set_shareholder(member_id, weight)

    # ----------------------------------------------------------------- operations
    def order(
        self,
        member_id: str,
        amount_fen: int,
        subsidy_fen: int = 0,
        split: Split | None = None,
    ) -> list[Event]:
        """Settle a paid order (SPEC 1.3): pool contribution, points, rewards, then exits.

        This is the hot path (every order of the platform and of every simulation), so the
        rounding helpers of ``quantity`` are inlined here; tests hold it to the same rules.
        """
        if type(amount_fen) is not int or not 0 < amount_fen <= MAX_MONEY_FEN:
            raise InvalidQuantity(
                "non_positive", f"amount must be > 0 and ≤ {MAX_MONEY_FEN} fen, got {amount_fen!r}"
            )
        if type(subsidy_fen) is not int or not 0 <= subsidy_fen <= amount_fen:
            raise InvalidQuantity(
                "bad_subsidy", f"subsidy must be between 0 and the amount, got {subsidy_fen!r}"
            )
        if split is None:
            pool_num, pool_den, dist_num, dist_den, plat_num, plat_den = self._shares
        else:
            if split.distribution < self._plan_worst_rate:
                raise InvalidConfig(
                    "plan_over_budget",
                    f"the plan can pay {self._plan_worst_rate} of an order but this product's "
                    f"distribution share is {split.distribution}",
                )
            pool_num, pool_den, dist_num, dist_den, plat_num, plat_den = split.share_ints
        # round_half_even(amount × share) for the pool, distribution and platform shares.
        contribution, rest = divmod(amount_fen * pool_num, pool_den)
        if 2 * rest > pool_den or (2 * rest == pool_den and contribution & 1):
            contribution += 1
        distribution, rest = divmod(amount_fen * dist_num, dist_den)
        if 2 * rest > dist_den or (2 * rest == dist_den and distribution & 1):
            distribution += 1
        platform, rest = divmod(amount_fen * plat_num, plat_den)
        if 2 * rest > plat_den or (2 * rest == plat_den and platform & 1):
            platform += 1
        cost = amount_fen - contribution - distribution - platform
        assert cost >= 0, "split shares exceed the amount"
        value = contribution * self._point_ratio_num // self._point_ratio_den
        price_fen, price_units = self.price_fen, self.price_units
        # q = round_down(value / price, 0.0001): in units, value_fen × units / fen.
        issued = value * price_units // price_fen
        spend = amount_fen - subsidy_fen

        # Nothing below can fail: the order is valid from here on.
        account = self.members.get(member_id)
        if account is None:
            self.distribution.ensure_member(member_id)
            account = self.members[member_id] = Member(member_id)
        self.orders = order_id = self.orders + 1
        account.ordered_fen += amount_fen
        position_id = self._next_position_id
        self._next_position_id = position_id + 1
        position = Position(position_id, member_id, spend, issued)
        self.positions[position_id] = position
        pool = self.pool_fen = self.pool_fen + contribution
        self._contributions_fen += contribution
        if issued:
            self.points_units += issued
            self._issued_units += issued
            account.held_units += issued
            account.positions.append(position)
            self._open_count += 1
            if self._exits:
                self._rekey(position)
        points = self.points_units
        if points:
            # The price is now pool/points; SPEC 1.5 says it cannot have fallen.
            assert pool * price_units >= price_fen * points, "the price fell"
            self.price_fen, self.price_units = pool, points
        if self._rewards_active:
            events: list[Event] = [NO_EVENT]
            rewards = self.distribution.settle_order(member_id, amount_fen, distribution, platform)
            members = self.members
            for payout in rewards.payouts:
                recipient = members.get(payout.member) or self._account(payout.member)
                recipient.wallet_fen += payout.amount_fen
                events.append(RewardPaid(order_id, payout.member, payout.kind, payout.amount_fen))
            paid, accrual = rewards.paid_fen, rewards.dividend_accrual_fen
            assert paid + rewards.unpaid_fen == distribution and 0 <= paid <= distribution
        else:
            events = [NO_EVENT]
            paid = accrual = 0
        revenue = platform - accrual + distribution - paid
        self.platform_revenue_fen += revenue
        events[0] = OrderSettled(
            order_id,
            member_id,
            amount_fen,
            subsidy_fen,
            spend,
            contribution,
            value,
            issued,
            position_id,
            price_fen,
            price_units,
            distribution,
            platform,
            cost,
            paid,
            accrual,
            revenue,
        )
        heap = self._heap
        if heap:
            # Enter the cascade only when the lowest trigger is reached (or the top is stale).
            top = heap[0][2]
            if (
                not top.is_open
                or heap[0][0] != top.key
                or self.pool_fen * top.trigger_den >= top.trigger_num * self.points_units
            ):
                self._cascade(events)
        return events

    def sell(self, member_id: str, points_units: int) -> list[Event]:
        """Sell points back to the pool (SPEC 1.3): FIFO over open positions, fee stays."""
        if type(points_units) is not int or points_units <= 0:
            raise InvalidQuantity("non_positive", f"points must be > 0, got {points_units!r}")
        account = self.member(member_id)
        if points_units > account.held_units:
            raise Rejected(
                "insufficient_points",
                f"member {member_id!r} holds {account.held_units} units, asked to sell "
                f"{points_units}",
            )
        pool, points = self.pool_fen, self.points_units
        assert points > 0
        keep = self._sell_keep
        den = points * keep.den
        factor = pool * keep.num
        remaining = points_units
        parts: list[SalePart] = []
        net_total = 0
        queue = account.positions
        while remaining:
            position = queue[0]
            if not position.is_open:
                queue.popleft()
                continue
            take = position.held_units if position.held_units < remaining else remaining
            net = take * factor // den
            position.held_units -= take
            position.net_received_fen += net
            remaining -= take
            net_total += net
            closed = position.held_units == 0
            if closed:
                position.is_open = False
                self._open_count -= 1
                queue.popleft()
                if position.key is not None:
                    self._stale += 1
            elif self._total_return and self._exits:
                self._rekey(position)
            parts.append(SalePart(position.id, take, net, closed))
        account.held_units -= points_units
        account.wallet_fen += net_total
        self.pool_fen -= net_total
        self.points_units -= points_units
        self._paid_out_fen += net_total
        self._removed_units += points_units
        events: list[Event] = [
            PointsSold(member_id, points_units, net_total, pool, points, tuple(parts))
        ]
        self._reprice(pool, points)
        if self._exits:
            self._cascade(events)
        return events

    def inject(self, amount_fen: int) -> list[Event]:
        """Financing money into the pool (融资注入); it can only raise the price."""
        if type(amount_fen) is not int or not 0 < amount_fen <= MAX_MONEY_FEN:
            raise InvalidQuantity(
                "non_positive", f"amount must be > 0 and ≤ {MAX_MONEY_FEN} fen, got {amount_fen!r}"
            )
        price_fen, price_units = self.price_fen, self.price_units
        self.pool_fen += amount_fen
        self._injections_fen += amount_fen
        events: list[Event] = [Injected(amount_fen)]
        self._reprice(price_fen, price_units)
        if self._exits:
            self._cascade(events)
        return events

    def run_dividend(self) -> list[Event]:
        """Pay the dividend pool to shareholders by weight; the remainder stays (SPEC 2.6)."""
        events: list[Event] = []
        paid = 0
        for payout in self.distribution.run_dividend():
            self._account(payout.member).wallet_fen += payout.amount_fen
            paid += payout.amount_fen
            events.append(RewardPaid(None, payout.member, payout.kind, payout.amount_fen))
        events.append(DividendRun(paid, self.distribution.dividend_pool_fen))
        return events

    # ----------------------------------------------------------------- internals
    def _reprice(self, before_fen: int, before_units: int) -> None:
        """Move the price to pool/points (or keep the last one) and assert it did not fall."""
        pool, points = self.pool_fen, self.points_units
        assert pool >= 0 and points >= 0, "pool and points must stay non-negative"
        if points:
            assert pool * before_units >= before_fen * points, "the price fell"
            self.price_fen, self.price_units = pool, points

    def _rekey(self, position: Position) -> None:
        """(Re)compute a position's trigger price and push it on the heap."""
        m = self._multiple
        if self._total_return:
            num = m.num * position.spend_fen - m.den * position.net_received_fen
            den = m.den * position.held_units
        else:
            num = m.num * position.spend_fen
            den = m.den * position.acquired_units
        assert 0 < den < _MAX_KEY_DENOMINATOR, "trigger denominator out of exact-key range"
        if position.key is not None:
            self._stale += 1  # the entry pushed before this one is now stale
        position.trigger_num = num
        position.trigger_den = den
        key = (num << _KEY_SHIFT) // den
        position.key = key
        heapq.heappush(self._heap, (key, position.id, position))

    def _cascade(self, events: list[Event]) -> None:
        """Exit every position whose trigger the current price reached, lowest trigger first."""
        heap = self._heap
        while heap:
            key, _, position = heap[0]
            if not position.is_open or key != position.key:
                heapq.heappop(heap)
                self._stale -= 1
                continue
            # Reached when pool/points ≥ trigger_num/trigger_den, compared exactly.
            if self.pool_fen * position.trigger_den < position.trigger_num * self.points_units:
                break
            heapq.heappop(heap)
            events.append(self._exit(position))
        if self._stale > 1024 and self._stale * 2 > len(heap):
            self._compact()

    def _exit(self, position: Position) -> PositionExited:
        pool, points = self.pool_fen, self.points_units
        held = position.held_units
        keep = self._exit_keep
        net = held * pool * keep.num // (points * keep.den)
        account = self.members[position.member]
        position.held_units = 0
        position.net_received_fen += net
        position.is_open = False
        self._open_count -= 1
        account.held_units -= held
        account.wallet_fen += net
        self.pool_fen = pool - net
        self.points_units = points - held
        self._paid_out_fen += net
        self._removed_units += held
        self._reprice(pool, points)
        return PositionExited(position.id, position.member, held, net, pool, points)

    def _compact(self) -> None:
        live: dict[int, tuple[int, int, Position]] = {}
        for entry in self._heap:
            if entry[2].is_open and entry[0] == entry[2].key:
                live[entry[1]] = entry  # a re-key that gave the same key leaves twins: keep one
        self._heap = list(live.values())
        heapq.heapify(self._heap)
        self._stale = 0

    # ----------------------------------------------------------------- audit
    def check_invariants(self) -> None:
        """Full O(n) check of SPEC 1.5; tests call it after every step, code at audit points."""
        assert self.pool_fen >= 0 and self.points_units >= 0
        assert self.pool_fen == self._contributions_fen + self._injections_fen - self._paid_out_fen
        assert self.points_units == self._issued_units - self._removed_units
        held_total = 0
        for account in self.members.values():
            member_held = sum(p.held_units for p in account.open_positions())
            assert member_held == account.held_units, f"member {account.id} holdings drifted"
            held_total += member_held
        open_positions = [p for p in self.positions.values() if p.is_open]
        open_total = sum(p.held_units for p in open_positions)
        assert held_total == open_total == self.points_units, "Σ held ≠ points"
        assert len(open_positions) == self._open_count
        assert all(p.held_units > 0 for p in open_positions)
        if self.points_units:
            assert (self.price_fen, self.price_units) == (self.pool_fen, self.points_units)

    def snapshot(self) -> dict[str, Any]:
        """Every piece of state, as plain ints and strings, for bit-for-bit comparisons."""
        return {
            "pool_fen": self.pool_fen,
            "points_units": self.points_units,
            "price": (self.price_fen, self.price_units),
            "orders": self.orders,
            "platform_revenue_fen": self.platform_revenue_fen,
            "dividend_pool_fen": self.dividend_pool_fen,
            "totals": self.totals(),
            "members": {
                m.id: (m.wallet_fen, m.held_units, tuple(p.id for p in m.open_positions()))
                for m in self.members.values()
            },
            "positions": {
                p.id: (
                    p.member,
                    p.spend_fen,
                    p.acquired_units,
                    p.held_units,
                    p.net_received_fen,
                    p.is_open,
                )
                for p in self.positions.values()
            },
        }
