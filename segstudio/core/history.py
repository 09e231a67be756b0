"""Undo/redo over immutable snapshots, one step per edit, with rapid typing merged into one step.

Snapshots are cheap because `RuleTree` is immutable and edits share untouched subtrees. An edit pushed with
the same `merge_key` as the previous one within `merge_window` seconds replaces the newest snapshot instead of
adding one, so typing "Jakarta" is one undo step, not seven (the same idea as `QUndoCommand.mergeWith`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Step(Generic[T]):
    state: T
    label: str
    merge_key: Hashable | None
    at: float


class History(Generic[T]):
    def __init__(self, initial: T, *, merge_window: float = 1.0, limit: int = 500,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._window = merge_window
        self._limit = limit
        self._past: list[Step[T]] = []
        self._present = Step(initial, "", None, clock())
        self._future: list[Step[T]] = []

    @property
    def present(self) -> T:
        return self._present.state

    @property
    def can_undo(self) -> bool:
        return bool(self._past)

    @property
    def can_redo(self) -> bool:
        return bool(self._future)

    @property
    def undo_label(self) -> str:
        return self._present.label if self._past else ""

    @property
    def redo_label(self) -> str:
        return self._future[-1].label if self._future else ""

    def push(self, state: T, label: str = "", merge_key: Hashable | None = None) -> None:
        now = self._clock()
        current = self._present
        self._future.clear()
        if (merge_key is not None and self._past and current.merge_key == merge_key
                and now - current.at <= self._window):
            # Merge: the undo point stays where the run of edits began; the window slides with each keystroke.
            self._present = Step(state, current.label, merge_key, now)
            return
        self._past.append(current)
        if len(self._past) > self._limit:
            del self._past[0]
        self._present = Step(state, label, merge_key, now)

    def seal(self) -> None:
        """End the current run of merged edits (focus left the field, the user pressed Enter)."""
        current = self._present
        self._present = Step(current.state, current.label, None, current.at)

    def undo(self) -> T:
        if not self._past:
            raise IndexError("Nothing to undo.")
        self._future.append(self._present)
        previous = self._past.pop()
        # Keep the label of the step that produced each state, so redo can name it.
        self._present = Step(previous.state, previous.label, None, previous.at)
        return self._present.state

    def redo(self) -> T:
        if not self._future:
            raise IndexError("Nothing to redo.")
        self._past.append(self._present)
        nxt = self._future.pop()
        self._present = Step(nxt.state, nxt.label, None, nxt.at)
        return self._present.state

    def reset(self, state: T) -> None:
        """Start over from `state` with no history (a freshly loaded segment)."""
        self._past.clear()
        self._future.clear()
        self._present = Step(state, "", None, self._clock())

    def __len__(self) -> int:
        return len(self._past) + 1 + len(self._future)
