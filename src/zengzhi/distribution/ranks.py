"""Earned ranks (SPEC 2): the periodic batch that sets the rank each member is paid this period.

Rules. A rank with a ``RankRule`` is earned when all of its thresholds hold on this period's
figures (a threshold of 0 is no test); a rank without a rule can only be assigned. A member's
earned rank is the highest one whose rule holds; the rank paid for the next period is the higher
of that and the operator's assignment (``Distribution.set_rank``), which is a floor the
evaluation never goes below. The highest rank ever held is kept apart and never lowered.

Figures. Personal volume: the member's own orders settled this period. Team volume: the orders
settled this period in the member's subtree, the member excluded. Qualified legs: direct
recruits whose subtree (the recruit included) holds someone whose newly evaluated paid rank is at
least the rule's ``leg_rank`` (any rank when it names none). Direct referrals: all recruits ever.
Closing the period (the default) starts every member's period volume again from 0.

Cost: O(members × distinct leg ranks), one iterative post-order pass over the tree (children are
settled before their sponsor, so legs see their new ranks), then one pass to apply. Nothing
changes until every rank is computed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from zengzhi.distribution.network import Distribution


class RankChange(NamedTuple):
    member: str
    old: str | None
    new: str | None


class _Rule(NamedTuple):
    level: int
    personal_fen: int
    team_fen: int
    legs: int
    leg_level: int
    directs: int


def _fen(cny: Decimal) -> int:
    # The plan loader admits only whole fen here, so this is exact.
    fen = cny * 100
    assert fen == fen.to_integral_value()
    return int(fen)


def evaluate_ranks(
    distribution: Distribution, *, close_period: bool = True, dry_run: bool = False
) -> list[RankChange]:
    """Evaluate every member's rank for the period; return the changes in join order.

    ``dry_run`` computes and returns the changes without applying them or closing the period."""
    terms = distribution.terms
    plan = distribution.plan
    level_of = terms.level_of
    rules: list[_Rule] = []
    for rank, rt in zip(plan.ranks, terms.ranks, strict=True):
        if rank.rule is None:
            continue
        r = rank.rule
        rules.append(
            _Rule(
                level=rt.level,
                personal_fen=_fen(r.personal_volume),
                team_fen=_fen(r.team_volume),
                legs=r.qualified_legs,
                leg_level=max(1, level_of(r.leg_rank)),
                directs=r.direct_referrals,
            )
        )
    rules.sort(key=lambda r: -r.level)
    thresholds = sorted({r.leg_level for r in rules if r.legs > 0})

    recs = distribution._records()
    n = len(recs)
    index = {rec.id: i for i, rec in enumerate(recs)}
    team = [0] * n  # period volume below each member
    best_below = [0] * n  # the highest new level in each member's subtree, self excluded
    legs = {lvl: [0] * n for lvl in thresholds}  # qualified legs per leg level
    new_level = [0] * n

    stack = [i for i in range(n - 1, -1, -1) if recs[i].sponsor is None]
    while stack:
        i = stack.pop()
        if i >= 0:
            stack.append(~i)
            children = recs[i].children
            if children:
                stack.extend(index[c] for c in reversed(children))
            continue
        i = ~i
        rec = recs[i]
        earned = 0
        directs = len(rec.children) if rec.children else 0
        for rule in rules:
            if (
                rec.period_fen >= rule.personal_fen
                and team[i] >= rule.team_fen
                and directs >= rule.directs
                and (rule.legs == 0 or legs[rule.leg_level][i] >= rule.legs)
            ):
                earned = rule.level
                break
        level = max(earned, level_of(rec.assigned))
        new_level[i] = level
        if rec.sponsor is not None:
            p = index[rec.sponsor]
            team[p] += rec.period_fen + team[i]
            best = max(level, best_below[i])
            if best > best_below[p]:
                best_below[p] = best
            for lvl in thresholds:
                if best >= lvl:
                    legs[lvl][p] += 1

    names = [None, *(rt.name for rt in terms.ranks)]
    changes: list[RankChange] = []
    for i, rec in enumerate(recs):
        new = names[new_level[i]]
        if new != rec.rank:
            changes.append(RankChange(rec.id, rec.rank, new))
    if not dry_run:
        distribution._apply_ranks([(c.member, c.new) for c in changes], close_period)
    return changes
