"""The API client: every error of the contract becomes an ApiError, transport failures a NetworkError,
and an in-flight request can be cancelled."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from segstudio.client import ApiClient, ApiError, LatestTask, NetworkError
from segstudio.client.errors import GENERIC_SERVER_MESSAGE
from segstudio.client.models import RuleGroup
from segstudio.services.backend_process import free_port

pytestmark = pytest.mark.qt


def client_for(handler) -> ApiClient:
    return ApiClient("http://server.test", token="t0ken", transport=httpx.MockTransport(handler))


def error(status: int, code: str, message: str, fields=None, headers=None) -> httpx.Response:
    body = {"error": {"code": code, "message": message}}
    if fields is not None:
        body["error"]["fields"] = fields
    return httpx.Response(status, json=body, headers=headers)


def test_validation_error_maps_fields_path_to_message(run_async):
    client = client_for(lambda r: error(400, "validation_error", "Enter a number", [
        {"path": "rules.rules.1.rules.0.value", "message": "Enter a number"},
        {"path": "name", "message": "Enter a name."}]))
    with pytest.raises(ApiError) as caught:
        run_async(client.preview({"combinator": "and", "rules": []}))
    exc = caught.value
    assert (exc.status, exc.code, exc.message) == (400, "validation_error", "Enter a number")
    assert exc.fields == {"rules.rules.1.rules.0.value": "Enter a number", "name": "Enter a name."}


@pytest.mark.parametrize(("status", "code", "message"), [
    (401, "unauthorized", "Sign in to continue."),
    (403, "forbidden", "You do not have permission to do this."),
    (404, "not_found", "Segment not found."),
    (409, "segment_limit", "Segment limit reached. Delete an existing segment to create a new one."),
])
def test_contract_errors_keep_status_code_and_message(run_async, status, code, message):
    client = client_for(lambda r: error(status, code, message))
    with pytest.raises(ApiError) as caught:
        run_async(client.get_segment(1))
    assert (caught.value.status, caught.value.code, caught.value.message) == (status, code, message)
    assert caught.value.fields == {}


def test_too_soon_refresh_carries_retry_after(run_async):
    client = client_for(lambda r: error(429, "too_many_requests",
                                        "Segment was recently refreshed. Try again in 12 minutes.",
                                        headers={"Retry-After": "720"}))
    with pytest.raises(ApiError) as caught:
        run_async(client.refresh_segment(3))
    assert caught.value.retry_after == 720
    assert caught.value.message == "Segment was recently refreshed. Try again in 12 minutes."


def test_a_500_from_a_misbehaving_server_is_an_api_error_with_a_readable_message(run_async):
    client = client_for(lambda r: httpx.Response(500, text="<html>Internal Server Error</html>"))
    with pytest.raises(ApiError) as caught:
        run_async(client.list_segments())
    assert caught.value.status == 500
    assert caught.value.code == "server_error"
    assert caught.value.message == GENERIC_SERVER_MESSAGE


def test_an_error_body_outside_the_contract_still_maps(run_async):
    client = client_for(lambda r: httpx.Response(502, json={"detail": "bad gateway"}))
    with pytest.raises(ApiError) as caught:
        run_async(client.fields())
    assert (caught.value.status, caught.value.code) == (502, "server_error")


def test_a_success_with_an_unexpected_shape_is_an_invalid_response(run_async):
    client = client_for(lambda r: httpx.Response(200, json={"items": "not a list"}))
    with pytest.raises(ApiError) as caught:
        run_async(client.list_segments())
    assert caught.value.code == "invalid_response"


def test_a_server_that_went_away_is_a_network_error(run_async):
    def gone(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)

    client = client_for(gone)
    seen: list[NetworkError] = []
    client.on_network_error.append(seen.append)
    with pytest.raises(NetworkError) as caught:
        run_async(client.me())
    assert not isinstance(caught.value, ApiError)
    assert "lost" in caught.value.message
    assert seen == [caught.value]


def test_nothing_listening_is_a_network_error(run_async):
    client = ApiClient(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(NetworkError) as caught:
        run_async(client.health())
    assert "Cannot reach the server" in caught.value.message
    run_async(client.aclose())


def test_requests_carry_the_token_and_the_contract_parameters(run_async):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"values": ["WhatsApp", "Email"]})

    client = client_for(handler)
    assert run_async(client.suggestions("source", "Wh")) == ["WhatsApp", "Email"]
    request = seen[0]
    assert request.headers["Authorization"] == "Bearer t0ken"
    assert request.url.path == "/api/v1/fields/source/suggestions"
    assert dict(request.url.params) == {"q": "Wh", "limit": "20"}


def test_rules_are_sent_as_the_contract_tree(run_async):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"matched": 2, "total_customers": 5, "summary": "Source is WhatsApp",
                                         "sample": [{"id": "C1", "full_name": "A", "email": "a@x"}]})

    rules = RuleGroup.model_validate({"combinator": "and", "rules": [
        {"field": "source", "operator": "is", "value": "WhatsApp"},
        {"combinator": "or", "rules": [{"field": "deal.stage", "operator": "is", "value": "Won", "match": "any"}]}]})
    preview = run_async(client_for(handler).preview(rules))
    assert preview.matched == 2 and preview.sample[0].model_extra == {"email": "a@x"}
    import json
    assert json.loads(seen[0].content) == {"rules": rules.to_wire()}
    assert "match" not in json.loads(seen[0].content)["rules"]["rules"][0]


def test_cancelling_the_task_cancels_the_in_flight_request(run_async, qtbot):
    started, cancelled = asyncio.Event(), []

    async def slow(request: httpx.Request) -> httpx.Response:
        started.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.append(request.url.path)
            raise
        return httpx.Response(200, json={"items": [], "total": 0})

    client = ApiClient("http://server.test", transport=httpx.MockTransport(slow))
    task = asyncio.ensure_future(client.list_segments())
    run_async(started.wait())
    task.cancel()
    qtbot.waitUntil(task.done, timeout=2000)
    assert task.cancelled()
    assert cancelled == ["/api/v1/segments"]


def test_latest_task_delivers_only_the_newest_result(run_async, qtbot):
    results: list[str] = []
    latest = LatestTask[str](results.append)

    async def reply(text: str, delay: float) -> str:
        await asyncio.sleep(delay)
        return text

    first = latest.start(reply("stale", 0.3))
    second = latest.start(reply("fresh", 0.01))
    qtbot.waitUntil(lambda: first.done() and second.done(), timeout=2000)
    assert first.cancelled()
    assert results == ["fresh"]


def test_wrong_credentials_on_the_real_server_are_a_401(run_async, live_server):
    client = ApiClient(live_server.url)
    with pytest.raises(ApiError) as caught:
        run_async(client.login("desk_admin", "not-the-password-1!"))
    assert caught.value.status == 401
    assert caught.value.message
    me = None
    token = run_async(client.login("desk_admin", "Desk-pass-123"))
    assert token.access_token == client.token
    me = run_async(client.me())
    assert me.user.username == "desk_admin" and me.organisation.id == live_server.org_id
    run_async(client.aclose())
