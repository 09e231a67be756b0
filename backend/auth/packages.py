"""What each package tier includes. The org stores its tier; these facts follow from it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Protocol

from backend.errors import forbidden

PACKAGES = ("starter", "plus", "ultimate", "360")
STARTER_MESSAGE = "Segmentation is not included in the Starter package."


@dataclass(frozen=True)
class PackageFacts:
    segmentation: bool
    max_active_segments: int | None  # None: unlimited
    use_case_fields: bool

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


PACKAGE_FACTS: dict[str, PackageFacts] = {
    "starter": PackageFacts(segmentation=False, max_active_segments=0, use_case_fields=False),
    "plus": PackageFacts(segmentation=True, max_active_segments=5, use_case_fields=False),
    "ultimate": PackageFacts(segmentation=True, max_active_segments=None, use_case_fields=True),
    "360": PackageFacts(segmentation=True, max_active_segments=None, use_case_fields=True),
}


def facts_for(package: str) -> PackageFacts:
    return PACKAGE_FACTS[package]


def field_available(package: str, field_package: str) -> bool:
    """A catalog field marked "ultimate" needs a tier with use-case fields."""
    facts = facts_for(package)
    if field_package == "ultimate":
        return facts.use_case_fields
    return facts.segmentation


class HasPackage(Protocol):
    package: str


def require_segmentation(org: HasPackage) -> None:
    """The one package gate of every segmentation feature (catalog, preview, segments, members,
    analysis, campaigns): 403 with the message docs/rules.md states."""
    if not facts_for(org.package).segmentation:
        raise forbidden(STARTER_MESSAGE)
