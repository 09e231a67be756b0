"""Per-customer aggregates over associated records, one row per customer.

Only what cannot go stale is stored: counts, sums and latest/first timestamps. Averages and rates
are divided at query time (so SQL and Python divide the same two numbers), and "days since" is
compared against the stored timestamp at query time, so a row written months ago is still right.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UTCDateTime


class CustomerMetrics(Base):
    __tablename__ = "customer_metrics"
    __table_args__ = (Index("ix_customer_metrics_org", "org_id"),)

    customer_pk: Mapped[int] = mapped_column(ForeignKey("customers.pk", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))

    # Conversations
    conv_count: Mapped[int] = mapped_column(Integer, default=0)
    conv_first_associated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    conv_last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    conv_latest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    conv_sent_sum: Mapped[float] = mapped_column(Float, default=0)
    conv_received_sum: Mapped[float] = mapped_column(Float, default=0)
    conv_replied_sum: Mapped[float] = mapped_column(Float, default=0)
    conv_response_sum: Mapped[float] = mapped_column(Float, default=0)
    conv_response_n: Mapped[int] = mapped_column(Integer, default=0)
    conv_call_sum: Mapped[float] = mapped_column(Float, default=0)
    conv_call_n: Mapped[int] = mapped_column(Integer, default=0)
    conv_csat_sum: Mapped[float] = mapped_column(Float, default=0)
    conv_csat_n: Mapped[int] = mapped_column(Integer, default=0)
    conv_nps_sum: Mapped[float] = mapped_column(Float, default=0)
    conv_nps_n: Mapped[int] = mapped_column(Integer, default=0)
    conv_bot_n: Mapped[int] = mapped_column(Integer, default=0)
    conv_preferred_channel: Mapped[str | None] = mapped_column(String(255))

    # Tickets
    ticket_count: Mapped[int] = mapped_column(Integer, default=0)
    ticket_first_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ticket_last_update_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ticket_latest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ticket_resolved_n: Mapped[int] = mapped_column(Integer, default=0)
    ticket_resolve_seconds_sum: Mapped[float] = mapped_column(Float, default=0)
    ticket_resolve_n: Mapped[int] = mapped_column(Integer, default=0)
    ticket_breach_n: Mapped[int] = mapped_column(Integer, default=0)
    ticket_repeat_issue: Mapped[bool | None] = mapped_column(Boolean)

    # Deals
    deal_count: Mapped[int] = mapped_column(Integer, default=0)
    deal_size_sum: Mapped[float] = mapped_column(Float, default=0)
    deal_won_n: Mapped[int] = mapped_column(Integer, default=0)
    deal_lost_n: Mapped[int] = mapped_column(Integer, default=0)
    deal_conversion_seconds_sum: Mapped[float] = mapped_column(Float, default=0)
    deal_conversion_n: Mapped[int] = mapped_column(Integer, default=0)
    deal_rotten_n: Mapped[int] = mapped_column(Integer, default=0)
    deal_latest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Campaign deliveries
    campaign_count: Mapped[int] = mapped_column(Integer, default=0)
    campaign_delivered_n: Mapped[int] = mapped_column(Integer, default=0)
    campaign_replied_n: Mapped[int] = mapped_column(Integer, default=0)
    campaign_last_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    campaign_engaged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    campaign_revenue_sum: Mapped[float] = mapped_column(Float, default=0)
    ad_impressions_sum: Mapped[float] = mapped_column(Float, default=0)
    ad_clicks_sum: Mapped[float] = mapped_column(Float, default=0)
    ad_converted_n: Mapped[int] = mapped_column(Integer, default=0)
    ad_cost_sum: Mapped[float] = mapped_column(Float, default=0)
    ad_leads_n: Mapped[int] = mapped_column(Integer, default=0)

    # Orders and bookings
    order_count: Mapped[int] = mapped_column(Integer, default=0)
    order_paid_n: Mapped[int] = mapped_column(Integer, default=0)
    booking_count: Mapped[int] = mapped_column(Integer, default=0)
    booking_completed_n: Mapped[int] = mapped_column(Integer, default=0)
    spend_sum: Mapped[float] = mapped_column(Float, default=0)
    spend_n: Mapped[int] = mapped_column(Integer, default=0)
    last_purchase_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    order_latest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    preferred_payment_method: Mapped[str | None] = mapped_column(String(255))

    # Across modules
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
