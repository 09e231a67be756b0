"""The field catalog and the operator table as the builder sees them, and what each operator asks of its value.

Everything comes from the server: fields from `GET /fields`, operators (their labels and value shapes) from
`GET /operators`, so the UI never hard-codes a field, an operator list or an operator's words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class ValueShape(Enum):
    """The shape of value an operator takes, as `GET /operators` serves it."""

    NONE = "none"
    ONE = "one"
    TWO = "two"
    LIST = "list"
    DAYS = "days"


@dataclass(frozen=True)
class OperatorSpec:
    """One entry of `GET /operators`."""

    key: str
    label: str
    shape: ValueShape

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OperatorSpec:
        try:
            shape = ValueShape(str(data.get("value_shape")))
        except ValueError:
            shape = ValueShape.ONE  # a shape this app does not know yet: a single typed value is the safe editor
        key = str(data["key"])
        return cls(key, str(data.get("label") or key), shape)


@dataclass(frozen=True)
class Operators:
    """The served operator table, by key."""

    specs: tuple[OperatorSpec, ...] = ()
    _by_key: dict[str, OperatorSpec] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({o.key: o for o in self.specs})

    @classmethod
    def from_json(cls, data: Iterable[Mapping[str, Any]]) -> Operators:
        return cls(tuple(OperatorSpec.from_json(item) for item in data))

    def label(self, key: str) -> str:
        spec = self._by_key.get(key)
        return spec.label if spec is not None else key.replace("_", " ")

    def shape(self, key: str) -> ValueShape:
        spec = self._by_key.get(key)
        return spec.shape if spec is not None else ValueShape.ONE

    def __contains__(self, key: object) -> bool:
        return key in self._by_key


NO_OPERATORS = Operators()
# Operators comparing a whole value, for which a dropdown field offers its options; "contains" takes free text.
EXACT_MATCH = frozenset({"is", "is_not"})

TEXT_TYPES = frozenset({"text", "single_line_text", "multi_line_text", "url", "gps", "email", "phone"})
NUMBER_TYPES = frozenset({"number", "integer", "currency", "percentage", "ratio", "decimal"})
DATE_TYPES = frozenset({"date", "datetime", "timestamp"})
PRESENCE_TYPES = frozenset({"file_upload", "signature"})
# Limits from the ingestion contract: single-line text is at most 255 characters, multi-line 10,000.
TEXT_MAX_LENGTH = {"multi_line_text": 10_000}
DEFAULT_TEXT_MAX_LENGTH = 255


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
    # The served operator table this field's operators are read from (the catalog passes it in).
    operator_table: Operators = field(default=NO_OPERATORS, compare=False, repr=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], operators: Operators = NO_OPERATORS) -> FieldSpec:
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
            operator_table=operators,
        )

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
        # An unknown type: infer from the shapes of the operators the catalog offers for it.
        shapes = {self.operator_table.shape(op) for op in self.operators}
        if ValueShape.LIST in shapes:
            return TypeFamily.MULTI
        if ValueShape.DAYS in shapes:
            return TypeFamily.DATE
        if shapes and shapes <= {ValueShape.NONE}:
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

    def operator_label(self, operator: str) -> str:
        return self.operator_table.label(operator)

    def value_kind(self, operator: str | None) -> ValueKind:
        """The editor an operator needs on this field: the served value shape, refined by the field's type."""
        if operator is None:
            return ValueKind.NONE
        shape = self.operator_table.shape(operator)
        family = self.family
        if shape is ValueShape.NONE or family is TypeFamily.PRESENCE:
            return ValueKind.NONE
        if shape is ValueShape.LIST:
            return ValueKind.MULTI
        if shape is ValueShape.DAYS:
            return ValueKind.DAYS
        if family is TypeFamily.NUMBER:
            return ValueKind.NUMBER_RANGE if shape is ValueShape.TWO else ValueKind.NUMBER
        if family is TypeFamily.DATE:
            return ValueKind.DATE_RANGE if shape is ValueShape.TWO else ValueKind.DATE
        if family is TypeFamily.BOOLEAN:
            return ValueKind.BOOLEAN
        if family in (TypeFamily.DROPDOWN, TypeFamily.MULTI) and operator in EXACT_MATCH:
            return ValueKind.CHOICE
        return ValueKind.TEXT

    def unavailable_reason(self) -> str:
        if self.available:
            return ""
        tier = self.package.capitalize() if self.package else "a higher"
        return f"{self.label} needs the {tier} package. Ask your administrator to upgrade."


@dataclass(frozen=True)
class Catalog:
    """The fields in the server's order, looked up by key, and the operator table their operators come from."""

    fields: tuple[FieldSpec, ...] = ()
    operators: Operators = NO_OPERATORS
    _by_key: dict[str, FieldSpec] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({f.key: f for f in self.fields})

    @classmethod
    def from_json(cls, fields: Iterable[Mapping[str, Any]], operators: Iterable[Mapping[str, Any]] = ()
                  ) -> Catalog:
        """`GET /fields` and `GET /operators`, as served."""
        table = Operators.from_json(operators)
        return cls(tuple(FieldSpec.from_json(item, table) for item in fields), table)

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

    def search(self, text: str) -> list[FieldSpec]:
        """Fields whose label, group or key contains every word of `text` (case-insensitive)."""
        words = text.lower().split()
        if not words:
            return list(self.fields)
        hits = []
        for spec in self.fields:
            hay = f"{spec.label} {spec.group} {spec.key} {spec.description}".lower()
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
