"""Summary cases shared by the server's phrasing (tests/backend/rules/test_summary.py) and the desktop's phrasing
of unsaved edits (tests/core/test_summary.py): the same rules must read the same on both sides.

The desktop side reads the catalog and the operator table exactly as the server serves them (`catalog_json`,
`operators_json`), so a label changed in `backend.rules.operators` changes both phrasings at once.
"""

from __future__ import annotations

from typing import Any


def cond(field: str, operator: str, value: Any = None, match: str | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"field": field, "operator": operator, "value": value}
    if match is not None:
        node["match"] = match
    return node


def group(*rules: dict[str, Any], combinator: str = "and", negate: bool = False) -> dict[str, Any]:
    node: dict[str, Any] = {"combinator": combinator, "rules": list(rules)}
    if negate:
        node["not"] = True
    return node


# (rules, the summary the app shows) — fields of the built-in catalog only, so no organisation data is needed.
SUMMARY_CASES: list[tuple[dict[str, Any], str]] = [
    (group(cond("source", "is", "WhatsApp"), cond("province", "is", "Jakarta")),
     "Source is WhatsApp AND Province is Jakarta"),
    (group(cond("source", "is", "WhatsApp"),
           group(cond("deal.stage", "is", "Won"), cond("metric.days_since_last_conversation", "gt", 90),
                 combinator="or")),
     "Source is WhatsApp AND (Deal stage is Won OR Days since last conversation is greater than 90)"),
    (group(cond("loyalty_available_balance", "gt", 1_000_000)),
     "Total available balance is greater than 1,000,000"),
    (group(cond("loyalty_available_balance", "lt", 12.5)), "Total available balance is less than 12.5"),
    (group(cond("loyalty_available_balance", "neq", 0)), "Total available balance does not equal 0"),
    (group(cond("loyalty_available_balance", "between", [1000, 25000])),
     "Total available balance is between 1,000 and 25,000"),
    (group(cond("metric.conversation_reply_rate", "gt", 50)), "Reply rate is greater than 50%"),
    (group(cond("metric.conversation_reply_rate", "between", [10, 20.5])), "Reply rate is between 10% and 20.5%"),
    (group(cond("created_at", "in_last_days", 30)), "Customer created at is in the last 30 days"),
    (group(cond("created_at", "more_than_days_ago", 1)), "Customer created at is more than 1 day ago"),
    (group(cond("created_at", "in_next_days", 1500)), "Customer created at is in the next 1,500 days"),
    (group(cond("date_of_birth", "before", "2000-01-31")), "Date of birth is before 2000-01-31"),
    (group(cond("date_of_birth", "between", ["1990-01-01", "1999-12-31"])),
     "Date of birth is between 1990-01-01 and 1999-12-31"),
    (group(cond("marketing_opt_in", "is", True)), "Marketing opt-in status is Opted in"),
    (group(cond("full_name", "is_empty")), "Full name is empty"),
    (group(cond("full_name", "not_contains", "test")), "Full name does not contain test"),
    (group(cond("deal.stage", "is", "Won", "all")), "Deal stage is Won (all deals)"),
    (group(cond("ticket.stage", "is", "Closed", "all")), "Ticket stage is Closed (all tickets)"),
    (group(cond("deal.stage", "is", "Won", "any")), "Deal stage is Won"),
    # A customer has one company: "all" adds nothing worth saying.
    (group(cond("company.industry", "is", "Retail", "all")), "Company industry is Retail"),
    # Rule language v2
    (group(cond("source", "is", "WhatsApp"), group(cond("deal.stage", "is", "Won"), cond("province", "is", "Bali"),
                                                    negate=True)),
     "Source is WhatsApp AND NOT (Deal stage is Won AND Province is Bali)"),
    (group(cond("province", "is", "Bali"), negate=True), "NOT (Province is Bali)"),
    (group(group(cond("province", "is", "Bali"), negate=True)), "NOT (Province is Bali)"),
    (group(cond("deal.stage", "is", "Won", "none")), "Deal stage is Won (none of the deals)"),
    (group(cond("company.industry", "is", "Retail", "none")), "NOT (Company industry is Retail)"),
    (group(cond("province", "is_any_of", ["Jakarta", "Bali"])), "Province is any of Jakarta, Bali"),
    (group(cond("province", "is_none_of", ["Jakarta"])), "Province is none of Jakarta"),
    (group(cond("loyalty_available_balance", "gte", 5000)), "Total available balance is at least 5,000"),
    (group(cond("loyalty_available_balance", "lte", 0)), "Total available balance is at most 0"),
    (group(cond("date_of_birth", "anniversary_in_next_days", 7)),
     "Date of birth has its anniversary in the next 7 days"),
]


def catalog_json(package: str = "ultimate") -> list[dict[str, Any]]:
    """`GET /fields` of an organisation without custom fields."""
    from backend.rules.fields import STATIC_FIELDS

    return [f.catalog_entry(package) for f in STATIC_FIELDS]


def operators_json() -> list[dict[str, str]]:
    """`GET /operators`."""
    from backend.rules.operators import served_operators

    return served_operators()
