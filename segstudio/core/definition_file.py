"""A segment definition as a JSON file: what the builder exports and reads back on import.

The file holds the segment's name, description and rules (the contract's rule JSON), tagged with a format
name and version so other JSON is recognised for what it is. A segment as the API returns it (with `id`,
counts and so on) is accepted too; only name, description and rules are read. Import checks everything
before anything changes: the JSON, the shape of every rule, the catalog (field known and in the package,
operator offered) and the organisation's limits, and reports each problem with where it is.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from segstudio.core.catalog import Catalog, Limits
from segstudio.core.rule_tree import Group, RuleTree
from segstudio.core.rule_tree.clipboard import catalog_problems, shape_problems
from segstudio.core.validation import validate_info

FORMAT = "segstudio/segment-definition"
VERSION = 1
FILE_FILTER = "Segment definition (*.json);;All files (*)"
MAX_BYTES = 1_000_000  # a definition is a few KB; anything this big is not one


@dataclass(frozen=True)
class Definition:
    name: str
    description: str
    rules: dict[str, Any]


class DefinitionError(ValueError):
    """The file cannot be imported; `problems` lists every reason, each a sentence."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems

    @property
    def message(self) -> str:
        head = "This file cannot be imported:" if len(self.problems) > 1 else "This file cannot be imported."
        return head + " " + " ".join(self.problems) + " Nothing was changed."


def dump_definition(name: str, description: str | None, rules: Mapping[str, Any]) -> str:
    data = {"format": FORMAT, "version": VERSION, "name": name, "description": description or "",
            "rules": rules}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def load_definition(text: str | bytes, catalog: Catalog, limits: Limits) -> tuple[Definition, RuleTree]:
    """The definition in `text` and its rules as a tree under `limits`; DefinitionError lists the problems."""
    if len(text) > MAX_BYTES:
        raise DefinitionError([f"It is larger than {MAX_BYTES // 1000:,} KB, too large for a segment definition."])
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise DefinitionError([f"It is not valid JSON ({exc})."]) from None
    if not isinstance(data, Mapping):
        raise DefinitionError(["It must hold a JSON object with a name and rules."])
    problems: list[str] = []
    fmt = data.get("format")
    if fmt is not None and fmt != FORMAT:
        raise DefinitionError([f"It is a “{fmt}” file, not a segment definition."])
    if fmt is not None and data.get("version") != VERSION:
        raise DefinitionError([f"It is version {data.get('version')} of the format; this app reads version "
                               f"{VERSION}."])
    name, description = data.get("name", ""), data.get("description") or ""
    if not isinstance(name, str):
        problems.append("The name must be text.")
        name = ""
    if not isinstance(description, str):
        problems.append("The description must be text.")
        description = ""
    for key, message in validate_info(name or "x", description).items():
        problems.append(f"The {key}: {message[0].lower()}{message[1:]}.")
    rules = data.get("rules")
    if rules is None:
        problems.append("It has no “rules”.")
        raise DefinitionError(problems)
    if not isinstance(rules, Mapping) or not ("rules" in rules or "combinator" in rules):
        raise DefinitionError([*problems, "Its “rules” must be a group: an object with a combinator and rules."])
    problems.extend(f"In the rules, {p[0].lower()}{p[1:]}" for p in shape_problems(rules))
    if problems:
        raise DefinitionError(problems)
    tree = RuleTree.from_json(rules, limits)
    problems.extend(f"In the rules, {p[0].lower()}{p[1:]}" for p in catalog_problems(tree.root, catalog))
    for node_id, message in tree.limit_problems().items():
        node = tree.find(node_id)
        what = "the top level" if node.id == tree.root.id else f"group {_position(tree, node)}"
        problems.append(f"In {what}: {message[0].lower()}{message[1:]}")
    if problems:
        raise DefinitionError(problems)
    return Definition(name.strip(), description.strip(), tree.to_json()), tree


def _position(tree: RuleTree, node: Group) -> str:
    return "›".join(str(i + 1) for i in tree.path_of(node.id))
