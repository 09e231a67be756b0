"""The desktop's phrasing of unsaved edits reads like the server's summary, from the served labels."""

from __future__ import annotations

import pytest

from segstudio.core.catalog import Catalog
from segstudio.core.rule_tree import Condition, Group, RuleTree
from segstudio.core.summary import describe_condition, summarize
from tests.core.cases import CATALOG, LIMITS, nested_tree
from tests.summary_cases import SUMMARY_CASES, catalog_json, operators_json

SERVED = Catalog.from_json(catalog_json(), operators_json())


@pytest.mark.parametrize(("rules", "text"), SUMMARY_CASES, ids=[t for _, t in SUMMARY_CASES])
def test_the_desktop_phrases_each_shared_case_as_the_server_does(rules, text):
    assert summarize(RuleTree.from_json(rules), SERVED) == text


def test_the_words_are_the_served_labels():
    served = operators_json()
    relabelled = [dict(o, label="is bigger than") if o["key"] == "gt" else o for o in served]
    catalog = Catalog.from_json(catalog_json(), relabelled)
    tree = RuleTree.from_json({"combinator": "and", "rules": [
        {"field": "loyalty_available_balance", "operator": "gt", "value": 5}]})
    assert summarize(tree, catalog) == "Total available balance is bigger than 5"


def test_summary_of_the_contract_example() -> None:
    assert summarize(nested_tree(), CATALOG) == (
        "Source is WhatsApp AND (Deal stage is Won OR Days since last conversation is greater than 90) "
        "AND Province is Jakarta")


def test_flat_summary_matches_the_servers_style() -> None:
    tree = RuleTree(Group("and", (Condition("source", "is", "WhatsApp"),
                                  Condition("address.province", "is", "Jakarta"))), LIMITS)
    assert summarize(tree, CATALOG) == "Source is WhatsApp AND Province is Jakarta"


def test_condition_phrases_while_editing() -> None:
    cases = {
        Condition("custom.interests", "contains_any", ("Music", "Travel")): "Interests contains any of Music, Travel",
        # What the user is still typing reads as typed, with "…" for what is missing.
        Condition("loyalty.available_balance", "gt", "1,000,000"): "Total available balance is greater than 1,000,000",
        Condition("loyalty.available_balance", "between", (1000, None)):
            "Total available balance is between 1,000 and …",
        Condition("date_of_birth", "in_last_days", None): "Date of birth is in the last N days",
        Condition("custom.interests", "contains_all", ()): "Interests contains all of …",
        Condition("full_name", "is"): "Full name is …",
        Condition("full_name"): "Full name",
        Condition("nope", "is", "x"): "nope (unknown field)",
        Condition(): "(choose a field)",
    }
    for cond, text in cases.items():
        assert describe_condition(cond, CATALOG) == text
