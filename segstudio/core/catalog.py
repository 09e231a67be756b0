"""The field catalog as the builder sees it, and what each operator asks of its value.

Everything about fields comes from `GET /fields`; this module only knows the operator keys of the contract
(their human labels and the shape of value each takes) so the UI never hard-codes a field or an operator list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

OPERATOR_LABELS: dict[str, str] = {
    "is": "is",
    "is_not": "is not",
    "contains": "contains",
    "not_contains": "does not contain",
    "starts_with": "starts with",
    "ends_with": "ends with",
    "is_empty": "is empty",
    "is_not_empty": "is not empty",
    "eq": "equals",
    "neq": "not equals",
    "gt": "greater than",
    "lt": "less than",
    "between": "is between",
    "on": "on",
    "not_on": "not on",
    "before": "before",
    "after": "after",
    "in_last_days": "in the last N days",
    "more_than_days_ago": "more than N days ago",
    "in_next_days": "in the next N days",
    "contains_any": "contains any",
    "contains_all": "contains all",
}

NO_VALUE_OPERATORS = frozenset({"is_empty", "is_not_empty"})
DAYS_OPERATORS = frozenset({"in_last_days", "more_than_days_ago", "in_next_days"})
LIST_OPERATORS = frozenset({"contains_any", "contains_all"})

TEXT_TYPES = frozenset({"text", "single_line_text", "multi_line_text", "url", "gps", "email", "phone"})
NUMBER_TYPES = frozenset({"number", "integer", "currency", "percentage", "ratio", "decimal"})
DATE_TYPES = frozenset({"date", "datetime", "timestamp"})
PRESENCE_TYPES = frozenset({"file_upload", "signature"})
# Limits from the ingestion contract: single-line text is at most 255 characters, multi-line 10,000.
TEXT_MAX_LENGTH = {"multi_line_text": 10_000}
DEFAULT_TEXT_MAX_LENGTH = 255


def operator_label(key: str) -> str:
    return OPERATOR_LABELS.get(key, key.replace("_", " "))


class ValueKind(Enum):
    """The shape of value an operator takes on a given field; the editor widget follows from it."""

    NONE = "none"
    TEXT = "text"
    CHOICE = "choice"
    MULTI = "multi"
    NUMBER = "number"
    NUMBER_RANGE = "number_range"
    DATE = "date"
    DATE_RANGE = "date_range"
    DAYS = "days"
    BOOLEAN = "boolean"


class TypeFamily(Enum):
    TEXT = "text"
    DROPDOWN = "dropdown"
    MULTI = "multi"
    NUMBER = "number"
    DATE = "date"
    BOOLEAN = "boolean"
    PRESENCE = "presence"


@dataclass(frozen=True)
class FieldSpec:
    """One entry of `GET /fields`."""

    key: str
    label: str
    group: str
    type: str
    operators: tuple[str, ...]
    options: tuple[str, ...] | None = None
    association: str | None = None
    package: str = "plus"
    suggestions: bool = False
    available: bool = True
    description: str = ""
    # Whether ANY/ALL applies; the catalog may say so explicitly ("match"), otherwise see `match_applies`.
    match: bool | None = None
    # The words to show for a value ({"true": "Opted in", "false": "Opted out", "null": "Unknown"}) and the
    # sub-group (metrics' "Communication — Chat & Call") that tells same-named fields apart; both optional.
    value_labels: tuple[tuple[str, str], ...] = ()
    category: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FieldSpec:
        options = data.get("options")
        # The server lists the match modes a field takes (["any", "all"]) or null when match does not apply.
        raw_match = data.get("match", data.get("supports_match"))
        if isinstance(raw_match, bool):
            match: bool | None = raw_match
        elif isinstance(raw_match, list | tuple):
            match = bool(raw_match)
        else:
            match = False if "match" in data else None
        return cls(
            key=str(data["key"]),
            label=str(data.get("label") or data["key"]),
            group=str(data.get("group") or "Other"),
            type=str(data.get("type") or "single_line_text"),
            operators=tuple(str(op) for op in data.get("operators") or ()),
            options=None if options is None else tuple(str(o) for o in options),
            association=data.get("association") or None,
            package=str(data.get("package") or "plus"),
            suggestions=bool(data.get("suggestions", False)),
            available=bool(data.get("available", True)),
            description=str(data.get("description") or ""),
            match=match,
            value_labels=tuple((str(k), str(v)) for k, v in (data.get("value_labels") or {}).items()),
            category=str(data.get("category") or ""),
        )

    def value_label(self, value: Any) -> str:
        """How a value reads on screen: the catalog's word for it when it has one (true → "Opted in")."""
        key = "null" if value is None else ("true" if value is True else "false" if value is False else str(value))
        labels = dict(self.value_labels)
        if key in labels:
            return labels[key]
        return "" if value is None else key

    @property
    def family(self) -> TypeFamily:
        t = self.type.lower()
        if t in NUMBER_TYPES:
            return TypeFamily.NUMBER
        if t in DATE_TYPES:
            return TypeFamily.DATE
        if t in ("boolean", "bool"):
            return TypeFamily.BOOLEAN
        if t in PRESENCE_TYPES:
            return TypeFamily.PRESENCE
        if t in ("multiple_selection", "multi_select", "multiselect"):
            return TypeFamily.MULTI
        if t in ("dropdown", "single_select", "select"):
            return TypeFamily.DROPDOWN
        if t in TEXT_TYPES:
            return TypeFamily.TEXT
        # An unknown type: infer from the operators the catalog offers for it.
        ops = set(self.operators)
        if ops & LIST_OPERATORS:
            return TypeFamily.MULTI
        if ops & DAYS_OPERATORS or ops & {"on", "before", "after"}:
            return TypeFamily.DATE
        if ops & {"gt", "lt", "eq"}:
            return TypeFamily.NUMBER
        if ops and ops <= NO_VALUE_OPERATORS:
            return TypeFamily.PRESENCE
        return TypeFamily.TEXT

    @property
    def match_applies(self) -> bool:
        """ANY/ALL is offered for fields of associated records, not for one-per-customer values about them.

        The catalog decides: an explicit `match` flag wins; otherwise association fields qualify except
        per-customer metrics (`metric.*`), which are one value per customer by definition.
        """
        if self.match is not None:
            return self.match
        return self.association is not None and not self.key.startswith("metric.")

    @property
    def max_length(self) -> int | None:
        if self.family is not TypeFamily.TEXT:
            return None
        return TEXT_MAX_LENGTH.get(self.type, DEFAULT_TEXT_MAX_LENGTH)

    def value_kind(self, operator: str | None) -> ValueKind:
        if operator is None or operator in NO_VALUE_OPERATORS:
            return ValueKind.NONE
        family = self.family
        if family is TypeFamily.PRESENCE:
            return ValueKind.NONE
        if operator in LIST_OPERATORS:
            return ValueKind.MULTI
        if operator in DAYS_OPERATORS:
            return ValueKind.DAYS
        if family is TypeFamily.NUMBER:
            return ValueKind.NUMBER_RANGE if operator == "between" else ValueKind.NUMBER
        if family is TypeFamily.DATE:
            return ValueKind.DATE_RANGE if operator == "between" else ValueKind.DATE
        if family is TypeFamily.BOOLEAN:
            return ValueKind.BOOLEAN
        if family in (TypeFamily.DROPDOWN, TypeFamily.MULTI) and operator in ("is", "is_not"):
            return ValueKind.CHOICE
        return ValueKind.TEXT

    def unavailable_reason(self) -> str:
        if self.available:
            return ""
        tier = self.package.capitalize() if self.package else "a higher"
        return f"{self.label} needs the {tier} package. Ask your administrator to upgrade."


