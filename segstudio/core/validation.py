"""Local validation of a rule tree and the segment info, and mapping the server's 400 paths onto node ids.

Results are per node (`{node_id: [Issue, ...]}`), each naming the part of the row it concerns ("field",
"operator", "value", "value.1", "match", or "group") so the row can mark exactly that input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from segstudio.core.catalog import Catalog, FieldSpec, ValueKind
from segstudio.core.rule_tree import Condition, Group, RuleTree

NAME_MAX = 60
DESCRIPTION_MAX = 250

_GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Issue:
    node_id: str | None
    part: str | None
    message: str


def parse_number(value: Any) -> int | float | None:
    """A number from what the user typed ("1500", "1,500.5", "12%"), or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip().replace(" ", "").removesuffix("%")
    if _GROUPED_NUMBER.match(text):
        text = text.replace(",", "")
    if not _PLAIN_NUMBER.match(text):
        return None
    number = float(text)
    return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number


def parse_days(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def parse_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _pair(value: Any) -> tuple[Any, Any]:
    if isinstance(value, list | tuple):
        low = value[0] if len(value) > 0 else None
        high = value[1] if len(value) > 1 else None
        return low, high
    return value, None


def _number_issue(value: Any, spec: FieldSpec) -> str | None:
    if _blank(value):
        return "Enter a number"
    number = parse_number(value)
    if number is None:
        return "Enter a number"
    if spec.type == "percentage" and not 0 <= number <= 100:
        return "Enter a percentage from 0 to 100"
    return None


def value_issues(cond: Condition, spec: FieldSpec, node_id: str | None = None) -> list[Issue]:
    """What is wrong with a condition's value for the operator it uses."""
    nid = node_id or cond.id
    kind = spec.value_kind(cond.operator)
    value = cond.value

    def issue(message: str, part: str = "value") -> list[Issue]:
        return [Issue(nid, part, message)]

    if kind is ValueKind.NONE:
        return []
    if kind is ValueKind.TEXT:
        if _blank(value):
            return issue("Enter a value")
        if not isinstance(value, str):
            return issue("Enter text")
        if spec.max_length is not None and len(value) > spec.max_length:
            return issue(f"Use at most {spec.max_length} characters")
        return []
    if kind is ValueKind.CHOICE:
        if _blank(value):
            return issue("Choose a value")
        if spec.options is not None and value not in spec.options:
            return issue("Choose one of the options")
        return []
    if kind is ValueKind.MULTI:
        values = value if isinstance(value, list | tuple) else ([] if value is None else [value])
        if not values:
            return issue("Choose at least one option")
        if spec.options is not None and any(v not in spec.options for v in values):
            return issue("Choose from the options")
        return []
    if kind is ValueKind.NUMBER:
        problem = _number_issue(value, spec)
        return issue(problem) if problem else []
    if kind is ValueKind.NUMBER_RANGE:
        low, high = _pair(value)
        problems = [Issue(nid, f"value.{i}", p) for i, v in enumerate((low, high))
                    if (p := _number_issue(v, spec))]
        if problems:
            return problems
        low_n, high_n = parse_number(low), parse_number(high)
        assert low_n is not None and high_n is not None
        if low_n > high_n:
            return issue("The first number must not be greater than the second")
        return []
    if kind is ValueKind.DATE:
        if _blank(value):
            return issue("Pick a date")
        return [] if parse_date(value) else issue("Enter a date as YYYY-MM-DD")
    if kind is ValueKind.DATE_RANGE:
        low, high = _pair(value)
        problems = []
        for i, v in enumerate((low, high)):
            if _blank(v):
                problems.append(Issue(nid, f"value.{i}", "Pick a date"))
            elif parse_date(v) is None:
                problems.append(Issue(nid, f"value.{i}", "Enter a date as YYYY-MM-DD"))
        if problems:
            return problems
        low_d, high_d = parse_date(low), parse_date(high)
        assert low_d is not None and high_d is not None
        if low_d > high_d:
            return issue("The start date must not be after the end date")
        return []
    if kind is ValueKind.DAYS:
        if _blank(value):
            return issue("Enter a number of days")
        return [] if parse_days(value) is not None else issue("Enter a whole number of days, 0 or more")
    if kind is ValueKind.BOOLEAN:
        return [] if isinstance(value, bool) else issue("Choose true or false")
    return []


def condition_issues(cond: Condition, catalog: Catalog) -> list[Issue]:
    if cond.field is None:
        return [Issue(cond.id, "field", "Choose a field")]
    spec = catalog.get(cond.field)
    if spec is None:
        return [Issue(cond.id, "field", "This field no longer exists; choose another")]
    if not spec.available:
        return [Issue(cond.id, "field", spec.unavailable_reason())]
    if cond.operator is None:
        return [Issue(cond.id, "operator", "Choose an operator")]
    if spec.operators and cond.operator not in spec.operators:
        return [Issue(cond.id, "operator", f"This operator does not apply to {spec.label}")]
    issues = value_issues(cond, spec)
    if spec.match_applies and cond.match not in (None, "any", "all", "none"):
        issues.append(Issue(cond.id, "match", "Choose any, all or none"))
    return issues


def is_complete(cond: Condition, catalog: Catalog) -> bool:
    return not condition_issues(cond, catalog)


def validate_tree(tree: RuleTree, catalog: Catalog) -> dict[str, list[Issue]]:
    """Every problem in the tree, by node id; an empty dict means the tree can be saved."""
    result: dict[str, list[Issue]] = {}
    for _path, node in tree.walk():
        if isinstance(node, Group):
            if not node.rules:
                message = ("Add at least one condition" if node.id == tree.root.id
                           else "Add a condition to this group or remove it")
                result.setdefault(node.id, []).append(Issue(node.id, "group", message))
        else:
            issues = condition_issues(node, catalog)
            if issues:
                result[node.id] = issues
    for node_id, message in tree.limit_problems().items():
        result.setdefault(node_id, []).append(Issue(node_id, "group", message))
    return result


def validate_info(name: str, description: str | None) -> dict[str, str]:
    """Problems with the segment's name and description, keyed "name" / "description"."""
    problems: dict[str, str] = {}
    if not name.strip():
        problems["name"] = "Enter a segment name"
    elif len(name) > NAME_MAX:
        problems["name"] = f"Use at most {NAME_MAX} characters"
    if description is not None and len(description) > DESCRIPTION_MAX:
        problems["description"] = f"Use at most {DESCRIPTION_MAX} characters"
    return problems


# --- the server's 400 paths ---------------------------------------------------------------------------------

@dataclass
class ServerErrors:
    """A 400's `fields` sorted by where they belong: tree nodes, segment info, or nowhere in particular."""

    by_node: dict[str, list[Issue]] = field(default_factory=dict)
    info: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.by_node or self.info or self.general)


