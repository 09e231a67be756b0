"""A manual clock for the injectable timers (`segstudio.core.preview_scheduler`): timers fire only when a test
advances time, so debounce tests never wait."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class ManualTimers:
    """A fake clock: timers fire only when the test advances time."""

    def __init__(self) -> None:
        self.now = 0.0
        self._timers: list[list[Any]] = []

    def call_later(self, delay: float, callback: Callable[[], None]) -> Any:
        entry = [self.now + delay, callback, False]
        self._timers.append(entry)

        class Handle:
            def cancel(self_inner) -> None:
                entry[2] = True

        return Handle()

    def advance(self, seconds: float) -> None:
        self.now += seconds
        due = [t for t in self._timers if not t[2] and t[0] <= self.now + 1e-9]
        for t in due:
            t[2] = True
            t[1]()