@dataclass(frozen=True)
class Catalog:
    """The fields in the server's order, looked up by key."""

    fields: tuple[FieldSpec, ...] = ()
    _by_key: dict[str, FieldSpec] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({f.key: f for f in self.fields})

    @classmethod
    def from_json(cls, data: Iterable[Mapping[str, Any]]) -> Catalog:
        return cls(tuple(FieldSpec.from_json(item) for item in data))

    def get(self, key: str | None) -> FieldSpec | None:
        return None if key is None else self._by_key.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __len__(self) -> int:
        return len(self.fields)

    def groups(self) -> list[tuple[str, list[FieldSpec]]]:
        """Fields grouped by catalog group, groups in order of first appearance."""
        grouped: dict[str, list[FieldSpec]] = {}
        for spec in self.fields:
            grouped.setdefault(spec.group, []).append(spec)
        return list(grouped.items())

    def display_label(self, spec: FieldSpec) -> str:
        """The label, with what tells it apart when another field has the same one: "Reply rate ·
        Communication — Chat & Call", "Marketing opt-in status · Consent"."""
        twins = [f for f in self.fields if f.label == spec.label and f.key != spec.key]
        if not twins:
            return spec.label
        if spec.category and any(t.category != spec.category for t in twins if t.group == spec.group):
            return f"{spec.label} · {spec.category}"
        if any(t.group != spec.group for t in twins):
            return f"{spec.label} · {spec.group}"
        return f"{spec.label} · {spec.category or spec.key}"

    def search(self, text: str) -> list[FieldSpec]:
        """Fields whose label, group or key contains every word of `text` (case-insensitive)."""
        words = text.lower().split()
        if not words:
            return list(self.fields)
        hits = []
        for spec in self.fields:
            hay = f"{spec.label} {spec.group} {spec.category} {spec.key} {spec.description}".lower()
            if all(w in hay for w in words):
                hits.append(spec)
        # Label prefix matches first: typing "dea" should offer "Deal stage" before "Ideal customer".
        return sorted(hits, key=lambda s: not s.label.lower().startswith(words[0]))


@dataclass(frozen=True)
class Limits:
    """The org's rule limits (`GET /me` → organisation). The root counts as a group at depth 0."""

    max_groups: int = 2
    max_conditions: int = 3
    max_depth: int = 1

    @classmethod
    def from_org(cls, org: Mapping[str, Any]) -> Limits:
        return cls(
            max_groups=int(org.get("max_groups", 2)),
            max_conditions=int(org.get("max_conditions_per_group", org.get("max_conditions", 3))),
            max_depth=int(org.get("max_depth", 1)),
        )

    @classmethod
    def shape_of(cls, rules: Mapping[str, Any]) -> Limits:
        """The largest counts a saved tree uses (the server lets an edit keep them after a limit is lowered)."""
        found = {"groups": 0, "conditions": 0, "depth": 0}

        def walk(node: Any, level: int) -> None:
            children = node.get("rules") if isinstance(node, Mapping) else None
            if not isinstance(children, list):
                return
            groups = [c for c in children if isinstance(c, Mapping) and ("rules" in c or "combinator" in c)]
            found["groups"] = max(found["groups"], len(groups))
            found["conditions"] = max(found["conditions"], len(children) - len(groups))
            found["depth"] = max(found["depth"], level)
            for child in groups:
                walk(child, level + 1)

        walk(rules, 0)
        return cls(found["groups"], found["conditions"], found["depth"])

    def widen(self, other: Limits) -> Limits:
        return Limits(max(self.max_groups, other.max_groups), max(self.max_conditions, other.max_conditions),
                      max(self.max_depth, other.max_depth))
