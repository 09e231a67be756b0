"""Template variables → customer properties for the Send campaign panel (no Qt).

The property list comes from the organisation's field catalog (default customer fields and its custom
fields), so a new custom field is offered without a code change. Keys are the server's property keys:
catalog `customer_id` is the property `id`; custom fields keep their `custom.<key>`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

DEFAULT_GROUP = "Default fields"
CUSTOM_GROUP = "Custom fields"
CUSTOM_PREFIX = "custom."
# The catalog names a few properties differently from the recipient-list rows.
CATALOG_TO_PROPERTY = {"customer_id": "id"}
# Common template words for which the nearest customer property is not spelled the same.
SYNONYMS = {"first_name": "full_name", "name": "full_name", "last_name": "full_name", "customer_name": "full_name",
            "phone_number": "phone", "mobile": "phone", "email_address": "email", "tier": "loyalty_current_tier",
            "balance": "loyalty_available_balance", "points": "loyalty_available_balance",
            "reward": "loyalty_reward_name"}


@dataclass(frozen=True)
class PropertyOption:
    key: str
    label: str
    group: str


def _get(field: Any, key: str) -> Any:
    return field.get(key) if isinstance(field, Mapping) else getattr(field, key, None)


def property_options(fields: Iterable[Any]) -> list[PropertyOption]:
    """Customer-level catalog fields (not associated records, metrics or companies), defaults first."""
    defaults: list[PropertyOption] = []
    custom: list[PropertyOption] = []
    seen: set[str] = set()
    for field in fields:
        key = str(_get(field, "key"))
        if _get(field, "association") or _get(field, "available") is False:
            continue
        if key.startswith(CUSTOM_PREFIX):
            option = PropertyOption(key, str(_get(field, "label")), CUSTOM_GROUP)
            target = custom
        elif "." in key:
            continue  # metrics, company and record fields are not customer properties
        else:
            key = CATALOG_TO_PROPERTY.get(key, key)
            option = PropertyOption(key, str(_get(field, "label")), DEFAULT_GROUP)
            target = defaults
        if key not in seen:
            seen.add(key)
            target.append(option)
    return defaults + custom


def suggest(variable: str, options: Sequence[PropertyOption]) -> str | None:
    """A starting choice for a variable: the same key, a known synonym, or a custom field of that name."""
    keys = {o.key for o in options}
    name = variable.strip().lower()
    for candidate in (name, SYNONYMS.get(name), CUSTOM_PREFIX + name):
        if candidate and candidate in keys:
            return candidate
    return None


def initial_mapping(variables: Sequence[str], options: Sequence[PropertyOption]) -> dict[str, str | None]:
    return {v: suggest(v, options) for v in variables}


def problems(variables: Sequence[str], mapping: Mapping[str, str | None],
             options: Sequence[PropertyOption]) -> dict[str, str]:
    """variable → what is wrong with its mapping; empty when the list can be created."""
    keys = {o.key for o in options}
    out: dict[str, str] = {}
    for variable in variables:
        chosen = mapping.get(variable)
        if not chosen:
            out[variable] = f"Choose a customer property for {{{{{variable}}}}}."
        elif chosen not in keys:
            out[variable] = f"{chosen} is not a customer property of this organisation."
    return out


def wire_mapping(variables: Sequence[str], mapping: Mapping[str, str | None]) -> dict[str, str]:
    return {v: str(mapping[v]) for v in variables if mapping.get(v)}


def server_problems(fields: Mapping[str, str]) -> dict[str, str]:
    """The server's 400 paths (`variables.first_name`) as variable → message."""
    prefix = "variables."
    return {path[len(prefix):]: message for path, message in fields.items() if path.startswith(prefix)}
