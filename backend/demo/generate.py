"""Row generation for the demo organisation: plain Python, seeded, no database.

Every row is a tuple in the column order of its `*_COLUMNS` constant, with values already in the
shape the bulk writer stores: timestamps are naive UTC datetimes, dates are `date`, JSON columns are
Python lists/dicts. Randomness comes from one `random.Random(seed)` consumed in a fixed order, and
every timestamp is an offset from one anchor (07:00 on the reference day in the organisation's
timezone, so "today" already has some activity and nothing lies in the future of the morning
refresh), so a seed and a reference date fix the data completely.

Counts of associated records are skewed per customer: a log-normal "activity" shared by all of a
customer's association types (engaged customers chat, buy and get campaigns more), a share of
customers with none of a type, and an exponential tail.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from backend.demo.customer_rows import CustomerRows
from backend.demo.draws import Draws, Weighted
from backend.demo.record_rows import RecordRows
from backend.demo.rows import (
    COMPANY_COLUMNS,
    CONVERSATION_COLUMNS,
    CUSTOM_VALUE_COLUMNS,
    CUSTOMER_COLUMNS,
    DEAL_COLUMNS,
    DELIVERY_COLUMNS,
    ORDER_COLUMNS,
    TICKET_COLUMNS,
    USERNAME_COLUMNS,
    ConversationBatch,
    CustomerBatch,
    Profile,
    anchor_for,
    customer_ext_id,
)

__all__ = [
    "COMPANY_COLUMNS", "CONVERSATION_COLUMNS", "CUSTOMER_COLUMNS", "CUSTOM_VALUE_COLUMNS", "DEAL_COLUMNS",
    "DELIVERY_COLUMNS", "ORDER_COLUMNS", "TICKET_COLUMNS", "USERNAME_COLUMNS", "ConversationBatch", "CustomerBatch",
    "DemoGenerator", "Profile", "Weighted", "anchor_for", "customer_ext_id",
]


class DemoGenerator:
    """The demo data of one seed and reference day: companies, then customers batch by batch, each
    batch followed by its records (the writer's order, which fixes the random draws' order)."""

    def __init__(self, *, seed: int, today: date, timezone: str, users: Sequence[tuple[str, int, int]],
                 field_ids: dict[str, int]) -> None:
        """users: (username, user id, weight as owner/assignee); field_ids: custom field key -> id."""
        self.draws = Draws(seed=seed, today=today, timezone=timezone, users=users, field_ids=field_ids)
        people = CustomerRows(self.draws)
        records = RecordRows(self.draws)
        self.companies = people.companies
        self.customers = people.customers
        self.conversations = records.conversations
        self.deliveries = records.deliveries
        self.deals = records.deals
        self.tickets = records.tickets
        self.orders = records.orders
