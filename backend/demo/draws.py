"""The shared source of randomness of the demo generator: one `random.Random(seed)` consumed in a
fixed order, the weighted pickers over the vocabulary (built once, in a fixed order), and the draws
of counts and times every row generator uses. Timestamps are offsets back from one anchor."""

from __future__ import annotations

import math
import random
from bisect import bisect
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Generic, TypeVar

from backend.demo import vocab
from backend.demo.rows import Profile, anchor_for

T = TypeVar("T")
MAX_PER_CUSTOMER = 250


class Weighted(Generic[T]):
    """Picks from weighted values with one uniform draw (bisect over cumulative weights)."""

    __slots__ = ("values", "cum", "total")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        pairs = list(pairs)
        self.values: list[T] = [v for v, _ in pairs]
        self.cum = list(accumulate(w for _, w in pairs))
        self.total = self.cum[-1]

    def pick(self, u: float) -> T:
        return self.values[bisect(self.cum, u * self.total)]


class Draws:
    """State shared by the company, customer and record generators (see the module docstring)."""

    def __init__(self, *, seed: int, today: date, timezone: str, users: Sequence[tuple[str, int, int]],
                 field_ids: dict[str, int]) -> None:
        """users: (username, user id, weight as owner/assignee); field_ids: custom field key -> id."""
        self.rng = random.Random(seed)
        self.today = today
        self.anchor = anchor_for(today, timezone)
        self.field_ids = field_ids
        self.user_ids = {name: uid for name, uid, _ in users}
        self.users = Weighted((name, w) for name, _, w in users)
        self.agents = Weighted((name, w) for name, _, w in users if w >= 3)
        v = vocab
        self.w_source = Weighted(v.SOURCES)
        self.w_status = Weighted(v.STATUSES)
        self.w_sex = Weighted(v.SEXES)
        self.w_job = Weighted(v.JOB_TITLES)
        self.w_province = Weighted((p, w) for p, _, w, _ in v.PROVINCES)
        self.w_city = {p: Weighted(cities) for p, cities, _, _ in v.PROVINCES}
        self.coords = {p: c for p, _, _, c in v.PROVINCES}
        self.w_domain = Weighted(v.EMAIL_DOMAINS)
        self.w_industry = Weighted(v.INDUSTRIES)
        self.w_marketing_account = Weighted(v.MARKETING_ACCOUNTS)
        self.w_tier = Weighted(v.LOYALTY_TIERS)
        self.w_reward = Weighted(v.REWARDS)
        self.w_channel = Weighted(v.CONVERSATION_CHANNELS)
        self.w_tag = Weighted(v.CONVERSATION_TAGS)
        self.w_campaign = Weighted(zip(range(len(v.CAMPAIGNS)), v.CAMPAIGN_WEIGHTS, strict=True))
        self.w_delivery_status = Weighted(v.DELIVERY_STATUSES)
        self.w_deal_pipeline = Weighted(v.DEAL_PIPELINE_WEIGHTS)
        self.w_deal_stage = {p: Weighted(stages) for p, (stages, _) in v.DEAL_PIPELINES.items()}
        self.w_approval = Weighted(v.DEAL_APPROVALS)
        self.w_priority = Weighted(v.PRIORITIES)
        self.w_ticket_pipeline = Weighted(v.TICKET_PIPELINE_WEIGHTS)
        self.w_ticket_stage = {p: Weighted(s) for p, s in v.TICKET_PIPELINES.items()}
        self.w_ticket_priority = Weighted(v.TICKET_PRIORITIES)
        self.w_category = Weighted(v.TICKET_CATEGORIES)
        self.w_payment = Weighted(v.PAYMENT_METHODS)
        self.w_order_status = Weighted(v.ORDER_STATUSES)
        self.w_booking_status = Weighted(v.BOOKING_STATUSES)
        self.w_csat = Weighted(((5, 40), (4, 32), (3, 14), (2, 8), (1, 6)))
        self.w_nps = Weighted(((10, 18), (9, 20), (8, 18), (7, 14), (6, 9), (5, 7), (4, 4), (3, 3), (2, 3),
                               (1, 2), (0, 2)))

    def at(self, seconds_ago: float) -> datetime:
        return self.anchor - timedelta(seconds=int(seconds_ago))

    def count(self, mean: float, p_none: float, activity: float) -> int:
        rnd = self.rng.random
        if rnd() < p_none:
            return 0
        # 1 + floor(Exp(lam)) has mean ~ lam + 0.5; scaled by activity, whose mean is 1.
        lam = (mean / (1 - p_none) - 0.5) * activity
        return min(MAX_PER_CUSTOMER, 1 + int(-math.log(1.0 - rnd()) * lam))

    def recent(self, window: int, skew: float) -> int:
        """Seconds ago within window, skewed towards now (skew > 1 means more recent)."""
        return int(window * self.rng.random() ** skew)

    def active(self, p: Profile, skew: float) -> int:
        """Seconds ago within the customer's active period, skewed towards its end."""
        return p.end + int((p.start - p.end) * self.rng.random() ** skew)
