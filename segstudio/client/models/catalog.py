"""The field catalog the builder offers, the operators it uses, value suggestions and custom field definitions."""

from __future__ import annotations

from typing import Literal

from segstudio.client.models.base import WireModel


class FieldInfo(WireModel):
    key: str
    label: str
    group: str
    type: str
    operators: list[str]
    options: list[str] | None = None
    association: str | None = None
    package: str = "plus"
    suggestions: bool = False
    available: bool = True


class OperatorInfo(WireModel):
    """`GET /operators`: the words the app shows for an operator and the shape of value it takes."""

    key: str
    label: str
    value_shape: Literal["none", "one", "two", "list", "days"] | str = "one"


class Suggestions(WireModel):
    values: list[str | int | float | bool]


class CustomField(WireModel):
    key: str
    label: str
    type: str
    options: list[str] | None = None
