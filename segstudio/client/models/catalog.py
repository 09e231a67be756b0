"""The field catalog the builder offers, value suggestions and custom field definitions."""

from __future__ import annotations

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


class Suggestions(WireModel):
    values: list[str | int | float | bool]


class CustomField(WireModel):
    key: str
    label: str
    type: str
    options: list[str] | None = None
