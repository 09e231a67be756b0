"""Seeding the demo organisation. Takes the session; the caller owns the (single) transaction.

The whole seed is one transaction on purpose: a demo organisation that exists is then always a
complete one, so "already exists → leave it" is safe after an interrupted run.

Dates are relative to a reference day (`today`, by default the current date in Asia/Jakarta):
"last 30 days" segments stay meaningful whenever the demo is seeded, and the same seed and the
same reference day give identical data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from backend.auth import service as auth_service
from backend.auth.models import Organisation
from backend.auth.permissions import ROLE_AGENT, ROLE_ORG_ADMIN, ROLE_TEAM_LEAD
from backend.campaigns.service import ensure_demo_templates
from backend.customers.models import (
    CampaignDelivery,
    Company,
    Conversation,
    ConversationTag,
    Customer,
    CustomerUsername,
    CustomFieldDefinition,
    CustomValue,
    Deal,
    Order,
    Ticket,
)
from backend.db import utcnow
from backend.demo import generate as g
from backend.demo import vocab
from backend.demo.bulk import BulkWriter
from backend.errors import FieldError, validation_error
from backend.ingest.events import customers_changed

log = logging.getLogger("segstudio.demo")

DEMO_ORG_NAME = "Demo Organisation"
DEMO_PACKAGE = "ultimate"
DEMO_TIMEZONE = "Asia/Jakarta"
CUSTOMER_CHUNK = 2_000
MAX_CUSTOMERS = 5_000_000

# progress(done, total, stage): done/total count customers; stage is a short sentence for a dialog.
Progress = Callable[[int, int, str], None]
STAGE_SETUP = "Creating the organisation and its users"
STAGE_CUSTOMERS = "Writing customers and their records"
STAGE_METRICS = "Building customer metrics"
STAGE_DONE = "Done"


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    display_name: str
    # How often the user owns or is assigned customers and records; agents carry most of the work.
    weight: int


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "Admin-pass-1", ROLE_ORG_ADMIN, "Dewi Admin", 1),
    DemoUser("lead", "Lead-pass-12", ROLE_TEAM_LEAD, "Bayu Lead", 2),
    DemoUser("agent", "Agent-pass-1", ROLE_AGENT, "Sari Agent", 6),
    DemoUser("wulan", "Wulan-pass-1", ROLE_TEAM_LEAD, "Wulan Lestari", 2),
    DemoUser("rizky", "Rizky-pass-1", ROLE_AGENT, "Rizky Pratama", 5),
    DemoUser("putri", "Putri-pass-1", ROLE_AGENT, "Putri Maharani", 5),
    DemoUser("yoga", "Yoga-pass-12", ROLE_AGENT, "Yoga Saputra", 4),
)


def default_today() -> date:
    return datetime.now(ZoneInfo(DEMO_TIMEZONE)).date()


def find_demo_org(session: Session) -> int | None:
    return session.scalar(select(Organisation.id).where(Organisation.name == DEMO_ORG_NAME)
                          .order_by(Organisation.id).limit(1))


def delete_org(session: Session, org_id: int) -> None:
    """Removes an organisation and everything it owns, dependants first.

    Deleting table by table (every table with an org_id, in reverse dependency order) is far faster
    than leaving millions of rows to ON DELETE CASCADE one parent at a time, and covers tables other
    domains add later; rows without an org_id go by their foreign keys' cascades.
    """
    from backend.models import metadata

    for tbl in reversed(metadata.sorted_tables):
        if tbl.name != Organisation.__tablename__ and "org_id" in tbl.c:
            session.execute(delete(tbl).where(tbl.c.org_id == org_id))
    session.execute(delete(Organisation).where(Organisation.id == org_id))
    session.flush()


def seed_demo(session: Session, customers: int, seed: int = 42, progress: Progress | None = None, *,
              today: date | None = None, force: bool = False) -> int:
    """Creates the demo organisation with `customers` customers and their records; returns its id.

    An existing demo organisation is returned untouched unless force, which rebuilds it.
    """
    if customers < 0 or customers > MAX_CUSTOMERS:
        raise validation_error([FieldError("customers", f"Enter a number from 0 to {MAX_CUSTOMERS:,}.")])
    report = progress or (lambda done, total, stage: None)
    existing = find_demo_org(session)
    if existing is not None:
        if not force:
            log.info("demo organisation exists", extra={"org_id": existing})
            return existing
        log.info("rebuilding demo organisation", extra={"org_id": existing})
        delete_org(session, existing)

    today = today or default_today()
    report(0, customers, STAGE_SETUP)
    org = auth_service.create_org(session, name=DEMO_ORG_NAME, package=DEMO_PACKAGE, timezone=DEMO_TIMEZONE)
    org_id = org.id
    users = []
    for u in DEMO_USERS:
        user = auth_service.create_user(session, org_id=org_id, username=u.username, password=u.password,
                                        role=u.role, display_name=u.display_name)
        users.append((u.username, user.id, u.weight))
    anchor = g.anchor_for(today, DEMO_TIMEZONE).replace(tzinfo=ZoneInfo("UTC"))
    fields = [CustomFieldDefinition(org_id=org_id, key=key, label=label, type=kind,
                                    options=list(options) if options else None, created_at=anchor)
              for key, label, kind, options in vocab.CUSTOM_FIELDS]
    session.add_all(fields)
    session.flush()

    gen = g.DemoGenerator(seed=seed, today=today, timezone=DEMO_TIMEZONE, users=users,
                          field_ids={f.key: f.id for f in fields})
    writer = BulkWriter(session.connection())
    const = {"org_id": org_id}

    company_rows = gen.companies(customers // 8 if customers >= 8 else min(customers, 1))
    writer.insert(Company.__table__, g.COMPANY_COLUMNS, company_rows, const)
    company_pk = _ids_by_ext_id(session, Company.__table__, org_id, company_rows)
    company_pks = [company_pk[row[0]] for row in company_rows]

    ingested = {"org_id": org_id, "ingested_at": utcnow().replace(tzinfo=None)}
    for first in range(1, customers + 1, CUSTOMER_CHUNK):
        count = min(CUSTOMER_CHUNK, customers - first + 1)
        batch = gen.customers(first, count, customers, company_pks)
        writer.insert(Customer.__table__, g.CUSTOMER_COLUMNS, batch.rows, ingested)
        pk_of = _ids_by_ext_id(session, Customer.__table__, org_id, batch.rows)
        pks = [pk_of[row[0]] for row in batch.rows]
        for profile, pk in zip(batch.profiles, pks, strict=True):
            profile.pk = pk
        writer.insert(CustomerUsername.__table__, g.USERNAME_COLUMNS,
                      ((pks[i], value) for i, value in batch.usernames), const)
        writer.insert(CustomValue.__table__, g.CUSTOM_VALUE_COLUMNS,
                      ((pks[i], *rest) for i, *rest in batch.custom_values), const)
        _write_associations(session, writer, gen, org_id, batch.profiles)
        report(first + count - 1, customers, STAGE_CUSTOMERS)

    report(customers, customers, STAGE_METRICS)
    customers_changed(session, org_id, None)
    ensure_demo_templates(session, org_id)
    report(customers, customers, STAGE_DONE)
    log.info("demo organisation seeded", extra={"org_id": org_id, "seed": seed, "today": today.isoformat(),
                                                "rows": dict(writer.counts)})
    return org_id


def _write_associations(session: Session, writer: BulkWriter, gen: g.DemoGenerator, org_id: int,
                        profiles: Sequence[g.Profile]) -> None:
    const = {"org_id": org_id}
    conversations = gen.conversations(profiles)
    writer.insert(Conversation.__table__, g.CONVERSATION_COLUMNS, conversations.rows, const)
    if conversations.tags:
        conv_pk = _ids_by_ext_id(session, Conversation.__table__, org_id, conversations.rows)
        writer.insert(ConversationTag.__table__, ("conversation_pk", "value"),
                      ((conv_pk[ext_id], tag) for ext_id, tag in conversations.tags), const)
    writer.insert(CampaignDelivery.__table__, g.DELIVERY_COLUMNS, gen.deliveries(profiles), const)
    writer.insert(Deal.__table__, g.DEAL_COLUMNS, gen.deals(profiles), const)
    writer.insert(Ticket.__table__, g.TICKET_COLUMNS, gen.tickets(profiles), const)
    writer.insert(Order.__table__, g.ORDER_COLUMNS, gen.orders(profiles), const)


def _ids_by_ext_id(session: Session, tbl: Table, org_id: int, rows: Sequence[tuple]) -> dict[str, int]:
    """ext_id -> pk for rows just written; their ext_ids are consecutive, so one range scan of the
    (org_id, ext_id) unique index finds them."""
    if not rows:
        return {}
    result = session.connection().execute(
        select(tbl.c.ext_id, tbl.c.pk).where(tbl.c.org_id == org_id, tbl.c.ext_id >= rows[0][0],
                                             tbl.c.ext_id <= rows[-1][0]))
    return {ext_id: pk for ext_id, pk in result}
