"""The server's summaries (previews and saved segments) and the operator table it serves to the app."""

from __future__ import annotations

import pytest

from backend.rules import engine
from backend.rules.operators import TABLE
from tests.backend.rules import factories as fx
from tests.summary_cases import SUMMARY_CASES, cond, group

API = "/api/v1"


@pytest.mark.parametrize(("rules", "text"), SUMMARY_CASES, ids=[t for _, t in SUMMARY_CASES])
def test_the_server_phrases_each_shared_case(db, rules, text):
    with db.session() as s:
        org = fx.make_org(s, package="ultimate")
        tree = engine.parse_and_validate(s, org, rules)
        assert engine.summarize(s, org, tree) == text


def test_operators_are_served_once_each_with_the_words_the_app_shows(client, make_org):
    org = make_org("ultimate")
    r = client.get(f"{API}/operators", headers=org.headers())
    assert r.status_code == 200
    served = {o["key"]: o for o in r.json()}
    assert len(served) == len(r.json()), "each operator once"
    used = {op for f in client.get(f"{API}/fields", headers=org.headers()).json() for op in f["operators"]}
    assert used <= set(served), "every operator the catalog uses is served"
    assert set(served) == {op for ops in TABLE.values() for op in ops}
    assert served["neq"] == {"key": "neq", "label": "does not equal", "value_shape": "one"}
    assert served["between"]["value_shape"] == "two"
    assert served["contains_any"]["value_shape"] == "list"
    assert served["is_empty"]["value_shape"] == "none"
    assert served["in_last_days"] == {"key": "in_last_days", "label": "is in the last N days", "value_shape": "days"}
    assert {o["value_shape"] for o in served.values()} == {"none", "one", "two", "list", "days"}


def test_operators_need_segmentation_like_the_catalog(client, make_org):
    starter = make_org("starter")
    r = client.get(f"{API}/operators", headers=starter.headers())
    assert r.status_code == 403
    assert client.get(f"{API}/operators").status_code == 401


def test_saved_segments_carry_the_servers_summary_in_the_list_and_the_detail(client, make_org):
    org = make_org("ultimate")
    rules = group(cond("loyalty_available_balance", "gt", 1_000_000), cond("deal.stage", "is", "Won", "all"))
    created = client.post(f"{API}/segments", headers=org.headers(), json={"name": "Big", "rules": rules}).json()
    text = "Total available balance is greater than 1,000,000 AND Deal stage is Won (all deals)"
    assert created["summary"] == text
    listed = client.get(f"{API}/segments", headers=org.headers()).json()["items"]
    assert [s["summary"] for s in listed] == [text]
