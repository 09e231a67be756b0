"""Newest request wins: starting a new request cancels the one still in flight for the same purpose."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class LatestTask(Generic[T]):
    """Runs one coroutine at a time for one purpose (the list reload, the live preview).

    `start` cancels the previous task; `done` callbacks fire only for the newest task, so a slow stale
    reply never overwrites a newer one.
    """

    def __init__(self, on_result: Callable[[T], None] | None = None,
                 on_error: Callable[[BaseException], None] | None = None) -> None:
        self._task: asyncio.Task[T] | None = None
        self._on_result = on_result
        self._on_error = on_error

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def task(self) -> asyncio.Task[T] | None:
        return self._task

    def start(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        self.cancel()
        task: asyncio.Task[T] = asyncio.ensure_future(coro)
        self._task = task
        task.add_done_callback(self._finished)
        return task

    def cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def _finished(self, task: asyncio.Task[T]) -> None:
        if task is not self._task or task.cancelled():
            return
        error = task.exception()
        if error is not None:
            if self._on_error is not None:
                self._on_error(error)
            return
        if self._on_result is not None:
            self._on_result(task.result())
