"""The customer profile's sections as the profile screen lists them — Qt-free.

Every value is labelled with the served catalog's label (metrics also carry their definition, shown as a
tooltip); keys the catalog does not know keep their key, so nothing the server sends is hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from segstudio.core.catalog import Catalog
from segstudio.core.explain import value_text

RECORD_COLUMNS = 4  # a record's first columns shown in its line, beside its id


@dataclass(frozen=True)
class ProfileRow:
    label: str
    value: str
    tooltip: str = ""


def _labelled(values: Mapping[str, Any], catalog: Catalog, *, definitions: bool = False) -> list[ProfileRow]:
    rows = []
    for key, value in values.items():
        spec = catalog.get(key)
        label = spec.label if spec is not None else key
        tooltip = spec.description if definitions and spec is not None else ""
        rows.append(ProfileRow(label, value_text(value), tooltip))
    return sorted(rows, key=lambda r: r.label.lower())


def _record_line(record: Mapping[str, Any]) -> ProfileRow:
    shown = [(k, v) for k, v in record.items() if k != "id" and v not in (None, "", [])][:RECORD_COLUMNS]
    return ProfileRow(str(record.get("id")), " · ".join(f"{k.replace('_', ' ')}: {value_text(v)}" for k, v in shown))


def profile_sections(profile: Mapping[str, Any], catalog: Catalog) -> list[tuple[str, list[ProfileRow]]]:
    sections = [("Properties", _labelled(profile.get("properties") or {}, catalog)),
                ("Custom fields", _labelled(profile.get("custom_fields") or {}, catalog)),
                ("Metrics", _labelled(profile.get("metrics") or {}, catalog, definitions=True))]
    for name, records in (profile.get("associations") or {}).items():
        title = f"Latest {name}" + ("" if records else " (none)")
        sections.append((title, [_record_line(r) for r in records]))
    return sections
