"""Organisation settings changes are announced here; the scheduler listens to reschedule at once."""

from __future__ import annotations

from collections.abc import Callable

SettingsListener = Callable[[int], None]

_listeners: list[SettingsListener] = []


def subscribe(listener: SettingsListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def unsubscribe(listener: SettingsListener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def settings_changed(org_id: int) -> None:
    for listener in list(_listeners):
        listener(org_id)
