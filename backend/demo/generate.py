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

import math
import random
from bisect import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from backend.demo import vocab

T = TypeVar("T")

DAY = 86_400
HOUR = 3_600
# Customers reach back this far; associated records lie between a customer's creation and the anchor.
HISTORY_DAYS = 1_100
ANCHOR_LOCAL_TIME = time(7, 0)

COMPANY_COLUMNS = ("ext_id", "name", "industry", "employees", "revenue")
CUSTOMER_COLUMNS = (
    "ext_id", "full_name", "phone", "email", "usernames", "date_of_birth", "sex", "job_title", "province",
    "city", "owner", "assignee", "owner_user_id", "assignee_user_id", "source", "status", "created_at",
    "updated_at", "created_by", "updated_by", "bsuid", "has_chatroom", "marketing_opt_in",
    "marketing_opt_in_account", "marketing_opt_in_at", "loyalty_is_member", "loyalty_member_created_at",
    "loyalty_member_updated_at", "loyalty_current_tier", "loyalty_available_balance",
    "loyalty_pending_balance", "loyalty_lifetime_earned", "loyalty_reward_name", "loyalty_reward_status",
    "loyalty_reward_expired_at", "company_pk", "custom",
)
USERNAME_COLUMNS = ("customer_pk", "value")
CUSTOM_VALUE_COLUMNS = ("customer_pk", "field_id", "value_text", "value_number", "value_date", "value_bool")
CONVERSATION_COLUMNS = (
    "ext_id", "customer_pk", "status", "assignee", "channel", "account_name", "tags", "associated_at",
    "last_activity_at", "messages_sent_by_customer", "messages_received", "messages_replied",
    "first_response_minutes", "call_duration_seconds", "csat", "nps", "resolved_by_bot",
)
DELIVERY_COLUMNS = (
    "ext_id", "customer_pk", "campaign_name", "channel", "status", "sent_at", "opened_at", "replied_at",
    "attributed_revenue", "ad_impressions", "ad_clicks", "ad_converted", "ad_cost",
)
DEAL_COLUMNS = (
    "ext_id", "customer_pk", "pipeline", "stage", "approval_status", "size", "owner", "priority", "created_at",
    "closed_at", "outcome", "rotten",
)
TICKET_COLUMNS = (
    "ext_id", "customer_pk", "pipeline", "stage", "owner", "reporter", "assignee", "priority", "sla_status",
    "created_at", "updated_at", "due_at", "resolved_at", "sla_breached", "category",
)
ORDER_COLUMNS = ("ext_id", "customer_pk", "kind", "amount", "payment_method", "status", "paid", "created_at")

# Average records per customer over all customers (the brief's ratios), and the share with none.
MEAN_CONVERSATIONS, NONE_CONVERSATIONS = 10.0, 0.12
# Campaign draws skip campaigns sent before the customer existed and repeats, so ~9.5 draws give
# the ~5 deliveries per customer the brief asks for.
MEAN_DELIVERIES, NONE_DELIVERIES = 9.5, 0.15
MEAN_DEALS, NONE_DEALS = 2.0, 0.45
MEAN_TICKETS, NONE_TICKETS = 2.0, 0.45
MEAN_ORDERS, NONE_ORDERS = 3.0, 0.30
MAX_PER_CUSTOMER = 250
# Customers whose activity (conversations, deals, tickets, orders) stopped a while ago, so recency
# segments ("no conversation for 90 days", win-back) have members; campaigns still reach them.
LAPSED_SHARE = 0.3


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


def customer_ext_id(n: int, total: int) -> str:
    """C000001…: zero-padded so code-point order is numeric order."""
    return f"C{n:0{max(6, len(str(total)))}d}"


def anchor_for(today: date, timezone: str) -> datetime:
    """The naive-UTC instant every generated timestamp is measured back from."""
    local = datetime.combine(today, ANCHOR_LOCAL_TIME, tzinfo=ZoneInfo(timezone))
    return local.astimezone(UTC).replace(tzinfo=None)


