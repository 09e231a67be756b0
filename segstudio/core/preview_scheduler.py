"""Live preview scheduling: debounce edits, cancel the request in flight, and let only the newest answer in.

Qt-free: the timer (`call_later`) and the task runner (`spawn`) are injected. In the app they are the asyncio
loop's (qasync runs it on Qt's event loop); tests pass a manual clock. `Debouncer` is the timer part alone, for
the app's other debounces (the segment list's and the customers page's search boxes), so their tests advance a
manual clock too instead of waiting. Every request carries a generation
number, so even an answer that arrives after its task was cancelled (or that ignores cancellation) is dropped
when a newer request exists — napari's layer slicer does the same with its futures.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Generic, Protocol, TypeVar

R = TypeVar("R")
Rules = dict[str, Any]


class TimerHandle(Protocol):
    def cancel(self) -> None: ...


class TaskHandle(Protocol):
    def cancel(self) -> bool: ...

    def done(self) -> bool: ...


CallLater = Callable[[float, Callable[[], None]], TimerHandle]


def asyncio_call_later(delay: float, callback: Callable[[], None]) -> TimerHandle:
    """The app's timer: the asyncio loop's, which qasync runs on Qt's event loop."""
    return asyncio.get_event_loop().call_later(delay, callback)


def _asyncio_spawn(coro: Coroutine[Any, Any, None]) -> TaskHandle:
    return asyncio.ensure_future(coro)


class Debouncer:
    """Calls `callback` once `trigger()` calls pause for `delay` seconds."""

    def __init__(self, callback: Callable[[], None], *, delay: float,
                 call_later: CallLater = asyncio_call_later) -> None:
        self._callback = callback
        self.delay = delay
        self._call_later = call_later
        self._timer: TimerHandle | None = None

    @property
    def scheduled(self) -> bool:
        return self._timer is not None

    def trigger(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self._call_later(self.delay, self._fire)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _fire(self) -> None:
        self._timer = None
        self._callback()


class PreviewScheduler(Generic[R]):
    def __init__(
        self,
        fetch: Callable[[Rules], Awaitable[R]],
        *,
        on_result: Callable[[Rules, R], None],
        on_error: Callable[[Rules, BaseException], None],
        on_busy: Callable[[bool], None] | None = None,
        delay: float = 0.5,
        call_later: CallLater = asyncio_call_later,
        spawn: Callable[[Coroutine[Any, Any, None]], TaskHandle] = _asyncio_spawn,
    ) -> None:
        self._fetch = fetch
        self._on_result = on_result
        self._on_error = on_error
        self._on_busy = on_busy
        self._debounce = Debouncer(self._fire, delay=delay, call_later=call_later)
        self._spawn = spawn
        self._task: TaskHandle | None = None
        self._pending: Rules | None = None
        self._generation = 0
        self._last_rules: Rules | None = None  # what the newest request asked (sent or answered)
        self._busy = False
        # Counters, for tests and the status bar.
        self.sent = 0
        self.cancelled = 0
        self.stale_discarded = 0

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def scheduled(self) -> bool:
        return self._debounce.scheduled

    def request(self, rules: Rules) -> None:
        """An edit happened: evaluate `rules` once edits have paused for `delay` seconds."""
        self._pending = rules
        self._debounce.trigger()

    def refresh_now(self, rules: Rules | None = None) -> None:
        """Evaluate at once (the Refresh button), even when the rules are the same as last time."""
        if rules is not None:
            self._pending = rules
        elif self._pending is None:
            self._pending = self._last_rules
        if self._pending is None:
            return
        self._last_rules = None
        self._fire()

    def cancel(self) -> None:
        """Drop the pending timer and the request in flight (the view is closing)."""
        self._debounce.cancel()
        self._generation += 1
        if self._task is not None and not self._task.done():
            self._task.cancel()
            self.cancelled += 1
        self._task = None
        self._pending = None
        self._set_busy(False)

    def _fire(self) -> None:
        self._debounce.cancel()
        rules, self._pending = self._pending, None
        if rules is None:
            return
        in_flight = self._task is not None and not self._task.done()
        if rules == self._last_rules:
            # Typing in a row the preview leaves out does not change what is asked; the answer stands.
            return
        self._generation += 1
        if in_flight and self._task is not None:
            self._task.cancel()
            self.cancelled += 1
        self._last_rules = rules
        self.sent += 1
        self._set_busy(True)
        self._task = self._spawn(self._run(self._generation, rules))

    async def _run(self, generation: int, rules: Rules) -> None:
        try:
            result = await self._fetch(rules)
        except asyncio.CancelledError:
            return
        except Exception as exc:  # noqa: BLE001 - every failure is shown to the user, none may kill the loop
            if generation != self._generation:
                self.stale_discarded += 1
                return
            self._last_rules = None  # let the same rules be asked again after a failure
            self._set_busy(False)
            self._on_error(rules, exc)
            return
        if generation != self._generation:
            self.stale_discarded += 1
            return
        self._set_busy(False)
        self._on_result(rules, result)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            if self._on_busy is not None:
                self._on_busy(busy)
