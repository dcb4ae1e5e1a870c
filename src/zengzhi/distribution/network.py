"""The referral network (推荐关系) and the reward engine of SPEC 2: pure state, no I/O.

Cost model. Settling an order touches the buyer, the sponsor, the sponsor's sponsor, the ranked
uplines the differential/peer walk actually pays or passes (never an unranked one twice per rank
change), and the agents of three regions: it never scans the members. Every member record
names its sponsor by id rather than by reference, so the structure is flat: a 10⁴-deep chain
cannot overflow a recursive copy, pickle or garbage collection, and nothing here recurses.

Skipping the unranked. Most uplines hold no rank and the walk passes them over, yet chains can
be 10⁴ deep. Each record caches the nearest ranked ancestor, tagged with an epoch that every
rank or plan change advances; a stale tag means "recompute", and a recomputation fills the tag of
every record it crossed, so the order path costs O(ranked uplines walked) amortised.

All-or-nothing. Every public mutator validates everything before it changes anything; the only
writes before validation completes are to those caches, which no result depends on.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from zengzhi.distribution.plan import REGION_LEVELS, Plan
from zengzhi.distribution.rewards import (
    DIRECT,
    INDIRECT,
    REGIONAL,
    OrderRewards,
    PlanTerms,
    RankTerms,
    RewardPayout,
    compile_plan,
    differential_and_peer,
    dividend_shares,
    share_of,
)
from zengzhi.economy.errors import InvalidQuantity, Rejected
from zengzhi.economy.quantity import Rate

__all__ = ["Distribution", "OrderRewards", "RewardPayout", "region_keys"]

_PARTS_FOR_LEVEL = dict(zip(REGION_LEVELS, (3, 2, 1), strict=True))


def _parts(region: object, expected: int) -> list[str]:
    if not isinstance(region, str):
        raise Rejected("bad_region", f"region {region!r} is not text")
    parts = region.split("/")
    if len(parts) != expected or any(not p or p.strip() != p for p in parts):
        raise Rejected(
            "bad_region",
            f"region {region!r} must be {expected} non-empty '/'-separated part(s)",
        )
    return parts


def region_keys(region: str) -> tuple[str, str, str]:
    """A member's region as its (district, city, province) agent keys, e.g. for
    ``44/4419/441900``: (``44/4419/441900``, ``44/4419``, ``44``); Rejected ``bad_region``."""
    p = _parts(region, 3)
    return region, f"{p[0]}/{p[1]}", p[0]


def _check_fen(value: object, what: str) -> int:
    if type(value) is not int or value < 0:
        raise InvalidQuantity("invalid_amount", f"{what} must be a whole number of fen ≥ 0")
    return value


class _Member:
    __slots__ = (
        "assigned",
        "children",
        "highest",
        "id",
        "period_fen",
        "rank",
        "regions",
        "sponsor",
        "up",
        "up_epoch",
        "volume_fen",
    )

    def __init__(self, member: str, sponsor: str | None, regions: tuple[str, str, str] | None):
        self.id = member
        self.sponsor = sponsor
        self.regions = regions  # (district, city, province) keys, or None for no region
        self.rank: str | None = None  # the rank paid this period
        self.assigned: str | None = None  # the operator's assignment: a floor for evaluation
        self.highest: str | None = None  # the highest rank ever held
        self.volume_fen = 0  # own settled orders, all time
        self.period_fen = 0  # own settled orders since the last rank evaluation closed a period
        self.children: list[str] | None = None  # direct recruits in join order; None until one
        self.up: str | None = None  # nearest ancestor with a paying rank, valid at up_epoch
        self.up_epoch = -1


class Distribution:
    """Members, their sponsors, regions, ranks, agents and shareholders, and the rewards."""

    def __init__(self, plan: Plan) -> None:
        self._members: dict[str, _Member] = {}
        self._agents: dict[str, list[str]] = {}  # region key -> members, in appointment order
        self._shareholders: dict[str, Decimal] = {}
        self._weights: dict[str, Rate] = {}
        self._region_cache: dict[str, tuple[str, str, str]] = {}
        self._epoch = 0
        self.dividend_pool_fen = 0
        self.plan = plan

    # -- plan ---------------------------------------------------------------------------------

    @property
    def plan(self) -> Plan:
        return self._plan

    @plan.setter
    def plan(self, plan: Plan) -> None:
        # A member keeps the rank names it holds; a name the new plan lacks counts as no rank
        # (for pay and evaluation) until the operator or an evaluation sets another.
        terms = compile_plan(plan)
        self._plan = plan
        self._terms = terms
        self._epoch += 1

    @property
    def terms(self) -> PlanTerms:
        """The plan compiled to integer fractions."""
        return self._terms

    # -- members ------------------------------------------------------------------------------

    def _get(self, member: str) -> _Member:
        rec = self._members.get(member)
        if rec is None:
            raise Rejected("unknown_member", f"member {member!r} is unknown")
        return rec

    def has_member(self, member: str) -> bool:
        return member in self._members

    def __len__(self) -> int:
        return len(self._members)

    def members(self) -> Iterator[str]:
        """Every member id, in join order."""
        return iter(self._members)

    def _regions(self, region: str) -> tuple[str, str, str]:
        # Many members share a region: one tuple per region string keeps 10⁶ members lean.
        keys = self._region_cache.get(region)
        if keys is None:
            keys = region_keys(region)
            self._region_cache[region] = keys
        return keys

    def join(self, member: str, sponsor: str | None = None, region: str | None = None) -> None:
        """Bind ``member`` to ``sponsor`` for good. Rejected: ``member_exists``,
        ``unknown_sponsor``, ``bad_region``. A sponsor must exist already, so no cycle can form."""
        if member in self._members:
            raise Rejected("member_exists", f"member {member!r} already exists")
        parent = None
        if sponsor is not None:
            parent = self._members.get(sponsor)
            if parent is None:
                raise Rejected("unknown_sponsor", f"sponsor {sponsor!r} is unknown")
        regions = self._regions(region) if region is not None else None
        self._members[member] = _Member(member, sponsor, regions)
        if parent is not None:
            if parent.children is None:
                parent.children = [member]
            else:
                parent.children.append(member)

    def ensure_member(self, member: str) -> None:
        """Create ``member`` with no sponsor and no region if absent (an order without a join)."""
        if member not in self._members:
            self._members[member] = _Member(member, None, None)

    # -- queries ------------------------------------------------------------------------------

    def sponsor_of(self, member: str) -> str | None:
        return self._get(member).sponsor

    def upline(self, member: str) -> Iterator[str]:
        """The member's sponsors, nearest first, lazily (stop pulling to stop walking)."""
        members = self._members
        sponsor = self._get(member).sponsor
        while sponsor is not None:
            yield sponsor
            sponsor = members[sponsor].sponsor

    def direct_team(self, member: str) -> tuple[str, ...]:
        """The members ``member`` sponsored, in join order."""
        return tuple(self._get(member).children or ())

    def _subtree(self, member: str) -> Iterator[_Member]:
        # Excludes `member` itself; an explicit stack, since a chain may be 10⁴ deep.
        members = self._members
        stack = list(reversed(self._get(member).children or ()))
        while stack:
            rec = members[stack.pop()]
            yield rec
            if rec.children:
                stack.extend(reversed(rec.children))

    def team(self, member: str) -> Iterator[str]:
        """The ids of ``member``'s subtree, self excluded, depth first. O(subtree)."""
        return (rec.id for rec in self._subtree(member))

    def team_size(self, member: str) -> int:
        """Members in ``member``'s subtree, self excluded. O(subtree): for reports and batches."""
        return sum(1 for _ in self._subtree(member))

    def team_volume_fen(self, member: str) -> int:
        """Orders settled through ``settle_order`` in ``member``'s subtree, self excluded, all
        time. O(subtree). The engine skips ``settle_order`` for a plan that pays nothing and has
        no rank rules; ``Economy.team_volume_fen`` counts every settled order."""
        return sum(rec.volume_fen for rec in self._subtree(member))

    def region_of(self, member: str) -> str | None:
        regions = self._get(member).regions
        return regions[0] if regions is not None else None

    def rank_of(self, member: str) -> str | None:
        """The rank paid this period."""
        return self._get(member).rank

    def assigned_rank_of(self, member: str) -> str | None:
        """The operator's assignment, which an evaluation does not go below."""
        return self._get(member).assigned

    def highest_rank_of(self, member: str) -> str | None:
        """The highest rank the member ever held."""
        return self._get(member).highest

    def personal_volume_fen(self, member: str) -> int:
        """The member's own settled orders, all time."""
        return self._get(member).volume_fen

    def period_volume_fen(self, member: str) -> int:
        """The member's own settled orders in the current rank period."""
        return self._get(member).period_fen

    def agents_of(self, region: str) -> tuple[str, ...]:
        """The agents appointed for exactly this region key, in appointment order."""
        return tuple(self._agents.get(region, ()))

    def shareholders(self) -> dict[str, Decimal]:
        """Shareholder weights, in the order they were first set."""
        return dict(self._shareholders)

    # -- ranks, agents, shareholders ----------------------------------------------------------

    def _note_held(self, rec: _Member, rank: str | None) -> None:
        level_of = self._terms.level_of
        if level_of(rank) > level_of(rec.highest):
            rec.highest = rank

    def set_rank(self, member: str, rank: str | None) -> None:
        """The operator sets the rank paid from now on (``None`` clears it), and that rank
        becomes a floor: an evaluation may raise the member above it, never below it.
        Rejected: ``unknown_member``, ``unknown_rank``."""
        rec = self._get(member)
        if rank is not None and rank not in self._terms.by_name:
            raise Rejected("unknown_rank", f"rank {rank!r} is not in plan {self._plan.name!r}")
        rec.assigned = rank
        if rec.rank != rank:
            rec.rank = rank
            self._epoch += 1
        self._note_held(rec, rank)

    def _records(self) -> list[_Member]:
        """Every member record in join order (for ranks.py; callers must not mutate them)."""
        return list(self._members.values())

    def _apply_ranks(self, changes: list[tuple[str, str | None]], close_period: bool) -> None:
        """Set paid ranks from an evaluation (ranks.py) and, if asked, start a new period."""
        members = self._members
        for member, rank in changes:
            rec = members[member]
            rec.rank = rank
            self._note_held(rec, rank)
        if changes:
            self._epoch += 1
        if close_period:
            for rec in members.values():
                rec.period_fen = 0

    def appoint_agent(self, member: str, region: str, level: str) -> None:
        """Appoint a regional agent. ``level`` is district/city/province and takes a region of
        3/2/1 parts. Appointing the same member to the same region again changes nothing.
        Rejected: ``bad_level``, ``unknown_member``, ``bad_region``."""
        parts = _PARTS_FOR_LEVEL.get(level)
        if parts is None:
            raise Rejected("bad_level", f"agent level {level!r} is not one of {REGION_LEVELS}")
        self._get(member)
        _parts(region, parts)
        agents = self._agents.setdefault(region, [])
        if member not in agents:
            agents.append(member)

    def dismiss_agent(self, member: str, region: str) -> None:
        """Undo an appointment; dismissing one that does not exist changes nothing.
        Rejected: ``unknown_member``."""
        self._get(member)
        agents = self._agents.get(region)
        if agents is not None and member in agents:
            agents.remove(member)
            if not agents:
                del self._agents[region]

    def set_shareholder(self, member: str, weight: Decimal) -> None:
        """Set (replace) a shareholder's dividend weight; 0 removes the shareholder.
        Rejected: ``unknown_member``, ``bad_weight`` (negative or not a finite number)."""
        self._get(member)
        if (
            isinstance(weight, bool)
            or not isinstance(weight, (Decimal, int))
            or not Decimal(weight).is_finite()
            or weight < 0
        ):
            raise Rejected("bad_weight", f"shareholder weight {weight!r} is not a number ≥ 0")
        if weight == 0:
            self._shareholders.pop(member, None)
            self._weights.pop(member, None)
            return
        self._shareholders[member] = Decimal(weight)
        self._weights[member] = Rate.of(Decimal(weight))

    # -- rewards ------------------------------------------------------------------------------

    def _ranked_above(self, rec: _Member) -> str | None:
        """The nearest strict ancestor whose rank pays in the walk, through the epoch cache."""
        epoch = self._epoch
        if rec.up_epoch == epoch:
            return rec.up
        members = self._members
        walk_ranks = self._terms.walk_ranks
        crossed = [rec]
        found: str | None = None
        cur = rec
        while True:
            sponsor = cur.sponsor
            if sponsor is None:
                break
            up = members[sponsor]
            if up.rank is not None and up.rank in walk_ranks:
                found = sponsor
                break
            if up.up_epoch == epoch:
                found = up.up
                break
            crossed.append(up)
            cur = up
        # Every crossed record is the buyer or an unranked ancestor of it, so all share `found`.
        for r in crossed:
            r.up = found
            r.up_epoch = epoch
        return found

    def _ranked_uplines(self, rec: _Member) -> Iterator[tuple[str, RankTerms | None]]:
        members = self._members
        walk_ranks = self._terms.walk_ranks
        above = self._ranked_above
        member = above(rec)
        while member is not None:
            up = members[member]
            assert up.rank is not None
            yield member, walk_ranks[up.rank]
            member = above(up)

    def settle_order(
        self, buyer: str, amount_fen: int, distribution_fen: int, platform_fen: int
    ) -> OrderRewards:
        """The rewards of one settled order, in SPEC 2 order, on base = ``amount_fen``.

        The caller credits the payouts; this records the buyer's volume and the dividend
        accrual. Rejected ``unknown_member`` (call ``ensure_member`` first)."""
        rec = self._get(buyer)
        base = _check_fen(amount_fen, "amount_fen")
        _check_fen(distribution_fen, "distribution_fen")
        _check_fen(platform_fen, "platform_fen")
        t = self._terms
        members = self._members
        payouts: list[RewardPayout] = []
        sponsor = rec.sponsor
        if sponsor is not None:
            direct = t.direct
            if direct.num:
                amount = base * direct.num // direct.den
                if amount:
                    payouts.append(RewardPayout(sponsor, DIRECT, amount))
            indirect = t.indirect
            grand = members[sponsor].sponsor
            if grand is not None and indirect.num:
                amount = base * indirect.num // indirect.den
                if amount:
                    payouts.append(RewardPayout(grand, INDIRECT, amount))
            if t.top_rate:
                payouts.extend(differential_and_peer(t, base, self._ranked_uplines(rec)))
        regions = rec.regions
        if regions is not None:
            agents_by_region = self._agents
            for key, rate in zip(regions, t.regional, strict=True):
                agents = agents_by_region.get(key)
                if agents and rate.num:
                    each = share_of(base, rate, len(agents))
                    if each:
                        for agent in agents:
                            payouts.append(RewardPayout(agent, REGIONAL, each))
        paid = 0
        for p in payouts:
            paid += p.amount_fen
        assert paid <= distribution_fen, (
            f"order of {base} fen pays {paid} fen of rewards, over its distribution share "
            f"{distribution_fen}: the plan was not checked against this split"
        )
        dividend = t.dividend
        accrual = platform_fen * dividend.num // dividend.den
        rec.volume_fen += base
        rec.period_fen += base
        self.dividend_pool_fen += accrual
        return OrderRewards(tuple(payouts), paid, distribution_fen - paid, accrual)

    def run_dividend(self) -> tuple[RewardPayout, ...]:
        """Pay the dividend pool out by weight; what rounding leaves stays for the next run."""
        payouts = dividend_shares(self.dividend_pool_fen, self._weights.items())
        self.dividend_pool_fen -= sum(p.amount_fen for p in payouts)
        assert self.dividend_pool_fen >= 0
        return payouts