@dataclass(slots=True)
class Profile:
    """What the association generators need to know about a customer."""

    pk: int
    start: int  # seconds before the anchor the customer's history begins
    end: int  # seconds before the anchor it stops (0 = still active; lapsed customers stopped earlier)
    activity: float
    responsiveness: float
    source: str | None
    owner: str | None
    b2b: bool


@dataclass
class CustomerBatch:
    rows: list[tuple]
    usernames: list[tuple[int, str]]  # (index in rows, value)
    custom_values: list[tuple]  # (index in rows, field_id, text, number, date, bool)
    profiles: list[Profile]  # pk filled in by the writer once the rows have ids


@dataclass
class ConversationBatch:
    rows: list[tuple]
    tags: list[tuple[str, str]]  # (conversation ext_id, tag)


class DemoGenerator:
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
        self.n_conversations = self.n_deliveries = self.n_deals = self.n_tickets = self.n_orders = 0
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
        self._company_count = 0

    # -- helpers -------------------------------------------------------------------------------------

    def at(self, seconds_ago: float) -> datetime:
        return self.anchor - timedelta(seconds=int(seconds_ago))

    def _count(self, mean: float, p_none: float, activity: float) -> int:
        rnd = self.rng.random
        if rnd() < p_none:
            return 0
        # 1 + floor(Exp(lam)) has mean ~ lam + 0.5; scaled by activity, whose mean is 1.
        lam = (mean / (1 - p_none) - 0.5) * activity
        return min(MAX_PER_CUSTOMER, 1 + int(-math.log(1.0 - rnd()) * lam))

    def _recent(self, window: int, skew: float) -> int:
        """Seconds ago within window, skewed towards now (skew > 1 means more recent)."""
        return int(window * self.rng.random() ** skew)

    def _active(self, p: Profile, skew: float) -> int:
        """Seconds ago within the customer's active period, skewed towards its end."""
        return p.end + int((p.start - p.end) * self.rng.random() ** skew)

    # -- companies -----------------------------------------------------------------------------------

    def companies(self, count: int) -> list[tuple]:
        rng = self.rng
        rnd = rng.random
        rows = []
        seen: set[str] = set()
        for n in range(1, count + 1):
            while True:
                name = (f"{rng.choice(vocab.COMPANY_PREFIXES)} {rng.choice(vocab.COMPANY_WORDS)} "
                        f"{rng.choice(vocab.COMPANY_WORDS)}")
                if name not in seen:
                    break
                name = f"{name} {rng.choice(vocab.LAST)}"
                if name not in seen:
                    break
            seen.add(name)
            employees = int(math.exp(rng.gauss(3.4, 1.4))) + 1
            revenue = round(employees * rng.uniform(150, 900) * 1_000_000, -6)
            rows.append((
                f"CO{n:06d}",
                name if rnd() > 0.01 else None,
                self.w_industry.pick(rnd()),
                employees if rnd() > 0.12 else None,
                revenue if rnd() > 0.25 else None,
            ))
        self._company_count = count
        return rows

    # -- customers -----------------------------------------------------------------------------------

    def customers(self, first: int, count: int, total: int, company_pks: Sequence[int]) -> CustomerBatch:
        """Customers number first..first+count-1 (1-based) of total."""
        rng = self.rng
        rnd = rng.random
        at = self.at
        anchor = self.anchor
        today = self.today
        rows: list[tuple] = []
        usernames: list[tuple[int, str]] = []
        custom_values: list[tuple] = []
        profiles: list[Profile] = []
        n_companies = len(company_pks)
        for i in range(count):
            n = first + i
            sex = self.w_sex.pick(rnd())
            name_sex = sex or ("female" if rnd() < 0.5 else "male")
            first_name = rng.choice(vocab.FEMALE_FIRST if name_sex == "female" else vocab.MALE_FIRST)
            last_name = rng.choice(vocab.LAST) if rnd() < 0.82 else None
            full_name = f"{first_name} {last_name}" if last_name else first_name
            source = self.w_source.pick(rnd())
            if rnd() < 0.015:
                full_name = None

            phone_null = 0.35 if source in ("Email", "Website") else 0.06
            phone = None if rnd() < phone_null else (
                f"+62{rng.choice(vocab.MOBILE_PREFIXES)}{rng.randrange(10**6, 10**8)}")
            email_null = 0.03 if source == "Email" else (0.52 if source == "WhatsApp" else 0.33)
            email = None
            if rnd() >= email_null:
                local = first_name.lower()
                if last_name:
                    local += rng.choice((".", "", "_")) + last_name.lower()
                if rnd() < 0.55:
                    local += str(rng.randrange(1, 100))
                email = f"{local}@{self.w_domain.pick(rnd())}"

            handles = None
            social = source in ("Instagram", "TikTok", "Facebook")
            if rnd() < (0.9 if social else 0.35):
                base = first_name.lower() + ("." + last_name.lower() if last_name else "")
                handles = [base + str(rng.randrange(1, 1000))] if rnd() < 0.6 else [base]
                if rnd() < 0.3:
                    handles.append(f"{first_name.lower()}_{rng.randrange(10, 100)}")
                for h in handles:
                    usernames.append((i, h))

            dob = None
            if rnd() >= 0.38:
                age = 17 + int(53 * rng.betavariate(2.0, 4.0))
                dob = today - timedelta(days=age * 365 + rng.randrange(365))

            company_pk = None
            if n_companies and rnd() < 0.45:
                company_pk = company_pks[int(n_companies * rnd() ** 2.2)]
            b2b_role = company_pk is not None and rnd() < 0.4
            job = rng.choice(vocab.JOB_ROLES_B2B) if b2b_role else self.w_job.pick(rnd())

            province = city = None
            if rnd() >= 0.14:
                province = self.w_province.pick(rnd())
                if rnd() >= 0.04:
                    city = self.w_city[province].pick(rnd())

            owner = self.users.pick(rnd()) if rnd() >= 0.18 else None
            if rnd() < 0.28:
                assignee = None
            elif owner is not None and rnd() < 0.6:
                assignee = owner
            else:
                assignee = self.agents.pick(rnd())

            created_ago = self._recent(HISTORY_DAYS * DAY, 1.6)
            created_at = at(created_ago) if rnd() >= 0.01 else None
            updated_ago = int(created_ago * rnd() ** 0.5)
            updated_at = at(updated_ago) if rnd() >= 0.03 else None
            created_by = self._actor()
            updated_by = self._actor() if rnd() >= 0.04 else None

            whatsapp = source == "WhatsApp"
            bsuid = None
            if phone is not None and rnd() < (0.65 if whatsapp else 0.2):
                bsuid = f"ID.{rng.randrange(10**18, 10**19)}"
            has_chatroom = None if rnd() < 0.04 else rnd() < (0.88 if whatsapp and phone else 0.3)

            opt_u = rnd()
            opt_in = True if opt_u < 0.42 else (False if opt_u < 0.56 else None)
            opt_account = opt_at = None
            if opt_in is not None:
                opt_account = self.w_marketing_account.pick(rnd())
                if rnd() >= 0.03:
                    opt_at = at(int(created_ago * rnd()))

            member_u = rnd()
            is_member = True if member_u < 0.28 else (False if member_u < 0.58 else None)
            loyalty: tuple = (None,) * 9
            if is_member:
                m_created_ago = int(min(created_ago, 900 * DAY) * rnd())
                tier = self.w_tier.pick(rnd())
                scale = {"Bronze": 1, "Silver": 3, "Gold": 8, "Platinum": 20}[tier]
                lifetime = float(int(math.exp(rng.gauss(6.2, 0.9)) * scale))
                available = float(int(lifetime * rnd()))
                pending = float(int(rng.expovariate(1 / 150))) if rnd() >= 0.25 else None
                reward = reward_status = reward_expired = None
                if rnd() < 0.55:
                    reward = self.w_reward.pick(rnd())
                    s = rnd()
                    if s < 0.5:
                        reward_status = "Active"
                        reward_expired = anchor + timedelta(days=rng.randrange(1, 120), hours=rng.randrange(24))
                    elif s < 0.8:
                        reward_status = "Redeemed"
                        reward_expired = at(self._recent(300 * DAY, 1.0)) if rnd() < 0.5 else \
                            anchor + timedelta(days=rng.randrange(1, 90))
                    else:
                        reward_status = "Expired"
                        reward_expired = at(self._recent(365 * DAY, 1.3) + DAY)
                    if rnd() < 0.05:
                        reward_expired = None
                loyalty = (
                    at(m_created_ago),
                    at(int(m_created_ago * rnd())) if rnd() >= 0.05 else None,
                    tier, available, pending, lifetime, reward, reward_status, reward_expired,
                )

            custom = self._custom(i, province, full_name, custom_values)

            rows.append((
                customer_ext_id(n, total), full_name, phone, email, handles, dob, sex, job, province, city,
                owner, assignee, self.user_ids.get(owner), self.user_ids.get(assignee), source,
                self.w_status.pick(rnd()), created_at, updated_at, created_by, updated_by, bsuid, has_chatroom,
                opt_in, opt_account, opt_at, is_member, *loyalty, company_pk, custom,
            ))
            activity = math.exp(rng.gauss(0.0, 0.9) - 0.405)
            start = min(created_ago, 730 * DAY) + HOUR
            end = 0
            if rnd() < LAPSED_SHARE and start > 60 * DAY:
                end = int(rng.uniform(30 * DAY, start * 0.85))
            profiles.append(Profile(
                pk=0, start=start, end=end, activity=activity,
                responsiveness=rng.betavariate(2.0, 2.5), source=source, owner=owner,
                b2b=company_pk is not None,
            ))
        return CustomerBatch(rows, usernames, custom_values, profiles)

    def _actor(self) -> str | None:
        u = self.rng.random()
        if u < 0.06:
            return None
        if u < 0.26:
            return vocab.CREATED_BY_SYSTEM[0] if u < 0.18 else vocab.CREATED_BY_SYSTEM[1]
        return self.users.pick(self.rng.random())

    def _custom(self, i: int, province: str | None, full_name: str | None,
                out: list[tuple]) -> dict[str, Any] | None:
        """The raw `custom` object of one customer; appends its CustomValue rows to out."""
        rng = self.rng
        rnd = rng.random
        ids = self.field_ids
        custom: dict[str, Any] = {}

        def text(key: str, value: str) -> None:
            custom[key] = value
            out.append((i, ids[key], value, None, None, None))

        if rnd() < 0.35:
            text("favourite_product", rng.choice(vocab.PRODUCTS))
        if rnd() < 0.25:
            text("member_code", f"DM-{rng.randrange(100000, 1000000)}")
        if rnd() < 0.12:
            text("notes", "\n".join(rng.sample(vocab.NOTE_SENTENCES, rng.randint(1, 3))))
        if rnd() < 0.45:
            opts = vocab.CUSTOM_FIELDS[3][3]
            text("preferred_language", opts[0] if rnd() < 0.7 else rng.choice(opts))
        if rnd() < 0.3:
            text("preferred_contact_time", rng.choice(vocab.CUSTOM_FIELDS[4][3]))
        if rnd() < 0.4:
            chosen = rng.sample(vocab.CUSTOM_FIELDS[5][3], rng.randint(1, 4))
            custom["interests"] = chosen
            for option in chosen:
                out.append((i, ids["interests"], option, None, None, None))
        if rnd() < 0.3:
            size = 1 + min(7, int(rng.expovariate(1 / 2.4)))
            custom["household_size"] = size
            out.append((i, ids["household_size"], None, float(size), None, None))
        if rnd() < 0.22:
            budget = int(math.exp(rng.gauss(14.6, 0.8)) // 50_000 * 50_000) + 50_000
            custom["monthly_budget"] = budget
            out.append((i, ids["monthly_budget"], None, float(budget), None, None))
        if rnd() < 0.28:
            day = self.today - timedelta(days=self._recent(400, 1.5))
            custom["last_store_visit"] = day.isoformat()
            out.append((i, ids["last_store_visit"], None, None, day, None))
        if rnd() < 0.1:
            day = self.today + timedelta(days=rng.randrange(-180, 365))
            custom["contract_renewal"] = day.isoformat()
            out.append((i, ids["contract_renewal"], None, None, day, None))
        if rnd() < 0.08:
            slug = (full_name or "toko").lower().replace(" ", "")
            text("website", f"https://www.{slug}.co.id" if rnd() < 0.5 else f"https://instagram.com/{slug}")
        if rnd() < 0.15:
            url = f"https://files.demo-organisation.co.id/ktp/{rng.getrandbits(48):012x}.jpg"
            custom["id_card_scan"] = url
            out.append((i, ids["id_card_scan"], url, None, None, None))
        if rnd() < 0.12:
            urls = [f"https://files.demo-organisation.co.id/receipts/{rng.getrandbits(48):012x}.pdf"
                    for _ in range(rng.randint(1, 3))]
            custom["purchase_receipts"] = urls
            for url in urls:
                out.append((i, ids["purchase_receipts"], url, None, None, None))
        if rnd() < 0.2:
            url = f"https://files.demo-organisation.co.id/signatures/{rng.getrandbits(48):012x}.png"
            complete = rnd() < 0.75
            custom["consent_signature"] = {"url": url, "complete": complete}
            out.append((i, ids["consent_signature"], url, None, None, complete))
        if rnd() < 0.18:
            lat, lng = self.coords.get(province or "DKI Jakarta", self.coords["DKI Jakarta"])
            text("store_location", f"{lat + rng.uniform(-0.08, 0.08):.6f},{lng + rng.uniform(-0.08, 0.08):.6f}")
        return custom or None

    # -- associated records --------------------------------------------------------------------------

    def conversations(self, profiles: Sequence[Profile]) -> ConversationBatch:
        rng = self.rng
        rnd = rng.random
        at = self.at
        expo = rng.expovariate
        rows: list[tuple] = []
        tags: list[tuple[str, str]] = []
        n = self.n_conversations
        for p in profiles:
            for _ in range(self._count(MEAN_CONVERSATIONS, NONE_CONVERSATIONS, p.activity)):
                n += 1
                ext_id = f"CV{n:08d}"
                if p.source == "Instagram" and rnd() < 0.45:
                    channel: str | None = "Instagram"
                else:
                    channel = self.w_channel.pick(rnd())
                accounts = vocab.CHANNEL_ACCOUNTS[channel]
                account = accounts[int(rnd() * len(accounts))] if rnd() >= 0.02 else None
                if rnd() < 0.01:
                    channel = None
                s = rnd()
                status = ("Resolved" if s < 0.6 else "Open" if s < 0.75 else "Pending" if s < 0.87
                          else "Unassigned" if s < 0.99 else None)
                if status == "Unassigned" or rnd() < 0.03:
                    assignee = None
                elif p.owner is not None and rnd() < 0.5:
                    assignee = p.owner
                else:
                    assignee = self.agents.pick(rnd())
                conv_tags = None
                if rnd() >= 0.4:
                    conv_tags = [self.w_tag.pick(rnd())]
                    if rnd() < 0.35:
                        extra = self.w_tag.pick(rnd())
                        if extra not in conv_tags:
                            conv_tags.append(extra)
                    for t in conv_tags:
                        tags.append((ext_id, t))
                started = self._active(p, 1.5)
                associated = at(started) if rnd() >= 0.01 else None
                last_activity = at(max(0, started - int(expo(1 / (6 * HOUR))))) if rnd() >= 0.01 else None
                if rnd() < 0.015:
                    sent = received = replied = None
                else:
                    received = 1 + int(expo(1 / 6.0))
                    replied = min(received, int(received * p.responsiveness * 1.3 * rnd() ** 0.3))
                    sent = replied + int(expo(1 / 2.0))
                first_response = None
                if status != "Unassigned" and rnd() >= 0.1:
                    first_response = round(math.exp(rng.gauss(1.4, 1.2)), 1)
                call = None
                if channel == "Phone Call" or (channel == "WhatsApp" and rnd() < 0.04):
                    call = float(int(math.exp(rng.gauss(5.2, 0.9))))
                resolved = status == "Resolved"
                csat = self.w_csat.pick(rnd()) if resolved and rnd() < 0.3 else None
                nps = self.w_nps.pick(rnd()) if rnd() < 0.12 else None
                by_bot = (rnd() < 0.28 if resolved else False) if rnd() >= 0.03 else None
                rows.append((ext_id, p.pk, status, assignee, channel, account, conv_tags, associated,
                             last_activity, sent, received, replied, first_response, call, csat, nps, by_bot))
        self.n_conversations = n
        return ConversationBatch(rows, tags)

    def deliveries(self, profiles: Sequence[Profile]) -> list[tuple]:
        rng = self.rng
        rnd = rng.random
        anchor = self.anchor
        expo = rng.expovariate
        campaigns = vocab.CAMPAIGNS
        rows: list[tuple] = []
        n = self.n_deliveries
        for p in profiles:
            k = min(len(campaigns), self._count(MEAN_DELIVERIES, NONE_DELIVERIES, p.activity))
            # Distinct campaigns sent after the customer appeared; a bounded number of draws keeps
            # the skew (popular campaigns reach more people) without looping on rare ones.
            chosen: set[int] = set()
            for _ in range(6 * k):
                if len(chosen) == k:
                    break
                idx = self.w_campaign.pick(rnd())
                if campaigns[idx][2] * DAY < p.start:
                    chosen.add(idx)
            for idx in sorted(chosen):
                n += 1
                name, channel, days_ago, ads = campaigns[idx]
                sent_at = anchor - timedelta(days=days_ago, seconds=int(rnd() * 6 * HOUR))
                status: str | None = self.w_delivery_status.pick(rnd())
                if status in ("sent", "delivered") and rnd() < 0.01:
                    status = None  # delivery receipts that never arrived
                opened = replied = None
                if status in ("read", "replied"):
                    opened = min(anchor, sent_at + timedelta(seconds=int(expo(1 / (2 * HOUR)))))
                    if status == "replied":
                        replied = min(anchor, opened + timedelta(seconds=int(expo(1 / HOUR))))
                revenue = None
                if (status == "replied" and rnd() < 0.35) or (status == "read" and rnd() < 0.08):
                    revenue = float(int(math.exp(rng.gauss(12.3, 0.9)) // 1000 * 1000) + 1000)
                impressions = clicks = converted = cost = None
                if ads and status != "failed":
                    impressions = 1 + int(expo(1 / 6.0))
                    clicks = min(impressions, int(expo(1 / 1.2)))
                    converted = clicks > 0 and rnd() < 0.25
                    cost = float(impressions * rng.randrange(80, 260))
                rows.append((
                    f"CD{n:08d}", p.pk, name if rnd() >= 0.01 else None, channel if rnd() >= 0.01 else None,
                    status, sent_at if rnd() >= 0.01 else None, opened, replied, revenue, impressions, clicks,
                    converted, cost,
                ))
        self.n_deliveries = n
        return rows

    def deals(self, profiles: Sequence[Profile]) -> list[tuple]:
        rng = self.rng
        rnd = rng.random
        at = self.at
        rows: list[tuple] = []
        n = self.n_deals
        medians = {"Sales B2C": 15.0, "Sales B2B": 17.6, "Renewal": 16.3}  # log of IDR
        for p in profiles:
            for _ in range(self._count(MEAN_DEALS, NONE_DEALS, p.activity)):
                n += 1
                pipeline = "Sales B2B" if p.b2b and rnd() < 0.5 else self.w_deal_pipeline.pick(rnd())
                stage = self.w_deal_stage[pipeline].pick(rnd())
                outcome = vocab.DEAL_PIPELINES[pipeline][1].get(stage, "open")
                created_ago = self._active(p, 1.3)
                closed = None
                if outcome != "open":
                    closed = at(max(0, created_ago - int(rng.expovariate(1 / (20 * DAY)))))
                size = float(int(math.exp(rng.gauss(medians[pipeline], 0.8)) // 10_000 * 10_000) + 10_000)
                rotten = (outcome == "open" and created_ago > 30 * DAY and rnd() < 0.6) if rnd() >= 0.02 else None
                rows.append((
                    f"DL{n:08d}", p.pk, pipeline if rnd() >= 0.01 else None, stage if rnd() >= 0.01 else None,
                    self.w_approval.pick(rnd()), size if rnd() >= 0.04 else None,
                    (p.owner if p.owner and rnd() < 0.6 else self.users.pick(rnd())) if rnd() >= 0.05 else None,
                    self.w_priority.pick(rnd()), at(created_ago) if rnd() >= 0.01 else None, closed,
                    outcome if rnd() >= 0.01 else None, rotten,
                ))
        self.n_deals = n
        return rows

    def tickets(self, profiles: Sequence[Profile]) -> list[tuple]:
        rng = self.rng
        rnd = rng.random
        at = self.at
        rows: list[tuple] = []
        n = self.n_tickets
        for p in profiles:
            for _ in range(self._count(MEAN_TICKETS, NONE_TICKETS, p.activity)):
                n += 1
                pipeline = self.w_ticket_pipeline.pick(rnd())
                stage = self.w_ticket_stage[pipeline].pick(rnd())
                priority = self.w_ticket_priority.pick(rnd())
                sla = vocab.TICKET_SLA_HOURS[priority] * HOUR
                created_ago = self._active(p, 1.4)
                due_ago = created_ago - sla
                resolved_ago = None
                if stage in vocab.TICKET_DONE_STAGES:
                    resolved_ago = max(0, created_ago - int(math.exp(rng.gauss(math.log(sla * 0.45), 0.9))))
                    breached = resolved_ago < due_ago
                    sla_status = "Breached" if breached else "Met"
                    updated_ago = max(0, resolved_ago - int(rnd() * 2 * HOUR))
                else:
                    breached = due_ago > 0
                    sla_status = "Breached" if breached else ("At Risk" if -due_ago < sla * 0.25 else "On Track")
                    updated_ago = int(created_ago * rnd())
                assignee = self.agents.pick(rnd()) if rnd() >= 0.08 else None
                rows.append((
                    f"TK{n:08d}", p.pk, pipeline if rnd() >= 0.01 else None, stage if rnd() >= 0.01 else None,
                    self.users.pick(rnd()) if rnd() >= 0.04 else None,
                    self.users.pick(rnd()) if rnd() >= 0.1 else None,
                    assignee, priority if rnd() >= 0.02 else None, sla_status if rnd() >= 0.02 else None,
                    at(created_ago) if rnd() >= 0.01 else None, at(updated_ago) if rnd() >= 0.02 else None,
                    at(due_ago) if rnd() >= 0.03 else None,
                    at(resolved_ago) if resolved_ago is not None else None,
                    breached if rnd() >= 0.02 else None, self.w_category.pick(rnd()),
                ))
        self.n_tickets = n
        return rows

    def orders(self, profiles: Sequence[Profile]) -> list[tuple]:
        rng = self.rng
        rnd = rng.random
        at = self.at
        rows: list[tuple] = []
        n = self.n_orders
        for p in profiles:
            for _ in range(self._count(MEAN_ORDERS, NONE_ORDERS, p.activity)):
                n += 1
                booking = rnd() < 0.2
                status = (self.w_booking_status if booking else self.w_order_status).pick(rnd())
                if status == "completed":
                    paid = rnd() < 0.97
                elif status == "no_show":
                    paid = rnd() < 0.3
                else:
                    paid = rnd() < 0.05
                amount = float(int(math.exp(rng.gauss(12.8 if booking else 12.1, 0.85)) // 500 * 500) + 500)
                rows.append((
                    f"OR{n:08d}", p.pk, ("booking" if booking else "order") if rnd() >= 0.01 else None,
                    amount if rnd() >= 0.01 else None, self.w_payment.pick(rnd()),
                    status if rnd() >= 0.01 else None, paid if rnd() >= 0.02 else None,
                    at(self._active(p, 1.4)) if rnd() >= 0.01 else None,
                ))
        self.n_orders = n
        return rows
