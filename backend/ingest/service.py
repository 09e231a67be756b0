"""Upsert a batch of one entity's records for one organisation, all or nothing.

The whole batch is validated first (fields, then references in one query per kind); only a clean
batch is written, with set-based statements: one SELECT of the existing rows, one executemany
INSERT, one executemany UPDATE of the rows that really changed, and the side tables replaced in
bulk. Customers whose data (or associated records) changed are announced to derived data.
The caller owns the transaction: a failure anywhere leaves nothing of the batch behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.auth.models import Organisation
from backend.customers import service as customers
from backend.customers.models import Customer, CustomValue
from backend.errors import ApiError, FieldError, validation_error
from backend.ingest import events
from backend.ingest.custom_values import CustomDef, CustomValueIn
from backend.ingest.fields import ENTITIES, EntitySpec, FieldSpec, Kind, ObjectSpec
from backend.ingest.validation import MAX_RECORDS, BatchValidator, CleanRecord

# Customer text fields naming a user of the organisation, and the column linking that user.
USER_LINKS = {"owner": "owner_user_id", "assignee": "assignee_user_id"}


@dataclass(frozen=True)
class IngestResult:
    inserted: int
    updated: int


def entity_spec(name: str) -> EntitySpec:
    spec = ENTITIES.get(name)
    if spec is None:
        raise ApiError(404, "not_found", f"There is no entity {name!r} to ingest. "
                                         f"Use one of: {', '.join(ENTITIES)}.")
    return spec


def ingest(session: Session, org_id: int, entity_name: str, records: Any, *,
           limit: int | None = MAX_RECORDS) -> IngestResult:
    """Validate and upsert `records`; raises a 400 ApiError naming every bad `records.N.field`."""
    entity = entity_spec(entity_name)
    customers.prefer_custom_plans(session)
    org = session.get(Organisation, org_id)
    if org is None:
        raise ApiError(404, "not_found", "Organisation not found.")
    defs = custom_defs(session, org_id) if entity.name == "customers" else {}
    validator = BatchValidator(entity, ZoneInfo(org.timezone), defs)
    clean = validator.validate(records, limit)
    writer = _Writer(session, org_id, entity, defs)
    writer.resolve_references(clean, validator)
    writer.load_existing(clean)
    writer.check_required(clean, validator)
    if validator.errors:
        raise _batch_error(validator.errors)
    try:
        return writer.write(clean)
    except IntegrityError as exc:
        # Only a concurrent batch inserting the same new ids (or deleting a referenced record) gets here;
        # the transaction is lost either way, and sending the batch again resolves it.
        raise ApiError(409, "conflict", "Another request changed these records at the same time; "
                                        "nothing of this batch was written. Send it again.") from exc


def custom_defs(session: Session, org_id: int) -> dict[str, CustomDef]:
    return {d.key: CustomDef(d.id, d.key, d.type, frozenset(d.options or ()))
            for d in customers.list_custom_fields(session, org_id)}


def _record_index(path: str) -> int:
    parts = path.split(".")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else -1


def _batch_error(errors: list[FieldError]) -> ApiError:
    errors = sorted(errors, key=lambda e: _record_index(e.path))  # stable: field order within a record kept
    bad = {_record_index(e.path) for e in errors} - {-1}
    if not bad:
        return validation_error(errors)
    noun = "record is" if len(bad) == 1 else "records are"
    return validation_error(errors, f"{len(bad):,} {noun} invalid; nothing of the batch was written.")


def _columns(entity: EntitySpec) -> list[str]:
    """The columns ingestion writes for the entity (besides org_id and ext_id)."""
    cols: list[str] = []
    for spec in entity.fields.values():
        subs = spec.fields.values() if isinstance(spec, ObjectSpec) else (spec,)
        cols.extend(s.column for s in subs)
    if entity.model is Customer:
        cols.extend(USER_LINKS.values())
    return cols


class _Writer:
    def __init__(self, session: Session, org_id: int, entity: EntitySpec, defs: dict[str, CustomDef]) -> None:
        self.session = session
        self.org_id = org_id
        self.entity = entity
        self.defs = defs
        self.table: Table = entity.model.__table__  # type: ignore[attr-defined]
        self.columns = _columns(entity)
        self.existing: dict[str, dict[str, Any]] = {}
        # Side-table work gathered per record and written in bulk afterwards.
        self._side_deletes: dict[str, set[int]] = {}
        self._side_inserts: dict[str, list[dict[str, Any]]] = {}
        self._custom_clear: set[int] = set()
        self._custom_deletes: dict[int, set[int]] = {}  # field id -> customers whose value is replaced
        self._custom_inserts: list[dict[str, Any]] = []

    def _in(self, column: Any, values: list[Any]) -> Any:
        return customers.one_of(self.session, column, values)

    # ---- before writing: everything that can still fail -----------------------------------------

    def resolve_references(self, clean: list[CleanRecord], validator: BatchValidator) -> None:
        """Turn customer_id/company_id into pks of this organisation; unknown ids fail their record."""
        wanted: dict[str, set[str]] = {}
        for rec in clean:
            for column, ext in rec.refs.items():
                if ext is not None:
                    wanted.setdefault(column, set()).add(ext)
        found = {column: self._lookup(column, ids) for column, ids in wanted.items()}
        for rec in clean:
            for column, ext in rec.refs.items():
                if ext is None:
                    rec.values[column] = None
                elif ext in found[column]:
                    rec.values[column] = found[column][ext]
                else:
                    name, what = self._ref_name(column)
                    validator.error(f"records.{rec.index}.{name}", f"No {what} with the id {ext!r} exists in "
                                                                   "this organisation.")

    def _lookup(self, column: str, ext_ids: set[str]) -> dict[str, int]:
        if column == "company_pk":
            return customers.company_pks(self.session, self.org_id, ext_ids)
        return customers.customer_pks(self.session, self.org_id, ext_ids)

    def _ref_name(self, column: str) -> tuple[str, str]:
        for name, spec in self.entity.fields.items():
            if isinstance(spec, FieldSpec) and spec.column == column:
                return name, "company" if spec.kind is Kind.COMPANY_REF else "customer"
        raise AssertionError(column)

    def load_existing(self, clean: list[CleanRecord]) -> None:
        """The stored rows of the batch's ids, limited to the columns the batch can change."""
        t = self.table
        sent: set[str] = {"pk", "ext_id"}
        if "customer_pk" in t.c:
            sent.add("customer_pk")
        for rec in clean:
            sent.update(rec.values)
            sent.update(rec.refs)
            if rec.custom or rec.custom_cleared:
                sent.add("custom")
        if self.entity.model is Customer:
            sent.update(column for name, column in USER_LINKS.items() if name in sent)
        columns = [c for c in t.c if c.name in sent]
        for batch in customers.chunks(rec.ext_id for rec in clean):
            rows = self.session.execute(select(*columns).where(t.c.org_id == self.org_id, self._in(t.c.ext_id, batch)))
            for row in rows.mappings():
                self.existing[row["ext_id"]] = dict(row)

    def check_required(self, clean: list[CleanRecord], validator: BatchValidator) -> None:
        required = [(name, spec) for name, spec in self.entity.fields.items()
                    if isinstance(spec, FieldSpec) and spec.required]
        for rec in clean:
            if rec.ext_id in self.existing:
                continue
            for name, spec in required:
                if spec.column not in rec.values and spec.column not in rec.refs:
                    validator.error(f"records.{rec.index}.{name}", "This value is required for a new record.")

    # ---- writing -----------------------------------------------------------------------------------

    def write(self, clean: list[CleanRecord]) -> IngestResult:
        users = self._users(clean)
        new = [rec for rec in clean if rec.ext_id not in self.existing]
        old = [rec for rec in clean if rec.ext_id in self.existing]
        changed_customers: set[int] = set()
        inserted_pks = self._insert(new, users)
        changed_customers |= self._customers_of(inserted_pks.values(), [])
        changed_pks, moved_from = self._update(old, users)
        for rec in new:
            self._write_side_tables(rec, inserted_pks[rec.ext_id], None)
        for rec in old:
            row = self.existing[rec.ext_id]
            if self._write_side_tables(rec, row["pk"], row):
                changed_pks.add(row["pk"])
        self._flush_side_tables()
        changed_customers |= self._customers_of(changed_pks, moved_from)
        if changed_customers:
            events.customers_changed(self.session, self.org_id, changed_customers)
        return IngestResult(inserted=len(new), updated=len(old))

    def _users(self, clean: list[CleanRecord]) -> dict[str, int]:
        if self.entity.model is not Customer or not any(k in rec.values for rec in clean for k in USER_LINKS):
            return {}
        return customers.user_ids_by_username(self.session, self.org_id)

    def _derived(self, rec: CleanRecord, users: dict[str, int], base: dict[str, Any] | None) -> dict[str, Any]:
        """The record's column values (sent fields only) including the columns computed from them."""
        values = dict(rec.values)
        if self.entity.model is Customer:
            for name, column in USER_LINKS.items():
                if name in values:
                    username = values[name]
                    values[column] = users.get(username.lower()) if username else None
            if rec.custom_cleared:
                values["custom"] = None
            elif rec.custom:
                merged = dict((base or {}).get("custom") or {})
                for key, item in rec.custom.items():
                    if item is None:
                        merged.pop(key, None)
                    else:
                        merged[key] = item.raw
                values["custom"] = merged or None
        return values

    def _insert(self, new: list[CleanRecord], users: dict[str, int]) -> dict[str, int]:
        if not new:
            return {}
        derived = [self._derived(rec, users, None) for rec in new]
        # Only the columns some record sends: the statement stays small and the rest take their defaults.
        sent = {column for values in derived for column in values}
        columns = [column for column in self.columns if column in sent]
        rows = [{"org_id": self.org_id, "ext_id": rec.ext_id, **{c: values.get(c) for c in columns}}
                for rec, values in zip(new, derived, strict=True)]
        # A plain executemany, then one SELECT for the new pks: INSERT .. RETURNING over many rows makes
        # psycopg re-parse a huge statement per page, several times slower than this on PostgreSQL.
        self.session.execute(insert(self.table), rows)
        t = self.table
        found: dict[str, int] = {}
        for batch in customers.chunks(rec.ext_id for rec in new):
            result = self.session.execute(select(t.c.ext_id, t.c.pk).where(t.c.org_id == self.org_id,
                                                                            self._in(t.c.ext_id, batch)))
            found.update({ext: pk for ext, pk in result})
        return found

    def _update(self, old: list[CleanRecord], users: dict[str, int]) -> tuple[set[int], list[int]]:
        """Write the rows whose values changed; returns their pks and the customers records moved away from."""
        changed: list[tuple[dict[str, Any], dict[str, Any]]] = []
        written: set[str] = set()
        moved_from: list[int] = []
        for rec in old:
            row = self.existing[rec.ext_id]
            values = self._derived(rec, users, row)
            diff = {c: v for c, v in values.items() if row[c] != v}
            if not diff:
                continue
            if "customer_pk" in diff:
                moved_from.append(row["customer_pk"])
            changed.append((row, diff))
            written.update(diff)
        if not changed:
            return set(), moved_from
        t = self.table
        # One executemany needs one column list: rows that changed fewer columns resend their stored values.
        cols = sorted(written)
        stmt = update(t).where(t.c.pk == bindparam("b_pk")).values({c: bindparam(f"b_{c}") for c in cols})
        params = [{"b_pk": row["pk"], **{f"b_{c}": diff[c] if c in diff else row[c] for c in cols}}
                  for row, diff in changed]
        self.session.execute(stmt, params)
        return {row["pk"] for row, _ in changed}, moved_from

    def _customers_of(self, pks: Iterable[int], moved_from: list[int]) -> set[int]:
        """The customers whose data includes these rows of the entity (and those a record left)."""
        pks = set(pks)
        if not pks:
            return set(moved_from)
        if self.entity.model is Customer:
            return pks | set(moved_from)
        t = self.table
        found: set[int] = set(moved_from)
        if self.entity.customer_column is not None:
            for batch in customers.chunks(pks):
                found.update(self.session.scalars(select(t.c.customer_pk).where(self._in(t.c.pk, batch))))
            return found
        # Companies: their customers' company fields changed.
        for batch in customers.chunks(pks):
            found.update(self.session.scalars(select(Customer.pk).where(Customer.org_id == self.org_id,
                                                                        self._in(Customer.company_pk, batch))))
        return found

    # ---- side tables ---------------------------------------------------------------------------

    def _write_side_tables(self, rec: CleanRecord, pk: int, row: dict[str, Any] | None) -> bool:
        """Queue this record's side-table rows; returns whether any of them changed."""
        changed = False
        for name, side in self.entity.side_tables.items():
            if name not in rec.lists:
                continue
            values = rec.lists[name]
            if row is not None:
                if (row[name] or None) == (values or None):
                    continue
                self._side_deletes.setdefault(name, set()).add(pk)
            changed = True
            for value in dict.fromkeys(values or ()):
                if value.strip():
                    self._side_inserts.setdefault(name, []).append(
                        {"org_id": self.org_id, side.owner_column: pk, "value": value})
        if rec.custom_cleared and row is not None and row["custom"]:
            self._custom_clear.add(pk)
            changed = True
        stored = (row or {}).get("custom") or {}
        for key, item in rec.custom.items():
            if row is not None and key in stored and item is not None and stored[key] == item.raw:
                continue
            if row is not None and key not in stored and item is None:
                continue
            changed = True
            field_id = self.defs[key].id
            if row is not None:
                self._custom_deletes.setdefault(field_id, set()).add(pk)
            for value_row in _custom_value_rows(item):
                self._custom_inserts.append({"org_id": self.org_id, "customer_pk": pk, "field_id": field_id,
                                             **value_row})
        return changed

    def _flush_side_tables(self) -> None:
        for name, pks in self._side_deletes.items():
            side = self.entity.side_tables[name]
            t = side.model.__table__  # type: ignore[attr-defined]
            for batch in customers.chunks(pks):
                self.session.execute(delete(t).where(self._in(t.c[side.owner_column], batch)))
        for name, rows in self._side_inserts.items():
            self.session.execute(insert(self.entity.side_tables[name].model.__table__), rows)  # type: ignore
        cv = CustomValue.__table__
        for batch in customers.chunks(self._custom_clear):
            self.session.execute(delete(cv).where(self._in(cv.c.customer_pk, batch)))
        for field_id, pks in self._custom_deletes.items():
            for batch in customers.chunks(pks - self._custom_clear):
                self.session.execute(delete(cv).where(cv.c.field_id == field_id, self._in(cv.c.customer_pk, batch)))
        if self._custom_inserts:
            self.session.execute(insert(cv), self._custom_inserts)


def _custom_value_rows(item: CustomValueIn | None) -> list[dict[str, Any]]:
    return [] if item is None else item.rows
