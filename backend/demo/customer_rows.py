"""Companies and customers of the demo organisation: names, contacts, addresses, consent, loyalty and
custom values, and each customer's activity profile for the record generators."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from backend.demo import vocab
from backend.demo.draws import Draws
from backend.demo.rows import DAY, HISTORY_DAYS, HOUR, CustomerBatch, Profile, customer_ext_id

# Customers whose activity (conversations, deals, tickets, orders) stopped a while ago, so recency
# segments ("no conversation for 90 days", win-back) have members; campaigns still reach them.
LAPSED_SHARE = 0.3


class CustomerRows:
    def __init__(self, draws: Draws) -> None:
        self.d = draws

    # -- companies -----------------------------------------------------------------------------------

    def companies(self, count: int) -> list[tuple]:
        rng = self.d.rng
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
                self.d.w_industry.pick(rnd()),
                employees if rnd() > 0.12 else None,
                revenue if rnd() > 0.25 else None,
            ))
        return rows

    # -- customers -----------------------------------------------------------------------------------

    def customers(self, first: int, count: int, total: int, company_pks: Sequence[int]) -> CustomerBatch:
        """Customers number first..first+count-1 (1-based) of total."""
        rng = self.d.rng
        rnd = rng.random
        at = self.d.at
        anchor = self.d.anchor
        today = self.d.today
        rows: list[tuple] = []
        usernames: list[tuple[int, str]] = []
        custom_values: list[tuple] = []
        profiles: list[Profile] = []
        n_companies = len(company_pks)
        for i in range(count):
            n = first + i
            sex = self.d.w_sex.pick(rnd())
            name_sex = sex or ("female" if rnd() < 0.5 else "male")
            first_name = rng.choice(vocab.FEMALE_FIRST if name_sex == "female" else vocab.MALE_FIRST)
            last_name = rng.choice(vocab.LAST) if rnd() < 0.82 else None
            full_name = f"{first_name} {last_name}" if last_name else first_name
            source = self.d.w_source.pick(rnd())
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
                email = f"{local}@{self.d.w_domain.pick(rnd())}"

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
            job = rng.choice(vocab.JOB_ROLES_B2B) if b2b_role else self.d.w_job.pick(rnd())

            province = city = None
            if rnd() >= 0.14:
                province = self.d.w_province.pick(rnd())
                if rnd() >= 0.04:
                    city = self.d.w_city[province].pick(rnd())

            owner = self.d.users.pick(rnd()) if rnd() >= 0.18 else None
            if rnd() < 0.28:
                assignee = None
            elif owner is not None and rnd() < 0.6:
                assignee = owner
            else:
                assignee = self.d.agents.pick(rnd())

            created_ago = self.d.recent(HISTORY_DAYS * DAY, 1.6)
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
                opt_account = self.d.w_marketing_account.pick(rnd())
                if rnd() >= 0.03:
                    opt_at = at(int(created_ago * rnd()))

            member_u = rnd()
            is_member = True if member_u < 0.28 else (False if member_u < 0.58 else None)
            loyalty: tuple = (None,) * 9
            if is_member:
                m_created_ago = int(min(created_ago, 900 * DAY) * rnd())
                tier = self.d.w_tier.pick(rnd())
                scale = {"Bronze": 1, "Silver": 3, "Gold": 8, "Platinum": 20}[tier]
                lifetime = float(int(math.exp(rng.gauss(6.2, 0.9)) * scale))
                available = float(int(lifetime * rnd()))
                pending = float(int(rng.expovariate(1 / 150))) if rnd() >= 0.25 else None
                reward = reward_status = reward_expired = None
                if rnd() < 0.55:
                    reward = self.d.w_reward.pick(rnd())
                    s = rnd()
                    if s < 0.5:
                        reward_status = "Active"
                        reward_expired = anchor + timedelta(days=rng.randrange(1, 120), hours=rng.randrange(24))
                    elif s < 0.8:
                        reward_status = "Redeemed"
                        reward_expired = at(self.d.recent(300 * DAY, 1.0)) if rnd() < 0.5 else \
                            anchor + timedelta(days=rng.randrange(1, 90))
                    else:
                        reward_status = "Expired"
                        reward_expired = at(self.d.recent(365 * DAY, 1.3) + DAY)
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
                owner, assignee, self.d.user_ids.get(owner), self.d.user_ids.get(assignee), source,
                self.d.w_status.pick(rnd()), created_at, updated_at, created_by, updated_by, bsuid, has_chatroom,
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
        u = self.d.rng.random()
        if u < 0.06:
            return None
        if u < 0.26:
            return vocab.CREATED_BY_SYSTEM[0] if u < 0.18 else vocab.CREATED_BY_SYSTEM[1]
        return self.d.users.pick(self.d.rng.random())

    def _custom(self, i: int, province: str | None, full_name: str | None,
                out: list[tuple]) -> dict[str, Any] | None:
        """The raw `custom` object of one customer; appends its CustomValue rows to out."""
        rng = self.d.rng
        rnd = rng.random
        ids = self.d.field_ids
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
            day = self.d.today - timedelta(days=self.d.recent(400, 1.5))
            custom["last_store_visit"] = day.isoformat()
            out.append((i, ids["last_store_visit"], None, None, day, None))
        if rnd() < 0.1:
            day = self.d.today + timedelta(days=rng.randrange(-180, 365))
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
            lat, lng = self.d.coords.get(province or "DKI Jakarta", self.d.coords["DKI Jakarta"])
            text("store_location", f"{lat + rng.uniform(-0.08, 0.08):.6f},{lng + rng.uniform(-0.08, 0.08):.6f}")
        return custom or None

    # -- associated records --------------------------------------------------------------------------
