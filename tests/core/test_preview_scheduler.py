"""Live preview scheduling: 500 ms debounce, the request in flight cancelled, stale answers discarded."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from segstudio.core.preview_scheduler import Debouncer, PreviewScheduler
from tests.core.clock import ManualTimers


class Server:
    """Answers each preview only when the test says so, in any order it likes."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.futures: list[asyncio.Future[Any]] = []
        self.ignore_cancel = False

    async def preview(self, rules: dict[str, Any]) -> Any:
        self.calls.append(rules)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.futures.append(future)
        return await future


class TooLateToCancel:
    """A task whose cancellation arrives after its answer: the answer must still be dropped."""

    def __init__(self, task: asyncio.Task[Any]) -> None:
        self.task = task

    def cancel(self) -> bool:
        return False

    def done(self) -> bool:
        return self.task.done()


def make(server: Server, timers: ManualTimers, results: list[Any], errors: list[Any], busy: list[bool]):
    kwargs: dict[str, Any] = {}
    if server.ignore_cancel:
        kwargs["spawn"] = lambda coro: TooLateToCancel(asyncio.ensure_future(coro))
    return PreviewScheduler(server.preview, on_result=lambda r, res: results.append((r, res)),
                            on_error=lambda r, e: errors.append(e), on_busy=busy.append,
                            delay=0.5, call_later=timers.call_later, **kwargs)


def rules(n: int) -> dict[str, Any]:
    return {"combinator": "and", "rules": [{"field": "x", "operator": "eq", "value": n}]}


def run(coro: Any) -> None:
    # A thread of its own: the desktop tests' qasync loop counts as running in the main thread.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coro).result()


def test_debounces_until_edits_pause_for_500_ms() -> None:
    async def scenario() -> None:
        server, timers, results, errors, busy = Server(), ManualTimers(), [], [], []
        sched = make(server, timers, results, errors, busy)
        for n in range(5):  # five edits 200 ms apart
            sched.request(rules(n))
            timers.advance(0.2)
        await asyncio.sleep(0)
        assert server.calls == []
        timers.advance(0.29)
        await asyncio.sleep(0)
        assert server.calls == []
        timers.advance(0.02)
        await asyncio.sleep(0)
        assert server.calls == [rules(4)]
        assert busy == [True]
        server.futures[0].set_result("answer")
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert results == [(rules(4), "answer")]
        assert busy == [True, False]

    run(scenario())


def test_a_newer_edit_cancels_the_request_in_flight() -> None:
    async def scenario() -> None:
        server, timers, results, errors, busy = Server(), ManualTimers(), [], [], []
        sched = make(server, timers, results, errors, busy)
        sched.request(rules(1))
        timers.advance(0.5)
        await asyncio.sleep(0)
        sched.request(rules(2))
        timers.advance(0.5)
        await asyncio.sleep(0)
        assert len(server.calls) == 2
        assert server.futures[0].cancelled()
        assert sched.cancelled == 1
        server.futures[1].set_result("two")
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert results == [(rules(2), "two")]

    run(scenario())


def test_a_stale_answer_arriving_late_is_discarded() -> None:
    async def scenario() -> None:
        server, timers, results, errors, busy = Server(), ManualTimers(), [], [], []
        server.ignore_cancel = True  # the old answer still arrives, after the new one
        sched = make(server, timers, results, errors, busy)
        sched.request(rules(1))
        timers.advance(0.5)
        await asyncio.sleep(0)
        sched.request(rules(2))
        timers.advance(0.5)
        await asyncio.sleep(0)
        server.futures[1].set_result("new")
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        server.futures[0].set_result("old")
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert results == [(rules(2), "new")]
        assert sched.stale_discarded == 1

    run(scenario())


def test_stale_errors_are_discarded_and_current_errors_reported() -> None:
    async def scenario() -> None:
        server, timers, results, errors, busy = Server(), ManualTimers(), [], [], []
        server.ignore_cancel = True
        sched = make(server, timers, results, errors, busy)
        sched.request(rules(1))
        timers.advance(0.5)
        await asyncio.sleep(0)
        sched.request(rules(2))
        timers.advance(0.5)
        await asyncio.sleep(0)
        server.futures[0].set_exception(RuntimeError("old failure"))
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert errors == [] and sched.stale_discarded == 1
        server.futures[1].set_exception(RuntimeError("server went away"))
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert [str(e) for e in errors] == ["server went away"]
        assert busy[-1] is False

    run(scenario())


def test_unchanged_rules_are_not_asked_twice_but_refresh_forces_it() -> None:
    async def scenario() -> None:
        server, timers, results, errors, busy = Server(), ManualTimers(), [], [], []
        sched = make(server, timers, results, errors, busy)
        sched.request(rules(1))
        timers.advance(0.5)
        await asyncio.sleep(0)
        server.futures[0].set_result("a")
        await asyncio.sleep(0)
        sched.request(rules(1))
        timers.advance(0.5)
        await asyncio.sleep(0)
        assert len(server.calls) == 1
        sched.refresh_now()
        await asyncio.sleep(0)
        assert len(server.calls) == 2

    run(scenario())


def test_cancel_stops_everything() -> None:
    async def scenario() -> None:
        server, timers, results, errors, busy = Server(), ManualTimers(), [], [], []
        sched = make(server, timers, results, errors, busy)
        sched.request(rules(1))
        timers.advance(0.5)
        await asyncio.sleep(0)
        sched.request(rules(2))
        sched.cancel()
        timers.advance(1)
        await asyncio.sleep(0)
        assert len(server.calls) == 1 and server.futures[0].cancelled()
        assert busy == [True, False]

    run(scenario())


def test_works_on_a_real_asyncio_loop_with_real_timers() -> None:
    async def scenario() -> None:
        answers: list[Any] = []

        async def fetch(r: dict[str, Any]) -> int:
            await asyncio.sleep(0.01)
            return r["rules"][0]["value"]

        sched = PreviewScheduler(fetch, on_result=lambda r, res: answers.append(res),
                                 on_error=lambda r, e: None, delay=0.05)
        for n in range(3):
            sched.request(rules(n))
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)
        assert answers == [2]
        assert sched.sent == 1

    run(scenario())


def test_the_debouncer_calls_once_edits_pause():
    clock = ManualTimers()
    calls: list[float] = []
    debounce = Debouncer(lambda: calls.append(clock.now), delay=0.3, call_later=clock.call_later)
    debounce.trigger()
    clock.advance(0.2)
    debounce.trigger()
    clock.advance(0.2)
    assert calls == [] and debounce.scheduled
    clock.advance(0.1)
    assert calls == [pytest.approx(0.5)] and not debounce.scheduled
    debounce.trigger()
    debounce.cancel()
    clock.advance(1)
    assert len(calls) == 1
