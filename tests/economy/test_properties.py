"""SPEC 1.5 invariants over random operation sequences, on both exit bases and random configs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from zengzhi.economy.config import EconomyConfig, Split
from zengzhi.economy.engine import Economy
from zengzhi.economy.errors import DomainError
from zengzhi.economy.naive import NaiveScanEconomy

MEMBERS = ["a", "b", "c", "d", "e"]


def rates(low: str, high: str, places: int = 2) -> st.SearchStrategy[Decimal]:
    return st.decimals(Decimal(low), Decimal(high), places=places)


@st.composite
def configs(draw: st.DrawFn) -> EconomyConfig:
    pool = draw(rates("0", "0.6"))
    distribution = draw(rates("0", str(Decimal(1) - pool)))
    platform = draw(rates("0", str(Decimal(1) - pool - distribution)))
    return EconomyConfig(
        initial_price=draw(rates("0.01", "20")),
        point_ratio=draw(rates("0", "1")),
        sell_fee=draw(rates("0", "0.99")),
        exit_multiple=draw(
            st.sampled_from([Decimal(0), Decimal(1), Decimal("1.5"), Decimal(2), Decimal(3)])
        ),
        exit_fee=draw(st.one_of(st.none(), rates("0", "0.5"))),
        exit_basis=draw(st.sampled_from(["acquired", "total_return"])),
        split=Split(
            cost=Decimal(1) - pool - distribution - platform,
            distribution=distribution,
            platform=platform,
            pool=pool,
        ),
    )


@dataclass(frozen=True)
class Op:
    kind: str
    member: str
    quanta: int
    subsidy: int = 0


ops = st.one_of(
    st.builds(
        Op,
        st.just("order"),
        st.sampled_from(MEMBERS),
        st.integers(-5, 500_000),
        st.integers(-1, 200_000),
    ),
    st.builds(
        Op, st.just("sell"), st.sampled_from([*MEMBERS, "ghost"]), st.integers(-5, 5_000_000)
    ),
    st.builds(Op, st.just("sell_half"), st.sampled_from(MEMBERS), st.just(0)),
    st.builds(Op, st.just("inject"), st.just(""), st.integers(-5, 2_000_000)),
)


def apply(e: Economy, op: Op) -> None:
    if op.kind == "order":
        e.order(op.member, op.quanta, op.subsidy)
    elif op.kind == "sell":
        e.sell(op.member, op.quanta)
    elif op.kind == "sell_half":
        held = e.members[op.member].held_units if op.member in e.members else 0
        e.sell(op.member, max(held // 2, 1))
    else:
        e.inject(op.quanta)


def run(e: Economy, sequence: list[Op]) -> list[str | None]:
    outcomes: list[str | None] = []
    for op in sequence:
        before_price = (e.price_fen, e.price_units)
        before = e.snapshot()
        try:
            apply(e, op)
            outcomes.append(None)
        except DomainError as err:
            assert e.snapshot() == before, f"rejected {op} changed state"
            outcomes.append(err.code)
        after_price = (e.price_fen, e.price_units)
        assert after_price[0] * before_price[1] >= before_price[0] * after_price[1], "price fell"
        e.check_invariants()
    return outcomes


@given(configs(), st.lists(ops, max_size=60))
def test_invariants_hold_on_random_sequences(config: EconomyConfig, sequence: list[Op]) -> None:
    run(Economy(config), sequence)


@given(configs(), st.lists(ops, max_size=60))
def test_replaying_gives_the_same_state_bit_for_bit(
    config: EconomyConfig, sequence: list[Op]
) -> None:
    first, second = Economy(config), Economy(config)
    assert run(first, sequence) == run(second, sequence)
    assert first.snapshot() == second.snapshot()


@given(configs(), st.lists(ops, max_size=60))
def test_heap_cascade_equals_a_full_scan(config: EconomyConfig, sequence: list[Op]) -> None:
    fast, naive = Economy(config), NaiveScanEconomy(config)
    for op in sequence:
        results = []
        for e in (fast, naive):
            try:
                results.append(apply(e, op))
            except DomainError as err:
                results.append(err.code)  # type: ignore[func-returns-value]
        assert results[0] == results[1]
    assert fast.snapshot() == naive.snapshot()


@given(
    st.lists(st.integers(1, 10_000_000), min_size=1, max_size=200),
    st.sampled_from(["acquired", "total_return"]),
)
def test_many_exits_stay_exact(amounts: list[int], basis: str) -> None:
    e = Economy(EconomyConfig(exit_multiple=Decimal("1.2"), exit_basis=basis))  # type: ignore[arg-type]
    for i, amount in enumerate(amounts):
        e.order(MEMBERS[i % len(MEMBERS)], amount)
    e.inject(sum(amounts))
    e.check_invariants()