def resolve_path(tree: RuleTree, path: str) -> tuple[str | None, str | None]:
    """The node id and row part a request path points at: `rules.rules.1.rules.0.value` → (id, "value").

    A path into the tree that no longer matches (the tree changed since the request) lands on the deepest
    node it still reaches, so the message is not lost.
    """
    parts = path.split(".")
    if not parts or parts[0] != "rules":
        return None, None
    node: Condition | Group = tree.root
    i = 1
    while i + 1 < len(parts) and parts[i] == "rules" and parts[i + 1].isdigit():
        index = int(parts[i + 1])
        if not isinstance(node, Group) or index >= len(node.rules):
            return node.id, "group" if isinstance(node, Group) else None
        node = node.rules[index]
        i += 2
    rest = ".".join(parts[i:])
    if not rest:
        return node.id, "group" if isinstance(node, Group) else "value"
    if rest == "rules":
        return node.id, "group"
    return node.id, rest


def map_server_errors(tree: RuleTree, fields: Mapping[str, str] | Iterable[Mapping[str, Any]]) -> ServerErrors:
    if isinstance(fields, Mapping):
        items = list(fields.items())
    else:
        items = [(str(f.get("path", "")), str(f.get("message", ""))) for f in fields]
    out = ServerErrors()
    for path, message in items:
        head = path.split(".")[0]
        if head in ("name", "description"):
            out.info[head] = message
            continue
        node_id, part = resolve_path(tree, path)
        if node_id is None:
            out.general.append(message if not path else f"{path}: {message}")
        else:
            out.by_node.setdefault(node_id, []).append(Issue(node_id, part, message))
    return out
