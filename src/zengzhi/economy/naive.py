"""A deliberately naive exit cascade: scan every open position on every event.

It is the baseline ``benchmarks/engine.py`` measures the heap against, and a test oracle for the
heap's exact ordering. It reuses the engine's rules and only swaps how the next exit is found;
the platform never uses it.
"""

from __future__ import annotations

from typing import Any

from zengzhi.economy.engine import Economy, Position
from zengzhi.economy.events import Event


class NaiveScanEconomy(Economy):
    def order(self, *args: Any, **kwargs: Any) -> list[Event]:
        # The heap is empty here, so the engine's fast check never enters the cascade: do it.
        events = super().order(*args, **kwargs)
        if self._exits:
            self._cascade(events)
        return events

    def _rekey(self, position: Position) -> None:
        m = self._multiple
        if self._total_return:
            position.trigger_num = m.num * position.spend_fen - m.den * position.net_received_fen
            position.trigger_den = m.den * position.held_units
        else:
            position.trigger_num = m.num * position.spend_fen
            position.trigger_den = m.den * position.acquired_units
        position.key = 0

    def _cascade(self, events: list[Event]) -> None:
        while True:
            best: Position | None = None
            for position in self.positions.values():
                if not position.is_open:
                    continue
                if self.pool_fen * position.trigger_den < position.trigger_num * self.points_units:
                    continue
                if best is None or (
                    position.trigger_num * best.trigger_den
                    < best.trigger_num * position.trigger_den
                ):
                    best = position  # strictly lower trigger; ties keep the older (lower id)
            if best is None:
                return
            events.append(self._exit(best))
