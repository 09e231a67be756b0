"""Readable summaries built from the catalog's labels."""

from __future__ import annotations

from segstudio.core.rule_tree import Condition, Group, RuleTree
from segstudio.core.summary import describe_condition, summarize
from tests.core.cases import CATALOG, LIMITS, nested_tree


def test_summary_of_the_contract_example() -> None:
    assert summarize(nested_tree(), CATALOG) == (
        "Source is WhatsApp AND (Deal stage is Won OR Days since last conversation greater than 90) "
        "AND Province is Jakarta")


def test_flat_summary_matches_the_servers_style() -> None:
    tree = RuleTree(Group("and", (Condition("source", "is", "WhatsApp"),
                                  Condition("address.province", "is", "Jakarta"))), LIMITS)
    assert summarize(tree, CATALOG) == "Source is WhatsApp AND Province is Jakarta"


def test_condition_phrases() -> None:
    cases = {
        Condition("loyalty.available_balance", "between", (1000, 25000)):
            "Total available balance is between 1,000 and 25,000",
        Condition("date_of_birth", "in_last_days", 7): "Date of birth in the last 7 days",
        Condition("date_of_birth", "more_than_days_ago", 1): "Date of birth more than 1 day ago",
        Condition("custom.interests", "contains_any", ("Music", "Travel")): "Interests contains any of Music, Travel",
        Condition("marketing_opt_in", "is", True): "Marketing opt-in status is true",
        Condition("full_name", "is_empty"): "Full name is empty",
        Condition("deal.stage", "is", "Won", "all"): "Deal stage is Won (all deals)",
        Condition("metric.reply_rate", "gt", 50): "Reply rate greater than 50%",
        Condition(): "(choose a field)",
    }
    for cond, text in cases.items():
        assert describe_condition(cond, CATALOG) == text
