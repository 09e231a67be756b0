"""The readable difference between two saved revisions of a segment: conditions added, removed and changed.

Works on the wire form of the rules (plain dicts), so revisions saved under older or newer rule shapes still
compare. Conditions are paired by their node id when both sides carry one, then by field in order of
appearance; a pair that differs in operator, value, match or enclosing group's logic is "changed".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    text: str


@dataclass(frozen=True)
class Words:
    """Labels served by the backend (fields and operators by key); unknown keys show as themselves."""

    fields: Mapping[str, str]
    operators: Mapping[str, str]


NO_WORDS = Words({}, {})


@dataclass(frozen=True)
class _Cond:
    node: Mapping[str, Any]
    logic: str  # the combinator of the group holding it, e.g. "and"

    @property
    def id(self) -> Any:
        return self.node.get("id")

    @property
    def field(self) -> str:
        return str(self.node.get("field", ""))

    def meaning(self) -> tuple[Any, ...]:
        n = self.node
        return (n.get("field"), n.get("operator"), repr(n.get("value")), n.get("match"), self.logic)


def _conditions(node: Any, logic: str = "and") -> Iterator[_Cond]:
    if not isinstance(node, Mapping):
        return
    if isinstance(node.get("rules"), list):
        inner = str(node.get("combinator", "and"))
        if node.get("not"):
            inner = f"not {inner}"
        for child in node["rules"]:
            yield from _conditions(child, inner)
    elif "field" in node:
        yield _Cond(node, logic)


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
    return "" if value is None else str(value)


def phrase(node: Mapping[str, Any], words: Words = NO_WORDS) -> str:
    """One condition in words, e.g. "Source is WhatsApp"."""
    field = str(node.get("field", ""))
    operator = str(node.get("operator", ""))
    op_text = words.operators.get(operator, operator.replace("_", " "))
    value = node.get("value")
    if " N " in f" {op_text} " and isinstance(value, int):  # "is in the last N days" reads with its count
        op_text, value = f" {op_text} ".replace(" N ", f" {_value(value)} ").strip(), None
    parts = [words.fields.get(field, field), op_text, _value(value)]
    return " ".join(p for p in parts if p)


def _pair(old: list[_Cond], new: list[_Cond]) -> tuple[list[tuple[_Cond, _Cond]], list[_Cond], list[_Cond]]:
    pairs: list[tuple[_Cond, _Cond]] = []
    old_left, new_left = list(old), list(new)
    by_id = {c.id: c for c in new_left if c.id is not None}
    for c in list(old_left):
        match = by_id.get(c.id) if c.id is not None else None
        if match is not None and match in new_left:
            pairs.append((c, match))
            old_left.remove(c)
            new_left.remove(match)
    # Unpaired exact duplicates are unchanged; then same field in order is an edit of that condition.
    for c in list(old_left):
        same = next((n for n in new_left if n.meaning() == c.meaning()), None)
        if same is not None:
            pairs.append((c, same))
            old_left.remove(c)
            new_left.remove(same)
    for c in list(old_left):
        same = next((n for n in new_left if n.field == c.field), None)
        if same is not None:
            pairs.append((c, same))
            old_left.remove(c)
            new_left.remove(same)
    return pairs, old_left, new_left


def diff_rules(old: Mapping[str, Any], new: Mapping[str, Any], words: Words = NO_WORDS) -> list[Change]:
    pairs, removed, added = _pair(list(_conditions(old)), list(_conditions(new)))
    changes: list[Change] = []
    for a, b in pairs:
        if a.meaning() == b.meaning():
            continue
        before, after = phrase(a.node, words), phrase(b.node, words)
        if before == after and a.logic != b.logic:
            before, after = f"{before} ({a.logic.upper()})", f"{after} ({b.logic.upper()})"
        changes.append(Change("changed", f"{before} → {after}"))
    changes += [Change("removed", phrase(c.node, words)) for c in removed]
    changes += [Change("added", phrase(c.node, words)) for c in added]
    return changes


def diff_revisions(old: Any, new: Any, words: Words = NO_WORDS) -> list[Change]:
    """Name, description and rule differences from revision `old` to revision `new` (objects with
    `name`, `description` and `rules`)."""
    changes: list[Change] = []
    if old.name != new.name:
        changes.append(Change("changed", f"Name: {old.name} → {new.name}"))
    if (old.description or "") != (new.description or ""):
        changes.append(Change("changed", f"Description: {old.description or '(none)'} → "
                                         f"{new.description or '(none)'}"))
    return changes + diff_rules(old.rules, new.rules, words)


def change_lines(changes: list[Change]) -> list[str]:
    """The list as the History tab shows it; an empty difference says so."""
    if not changes:
        return ["No differences."]
    marks = {"added": "+ Added", "removed": "− Removed", "changed": "~ Changed"}
    return [f"{marks[c.kind]}: {c.text}" for c in changes]
