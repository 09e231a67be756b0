"""Where a field's value lives: one class per storage kind, the one place that knows it.

Each kind answers the four questions the engine asks of a field:
- `sql(c, q)`: the condition as a boolean over the `customers` row (built with the compiler's blocks);
- `python_value(rec, ctx)`: the value the reference evaluator tests, from a customer's loaded records
  (for per-record kinds, one value per associated record);
- `value_source(org_id)` and `seen_by(visible)`: the column holding existing values, for suggestions,
  and those of its rows that belong to the customers a caller may see;
- `records(session, org_id, customer_pk, ctx)`: a customer's values with the record each comes from,
  for explaining why a customer matches or not.
The compiler, the reference evaluator and the suggestions only ever call these; none branches on
the kind. `per_record` (whether any/all applies) and `is_list` (list operators) are facts of the kind.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from backend.rules.storage.aggregates import AggregateColumn, MetricValue
from backend.rules.storage.base import (
    ASSOCIATION_TABLES,
    COMPANIES,
    CUSTOM_VALUES,
    CUSTOMERS,
    METRICS_TABLE,
    ORDERS,
    TAGS,
    USERNAMES,
    FieldValue,
    StorageKind,
    ValueSource,
)
from backend.rules.storage.customer import CustomerColumn, CustomerUsernames, CustomField
from backend.rules.storage.records import CompanyColumn, RecordColumn, RecordTags

__all__ = [
    "ASSOCIATION_TABLES", "COMPANIES", "CUSTOMERS", "CUSTOM_VALUES", "METRICS_TABLE", "ORDERS", "TAGS", "USERNAMES",
    "AggregateColumn", "CompanyColumn", "CustomField", "CustomerColumn", "CustomerUsernames", "FieldValue",
    "MetricValue", "RecordColumn", "RecordTags", "Storage", "StorageKind", "ValueSource", "value_rows",
]

Storage = (CustomerColumn | CustomerUsernames | CustomField | RecordColumn | RecordTags | CompanyColumn
           | AggregateColumn | MetricValue)


def value_rows(storage: StorageKind, org_id: int, visible: ColumnElement[bool] | None) -> ValueSource | None:
    """A kind's value source, narrowed to the rows of customers matching `visible` when given."""
    source = storage.value_source(org_id)
    if source is None or visible is None:
        return source
    return ValueSource(source.column, (*source.where, storage.seen_by(visible)))
