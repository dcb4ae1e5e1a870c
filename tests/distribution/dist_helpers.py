"""Shared helpers for the distribution tests (a uniquely named module, not a conftest)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from zengzhi.distribution import Distribution, RewardPayout
from zengzhi.distribution.plan import Plan, plan_from_mapping


def make_plan(**data: Any) -> Plan:
    return plan_from_mapping(data)


def ranks(*rates: str, peer: str = "0", names: Iterable[str] | None = None) -> list[dict[str, str]]:
    names = list(names) if names is not None else [f"V{i + 1}" for i in range(len(rates))]
    return [{"name": n, "rate": r, "peer_rate": peer} for n, r in zip(names, rates, strict=True)]


def chain(d: Distribution, top_down: Iterable[str], region: str | None = None) -> None:
    """Join members so that each one's sponsor is the one before it."""
    sponsor: str | None = None
    for member in top_down:
        d.join(member, sponsor, region)
        sponsor = member


def share_fen(amount_fen: int, share: Decimal) -> int:
    return int((Decimal(amount_fen) * share).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def settle(d: Distribution, buyer: str, amount_fen: int, share: str = "1") -> list[RewardPayout]:
    return list(d.settle_order(buyer, amount_fen, share_fen(amount_fen, Decimal(share)), 0).payouts)


def by_kind(payouts: Iterable[RewardPayout]) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for p in payouts:
        out[(p.member, p.kind)] = out.get((p.member, p.kind), 0) + p.amount_fen
    return out


def snapshot(d: Distribution) -> dict[str, Any]:
    """Every observable piece of state (caches excluded), to show a rejection changed nothing."""
    members = {}
    for rec in d._records():
        members[rec.id] = (
            rec.sponsor,
            rec.regions,
            rec.rank,
            rec.assigned,
            rec.highest,
            rec.volume_fen,
            rec.period_fen,
            tuple(rec.children or ()),
        )
    return {
        "members": members,
        "agents": {k: tuple(v) for k, v in d._agents.items()},
        "shareholders": d.shareholders(),
        "pool": d.dividend_pool_fen,
        "plan": d.plan,
    }


def floor_fen(rate: Decimal | Fraction, base: int | Fraction) -> int:
    return int(Fraction(rate) * Fraction(base) // 1)


def reference_rewards(d: Distribution, buyer: str, amount_fen: int) -> list[RewardPayout]:
    """SPEC 2 computed the slow, obvious way: every upline visited, Decimal rates as Fractions."""
    plan = d.plan
    out: list[RewardPayout] = []
    sponsor = d.sponsor_of(buyer)
    if sponsor is not None:
        out.append(RewardPayout(sponsor, "direct", floor_fen(plan.direct_rate, amount_fen)))
        grand = d.sponsor_of(sponsor)
        if grand is not None:
            out.append(RewardPayout(grand, "indirect", floor_fen(plan.indirect_rate, amount_fen)))
    top = plan.top_rate
    if top > 0:
        top_peer = plan.ranks[-1].peer_rate
        last = Decimal(0)
        setter = 0
        used = 0
        for member in d.upline(buyer):
            name = d.rank_of(member)
            rank = plan.rank(name) if name is not None else None
            rate = rank.rate if rank is not None else Decimal(0)
            if rate > last:
                amount = floor_fen(rate - last, amount_fen)
                out.append(RewardPayout(member, "differential", amount))
                last, setter, used = rate, amount, 0
                if rate == top and (top_peer == 0 or plan.peer_layers == 0):
                    break
            elif rate == last and rate > 0:
                assert rank is not None
                if used < plan.peer_layers:
                    used += 1
                    peer_base = amount_fen if plan.peer_basis == "order" else setter
                    out.append(RewardPayout(member, "peer", floor_fen(rank.peer_rate, peer_base)))
                if rate == top and used >= plan.peer_layers:
                    break
    region = d.region_of(buyer)
    if region is not None:
        parts = region.split("/")
        keys = [region, "/".join(parts[:2]), parts[0]]
        rates = [plan.district_rate, plan.city_rate, plan.province_rate]
        for key, rate in zip(keys, rates, strict=True):
            agents = d.agents_of(key)
            for agent in agents:
                each = floor_fen(Fraction(rate) / len(agents), amount_fen)
                out.append(RewardPayout(agent, "regional", each))
    return [p for p in out if p.amount_fen > 0]


def plan_mapping_full() -> Mapping[str, Any]:
    return {
        "direct_rate": "0.10",
        "indirect_rate": "0.05",
        "ranks": ranks("0.10", "0.20", "0.30", "0.40", peer="0.01"),
        "peer_layers": 1,
    }
