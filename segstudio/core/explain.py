"""Per-node answers matched to the builder's rows, and the words of an explanation — Qt-free.

The server answers node counts and explanations as trees mirroring the rules it was sent, each node
with the `id` the app gave it, so answers are matched to rows by id (they survive moves) rather than
by position. `NodeCounts` holds one preview's counts and whether they are stale (an edit arrived since);
`explanation_lines` turns an explanation into one line per node for the "Why?" panel.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from segstudio.core.catalog import Catalog

MAX_SHOWN_RECORDS = 5


def _walk(node: Mapping[str, Any], depth: int = 0) -> Iterator[tuple[Mapping[str, Any], int]]:
    yield node, depth
    for child in node.get("rules") or ():
        if isinstance(child, Mapping):
            yield from _walk(child, depth + 1)


@dataclass(frozen=True)
class CountBadge:
    """What a row shows beside itself: the count's words, and whether to flag or grey it."""

    text: str
    matched: int
    zero: bool
    stale: bool

    @property
    def tooltip(self) -> str:
        if self.zero:
            return "On its own this matches no customer."
        return f"On its own this matches {self.matched:,} customers."


@dataclass
class NodeCounts:
    """One preview's per-node counts by node id; `stale` once the rules changed since they were asked."""

    by_id: dict[str, int] = field(default_factory=dict)
    stale: bool = False

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> NodeCounts:
        if not data:
            return cls()
        return cls({str(n["id"]): int(n.get("matched") or 0) for n, _ in _walk(data) if n.get("id") is not None})

    def mark_stale(self) -> None:
        self.stale = True

    def badge(self, node_id: str) -> CountBadge | None:
        """None for a row the last answer did not cover (new, incomplete or left out of the preview)."""
        if node_id not in self.by_id:
            return None
        n = self.by_id[node_id]
        return CountBadge(f"{n:,}", n, n == 0, self.stale)


def value_text(value: Any) -> str:
    """A customer's value as the panel shows it: empty as "(empty)", lists joined, numbers with separators."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class ExplainLine:
    node_id: str | None
    depth: int
    matched: bool
    text: str  # the condition's field and the customer's value, or the group's combinator
    detail: str = ""  # records, or a metric's definition


def _records_text(records: list[Mapping[str, Any]]) -> str:
    if not records:
        return "No associated records."
    matching = sum(1 for r in records if r.get("matched"))
    shown = ", ".join(f"{r.get('id')}: {value_text(r.get('value'))}{' ✓' if r.get('matched') else ''}"
                      for r in records[:MAX_SHOWN_RECORDS])
    more = f" and {len(records) - MAX_SHOWN_RECORDS} more" if len(records) > MAX_SHOWN_RECORDS else ""
    return f"{matching} of {len(records)} records satisfy it — {shown}{more}"


def explanation_lines(explanation: Mapping[str, Any], rules: Mapping[str, Any], catalog: Catalog) -> list[ExplainLine]:
    """One line per node, in tree order. `rules` is the tree that was explained (it names each condition's
    field; the answer mirrors it node for node)."""
    lines: list[ExplainLine] = []
    asked = [n for n, _ in _walk(rules)]
    for (node, depth), sent in zip(_walk(explanation.get("tree") or {}), asked, strict=False):
        matched = bool(node.get("matched"))
        if node.get("rules") is not None:  # (a dumped client model has "rules": None on conditions)
            combinator = str(sent.get("combinator") or "and").upper()
            words = "all of these" if combinator == "AND" else "any of these"
            lines.append(ExplainLine(node.get("id"), depth, matched, f"Matches {words}"))
            continue
        spec = catalog.get(sent.get("field"))
        label = spec.label if spec is not None else str(sent.get("field"))
        if node.get("records") is not None:
            lines.append(ExplainLine(node.get("id"), depth, matched, label, _records_text(node["records"])))
            continue
        detail = spec.description if spec is not None and spec.group == "Metrics" else ""
        lines.append(ExplainLine(node.get("id"), depth, matched, f"{label}: {value_text(node.get('value'))}",
                                 detail))
    return lines


def membership_note(explanation: Mapping[str, Any]) -> str:
    """For a saved segment: whether the committed membership agrees with the rules on today's data."""
    in_segment = explanation.get("in_segment")
    if in_segment is None:
        return ""
    matched = bool(explanation.get("matched"))
    if bool(in_segment) == matched:
        return "The last evaluation agrees: the customer is " + ("in" if matched else "not in") + " the segment."
    now = "match" if matched else "no longer match"
    was = "not in" if matched else "in"
    return (f"The customer is {was} the segment as last evaluated, but now would {now} its rules: "
            "the data changed since the last evaluation.")


def sample_with_rule_values(sample: list[Mapping[str, Any]], catalog: Catalog) -> list[dict[str, Any]]:
    """The preview's rows as the table shows them: name and id, then the values of the fields the rules use
    (served under `values`, by field key), titled with the fields' labels. Rows without values stay as sent."""
    if not any(row.get("values") for row in sample):
        return [dict(row) for row in sample]
    rows = []
    for row in sample:
        shown: dict[str, Any] = {"full_name": row.get("full_name"), "id": row.get("id")}
        for key, value in (row.get("values") or {}).items():
            spec = catalog.get(key)
            shown[spec.label if spec is not None else key] = value_text(value) if value not in (None, "") else ""
        rows.append(shown)
    return rows
