"""`ApiClient`: one async client for every endpoint of the wire contract, on httpx.

Every method is a coroutine that the qasync loop drives, so no call blocks the UI thread. Cancelling the
task that awaits a method cancels the HTTP request with it (httpx is cancellation safe); `LatestTask`
in `segstudio.client.tasks` builds "newest request wins" on top of that.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from segstudio.client.errors import ApiError, NetworkError, network_error_from
from segstudio.client.models import (
    ApiToken,
    ApiTokenCreated,
    CampaignEstimate,
    CampaignTemplate,
    Comparison,
    CustomerPage,
    CustomerSegments,
    CustomField,
    EvaluationPage,
    FieldInfo,
    IngestResult,
    Me,
    Members,
    OperatorInfo,
    Preview,
    RecipientList,
    RecipientListPage,
    RuleGroup,
    Segment,
    SegmentPage,
    SegmentPerformance,
    SegmentSummary,
    Suggestions,
    TokenResponse,
)

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
T = TypeVar("T")
Rules = RuleGroup | Mapping[str, Any]


def rules_to_wire(rules: Rules) -> dict[str, Any]:
    if isinstance(rules, RuleGroup):
        return rules.to_wire()
    return dict(rules)


class ApiClient:
    """Talks to one server as (at most) one signed-in user.

    `on_success` and `on_network_error` let the shell show and hide its connection banner without every
    view having to report each call.
    """

    def __init__(self, base_url: str, token: str | None = None, *, timeout: float = 30.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.on_success: list[Callable[[], None]] = []
        self.on_network_error: list[Callable[[NetworkError], None]] = []
        # A 403 may mean an administrator changed this user's role meanwhile: the shell re-reads /me.
        self.on_forbidden: list[Callable[[ApiError], None]] = []
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout, transport=transport,
                                       headers={"Accept": "application/json"})

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def closed(self) -> bool:
        return self._http.is_closed

    # --- plumbing -----------------------------------------------------------------------------------------

    async def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                      json: Any = None, auth: bool = True, api: bool = True) -> httpx.Response:
        """Send one request; an error status raises ApiError and a transport failure NetworkError."""
        headers = {}
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        url = f"{API_PREFIX}{path}" if api else path
        clean = {k: v for k, v in (params or {}).items() if v is not None}
        try:
            response = await self._http.request(method, url, params=clean or None, json=json, headers=headers)
        except httpx.TransportError as exc:
            error = network_error_from(exc, self.base_url)
            log.info("network failure", extra={"method": method, "path": path, "error": repr(exc)})
            for callback in self.on_network_error:
                callback(error)
            raise error from exc
        for success in self.on_success:
            success()
        if response.status_code >= 400:
            error = ApiError.from_response(response)
            if error.forbidden:
                for forbidden in list(self.on_forbidden):
                    forbidden(error)
            raise error
        return response

    @staticmethod
    def _parse(response: httpx.Response, model: type[T] | Any) -> T:
        try:
            payload = response.json()
            if isinstance(model, type) and issubclass(model, BaseModel):
                return model.model_validate(payload)  # type: ignore[return-value]
            return TypeAdapter(model).validate_python(payload)
        except (ValueError, ValidationError) as exc:
            log.warning("unexpected response shape", extra={"url": str(response.url), "error": str(exc)[:500]})
            raise ApiError(response.status_code, "invalid_response",
                           "The server sent an answer this app does not understand. "
                           "It may be a different version.") from exc

    async def _get(self, path: str, model: Any, **params: Any) -> Any:
        return self._parse(await self.request("GET", path, params=params), model)

    async def _post(self, path: str, model: Any, body: Any = None) -> Any:
        return self._parse(await self.request("POST", path, json=body), model)

    # --- health and auth ----------------------------------------------------------------------------------

    async def health(self) -> bool:
        response = await self.request("GET", "/health", auth=False, api=False)
        return response.json().get("status") == "ok"

    async def login(self, username: str, password: str) -> TokenResponse:
        """Sign in; the client keeps the token for later calls."""
        response = await self.request("POST", "/auth/login", json={"username": username, "password": password},
                                      auth=False)
        token = self._parse(response, TokenResponse)
        self.token = token.access_token
        return token

    async def logout(self) -> None:
        try:
            await self.request("POST", "/auth/logout")
        finally:
            self.token = None

    async def me(self) -> Me:
        return await self._get("/me", Me)

    async def create_api_token(self, name: str) -> ApiTokenCreated:
        return await self._post("/auth/api-tokens", ApiTokenCreated, {"name": name})

    async def api_tokens(self) -> list[ApiToken]:
        return await self._get("/auth/api-tokens", list[ApiToken])

    async def revoke_api_token(self, token_id: int) -> None:
        await self.request("DELETE", f"/auth/api-tokens/{token_id}")

    # --- catalog ------------------------------------------------------------------------------------------

    async def fields(self) -> list[FieldInfo]:
        return await self._get("/fields", list[FieldInfo])

    async def operators(self) -> list[OperatorInfo]:
        return await self._get("/operators", list[OperatorInfo])

    async def suggestions(self, key: str, q: str = "", limit: int = 20) -> list[str | int | float | bool]:
        result: Suggestions = await self._get(f"/fields/{key}/suggestions", Suggestions, q=q, limit=limit)
        return result.values

    async def custom_fields(self) -> list[CustomField]:
        return await self._get("/custom-fields", list[CustomField])

    async def create_custom_field(self, key: str, label: str, type: str,
                                  options: Sequence[str] | None = None) -> CustomField:
        body: dict[str, Any] = {"key": key, "label": label, "type": type}
        if options is not None:
            body["options"] = list(options)
        return await self._post("/custom-fields", CustomField, body)

    # --- ingestion ----------------------------------------------------------------------------------------

    async def ingest(self, entity: str, records: Sequence[Mapping[str, Any]]) -> IngestResult:
        return await self._post(f"/ingest/{entity}", IngestResult, {"records": list(records)})

    # --- segments -----------------------------------------------------------------------------------------

    async def preview(self, rules: Rules) -> Preview:
        return await self._post("/segments/preview", Preview, {"rules": rules_to_wire(rules)})

    async def list_segments(self, *, search: str | None = None, status: str | None = None,
                            created_from: date | None = None, created_to: date | None = None,
                            tz: str | None = None, page: int = 1, page_size: int = 20) -> SegmentPage:
        return await self._get(
            "/segments", SegmentPage, search=search or None, status=status,
            created_from=created_from.isoformat() if created_from else None,
            created_to=created_to.isoformat() if created_to else None,
            tz=tz, page=page, page_size=page_size)

    async def get_segment(self, segment_id: int | str) -> Segment:
        return await self._get(f"/segments/{segment_id}", Segment)

    async def create_segment(self, name: str, rules: Rules, description: str | None = None) -> Segment:
        body: dict[str, Any] = {"name": name, "rules": rules_to_wire(rules)}
        if description is not None:
            body["description"] = description
        return await self._post("/segments", Segment, body)

    async def update_segment(self, segment_id: int | str, *, name: str | None = None,
                             rules: Rules | None = None, description: str | None = None) -> Segment:
        """PUT the given parts; what is left out the server keeps."""
        body: dict[str, Any] = {}
        if name is not None:
            body["name"] = name
        if description is not None:
            body["description"] = description
        if rules is not None:
            body["rules"] = rules_to_wire(rules)
        response = await self.request("PUT", f"/segments/{segment_id}", json=body)
        return self._parse(response, Segment)

    async def delete_segment(self, segment_id: int | str) -> Segment:
        return self._parse(await self.request("DELETE", f"/segments/{segment_id}"), Segment)

    async def duplicate_segment(self, segment_id: int | str) -> Segment:
        return await self._post(f"/segments/{segment_id}/duplicate", Segment)

    async def archive_segment(self, segment_id: int | str) -> Segment:
        return await self._post(f"/segments/{segment_id}/archive", Segment)

    async def unarchive_segment(self, segment_id: int | str) -> Segment:
        return await self._post(f"/segments/{segment_id}/unarchive", Segment)

    async def refresh_segment(self, segment_id: int | str) -> None:
        """Queue a manual evaluation (202); a refresh within 30 minutes is an ApiError 429 with retry_after."""
        await self.request("POST", f"/segments/{segment_id}/refresh")

    async def segment_members(self, segment_id: int | str, *, page: int = 1, page_size: int = 20) -> Members:
        return await self._get(f"/segments/{segment_id}/members", Members, page=page, page_size=page_size)

    async def segment_summary(self, segment_id: int | str) -> SegmentSummary:
        return await self._get(f"/segments/{segment_id}/summary", SegmentSummary)

    async def segment_performance(self, segment_id: int | str, range: str = "all") -> SegmentPerformance:
        return await self._get(f"/segments/{segment_id}/performance", SegmentPerformance, range=range)

    async def segment_evaluations(self, segment_id: int | str, *, page: int = 1,
                                  page_size: int = 20) -> EvaluationPage:
        return await self._get(f"/segments/{segment_id}/evaluations", EvaluationPage, page=page,
                               page_size=page_size)

    async def compare_segments(self, segment_ids: Sequence[int | str]) -> Comparison:
        return await self._post("/segments/compare", Comparison, {"segment_ids": list(segment_ids)})

    async def list_customers(self, *, search: str | None = None, page: int = 1,
                             page_size: int = 20) -> CustomerPage:
        return await self._get("/customers", CustomerPage, search=search or None, page=page, page_size=page_size)

    async def export_members(self, segment_id: int | str, fmt: str) -> AsyncIterator[bytes]:
        """Stream `GET /segments/{id}/export?format=` in chunks; errors as from `request`. Closing the
        generator (or cancelling its task) closes the connection."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        url = f"{API_PREFIX}/segments/{segment_id}/export"
        try:
            async with self._http.stream("GET", url, params={"format": fmt}, headers=headers,
                                         timeout=httpx.Timeout(30.0, read=300.0)) as response:
                if response.status_code >= 400:
                    await response.aread()
                    raise ApiError.from_response(response)
                for success in self.on_success:
                    success()
                async for chunk in response.aiter_bytes():
                    yield chunk
        except httpx.TransportError as exc:
            error = network_error_from(exc, self.base_url)
            for callback in self.on_network_error:
                callback(error)
            raise error from exc

    async def customer_segments(self, customer_id: str) -> CustomerSegments:
        return await self._get(f"/customers/{customer_id}/segments", CustomerSegments)

    # --- campaign hand-off --------------------------------------------------------------------------------

    async def campaign_templates(self, channel: str | None = None) -> list[CampaignTemplate]:
        return await self._get("/campaign-templates", list[CampaignTemplate], channel=channel)

    async def campaign_estimate(self, segment_id: int | str, channel: str) -> CampaignEstimate:
        return await self._get(f"/segments/{segment_id}/campaign-estimate", CampaignEstimate, channel=channel)

    async def create_recipient_list(self, segment_id: int | str, *, channel: str, template_id: int | str,
                                    variables: Mapping[str, str]) -> RecipientList:
        body = {"channel": channel, "template_id": template_id, "variables": dict(variables)}
        return await self._post(f"/segments/{segment_id}/recipient-lists", RecipientList, body)

    async def recipient_list(self, list_id: int | str, page: int = 1) -> RecipientListPage:
        return await self._get(f"/recipient-lists/{list_id}", RecipientListPage, page=page)
