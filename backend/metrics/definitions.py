"""The aggregate metrics of Use-Case PRD section 13.2.6 A-G, as formulas over the aggregates.

A formula is written once against a tiny interface (`col`, `ratio`, `mean`) with two
implementations: SQL over the customer_metrics table and Python over a dict of aggregates, so
the compiled query and the reference evaluator divide the same numbers the same way.
docs/metrics.md explains each definition in words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Float, case, literal
from sqlalchemy.sql.elements import ColumnElement


class Ops(Protocol):
    def col(self, name: str) -> Any: ...
    def ratio(self, num: Any, den: Any, scale: float = 100.0) -> Any: ...
    def mean(self, total: Any, n: Any, per: float = 1.0) -> Any: ...


class SqlOps:
    def __init__(self, table: Any) -> None:
        self.table = table

    def col(self, name: str) -> ColumnElement[Any]:
        return self.table.c[name]

    def ratio(self, num: Any, den: Any, scale: float = 100.0) -> ColumnElement[Any]:
        return case((den > 0, (literal(scale, Float) * num) / den), else_=None)

    def mean(self, total: Any, n: Any, per: float = 1.0) -> ColumnElement[Any]:
        return case((n > 0, (total / n) / literal(per, Float)), else_=None)


class PyOps:
    def __init__(self, row: Mapping[str, Any]) -> None:
        self.row = row

    def col(self, name: str) -> Any:
        return self.row[name]

    def ratio(self, num: Any, den: Any, scale: float = 100.0) -> float | None:
        return (scale * num) / den if den > 0 else None

    def mean(self, total: Any, n: Any, per: float = 1.0) -> float | None:
        return (total / n) / per if n > 0 else None


Formula = Callable[[Ops], Any]

# Operator sets of the PRD's legend; metrics that can be empty also get is_empty/is_not_empty so
# "over no records ... only is_empty matches them" can be expressed.
NUMBER_FULL = ("eq", "neq", "gt", "lt", "gte", "lte", "between", "is_empty", "is_not_empty")
NUMBER_BASIC = ("eq", "neq", "gt", "lt", "gte", "lte", "between")
PERCENT = ("gt", "lt", "gte", "lte", "between", "eq", "neq", "is_empty", "is_not_empty")
PERCENT_RANGE = ("gt", "lt", "gte", "lte", "between", "is_empty", "is_not_empty")
AVERAGE = ("gt", "lt", "gte", "lte", "between", "is_empty", "is_not_empty")
SCORE = ("gt", "lt", "gte", "lte", "between", "eq", "is_empty", "is_not_empty")
DAYS = ("gt", "lt", "gte", "lte", "between", "is_empty", "is_not_empty")
DROPDOWN = ("is", "is_not", "contains", "not_contains", "is_any_of", "is_none_of", "is_empty", "is_not_empty")
BOOLEAN = ("is", "is_not", "is_empty", "is_not_empty")


@dataclass(frozen=True)
class Metric:
    key: str  # catalog key without the "metric." prefix
    label: str
    category: str
    type: str  # catalog type: number, currency, percentage, ratio, dropdown, boolean
    operators: tuple[str, ...]
    description: str
    formula: Formula | None = None  # over the aggregates; None for the special cases below
    customer_column: str | None = None  # metric that is a customer attribute
    days_since: bool = False  # formula gives an instant; the value is whole days since it
    window_days: int | None = None  # counted over records of the last N days at evaluation time


COMM = "Communication — Chat & Call"
SERVICE = "Service — Tickets"
SALES = "Sales — Deals"
MARKETING = "Marketing — Broadcast & Ads"
COMMERCE = "Commerce & Booking"
LOYALTY = "Loyalty"
RECENCY = "Recency & RFM"


def _c(name: str) -> Formula:
    return lambda o: o.col(name)


METRICS: tuple[Metric, ...] = (
    # A. Communication
    Metric("total_conversations", "Total conversations", COMM, "number", NUMBER_FULL,
           "Number of conversations associated with the customer; 0 when there are none.", _c("conv_count")),
    Metric("conversation_reply_rate", "Reply rate", COMM, "percentage", PERCENT,
           "Messages the customer replied to as a percentage of messages received, summed over all their "
           "conversations (sum of replied / sum of received x 100); empty when nothing was received.",
           lambda o: o.ratio(o.col("conv_replied_sum"), o.col("conv_received_sum"))),
    Metric("messages_sent_by_customer", "Total messages sent by customer", COMM, "number", NUMBER_BASIC,
           "Sum of inbound messages over all the customer's conversations; 0 when there are none.",
           _c("conv_sent_sum")),
    Metric("preferred_channel", "Channel (used / preferred)", COMM, "dropdown", DROPDOWN,
           "The channel of most of the customer's conversations (ties: the most recently active channel, "
           "then alphabetical); empty without conversations.", _c("conv_preferred_channel")),
    Metric("avg_response_minutes", "Avg customer response time (minutes)", COMM, "number", AVERAGE,
           "Mean first-response minutes over conversations that record one; empty when none does.",
           lambda o: o.mean(o.col("conv_response_sum"), o.col("conv_response_n"))),
    Metric("avg_call_duration_seconds", "Avg call duration (seconds)", COMM, "number", AVERAGE,
           "Mean call duration over conversations that record one; empty when none does.",
           lambda o: o.mean(o.col("conv_call_sum"), o.col("conv_call_n"))),
    Metric("avg_csat", "Avg CSAT score", COMM, "number", SCORE,
           "Mean CSAT (1-5) over rated conversations; empty when none is rated.",
           lambda o: o.mean(o.col("conv_csat_sum"), o.col("conv_csat_n"))),
    Metric("avg_nps", "Avg NPS score", COMM, "number", SCORE,
           "Mean NPS (0-10) over scored conversations; empty when none is scored.",
           lambda o: o.mean(o.col("conv_nps_sum"), o.col("conv_nps_n"))),
    Metric("ai_containment_rate", "AI containment rate", COMM, "percentage", PERCENT_RANGE,
           "Conversations resolved by the bot as a percentage of all the customer's conversations; "
           "empty without conversations.", lambda o: o.ratio(o.col("conv_bot_n"), o.col("conv_count"))),
    # B. Service
    Metric("total_tickets_created", "Total tickets created", SERVICE, "number", NUMBER_BASIC,
           "Number of tickets associated with the customer; 0 when there are none.", _c("ticket_count")),
    Metric("ticket_resolution_rate", "Resolution rate", SERVICE, "percentage", PERCENT,
           "Tickets with a resolved time as a percentage of all the customer's tickets; empty without tickets.",
           lambda o: o.ratio(o.col("ticket_resolved_n"), o.col("ticket_count"))),
    Metric("avg_time_to_resolve_hours", "Avg time to resolve (hours)", SERVICE, "number", AVERAGE,
           "Mean hours from created to resolved over resolved tickets (whole seconds); empty when none.",
           lambda o: o.mean(o.col("ticket_resolve_seconds_sum"), o.col("ticket_resolve_n"), 3600.0)),
    Metric("sla_breach_count", "SLA breach count", SERVICE, "number", NUMBER_BASIC,
           "Number of the customer's tickets flagged as SLA breached; 0 when none.", _c("ticket_breach_n")),
    Metric("sla_breach_rate", "SLA breach rate", SERVICE, "percentage", PERCENT_RANGE,
           "SLA-breached tickets as a percentage of all the customer's tickets; empty without tickets.",
           lambda o: o.ratio(o.col("ticket_breach_n"), o.col("ticket_count"))),
    Metric("repeat_issue_flag", "Repeat issue flag", SERVICE, "boolean", BOOLEAN,
           "True when some ticket category occurs on two or more of the customer's tickets, false when no "
           "category repeats; empty when no ticket has a category.", _c("ticket_repeat_issue")),
    # C. Sales
    Metric("total_deals_created", "Total deals created", SALES, "number", NUMBER_BASIC,
           "Number of deals associated with the customer; 0 when there are none.", _c("deal_count")),
    Metric("total_deal_size", "Total deal size", SALES, "currency", NUMBER_FULL,
           "Sum of deal sizes (IDR) over all the customer's deals; 0 when there are none.", _c("deal_size_sum")),
    Metric("won_rate", "Won rate", SALES, "percentage", PERCENT,
           "Won deals as a percentage of all the customer's deals; empty without deals.",
           lambda o: o.ratio(o.col("deal_won_n"), o.col("deal_count"))),
    Metric("lost_rate", "Lost rate", SALES, "percentage", PERCENT,
           "Lost deals as a percentage of all the customer's deals; empty without deals.",
           lambda o: o.ratio(o.col("deal_lost_n"), o.col("deal_count"))),
    Metric("avg_time_to_conversion_days", "Avg time to conversion (days)", SALES, "number", AVERAGE,
           "Mean days from created to closed over won deals with both times (whole seconds / 86400); "
           "empty when there is none.",
           lambda o: o.mean(o.col("deal_conversion_seconds_sum"), o.col("deal_conversion_n"), 86400.0)),
    Metric("rotten_breach_count", "Rotten time breach count", SALES, "number", NUMBER_BASIC,
           "Number of the customer's deals flagged rotten; 0 when none.", _c("deal_rotten_n")),
    Metric("rotten_breach_rate", "Rotten time breach rate", SALES, "percentage", PERCENT_RANGE,
           "Rotten deals as a percentage of all the customer's deals; empty without deals.",
           lambda o: o.ratio(o.col("deal_rotten_n"), o.col("deal_count"))),
    # D. Marketing
    Metric("total_campaigns_received", "Total campaigns received", MARKETING, "number", NUMBER_BASIC,
           "Number of campaign deliveries to the customer (any status); 0 when none.", _c("campaign_count")),
    Metric("campaign_delivery_rate", "Delivery rate", MARKETING, "percentage", PERCENT_RANGE,
           "Deliveries with status delivered, read or replied as a percentage of all deliveries; empty "
           "without deliveries.", lambda o: o.ratio(o.col("campaign_delivered_n"), o.col("campaign_count"))),
    Metric("campaign_reply_rate", "Reply rate", MARKETING, "percentage", PERCENT,
           "Deliveries the customer replied to (a reply time or status replied) as a percentage of all "
           "deliveries; empty without deliveries.",
           lambda o: o.ratio(o.col("campaign_replied_n"), o.col("campaign_count"))),
    Metric("marketing_opt_in_status", "Marketing opt-in status", MARKETING, "boolean", BOOLEAN,
           "The customer's marketing consent: true opted in, false opted out, empty not given.",
           customer_column="marketing_opt_in"),
    Metric("campaign_attributed_revenue", "Campaign-attributed revenue", MARKETING, "currency", NUMBER_BASIC,
           "Sum of revenue attributed to the customer's campaign deliveries (IDR); 0 when none.",
           _c("campaign_revenue_sum")),
    Metric("ad_impressions", "Ad impressions", MARKETING, "number", NUMBER_BASIC,
           "Sum of ad impressions over the customer's deliveries; 0 when none.", _c("ad_impressions_sum")),
    Metric("ad_clicks", "Ad clicks", MARKETING, "number", NUMBER_BASIC,
           "Sum of ad clicks over the customer's deliveries; 0 when none.", _c("ad_clicks_sum")),
    Metric("ads_conversion_rate", "Ads conversion rate", MARKETING, "percentage", PERCENT,
           "Converted ad deliveries as a percentage of the sum of ad clicks; empty when there were no clicks.",
           lambda o: o.ratio(o.col("ad_converted_n"), o.col("ad_clicks_sum"))),
    Metric("cost_per_lead", "Cost per lead (CPL)", MARKETING, "currency", PERCENT_RANGE,
           "Sum of ad cost divided by the number of deliveries with at least one ad click (a lead); empty "
           "without leads.", lambda o: o.ratio(o.col("ad_cost_sum"), o.col("ad_leads_n"), 1.0)),
    Metric("cost_per_acquisition", "Cost per acquisition (CPA)", MARKETING, "currency", PERCENT_RANGE,
           "Sum of ad cost divided by the number of converted ad deliveries; empty without conversions.",
           lambda o: o.ratio(o.col("ad_cost_sum"), o.col("ad_converted_n"), 1.0)),
    Metric("roas", "ROAS", MARKETING, "ratio", PERCENT_RANGE,
           "Attributed revenue divided by ad cost, summed over deliveries (x); empty without ad cost.",
           lambda o: o.ratio(o.col("campaign_revenue_sum"), o.col("ad_cost_sum"), 1.0)),
    # E. Commerce & booking
    Metric("total_bookings", "Total bookings", COMMERCE, "number", NUMBER_BASIC,
           "Number of the customer's bookings (any status); 0 when none.", _c("booking_count")),
    Metric("booking_completed_rate", "Booking completed rate", COMMERCE, "percentage", PERCENT_RANGE,
           "Completed bookings as a percentage of all bookings; empty without bookings.",
           lambda o: o.ratio(o.col("booking_completed_n"), o.col("booking_count"))),
    Metric("total_spend", "Total spend (LTV)", COMMERCE, "currency", NUMBER_FULL,
           "Sum of amounts of completed orders and bookings (IDR); 0 when none.", _c("spend_sum")),
    Metric("avg_order_value", "Avg order value (AOV)", COMMERCE, "currency", NUMBER_FULL,
           "Total spend divided by the number of completed orders and bookings; empty when there is none.",
           lambda o: o.mean(o.col("spend_sum"), o.col("spend_n"))),
    Metric("preferred_payment_method", "Preferred payment method", COMMERCE, "dropdown", DROPDOWN,
           "The payment method of most of the customer's orders and bookings (ties: most recent, then "
           "alphabetical); empty without any.", _c("preferred_payment_method")),
    Metric("purchase_frequency_90d", "Purchase frequency (orders / 90 days)", COMMERCE, "number", NUMBER_BASIC,
           "Completed orders (kind order) created from today - 90 through today, calendar days in the "
           "organisation's timezone, counted at evaluation time; 0 when none.", window_days=90),
    Metric("paid_rate", "Paid rate", COMMERCE, "percentage", PERCENT_RANGE,
           "Paid orders and bookings as a percentage of all of them; empty without any.",
           lambda o: o.ratio(o.col("order_paid_n"), o.col("order_count"))),
    # F. Loyalty
    Metric("is_loyalty_member", "Is loyalty member", LOYALTY, "boolean", BOOLEAN,
           "The customer's loyalty membership flag as ingested.", customer_column="loyalty_is_member"),
    Metric("total_available_points", "Total available points", LOYALTY, "number", NUMBER_FULL,
           "The customer's available loyalty balance as ingested; empty when unknown.",
           customer_column="loyalty_available_balance"),
    Metric("current_tier", "Current tier", LOYALTY, "dropdown", DROPDOWN,
           "The customer's loyalty tier as ingested.", customer_column="loyalty_current_tier"),
    # G. Recency
    Metric("days_since_last_conversation", "Days since last conversation", RECENCY, "number", DAYS,
           "Calendar days (organisation timezone) from the latest conversation activity (last activity, "
           "else association time) to today; empty without conversations.", _c("conv_latest_at"),
           days_since=True),
    Metric("days_since_last_order", "Days since last order / purchase", RECENCY, "number", DAYS,
           "Calendar days from the latest completed order (kind order) to today; empty without one.",
           _c("last_purchase_at"), days_since=True),
    Metric("days_since_last_campaign_engagement", "Days since last campaign engagement", RECENCY, "number", DAYS,
           "Calendar days from the latest campaign open or reply to today; empty when the customer never "
           "opened or replied.", _c("campaign_engaged_at"), days_since=True),
    Metric("days_since_last_activity", "Days since last activity (any module)", RECENCY, "number", DAYS,
           "Calendar days from the latest of: conversation activity, campaign open/reply, deal created/closed, "
           "ticket created/updated/resolved, order created; empty without any.", _c("last_activity_at"),
           days_since=True),
    Metric("customer_tenure_days", "Customer tenure (days since created)", RECENCY, "number",
           ("gt", "lt", "between", "is_empty", "is_not_empty"),
           "Calendar days from the customer's created time to today; empty when it is unknown.",
           customer_column="created_at", days_since=True),
)

METRICS_BY_KEY = {m.key: m for m in METRICS}
