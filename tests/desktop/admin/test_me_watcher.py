"""MeWatcher over a fake server: a read asked for while one is in flight reads once more afterwards (its
request may predate the change), Access announces only real changes, and a 401 reports the sign-in expired."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from segstudio.client import ApiClient, ApiError
from segstudio.client.models import Me
from segstudio.services.access import Access
from segstudio.services.me_refresh import MeWatcher
from tests.desktop.fakes import me_payload


def test_reads_coalesce_and_changes_are_announced_once(run_async):
    state = {"me": me_payload(), "calls": 0}

    async def handle(request: httpx.Request) -> httpx.Response:
        state["calls"] += 1
        await asyncio.sleep(0.05)
        return httpx.Response(200, json=state["me"])

    client = ApiClient("http://fake.test", token="t", transport=httpx.MockTransport(handle))
    access = Access(Me.model_validate(me_payload()))
    changes: list[str] = []
    access.changed.connect(lambda: changes.append(access.me.permissions["customers_segment_add"]))
    watcher = MeWatcher(client, access)

    task = watcher.refresh()
    state["me"] = me_payload(dict(me_payload()["permissions"], customers_segment_add="disabled"))
    assert watcher.refresh() is task and watcher.refresh() is task
    run_async(task)
    assert state["calls"] == 2, "one extra read for any number of asks while in flight"
    assert changes == ["disabled"] and not access.me.can("customers_segment_add")
    run_async(watcher.refresh())
    assert changes == ["disabled"], "an unchanged /me announces nothing"
    run_async(client.aclose())


def test_a_403_asks_for_a_read_and_a_401_says_the_sign_in_expired(qtbot, run_async):
    statuses = iter([403, 401])

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/me"):
            return httpx.Response(next(statuses), json={"error": {"code": "x", "message": "No."}})
        return httpx.Response(403, json={"error": {"code": "forbidden", "message": "No."}})

    client = ApiClient("http://fake.test", token="t", transport=httpx.MockTransport(handle))
    watcher = MeWatcher(client, Access(Me.model_validate(me_payload())))
    expired: list[bool] = []
    watcher.expired.connect(lambda: expired.append(True))
    watcher.attach()
    with pytest.raises(ApiError):
        run_async(client.list_segments())
    qtbot.waitUntil(lambda: watcher.reads == 1 and not watcher.running, timeout=3000)
    assert expired == [], "a 403 on /me is not a sign-out"
    run_async(watcher.refresh())
    assert expired == [True]
    watcher.detach()
    assert client.on_forbidden == []
    run_async(client.aclose())
