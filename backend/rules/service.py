"""Catalog, value suggestions and preview. Functions take the session; the caller commits."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from backend.auth.models import User
from backend.auth.org_settings import HasOrgSettings
from backend.auth.packages import field_available, require_segmentation
from backend.customers.models import Customer
from backend.errors import ApiError, FieldError, validation_error
from backend.rules.compiler import Compiler
from backend.rules.fields import FieldDef, build_registry
from backend.rules.node_counts import counts_and_sample, node_counts
from backend.rules.predicates import EvalContext, like_escape
from backend.rules.sample_values import rule_values
from backend.rules.storage import value_rows
from backend.rules.summary import node_text
from backend.rules.tree import parse_and_validate

SAMPLE_SIZE = 20
MAX_SUGGESTIONS = 100
MAX_QUERY = 255


def catalog(session: Session, org: HasOrgSettings) -> list[dict[str, Any]]:
    require_segmentation(org)
    return build_registry(session, org).catalog()


def _field_or_404(session: Session, org: HasOrgSettings, key: str) -> FieldDef:
    require_segmentation(org)
    field = build_registry(session, org).get(key)
    if field is None:
        raise ApiError(404, "not_found", "Field not found.")
    if not field_available(org.package, field.package):
        raise ApiError(403, "package_required",
                       f"{field.label} is not included in the {org.package.capitalize()} package.")
    return field


def suggestions(session: Session, org: HasOrgSettings, key: str, q: str | None, limit: int, *,
                visible: ColumnElement[bool] | None = None) -> list[str]:
    """Existing values of a text or dropdown field, most frequent first, starting with q (any case);
    with `visible` (a filter over customers), only values of those customers (a caller's scope)."""
    problems = []
    if q is not None and len(q) > MAX_QUERY:
        problems.append(FieldError("q", f"Enter at most {MAX_QUERY} characters."))
    if not 1 <= limit <= MAX_SUGGESTIONS:
        problems.append(FieldError("limit", f"Enter a limit from 1 to {MAX_SUGGESTIONS}."))
    if problems:
        raise validation_error(problems)
    field = _field_or_404(session, org, key)
    source = value_rows(field.storage, org.id, visible) if field.suggestions else None
    if source is None:
        raise ApiError(400, "no_suggestions", f"{field.label} has no value suggestions.")
    column, where = source.column, source.where
    prefix = (q or "").lower()
    like = func.lower(func.coalesce(column, "")).like(func.lower(like_escape(q or "") + "%"), escape="/")
    n = func.count().label("n")
    rows = session.execute(select(column, n).where(*where, column.is_not(None), column != "", like)
                           .group_by(column).order_by(n.desc(), column).limit(limit)).all()
    values = [str(r[0]) for r in rows]
    extra: list[str] = list(field.options or ())
    if field.user_names:
        extra += session.scalars(select(User.username).where(User.org_id == org.id, User.active.is_(True))
                                 .order_by(User.username)).all()
    seen = {v.lower() for v in values}
    for value in extra:
        if len(values) >= limit:
            break
        if value.lower().startswith(prefix) and value.lower() not in seen:
            values.append(value)
            seen.add(value.lower())
    return values


@dataclass(frozen=True)
class PreviewResult:
    matched: int
    total_customers: int
    summary: str
    sample: list[dict[str, Any]]
    visible: int | None
    node_counts: dict[str, Any] | None = None


def sample_row(c: Any) -> dict[str, Any]:
    return {"id": c.ext_id, "full_name": c.full_name, "email": c.email, "phone": c.phone, "source": c.source,
            "status": c.status, "province": c.province, "city": c.city, "owner": c.owner, "assignee": c.assignee,
            "created_at": c.created_at}


def preview(session: Session, org: HasOrgSettings, rules: Any, *, visible: ColumnElement[bool] | None = None,
            today: datetime.date | None = None, with_node_counts: bool = False) -> PreviewResult:
    """Matched count over all customers, and the first 20 matches by id that the caller may see; with
    `with_node_counts`, also how many each node alone matches (the root's count is then the matched count)."""
    tree = parse_and_validate(session, org, rules)
    ctx = EvalContext.for_timezone(org.timezone, today)
    condition = Compiler(org.id, ctx).node(tree.root)
    in_org = Customer.org_id == org.id

    def count_all() -> int:
        return session.scalar(select(func.count()).select_from(Customer).where(in_org)) or 0

    cols = [Customer.ext_id, Customer.full_name, Customer.email, Customer.phone, Customer.source, Customer.status,
            Customer.province, Customer.city, Customer.owner, Customer.assignee, Customer.created_at]
    n_visible = None
    counts = None
    if with_node_counts and visible is None:
        # One statement: the conditions computed once per customer feed both the counts and the sample.
        counts, rows = counts_and_sample(session, org.id, ctx, tree.root, cols, [Customer.ext_id], SAMPLE_SIZE)
        matched = counts["matched"]
        total = count_all()
    elif visible is None:
        # One statement, the matches built once as a CTE (pk and id only) that both the count and the
        # first 20 read. Not `count(*) OVER () … ORDER BY ext_id LIMIT 20`: with it PostgreSQL plans as
        # if the LIMIT could stop early, walks every customer in id order and probes the side tables
        # once per customer, and SQLite sorts every match with all its columns; nor a separate count
        # and sample, which build the side-table sets twice (docs/benchmarks.md, issue 19).
        matches = select(Customer.pk.label("pk"), Customer.ext_id.label("ext_id")).where(
            in_org, condition).cte("matches")
        first = select(matches.c.pk).order_by(matches.c.ext_id).limit(SAMPLE_SIZE)
        matched_count = select(func.count()).select_from(matches).scalar_subquery()
        # The organisation's size rides along in the same statement (one round trip fewer per preview).
        everyone = Customer.__table__.alias("everyone")
        total_count = select(func.count()).select_from(everyone).where(everyone.c.org_id == org.id)
        rows = session.execute(select(*cols, matched_count.label("matched"),
                                      total_count.scalar_subquery().label("total"))
                               .where(Customer.pk.in_(first)).order_by(Customer.ext_id)).all()
        matched = rows[0].matched if rows else 0
        total = rows[0].total if rows else count_all()
    else:
        total = count_all()
        if with_node_counts:
            counts = node_counts(session, org.id, ctx, tree.root)
            matched = counts["matched"]  # the root's count is the matched count
        else:
            matched = session.scalar(select(func.count()).select_from(Customer).where(in_org, condition)) or 0
        seen = [in_org, condition, visible]
        rows = session.execute(select(*cols).where(*seen).order_by(Customer.ext_id).limit(SAMPLE_SIZE)).all()
        n_visible = session.scalar(select(func.count()).select_from(Customer).where(*seen)) or 0
    sample = [sample_row(r) for r in rows]
    by_customer = rule_values(session, org.id, ctx, tree.root, [row["id"] for row in sample])
    for row in sample:
        row["values"] = by_customer.get(row["id"], {})
    return PreviewResult(int(matched), int(total), node_text(tree.root), sample, n_visible, counts)
