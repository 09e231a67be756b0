"""An in-memory server speaking the contract's segment and auth calls, for httpx.MockTransport.

The view tests use it to control exactly what the server holds and to see every request the app sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

PERMISSIONS_ADMIN = {"customers_segment_view": "all", "customers_segment_add": "all",
                     "customers_segment_manage": "all", "customers_segment_archived": "all",
                     "customers_customers_view": "all"}
PERMISSIONS_AGENT = {"customers_segment_view": "all", "customers_segment_add": "disabled",
                     "customers_segment_manage": "disabled", "customers_segment_archived": "disabled",
                     "customers_customers_view": "owned"}
PACKAGES = {"starter": (False, 0, False), "plus": (True, 5, False), "ultimate": (True, None, True)}


def me_payload(permissions: dict[str, str] | None = None, package: str = "ultimate", user_id: int = 1) -> dict:
    segmentation, limit, use_case = PACKAGES[package]
    return {
        "user": {"id": user_id, "username": "ana", "display_name": "Ana Admin", "role": "org_admin",
                 "role_name": "Org Admin"},
        "organisation": {"id": 7, "cid": "CID-7", "name": "Fake Org", "package": package,
                         "timezone": "Asia/Jakarta", "refresh_time": "08:00", "max_groups": 2,
                         "max_conditions_per_group": 3, "max_depth": 1},
        "package": {"tier": package, "segmentation": segmentation, "max_active_segments": limit,
                    "use_case_fields": use_case},
        "permissions": dict(PERMISSIONS_ADMIN if permissions is None else permissions),
    }


def segment(i: int, *, name: str | None = None, created_at: datetime | None = None, readiness: str = "ready",
            status: str = "active", members: int = 100) -> dict[str, Any]:
    return {
        "id": i, "name": name or f"Segment {i:03d}", "description": None,
        "rules": {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "WhatsApp"}]},
        "summary": "Source is WhatsApp", "status": status, "readiness": readiness, "member_count": members,
        "last_evaluated_at": None, "created_by": "Ana Admin", "created_by_user_id": 1,
        "created_at": (created_at or datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=i)).isoformat(),
        "can_edit": True, "can_archive": True,
    }


@dataclass
class FakeServer:
    me: dict[str, Any] = field(default_factory=me_payload)
    segments: list[dict[str, Any]] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)
    # Ids that turn ready after this many list calls (simulating evaluation finishing).
    ready_after: dict[int, int] = field(default_factory=dict)
    fail_network: int = 0

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def calls(self, method: str, path: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == method and r.url.path == f"/api/v1{path}"]

    def handle(self, request: httpx.Request) -> httpx.Response:
        if self.fail_network > 0:
            self.fail_network -= 1
            raise httpx.ConnectError("connection refused", request=request)
        self.requests.append(request)
        path = request.url.path.removeprefix("/api/v1")
        if path == "/me":
            return httpx.Response(200, json=self.me)
        if path == "/segments" and request.method == "GET":
            return self._list(request)
        if path.startswith("/segments/") and request.method == "POST":
            _, _, sid, action = path.split("/")
            return self._action(int(sid), action)
        return httpx.Response(404, json={"error": {"code": "not_found", "message": "Not found."}})

    def _list(self, request: httpx.Request) -> httpx.Response:
        q = request.url.params
        for sid in list(self.ready_after):
            self.ready_after[sid] -= 1
            if self.ready_after[sid] <= 0:
                del self.ready_after[sid]
                for s in self.segments:
                    if s["id"] == sid:
                        s["readiness"] = "ready"
        rows = [s for s in self.segments if s["status"] == q.get("status", s["status"])]
        search = q.get("search", "")
        if len(search) >= 3:
            rows = [s for s in rows if search.lower() in s["name"].lower()]
        zone = ZoneInfo(q.get("tz", "UTC"))
        if "created_from" in q:
            low = date.fromisoformat(q["created_from"])
            rows = [s for s in rows if datetime.fromisoformat(s["created_at"]).astimezone(zone).date() >= low]
        if "created_to" in q:
            high = date.fromisoformat(q["created_to"])
            rows = [s for s in rows if datetime.fromisoformat(s["created_at"]).astimezone(zone).date() <= high]
        rows.sort(key=lambda s: s["created_at"], reverse=True)
        page, size = int(q.get("page", 1)), int(q.get("page_size", 20))
        return httpx.Response(200, json={"items": rows[(page - 1) * size: page * size], "total": len(rows),
                                         "page": page, "page_size": size})

    def _action(self, sid: int, action: str) -> httpx.Response:
        found = next((s for s in self.segments if s["id"] == sid), None)
        if found is None:
            return httpx.Response(404, json={"error": {"code": "not_found", "message": "Segment not found."}})
        if action == "archive":
            found["status"] = "archived"
            return httpx.Response(200, json=found)
        if action == "duplicate":
            limit = self.me["package"]["max_active_segments"]
            if limit is not None and sum(s["status"] == "active" for s in self.segments) >= limit:
                return httpx.Response(409, json={"error": {"code": "segment_limit", "message":
                                      "Segment limit reached. Delete an existing segment to create a new one."}})
            copy = dict(found, id=max(s["id"] for s in self.segments) + 1, name=f"Copy of {found['name']}",
                        readiness="pending", created_at=datetime.now(UTC).isoformat())
            self.segments.append(copy)
            return httpx.Response(201, json=copy)
        return httpx.Response(404, json={"error": {"code": "not_found", "message": "Not found."}})


def body(request: httpx.Request) -> Any:
    return json.loads(request.content or b"null")
