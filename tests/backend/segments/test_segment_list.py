"""The segment list (issue item 2): search, status, created-date filter in the caller's zone, order, pages."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from backend.evaluation.clock import get_now
from backend.segments.models import Segment


def names(r) -> list[str]:
    assert r.status_code == 200, r.text
    return [s["name"] for s in r.json()["items"]]


def test_search_needs_three_characters_and_matches_part_of_the_name_in_any_case(make_org, make_segment, api):
    org = make_org()
    for name in ("Loyal Buyers", "WhatsApp leads", "Churn risk"):
        make_segment(org, name)
    assert names(api("GET", "/segments?search=LOY", org)) == ["Loyal Buyers"]
    assert names(api("GET", "/segments?search=app%20LE", org)) == ["WhatsApp leads"]
    assert len(names(api("GET", "/segments?search=ch", org))) == 3  # under 3 characters: ignored
    r = api("GET", "/segments?search=nothing", org)
    assert r.json() == {"items": [], "total": 0, "page": 1, "page_size": 20}


def test_search_treats_wildcards_literally(make_org, make_segment, api):
    org = make_org()
    make_segment(org, "100% loyal")
    make_segment(org, "1000 loyal")
    assert names(api("GET", "/segments?search=0%25%20l", org)) == ["100% loyal"]


def test_status_filter_and_newest_first(make_org, make_segment, api):
    org = make_org()
    first, second, third = (make_segment(org, n) for n in ("first", "second", "third"))
    api("POST", f"/segments/{second['id']}/archive", org)
    assert names(api("GET", "/segments", org)) == ["third", "second", "first"]
    assert names(api("GET", "/segments?status=archived", org)) == ["second"]
    assert names(api("GET", "/segments?status=active", org)) == ["third", "first"]
    assert api("GET", "/segments?status=deleted", org).status_code == 400


def test_pages_and_rows_carry_size_readiness_creator_and_time(make_org, make_segment, api):
    org = make_org()
    for i in range(25):
        make_segment(org, f"s{i:02d}")
    r = api("GET", "/segments?page=2&page_size=10", org).json()
    assert r["total"] == 25 and [s["name"] for s in r["items"]] == [f"s{i:02d}" for i in range(14, 4, -1)]
    row = r["items"][0]
    assert {"member_count", "readiness", "created_by", "created_at"} <= set(row)
    assert api("GET", "/segments?page_size=101", org).status_code == 400
    assert api("GET", "/segments?page=0", org).status_code == 400


def _set_created(db, seg_id: int, when: datetime) -> None:
    with db.session() as session:
        session.execute(update(Segment).where(Segment.id == seg_id).values(created_at=when))


def test_created_dates_are_days_in_the_callers_timezone(make_org, make_segment, api, db):
    org = make_org()
    late = make_segment(org, "late evening in Jakarta")
    early = make_segment(org, "early morning UTC")
    # 2026-03-10 20:00 Jakarta (UTC+7) is 13:00 UTC; 2026-03-10 23:30 UTC is already 11 March in Jakarta.
    _set_created(db, late["id"], datetime(2026, 3, 10, 13, 0, tzinfo=UTC))
    _set_created(db, early["id"], datetime(2026, 3, 10, 23, 30, tzinfo=UTC))
    q = "/segments?created_from=2026-03-10&created_to=2026-03-10"
    assert sorted(names(api("GET", q, org))) == ["early morning UTC", "late evening in Jakarta"]
    assert names(api("GET", q + "&tz=Asia/Jakarta", org)) == ["late evening in Jakarta"]
    assert names(api("GET", "/segments?created_from=2026-03-11&tz=Asia/Jakarta", org)) == ["early morning UTC"]
    r = api("GET", q + "&tz=Mars/Olympus", org)
    assert r.status_code == 400 and r.json()["error"]["fields"][0]["path"] == "tz"
    r = api("GET", "/segments?created_from=2026-03-11&created_to=2026-03-10", org)
    assert r.status_code == 400


def test_today_and_last_7_days_presets(make_org, make_segment, api, db, app):
    org = make_org()
    today = make_segment(org, "today")
    week = make_segment(org, "five days ago")
    old = make_segment(org, "a month ago")
    now = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta
    app.dependency_overrides[get_now] = lambda: now
    try:
        _set_created(db, today["id"], datetime(2026, 3, 19, 18, 0, tzinfo=UTC))  # 20 March 01:00 Jakarta
        _set_created(db, week["id"], datetime(2026, 3, 15, 3, 0, tzinfo=UTC))
        _set_created(db, old["id"], datetime(2026, 2, 18, 3, 0, tzinfo=UTC))
        assert names(api("GET", "/segments?created=today&tz=Asia/Jakarta", org)) == ["today"]
        assert names(api("GET", "/segments?created=today", org)) == []  # 19 March in UTC
        assert names(api("GET", "/segments?created=last_7_days&tz=Asia/Jakarta", org)) == ["today", "five days ago"]
        assert len(names(api("GET", "/segments?created=all", org))) == 3
    finally:
        app.dependency_overrides.clear()
