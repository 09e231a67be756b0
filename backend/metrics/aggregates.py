"""The per-customer aggregates, twice: as set-based SQL (refresh) and as plain Python (reference).

Each aggregate is written in both forms next to each other so they can be read against each other;
the differential tests check that they agree on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Float, Integer, and_, case, cast, collate, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from backend.customers.models import CampaignDelivery, Conversation, Customer, Deal, Order, Ticket

DELIVERED_STATUSES = ("delivered", "read", "replied")

# Counts and sums are 0 over no records; first/latest timestamps and modes are empty.
ZERO_COLUMNS = (
    "conv_count", "conv_sent_sum", "conv_received_sum", "conv_replied_sum", "conv_response_sum", "conv_response_n",
    "conv_call_sum", "conv_call_n", "conv_csat_sum", "conv_csat_n", "conv_nps_sum", "conv_nps_n", "conv_bot_n",
    "ticket_count", "ticket_resolved_n", "ticket_resolve_seconds_sum", "ticket_resolve_n", "ticket_breach_n",
    "deal_count", "deal_size_sum", "deal_won_n", "deal_lost_n", "deal_conversion_seconds_sum", "deal_conversion_n",
    "deal_rotten_n", "campaign_count", "campaign_delivered_n", "campaign_replied_n", "campaign_revenue_sum",
    "ad_impressions_sum", "ad_clicks_sum", "ad_converted_n", "ad_cost_sum", "ad_leads_n", "order_count",
    "order_paid_n", "booking_count", "booking_completed_n", "spend_sum", "spend_n",
)
NULL_COLUMNS = (
    "conv_first_associated_at", "conv_last_activity_at", "conv_latest_at", "conv_preferred_channel",
    "ticket_first_at", "ticket_last_update_at", "ticket_latest_at", "ticket_repeat_issue", "deal_latest_at",
    "campaign_last_reply_at", "campaign_engaged_at", "last_purchase_at", "order_latest_at",
    "preferred_payment_method", "last_activity_at",
)
ALL_COLUMNS = ZERO_COLUMNS + NULL_COLUMNS


def empty_aggregates() -> dict[str, Any]:
    return {**dict.fromkeys(ZERO_COLUMNS, 0), **dict.fromkeys(NULL_COLUMNS)}


# --------------------------------------------------------------------------- Python (reference)

def _sum(values: Iterable[float | int | None]) -> float:
    return float(sum(v for v in values if v is not None))


def _nonnull(values: Iterable[Any]) -> list[Any]:
    return [v for v in values if v is not None]


def _max(values: Iterable[datetime | None]) -> datetime | None:
    present = _nonnull(values)
    return max(present) if present else None


def _min(values: Iterable[datetime | None]) -> datetime | None:
    present = _nonnull(values)
    return min(present) if present else None


def whole_seconds_between(start: datetime, end: datetime) -> int:
    """Durations count whole seconds of each timestamp (both databases truncate the same way)."""
    return math.floor(end.timestamp()) - math.floor(start.timestamp())


def _mode(pairs: Iterable[tuple[str | None, datetime | None]]) -> str | None:
    """Most frequent non-empty value; ties go to the most recent use, then code-point order."""
    counts: Counter[str] = Counter()
    latest: dict[str, datetime] = {}
    for value, at in pairs:
        if value is None or value == "":
            continue
        counts[value] += 1
        if at is not None and (value not in latest or at > latest[value]):
            latest[value] = at

    def rank(value: str) -> tuple[int, int, float, str]:
        at = latest.get(value)
        return (-counts[value], at is None, -at.timestamp() if at is not None else 0.0, value)

    return min(counts, key=rank) if counts else None


def python_aggregates(record: Mapping[str, Any]) -> dict[str, Any]:
    """Aggregates of one customer from its records (lists of dicts keyed by column name)."""
    out = empty_aggregates()
    convs = record["conversations"]
    if convs:
        out["conv_count"] = len(convs)
        out["conv_first_associated_at"] = _min(c["associated_at"] for c in convs)
        out["conv_last_activity_at"] = _max(c["last_activity_at"] for c in convs)
        out["conv_latest_at"] = _max(c["last_activity_at"] or c["associated_at"] for c in convs)
        out["conv_sent_sum"] = _sum(c["messages_sent_by_customer"] for c in convs)
        out["conv_received_sum"] = _sum(c["messages_received"] for c in convs)
        out["conv_replied_sum"] = _sum(c["messages_replied"] for c in convs)
        for name, col in (("response", "first_response_minutes"), ("call", "call_duration_seconds"),
                          ("csat", "csat"), ("nps", "nps")):
            values = _nonnull(c[col] for c in convs)
            out[f"conv_{name}_sum"] = _sum(values)
            out[f"conv_{name}_n"] = len(values)
        out["conv_bot_n"] = sum(1 for c in convs if c["resolved_by_bot"] is True)
        out["conv_preferred_channel"] = _mode((c["channel"], c["last_activity_at"] or c["associated_at"])
                                              for c in convs)
    tickets = record["tickets"]
    if tickets:
        out["ticket_count"] = len(tickets)
        out["ticket_first_at"] = _min(t["created_at"] for t in tickets)
        out["ticket_last_update_at"] = _max(t["updated_at"] for t in tickets)
        out["ticket_latest_at"] = _max(_max((t["created_at"], t["updated_at"], t["resolved_at"])) for t in tickets)
        out["ticket_resolved_n"] = sum(1 for t in tickets if t["resolved_at"] is not None)
        timed = [t for t in tickets if t["created_at"] is not None and t["resolved_at"] is not None]
        out["ticket_resolve_seconds_sum"] = float(sum(whole_seconds_between(t["created_at"], t["resolved_at"])
                                                      for t in timed))
        out["ticket_resolve_n"] = len(timed)
        out["ticket_breach_n"] = sum(1 for t in tickets if t["sla_breached"] is True)
        categories = Counter(t["category"] for t in tickets if t["category"] not in (None, ""))
        out["ticket_repeat_issue"] = max(categories.values()) >= 2 if categories else None
    deals = record["deals"]
    if deals:
        out["deal_count"] = len(deals)
        out["deal_size_sum"] = _sum(d["size"] for d in deals)
        out["deal_won_n"] = sum(1 for d in deals if d["outcome"] == "won")
        out["deal_lost_n"] = sum(1 for d in deals if d["outcome"] == "lost")
        won = [d for d in deals if d["outcome"] == "won" and d["created_at"] is not None
               and d["closed_at"] is not None]
        out["deal_conversion_seconds_sum"] = float(sum(whole_seconds_between(d["created_at"], d["closed_at"])
                                                       for d in won))
        out["deal_conversion_n"] = len(won)
        out["deal_rotten_n"] = sum(1 for d in deals if d["rotten"] is True)
        out["deal_latest_at"] = _max(_max((d["created_at"], d["closed_at"])) for d in deals)
    sends = record["campaigns"]
    if sends:
        out["campaign_count"] = len(sends)
        out["campaign_delivered_n"] = sum(1 for s in sends if s["status"] in DELIVERED_STATUSES)
        out["campaign_replied_n"] = sum(1 for s in sends if s["replied_at"] is not None or s["status"] == "replied")
        out["campaign_last_reply_at"] = _max(s["replied_at"] for s in sends)
        out["campaign_engaged_at"] = _max(_max((s["opened_at"], s["replied_at"])) for s in sends)
        out["campaign_revenue_sum"] = _sum(s["attributed_revenue"] for s in sends)
        out["ad_impressions_sum"] = _sum(s["ad_impressions"] for s in sends)
        out["ad_clicks_sum"] = _sum(s["ad_clicks"] for s in sends)
        out["ad_converted_n"] = sum(1 for s in sends if s["ad_converted"] is True)
        out["ad_cost_sum"] = _sum(s["ad_cost"] for s in sends)
        out["ad_leads_n"] = sum(1 for s in sends if (s["ad_clicks"] or 0) > 0)
    orders = record["orders"]
    if orders:
        out["order_count"] = len(orders)
        out["order_paid_n"] = sum(1 for o in orders if o["paid"] is True)
        bookings = [o for o in orders if o["kind"] == "booking"]
        out["booking_count"] = len(bookings)
        out["booking_completed_n"] = sum(1 for o in bookings if o["status"] == "completed")
        completed = [o for o in orders if o["status"] == "completed"]
        out["spend_sum"] = _sum(o["amount"] for o in completed)
        out["spend_n"] = len(completed)
        out["last_purchase_at"] = _max(o["created_at"] for o in orders if o["kind"] == "order"
                                       and o["status"] == "completed")
        out["order_latest_at"] = _max(o["created_at"] for o in orders)
        out["preferred_payment_method"] = _mode((o["payment_method"], o["created_at"]) for o in orders)
    out["last_activity_at"] = _max((out["conv_latest_at"], out["campaign_engaged_at"], out["deal_latest_at"],
                                    out["ticket_latest_at"], out["order_latest_at"]))
    return out


# --------------------------------------------------------------------------- SQL (refresh)

def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _sum0(col: ColumnElement[Any]) -> ColumnElement[float]:
    return func.coalesce(func.sum(cast(col, Float)), 0.0)


def greatest(dialect: str, *exprs: ColumnElement[Any]) -> ColumnElement[Any]:
    """The latest non-null of several timestamps (NULL when all are)."""
    if dialect == "postgresql":
        return func.greatest(*exprs)
    # SQLite's max() is NULL if any argument is; replace each NULL by some present value first.
    anything = func.coalesce(*exprs)
    return func.max(*(func.coalesce(e, anything) for e in exprs))


def seconds_between(dialect: str, start: ColumnElement[Any], end: ColumnElement[Any]) -> ColumnElement[float]:
    if dialect == "postgresql":
        def epoch(x: ColumnElement[Any]) -> ColumnElement[float]:
            return func.extract("epoch", func.date_trunc("second", x))
    else:
        def epoch(x: ColumnElement[Any]) -> ColumnElement[float]:
            return cast(func.strftime("%s", x), Integer)
    return cast(epoch(end) - epoch(start), Float)


def _binary(dialect: str, col: ColumnElement[str]) -> ColumnElement[str]:
    return collate(col, "C" if dialect == "postgresql" else "BINARY")


def _mode_sql(dialect: str, table: Any, value_col: Any, at_expr: ColumnElement[Any]) -> ColumnElement[Any]:
    """The customer's most frequent non-empty value (ties: latest use, then code point), correlated to
    customers.pk: an index lookup per customer, where a window over a materialized set would be
    scanned once per customer by SQLite."""
    n = func.count()
    return (select(value_col)
            .where(table.customer_pk == Customer.pk, value_col.is_not(None), value_col != "")
            .group_by(value_col)
            .order_by(n.desc(), func.max(at_expr).desc().nulls_last(), _binary(dialect, value_col).asc())
            .limit(1).correlate(Customer).scalar_subquery())


def aggregates_select(dialect: str, org_id: int, customer_pks: list[int] | None):
    """SELECT customer_pk, org_id, <ALL_COLUMNS> for the org's customers (or just the given ones)."""

    def scope(table: Any) -> list[ColumnElement[bool]]:
        conds = [table.org_id == org_id]
        if customer_pks is not None:
            conds.append(table.customer_pk.in_(customer_pks))
        return conds

    conv_at = func.coalesce(Conversation.last_activity_at, Conversation.associated_at)
    conv = select(
        Conversation.customer_pk.label("customer_pk"),
        func.count().label("conv_count"),
        func.min(Conversation.associated_at).label("conv_first_associated_at"),
        func.max(Conversation.last_activity_at).label("conv_last_activity_at"),
        func.max(conv_at).label("conv_latest_at"),
        _sum0(Conversation.messages_sent_by_customer).label("conv_sent_sum"),
        _sum0(Conversation.messages_received).label("conv_received_sum"),
        _sum0(Conversation.messages_replied).label("conv_replied_sum"),
        _sum0(Conversation.first_response_minutes).label("conv_response_sum"),
        func.count(Conversation.first_response_minutes).label("conv_response_n"),
        _sum0(Conversation.call_duration_seconds).label("conv_call_sum"),
        func.count(Conversation.call_duration_seconds).label("conv_call_n"),
        _sum0(Conversation.csat).label("conv_csat_sum"),
        func.count(Conversation.csat).label("conv_csat_n"),
        _sum0(Conversation.nps).label("conv_nps_sum"),
        func.count(Conversation.nps).label("conv_nps_n"),
        _count_if(Conversation.resolved_by_bot.is_(True)).label("conv_bot_n"),
    ).where(*scope(Conversation)).group_by(Conversation.customer_pk).subquery()

    ticket_timed = and_(Ticket.created_at.is_not(None), Ticket.resolved_at.is_not(None))
    tick = select(
        Ticket.customer_pk.label("customer_pk"),
        func.count().label("ticket_count"),
        func.min(Ticket.created_at).label("ticket_first_at"),
        func.max(Ticket.updated_at).label("ticket_last_update_at"),
        greatest(dialect, func.max(Ticket.created_at), func.max(Ticket.updated_at),
                 func.max(Ticket.resolved_at)).label("ticket_latest_at"),
        _count_if(Ticket.resolved_at.is_not(None)).label("ticket_resolved_n"),
        func.coalesce(func.sum(case((ticket_timed, seconds_between(dialect, Ticket.created_at, Ticket.resolved_at)),
                                    else_=None)), 0.0).label("ticket_resolve_seconds_sum"),
        _count_if(ticket_timed).label("ticket_resolve_n"),
        _count_if(Ticket.sla_breached.is_(True)).label("ticket_breach_n"),
    ).where(*scope(Ticket)).group_by(Ticket.customer_pk).subquery()
    per_category = (select(Ticket.customer_pk.label("customer_pk"), func.count().label("n"))
                    .where(*scope(Ticket), Ticket.category.is_not(None), Ticket.category != "")
                    .group_by(Ticket.customer_pk, Ticket.category).subquery())
    repeat = (select(per_category.c.customer_pk,
                     case((func.max(per_category.c.n) >= 2, True), else_=False).label("ticket_repeat_issue"))
              .group_by(per_category.c.customer_pk).subquery())

    won_timed = and_(Deal.outcome == "won", Deal.created_at.is_not(None), Deal.closed_at.is_not(None))
    deal = select(
        Deal.customer_pk.label("customer_pk"),
        func.count().label("deal_count"),
        _sum0(Deal.size).label("deal_size_sum"),
        _count_if(Deal.outcome == "won").label("deal_won_n"),
        _count_if(Deal.outcome == "lost").label("deal_lost_n"),
        func.coalesce(func.sum(case((won_timed, seconds_between(dialect, Deal.created_at, Deal.closed_at)),
                                    else_=None)), 0.0).label("deal_conversion_seconds_sum"),
        _count_if(won_timed).label("deal_conversion_n"),
        _count_if(Deal.rotten.is_(True)).label("deal_rotten_n"),
        greatest(dialect, func.max(Deal.created_at), func.max(Deal.closed_at)).label("deal_latest_at"),
    ).where(*scope(Deal)).group_by(Deal.customer_pk).subquery()

    cd = CampaignDelivery
    camp = select(
        cd.customer_pk.label("customer_pk"),
        func.count().label("campaign_count"),
        _count_if(cd.status.in_(DELIVERED_STATUSES)).label("campaign_delivered_n"),
        _count_if(or_(cd.replied_at.is_not(None), cd.status == "replied")).label("campaign_replied_n"),
        func.max(cd.replied_at).label("campaign_last_reply_at"),
        greatest(dialect, func.max(cd.opened_at), func.max(cd.replied_at)).label("campaign_engaged_at"),
        _sum0(cd.attributed_revenue).label("campaign_revenue_sum"),
        _sum0(cd.ad_impressions).label("ad_impressions_sum"),
        _sum0(cd.ad_clicks).label("ad_clicks_sum"),
        _count_if(cd.ad_converted.is_(True)).label("ad_converted_n"),
        _sum0(cd.ad_cost).label("ad_cost_sum"),
        _count_if(cd.ad_clicks > 0).label("ad_leads_n"),
    ).where(*scope(cd)).group_by(cd.customer_pk).subquery()

    completed = Order.status == "completed"
    orders = select(
        Order.customer_pk.label("customer_pk"),
        func.count().label("order_count"),
        _count_if(Order.paid.is_(True)).label("order_paid_n"),
        _count_if(Order.kind == "booking").label("booking_count"),
        _count_if(and_(Order.kind == "booking", completed)).label("booking_completed_n"),
        func.coalesce(func.sum(case((completed, cast(Order.amount, Float)), else_=None)), 0.0).label("spend_sum"),
        _count_if(completed).label("spend_n"),
        func.max(case((and_(Order.kind == "order", completed), Order.created_at), else_=None))
        .label("last_purchase_at"),
        func.max(Order.created_at).label("order_latest_at"),
    ).where(*scope(Order)).group_by(Order.customer_pk).subquery()

    sources = {"conv": conv, "tick": tick, "repeat": repeat, "deal": deal, "camp": camp, "orders": orders}
    cols: dict[str, ColumnElement[Any]] = {}
    for sub in sources.values():
        for c in sub.c:
            if c.name == "customer_pk":
                continue
            cols[c.name] = func.coalesce(c, literal(0)) if c.name in ZERO_COLUMNS else c
    cols["conv_preferred_channel"] = _mode_sql(dialect, Conversation, Conversation.channel, conv_at)
    cols["preferred_payment_method"] = _mode_sql(dialect, Order, Order.payment_method, Order.created_at)
    cols["last_activity_at"] = greatest(dialect, conv.c.conv_latest_at, camp.c.campaign_engaged_at,
                                        deal.c.deal_latest_at, tick.c.ticket_latest_at, orders.c.order_latest_at)

    frm = Customer.__table__
    for sub in sources.values():
        frm = frm.outerjoin(sub, sub.c.customer_pk == Customer.pk)
    where = [Customer.org_id == org_id]
    if customer_pks is not None:
        where.append(Customer.pk.in_(customer_pks))
    names = list(ALL_COLUMNS)
    stmt = select(Customer.pk.label("customer_pk"), Customer.org_id.label("org_id"),
                  *(cols[n].label(n) for n in names)).select_from(frm).where(*where)
    return stmt, ["customer_pk", "org_id", *names]
