"""The records associated with demo customers: conversations (with tags), campaign deliveries, deals,
tickets and orders. Counts are skewed per customer by its activity profile (see backend/demo/generate.py)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta

from backend.demo import vocab
from backend.demo.draws import Draws
from backend.demo.rows import DAY, HOUR, ConversationBatch, Profile

# Average records per customer over all customers (the brief's ratios), and the share with none.
MEAN_CONVERSATIONS, NONE_CONVERSATIONS = 10.0, 0.12
# Campaign draws skip campaigns sent before the customer existed and repeats, so ~9.5 draws give
# the ~5 deliveries per customer the brief asks for.
MEAN_DELIVERIES, NONE_DELIVERIES = 9.5, 0.15
MEAN_DEALS, NONE_DEALS = 2.0, 0.45
MEAN_TICKETS, NONE_TICKETS = 2.0, 0.45
MEAN_ORDERS, NONE_ORDERS = 3.0, 0.30


class RecordRows:
    def __init__(self, draws: Draws) -> None:
        self.d = draws
        # Running numbers for the records' ext_ids, continued across customer batches.
        self.n_conversations = self.n_deliveries = self.n_deals = self.n_tickets = self.n_orders = 0

    def conversations(self, profiles: Sequence[Profile]) -> ConversationBatch:
        rng = self.d.rng
        rnd = rng.random
        at = self.d.at
        expo = rng.expovariate
        rows: list[tuple] = []
        tags: list[tuple[str, str]] = []
        n = self.n_conversations
        for p in profiles:
            for _ in range(self.d.count(MEAN_CONVERSATIONS, NONE_CONVERSATIONS, p.activity)):
                n += 1
                ext_id = f"CV{n:08d}"
                if p.source == "Instagram" and rnd() < 0.45:
                    channel: str | None = "Instagram"
                else:
                    channel = self.d.w_channel.pick(rnd())
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
                    assignee = self.d.agents.pick(rnd())
                conv_tags = None
                if rnd() >= 0.4:
                    conv_tags = [self.d.w_tag.pick(rnd())]
                    if rnd() < 0.35:
                        extra = self.d.w_tag.pick(rnd())
                        if extra not in conv_tags:
                            conv_tags.append(extra)
                    for t in conv_tags:
                        tags.append((ext_id, t))
                started = self.d.active(p, 1.5)
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
                csat = self.d.w_csat.pick(rnd()) if resolved and rnd() < 0.3 else None
                nps = self.d.w_nps.pick(rnd()) if rnd() < 0.12 else None
                by_bot = (rnd() < 0.28 if resolved else False) if rnd() >= 0.03 else None
                rows.append((ext_id, p.pk, status, assignee, channel, account, conv_tags, associated,
                             last_activity, sent, received, replied, first_response, call, csat, nps, by_bot))
        self.n_conversations = n
        return ConversationBatch(rows, tags)

    def deliveries(self, profiles: Sequence[Profile]) -> list[tuple]:
        rng = self.d.rng
        rnd = rng.random
        anchor = self.d.anchor
        expo = rng.expovariate
        campaigns = vocab.CAMPAIGNS
        rows: list[tuple] = []
        n = self.n_deliveries
        for p in profiles:
            k = min(len(campaigns), self.d.count(MEAN_DELIVERIES, NONE_DELIVERIES, p.activity))
            # Distinct campaigns sent after the customer appeared; a bounded number of draws keeps
            # the skew (popular campaigns reach more people) without looping on rare ones.
            chosen: set[int] = set()
            for _ in range(6 * k):
                if len(chosen) == k:
                    break
                idx = self.d.w_campaign.pick(rnd())
                if campaigns[idx][2] * DAY < p.start:
                    chosen.add(idx)
            for idx in sorted(chosen):
                n += 1
                name, channel, days_ago, ads = campaigns[idx]
                sent_at = anchor - timedelta(days=days_ago, seconds=int(rnd() * 6 * HOUR))
                status: str | None = self.d.w_delivery_status.pick(rnd())
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
        rng = self.d.rng
        rnd = rng.random
        at = self.d.at
        rows: list[tuple] = []
        n = self.n_deals
        medians = {"Sales B2C": 15.0, "Sales B2B": 17.6, "Renewal": 16.3}  # log of IDR
        for p in profiles:
            for _ in range(self.d.count(MEAN_DEALS, NONE_DEALS, p.activity)):
                n += 1
                pipeline = "Sales B2B" if p.b2b and rnd() < 0.5 else self.d.w_deal_pipeline.pick(rnd())
                stage = self.d.w_deal_stage[pipeline].pick(rnd())
                outcome = vocab.DEAL_PIPELINES[pipeline][1].get(stage, "open")
                created_ago = self.d.active(p, 1.3)
                closed = None
                if outcome != "open":
                    closed = at(max(0, created_ago - int(rng.expovariate(1 / (20 * DAY)))))
                size = float(int(math.exp(rng.gauss(medians[pipeline], 0.8)) // 10_000 * 10_000) + 10_000)
                rotten = (outcome == "open" and created_ago > 30 * DAY and rnd() < 0.6) if rnd() >= 0.02 else None
                rows.append((
                    f"DL{n:08d}", p.pk, pipeline if rnd() >= 0.01 else None, stage if rnd() >= 0.01 else None,
                    self.d.w_approval.pick(rnd()), size if rnd() >= 0.04 else None,
                    (p.owner if p.owner and rnd() < 0.6 else self.d.users.pick(rnd())) if rnd() >= 0.05 else None,
                    self.d.w_priority.pick(rnd()), at(created_ago) if rnd() >= 0.01 else None, closed,
                    outcome if rnd() >= 0.01 else None, rotten,
                ))
        self.n_deals = n
        return rows

    def tickets(self, profiles: Sequence[Profile]) -> list[tuple]:
        rng = self.d.rng
        rnd = rng.random
        at = self.d.at
        rows: list[tuple] = []
        n = self.n_tickets
        for p in profiles:
            for _ in range(self.d.count(MEAN_TICKETS, NONE_TICKETS, p.activity)):
                n += 1
                pipeline = self.d.w_ticket_pipeline.pick(rnd())
                stage = self.d.w_ticket_stage[pipeline].pick(rnd())
                priority = self.d.w_ticket_priority.pick(rnd())
                sla = vocab.TICKET_SLA_HOURS[priority] * HOUR
                created_ago = self.d.active(p, 1.4)
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
                assignee = self.d.agents.pick(rnd()) if rnd() >= 0.08 else None
                rows.append((
                    f"TK{n:08d}", p.pk, pipeline if rnd() >= 0.01 else None, stage if rnd() >= 0.01 else None,
                    self.d.users.pick(rnd()) if rnd() >= 0.04 else None,
                    self.d.users.pick(rnd()) if rnd() >= 0.1 else None,
                    assignee, priority if rnd() >= 0.02 else None, sla_status if rnd() >= 0.02 else None,
                    at(created_ago) if rnd() >= 0.01 else None, at(updated_ago) if rnd() >= 0.02 else None,
                    at(due_ago) if rnd() >= 0.03 else None,
                    at(resolved_ago) if resolved_ago is not None else None,
                    breached if rnd() >= 0.02 else None, self.d.w_category.pick(rnd()),
                ))
        self.n_tickets = n
        return rows

    def orders(self, profiles: Sequence[Profile]) -> list[tuple]:
        rng = self.d.rng
        rnd = rng.random
        at = self.d.at
        rows: list[tuple] = []
        n = self.n_orders
        for p in profiles:
            for _ in range(self.d.count(MEAN_ORDERS, NONE_ORDERS, p.activity)):
                n += 1
                booking = rnd() < 0.2
                status = (self.d.w_booking_status if booking else self.d.w_order_status).pick(rnd())
                if status == "completed":
                    paid = rnd() < 0.97
                elif status == "no_show":
                    paid = rnd() < 0.3
                else:
                    paid = rnd() < 0.05
                amount = float(int(math.exp(rng.gauss(12.8 if booking else 12.1, 0.85)) // 500 * 500) + 500)
                rows.append((
                    f"OR{n:08d}", p.pk, ("booking" if booking else "order") if rnd() >= 0.01 else None,
                    amount if rnd() >= 0.01 else None, self.d.w_payment.pick(rnd()),
                    status if rnd() >= 0.01 else None, paid if rnd() >= 0.02 else None,
                    at(self.d.active(p, 1.4)) if rnd() >= 0.01 else None,
                ))
        self.n_orders = n
        return rows
