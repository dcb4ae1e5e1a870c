"""The reward rules of SPEC 2 as pure arithmetic on integer fen.

A ``Plan`` holds exact ``Decimal`` rates; ``compile_plan`` turns them once into integer fractions
so that an order only multiplies and floor-divides ints. Every reward is rounded down to the fen
on its own, which is what keeps the sum of an order's rewards within its distribution share:
Σ round_down(rᵢ × base) ≤ round_down(Σ rᵢ × base) ≤ the share, given ``Plan.check_budget``.

Nothing here knows the referral tree: the differential/peer walk consumes an iterator of uplines,
so the tree decides how cheaply it can produce them and the walk decides when to stop pulling.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from zengzhi.distribution.plan import Plan
from zengzhi.economy.quantity import Rate

DIRECT = "direct"
INDIRECT = "indirect"
DIFFERENTIAL = "differential"
PEER = "peer"
REGIONAL = "regional"
DIVIDEND = "dividend"
REWARD_KINDS = (DIRECT, INDIRECT, DIFFERENTIAL, PEER, REGIONAL, DIVIDEND)


class RewardPayout(NamedTuple):
    """One reward credited to a member's cash wallet."""

    member: str
    kind: str  # one of REWARD_KINDS
    amount_fen: int


class OrderRewards(NamedTuple):
    payouts: tuple[RewardPayout, ...]
    paid_fen: int  # Σ payouts
    unpaid_fen: int  # distribution_fen − paid_fen: goes to the platform
    dividend_accrual_fen: int  # round_down(platform_fen × dividend_rate, 0.01)


class RankTerms(NamedTuple):
    """A rank as the walk uses it: rates are numerators over the plan's common denominators."""

    name: str
    level: int  # 1 for the plan's first rank; 0 is reserved for "no rank"
    rate: int  # over PlanTerms.rate_den
    peer: int  # over PlanTerms.peer_den


def _common(rates: Sequence[Rate]) -> tuple[list[int], int]:
    # One denominator for all rank rates makes "rate above last" an int comparison and the
    # differential (rate − last) × base a single exact floor division.
    den = math.lcm(1, *(r.den for r in rates))
    return [r.num * (den // r.den) for r in rates], den


@dataclass(frozen=True, slots=True)
class PlanTerms:
    """A validated plan compiled to integer fractions (see module docstring)."""

    direct: Rate
    indirect: Rate
    ranks: tuple[RankTerms, ...]  # in plan order, rates strictly increasing
    by_name: dict[str, RankTerms]
    walk_ranks: dict[str, RankTerms]  # ranks with rate > 0: the only ones the walk can pay
    rate_den: int
    peer_den: int
    top_rate: int  # over rate_den; 0 when no rank pays
    top_peer: int  # the top rank's peer rate, over peer_den
    peer_layers: int
    peer_on_order: bool  # peer_basis == "order"
    regional: tuple[Rate, Rate, Rate]  # district, city, province
    dividend: Rate

    @property
    def has_walk(self) -> bool:
        return self.top_rate > 0

    @property
    def has_regional(self) -> bool:
        return any(r.num for r in self.regional)

    def level_of(self, rank: str | None) -> int:
        """A rank's place in the plan (0 for none, or for a name the plan no longer has)."""
        if rank is None:
            return 0
        terms = self.by_name.get(rank)
        return terms.level if terms is not None else 0


def compile_plan(plan: Plan) -> PlanTerms:
    rate_nums, rate_den = _common([Rate.of(r.rate) for r in plan.ranks])
    peer_nums, peer_den = _common([Rate.of(r.peer_rate) for r in plan.ranks])
    ranks = tuple(
        RankTerms(r.name, i + 1, rate_nums[i], peer_nums[i]) for i, r in enumerate(plan.ranks)
    )
    top = ranks[-1] if ranks else None
    return PlanTerms(
        direct=Rate.of(plan.direct_rate),
        indirect=Rate.of(plan.indirect_rate),
        ranks=ranks,
        by_name={r.name: r for r in ranks},
        walk_ranks={r.name: r for r in ranks if r.rate > 0},
        rate_den=rate_den,
        peer_den=peer_den,
        top_rate=top.rate if top is not None else 0,
        top_peer=top.peer if top is not None else 0,
        peer_layers=plan.peer_layers,
        peer_on_order=plan.peer_basis == "order",
        regional=(
            Rate.of(plan.district_rate),
            Rate.of(plan.city_rate),
            Rate.of(plan.province_rate),
        ),
        dividend=Rate.of(plan.dividend_rate),
    )


def differential_and_peer(
    terms: PlanTerms, base_fen: int, uplines: Iterable[tuple[str, RankTerms | None]]
) -> list[RewardPayout]:
    """SPEC 2 items 3 and 4: one walk up from the buyer's sponsor, nearest first.

    ``uplines`` may hold every upline (``None`` for the unranked) or only the ranked ones; the
    unranked and the lower-ranked are passed over either way. The iterator is pulled only until
    the stop rule holds, so a lazy source is walked no further than the rule needs.
    """
    out: list[RewardPayout] = []
    top = terms.top_rate
    if top == 0 or base_fen == 0:
        return out
    rate_den = terms.rate_den
    peer_den = terms.peer_den
    layers = terms.peer_layers
    on_order = terms.peer_on_order
    # Once the top rate is paid, only its peers can still be owed anything.
    top_done_after_paid = terms.top_peer == 0 or layers == 0
    last = 0
    setter_paid = 0  # the differential paid to whoever set `last` (the peer base, if chosen)
    peers = 0  # peer layers used at the current `last`
    for member, rank in uplines:
        if rank is None:
            continue
        rate = rank.rate
        if rate > last:
            amount = base_fen * (rate - last) // rate_den
            if amount:
                out.append(RewardPayout(member, DIFFERENTIAL, amount))
            last = rate
            setter_paid = amount
            peers = 0
            if rate == top and top_done_after_paid:
                break
        elif rate == last and rate > 0 and peers < layers:
            peers += 1
            amount = (base_fen if on_order else setter_paid) * rank.peer // peer_den
            if amount:
                out.append(RewardPayout(member, PEER, amount))
            if rate == top and peers >= layers:
                break
    return out


def share_of(base_fen: int, rate: Rate, ways: int = 1) -> int:
    """round_down(rate × base / ways, 0.01): one of ``ways`` agents' equal part of a reward."""
    return base_fen * rate.num // (rate.den * ways)


def dividend_shares(pool_fen: int, weights: Iterable[tuple[str, Rate]]) -> tuple[RewardPayout, ...]:
    """Each shareholder's round_down(pool × weight / Σ weights, 0.01), zero parts left out."""
    holders = [(m, w) for m, w in weights if w.num > 0]
    if not holders or pool_fen <= 0:
        return ()
    # Weights over one denominator turn pool × w / Σw into one exact floor division of ints.
    den = math.lcm(*(w.den for _, w in holders))
    scaled = [(m, w.num * (den // w.den)) for m, w in holders]
    total = sum(s for _, s in scaled)
    out = tuple(
        RewardPayout(m, DIVIDEND, pool_fen * s // total) for m, s in scaled if pool_fen * s >= total
    )
    assert sum(p.amount_fen for p in out) <= pool_fen, "dividend paid more than its pool"
    return out
