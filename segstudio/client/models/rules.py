"""A segment's rules as sent and received: nested groups of conditions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from segstudio.client.models.base import WireModel


class Condition(WireModel):
    field: str
    operator: str
    value: Any = None
    match: Literal["any", "all", "none"] | None = None
    id: str | None = None  # names the row; kept on the wire so per-node answers can be matched to it


def _node_kind(node: Any) -> str:
    if isinstance(node, dict):
        return "group" if "combinator" in node else "condition"
    return "group" if isinstance(node, RuleGroup) else "condition"


class RuleGroup(WireModel):
    combinator: Literal["and", "or"]
    id: str | None = None
    not_: bool | None = Field(default=None, alias="not")  # `"not": true` negates the group
    rules: list[Annotated[Annotated[RuleGroup, Tag("group")] | Annotated[Condition, Tag("condition")],
                          Discriminator(_node_kind)]] = Field(default_factory=list)

    def to_wire(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True, by_alias=True)
