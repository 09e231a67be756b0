"""The parsed rule tree: small typed nodes that remember where they came from (their path)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from backend.auth.org_settings import HasOrgSettings, OrgSettings
from backend.auth.packages import field_available, require_segmentation
from backend.errors import ApiError, FieldError, validation_error
from backend.rules.fields import FieldDef, Registry, build_registry
from backend.rules.operators import TABLE, Operator, ValueProblem, parse_value

MATCHES = ("any", "all", "none")
COMBINATORS = ("and", "or")
# Hard ceilings that hold even when org limits are not enforced (stored segments, internal callers).
HARD_MAX_DEPTH = 8
HARD_MAX_NODES = 500
MAX_ID = 100
GROUP_KEYS = frozenset({"combinator", "rules", "id", "not"})
CONDITION_KEYS = frozenset({"field", "operator", "value", "match", "id"})


@dataclass(frozen=True)
class Condition:
    path: str
    field: FieldDef
    operator: Operator
    value: Any  # typed: str, float, date, tuple, bool or None
    raw_value: Any  # as sent, for round trips
    match: str  # "any", "all" or "none"; only per-record association fields use it
    id: str | None = None


@dataclass(frozen=True)
class Group:
    path: str
    combinator: str
    rules: tuple[Node, ...]
    id: str | None = None
    negate: bool = False  # `"not": true`: the customers the same group without it does not match


Node = Group | Condition


@dataclass(frozen=True)
class RuleTree:
    root: Group
    registry: Registry

    def conditions(self) -> Iterator[Condition]:
        stack: list[Node] = [self.root]
        while stack:
            node = stack.pop()
            if isinstance(node, Condition):
                yield node
            else:
                stack.extend(reversed(node.rules))

    def find(self, path: str) -> Node | None:
        stack: list[Node] = [self.root]
        while stack:
            node = stack.pop()
            if node.path == path:
                return node
            if isinstance(node, Group):
                stack.extend(node.rules)
        return None


@dataclass(frozen=True)
class Limits:
    """How big a rule tree may be: criteria groups and conditions in one group, and nesting depth."""

    max_groups: int
    max_conditions_per_group: int
    max_depth: int

    @classmethod
    def of(cls, org: HasOrgSettings) -> Limits:
        return cls(org.max_groups, org.max_conditions_per_group, org.max_depth)

    @classmethod
    def shape_of(cls, rules: Any) -> Limits:
        """The largest counts a stored tree uses, so an edit may keep what an older, looser limit allowed."""
        groups = conditions = depth = 0

        def walk(node: Any, level: int) -> None:
            nonlocal groups, conditions, depth
            children = node.get("rules") if isinstance(node, dict) else None
            if not isinstance(children, list):
                return
            subgroups = [c for c in children if isinstance(c, dict) and ("rules" in c or "combinator" in c)]
            groups = max(groups, len(subgroups))
            conditions = max(conditions, len(children) - len(subgroups))
            depth = max(depth, level)
            for child in subgroups:
                walk(child, level + 1)

        walk(rules, 0)
        return cls(groups, conditions, depth)

    def widen(self, other: Limits) -> Limits:
        return Limits(max(self.max_groups, other.max_groups),
                      max(self.max_conditions_per_group, other.max_conditions_per_group),
                      max(self.max_depth, other.max_depth))


class _Parser:
    def __init__(self, org: OrgSettings, registry: Registry, enforce_limits: bool,
                 limits: Limits | None = None) -> None:
        self.org = org
        self.limits = limits or Limits.of(org)
        self.registry = registry
        self.enforce = enforce_limits
        self.errors: list[FieldError] = []
        self.gated: list[tuple[str, FieldDef]] = []
        self.nodes = 0

    def error(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def node_id(self, raw: dict[str, Any], path: str) -> str | None:
        value = raw.get("id")
        if value is None:
            return None
        if not isinstance(value, str | int) or isinstance(value, bool) or len(str(value)) > MAX_ID:
            self.error(f"{path}.id", f"An id is a string of at most {MAX_ID} characters.")
            return None
        return str(value)

    def parse(self, raw: Any, path: str, depth: int) -> Node | None:
        self.nodes += 1
        if self.nodes > HARD_MAX_NODES:
            if self.nodes == HARD_MAX_NODES + 1:
                self.error(path, f"A rule tree holds at most {HARD_MAX_NODES} conditions and groups.")
            return None
        if not isinstance(raw, dict):
            self.error(path, "Expected a group {combinator, rules} or a condition {field, operator, value}.")
            return None
        if "field" in raw and "rules" not in raw and "combinator" not in raw:
            if depth == 0:
                self.error(path, "The root must be a group: {\"combinator\": \"and\", \"rules\": [...]}.")
                return None
            return self.condition(raw, path)
        return self.group(raw, path, depth)

    def group(self, raw: dict[str, Any], path: str, depth: int) -> Group | None:
        for key in raw:
            if key not in GROUP_KEYS:
                self.error(f"{path}.{_safe_key(key)}", "Unknown property of a group.")
        negate = raw.get("not", False)
        if negate is None:
            negate = False
        if not isinstance(negate, bool):
            self.error(f"{path}.not", "Expected true or false.")
            negate = False
        combinator = raw.get("combinator")
        if not isinstance(combinator, str) or combinator.lower() not in COMBINATORS:
            self.error(f"{path}.combinator", "Choose \"and\" or \"or\".")
            combinator = "and"
        rules = raw.get("rules")
        if not isinstance(rules, list):
            self.error(f"{path}.rules", "Expected a list of conditions and groups.")
            return None
        if not rules:
            self.error(f"{path}.rules", "Add at least one condition.")
        if depth >= HARD_MAX_DEPTH:
            self.error(path, f"Groups nest at most {HARD_MAX_DEPTH} deep.")
            return None
        groups = [r for r in rules if isinstance(r, dict) and ("rules" in r or "combinator" in r)]
        conditions = len(rules) - len(groups)
        if self.enforce:
            if len(groups) > self.limits.max_groups:
                self.error(f"{path}.rules", f"A group holds at most {self.limits.max_groups} criteria groups.")
            if conditions > self.limits.max_conditions_per_group:
                self.error(f"{path}.rules",
                           f"A group holds at most {self.limits.max_conditions_per_group} conditions.")
            if groups and depth + 1 > self.limits.max_depth:
                for i, r in enumerate(rules):
                    if r in groups:
                        self.error(f"{path}.rules.{i}",
                                   f"Groups nest at most {self.limits.max_depth} level(s) below the root.")
                return None
        children = []
        for i, child in enumerate(rules):
            node = self.parse(child, f"{path}.rules.{i}", depth + 1)
            if node is not None:
                children.append(node)
        return Group(path, combinator.lower(), tuple(children), self.node_id(raw, path), negate)

    def condition(self, raw: dict[str, Any], path: str) -> Condition | None:
        for key in raw:
            if key not in CONDITION_KEYS:
                self.error(f"{path}.{_safe_key(key)}", "Unknown property of a condition.")
        key = raw.get("field")
        field = self.registry.get(key) if isinstance(key, str) else None
        if field is None:
            self.error(f"{path}.field", "Unknown field." if isinstance(key, str) else "Choose a field.")
            return None
        if not field_available(self.org.package, field.package):
            self.gated.append((path, field))
        op_key = raw.get("operator")
        allowed = TABLE[field.kind]
        if not isinstance(op_key, str) or op_key not in field.operators:
            self.error(f"{path}.operator", f"Choose an operator {field.label} allows: {', '.join(field.operators)}.")
            return None
        operator = allowed[op_key]
        match = raw.get("match", "any")
        if match is None:
            match = "any"
        if match not in MATCHES:
            self.error(f"{path}.match", "Choose \"any\", \"all\" or \"none\".")
            match = "any"
        raw_value = raw.get("value")
        if operator.shape.value == "none" and raw_value == "":
            raw_value = None
        try:
            value = parse_value(operator.shape, raw_value, kind=field.kind, max_text=field.max_text,
                                max_items=operator.max_items)
        except ValueProblem as exc:
            where = f"{path}.value" if exc.index is None else f"{path}.value.{exc.index}"
            self.error(where, exc.message)
            return None
        return Condition(path, field, operator, value, raw_value, match, self.node_id(raw, path))


def without_ids(rules: Any) -> Any:
    """The tree as sent minus its nodes' `id`s: what it means. Ids only name rows (the app matches per-node
    answers to rows by them), so a tree that differs from another only in ids selects the same customers."""
    if isinstance(rules, dict):
        return {k: without_ids(v) for k, v in rules.items() if k != "id"}
    if isinstance(rules, list):
        return [without_ids(v) for v in rules]
    return rules


def _safe_key(key: Any) -> str:
    text = str(key)
    return text if len(text) <= 40 and text.isidentifier() else "?"


def parse_and_validate(session: Session, org: HasOrgSettings, rules: Any, *, path_prefix: str = "rules",
                       enforce_limits: bool = True, registry: Registry | None = None,
                       limits: Limits | None = None) -> RuleTree:
    """Parse a rule tree; 400 naming every problem by path, 403 for starter or package-gated fields."""
    org = OrgSettings.of(org)
    require_segmentation(org)
    registry = registry or build_registry(session, org)
    parser = _Parser(org, registry, enforce_limits, limits)
    root = parser.parse(rules, path_prefix, 0)
    if parser.gated:
        path, field = parser.gated[0]
        raise ApiError(403, "package_required",
                       f"{field.label} ({path}) is not included in the {org.package.capitalize()} package; "
                       f"it needs Ultimate or 360.")
    if parser.errors or root is None or not isinstance(root, Group):
        if not parser.errors:
            parser.error(path_prefix, "The root must be a group.")
        raise validation_error(parser.errors)
    return RuleTree(root, registry)
