"""Who entered and left per evaluation (issue 17 item 2): counts for everyone, names paged and owned-only."""

from __future__ import annotations

from tests.backend.segments.conftest import people


def test_names_of_who_entered_are_paged_and_owned_only_viewers_see_their_own(make_org, ingest, make_segment, api,
                                                                           run_jobs):
    org = make_org()
    ingest(org, [{**p, "owner": "o1_agent"} if p["id"] in ("k1", "k4") else p
                 for p in people(*((f"k{i}", "WhatsApp") for i in range(1, 6)))])
    seg = make_segment(org)
    run_jobs()
    latest = api("GET", f"/segments/{seg['id']}/evaluations", org).json()["items"][0]
    assert (latest["entered"], latest["left"]) == (5, 0)
    path = f"/segments/{seg['id']}/evaluations/{latest['id']}/changes?change=entered&page_size=2"
    pages = [api("GET", f"{path}&page={n}", org).json() for n in (1, 2, 3)]
    assert [[c["customer_id"] for c in p["items"]] for p in pages] == [["k1", "k2"], ["k3", "k4"], ["k5"]]
    assert pages[0]["total"] == 5 and pages[0]["entered"] == 5
    mine = api("GET", path, org, "agent").json()
    assert [c["full_name"] for c in mine["items"]] == ["Customer k1", "Customer k4"]
    assert mine["total"] == 2 and mine["entered"] == 5  # the count is the segment's; the names are scoped
    left = api("GET", f"/segments/{seg['id']}/evaluations/{latest['id']}/changes?change=left", org).json()
    assert left["total"] == 0 and left["items"] == []
    assert api("GET", f"/segments/{seg['id']}/evaluations/999999/changes", org).status_code == 404
