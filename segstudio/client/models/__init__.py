"""Typed shapes of every response in the wire contract (`spec/contract.md`), plus `GET /me`.

Models allow extra keys: the contract fixes a minimum and the server may add to it, and an older app must
keep working against a newer server. Where the contract leaves a shape open (summary, performance,
recipient-list rows) the model names what it knows and keeps the rest in `model_extra`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

Level = Literal["all", "owned", "disabled"]
Readiness = Literal["pending", "not_ready", "ready", "failed"]

SEGMENT_VIEW = "customers_segment_view"
SEGMENT_ADD = "customers_segment_add"
SEGMENT_MANAGE = "customers_segment_manage"
SEGMENT_ARCHIVED = "customers_segment_archived"
CUSTOMERS_VIEW = "customers_customers_view"


class WireModel(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


# --- auth -------------------------------------------------------------------------------------------------

class TokenResponse(WireModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime | None = None


class UserInfo(WireModel):
    id: int
    username: str
    display_name: str = ""
    role: str
    role_name: str = ""

    @property
    def name(self) -> str:
        return self.display_name or self.username


class OrganisationInfo(WireModel):
    id: int
    cid: str = ""
    name: str
    package: str
    timezone: str
    refresh_time: str = "08:00"
    max_groups: int = 2
    max_conditions_per_group: int = 3
    max_depth: int = 1


class PackageInfo(WireModel):
    tier: str
    segmentation: bool
    max_active_segments: int | None = None
    use_case_fields: bool = False


class Me(WireModel):
    user: UserInfo
    organisation: OrganisationInfo
    package: PackageInfo
    permissions: dict[str, str] = Field(default_factory=dict)

    def level(self, key: str) -> str:
        return self.permissions.get(key, "disabled")

    def can(self, key: str, *, owner_id: int | None = None) -> bool:
        """Same rule as the server: "owned" allows only things this user created."""
        level = self.level(key)
        if level == "all":
            return True
        if level == "owned":
            return owner_id is None or owner_id == self.user.id
        return False


class ApiToken(WireModel):
    id: int
    name: str | None = None
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class ApiTokenCreated(ApiToken):
    token: str


# --- catalog ----------------------------------------------------------------------------------------------

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


# --- rules ------------------------------------------------------------------------------------------------

class Condition(WireModel):
    field: str
    operator: str
    value: Any = None
    match: Literal["any", "all"] | None = None


def _node_kind(node: Any) -> str:
    if isinstance(node, dict):
        return "group" if "combinator" in node else "condition"
    return "group" if isinstance(node, RuleGroup) else "condition"


class RuleGroup(WireModel):
    combinator: Literal["and", "or"]
    rules: list[Annotated[Annotated[RuleGroup, Tag("group")] | Annotated[Condition, Tag("condition")],
                          Discriminator(_node_kind)]] = Field(default_factory=list)

    def to_wire(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


# --- segments ---------------------------------------------------------------------------------------------

class CustomerRow(WireModel):
    """A customer as the preview sample, members and recipient lists show it: id and name, the rest extra."""

    id: str
    full_name: str | None = None
    source: str | None = None
    last_activity_at: datetime | None = None
    added_by: str | None = None


class Preview(WireModel):
    matched: int
    total_customers: int
    summary: str = ""
    sample: list[CustomerRow] = Field(default_factory=list)


class UserRef(WireModel):
    id: int | None = None
    username: str | None = None
    display_name: str | None = None

    @property
    def name(self) -> str:
        return self.display_name or self.username or ""


class Segment(WireModel):
    id: int | str
    name: str
    description: str | None = None
    rules: RuleGroup
    status: str = "active"
    readiness: Readiness = "pending"
    member_count: int | None = None
    last_evaluated_at: datetime | None = None
    created_by: UserRef | str | int | None = None
    created_by_user_id: int | None = None
    created_at: datetime
    summary: str | None = None
    # The server's own answer for this user, when it sends one; the app falls back to /me permissions.
    can_edit: bool | None = None
    can_archive: bool | None = None
    can_delete: bool | None = None

    @property
    def created_by_name(self) -> str:
        if isinstance(self.created_by, UserRef):
            return self.created_by.name
        return "" if self.created_by is None else str(self.created_by)

    @property
    def created_by_id(self) -> int | None:
        """The creator's user id when the server says it; an "owned" permission level needs it."""
        if self.created_by_user_id is not None:
            return self.created_by_user_id
        if isinstance(self.created_by, UserRef):
            return self.created_by.id
        if isinstance(self.created_by, int):
            return self.created_by
        return None

    @property
    def evaluating(self) -> bool:
        return self.readiness in ("pending", "not_ready")


class SegmentPage(WireModel):
    items: list[Segment]
    total: int


class Members(WireModel):
    items: list[CustomerRow]
    total_matched: int
    visible: int


class ChannelReach(WireModel):
    count: int = 0
    percent: float = 0.0


class Reachability(WireModel):
    whatsapp: ChannelReach
    email: ChannelReach


class SegmentSummary(WireModel):
    """SEG-S11 figures: matched, reach, last update and (not for archived segments) reachability."""

    member_count: int | None = None
    last_evaluated_at: datetime | None = None
    status: str = "active"
    readiness: Readiness = "pending"
    total_matched: int = 0
    total_customers: int = 0
    reach_percent: float = 0.0
    last_updated: datetime | None = None
    filter_summary: str | None = None
    reachability: Reachability | None = None


class GrowthPoint(WireModel):
    at: datetime
    member_count: int | None = None
    entered: int | None = None
    left: int | None = None


class Share(WireModel):
    label: str
    count: int
    percent: float


class SegmentPerformance(WireModel):
    """SEG-S13 figures over a range: the growth history and four distributions."""

    range: str | None = None
    growth: list[GrowthPoint] = Field(default_factory=list)
    total: int = 0
    last_updated: datetime | None = None
    source: list[Share] = Field(default_factory=list)
    province: list[Share] = Field(default_factory=list)
    age: list[Share] = Field(default_factory=list)
    gender: list[Share] = Field(default_factory=list)


class Evaluation(WireModel):
    id: int
    reason: str = ""
    status: str
    started_at: datetime | None = None
    finished_at: datetime | None = None
    member_count: int | None = None
    error: str | None = None


class EvaluationPage(WireModel):
    items: list[Evaluation]
    total: int = 0


class KeyMetrics(WireModel):
    avg_total_spend: float | None = None
    avg_deal_size: float | None = None
    avg_csat: float | None = None
    open_deal_percent: float = 0.0
    open_deal_count: int = 0


class Distributions(WireModel):
    source: list[Share] = Field(default_factory=list)
    province: list[Share] = Field(default_factory=list)
    age: list[Share] = Field(default_factory=list)
    gender: list[Share] = Field(default_factory=list)


class ComparedSegment(WireModel):
    segment_id: int | str
    name: str
    status: str = "active"
    readiness: Readiness = "pending"
    member_count: int = 0
    total_customers: int = 0
    reach_percent: float = 0.0
    last_updated: datetime | None = None
    growth: list[GrowthPoint] = Field(default_factory=list)
    distributions: Distributions = Field(default_factory=Distributions)
    metrics: KeyMetrics = Field(default_factory=KeyMetrics)


class Overlap(WireModel):
    segment_ids: list[int | str]
    count: int
    percent_of_each: list[float]


class Comparison(WireModel):
    segments: list[ComparedSegment]
    overlaps: list[Overlap] = Field(default_factory=list)
    in_all: int = 0


class CustomerListItem(WireModel):
    id: str
    full_name: str | None = None
    phone: str | None = None
    email: str | None = None
    source: str | None = None
    province: str | None = None
    owner: str | None = None
    assignee: str | None = None
    created_at: datetime | None = None
    last_activity_at: datetime | None = None


class CustomerPage(WireModel):
    items: list[CustomerListItem]
    total: int
    page: int = 1
    page_size: int = 20


class SegmentRef(WireModel):
    segment_id: int | str
    segment_name: str


class CustomerSegments(WireModel):
    customer_id: str
    customer_name: str | None = None
    segments: list[SegmentRef]


# --- campaigns --------------------------------------------------------------------------------------------

class CampaignTemplate(WireModel):
    id: int | str
    name: str
    channel: str
    variables: list[str] = Field(default_factory=list)


class CampaignEstimate(WireModel):
    matched: int
    reachable: int
    message: str


class RecipientList(WireModel):
    id: int | str
    segment_id: int | str
    channel: str
    size: int
    created_at: datetime


class RecipientListPage(RecipientList):
    """A page of a stored snapshot: its rows carry every default and custom property."""

    items: list[dict[str, Any]] = Field(default_factory=list)
    total: int | None = None
    page: int | None = None


# --- ingestion --------------------------------------------------------------------------------------------

class IngestResult(WireModel):
    inserted: int
    updated: int


# --- errors -----------------------------------------------------------------------------------------------

class ErrorField(WireModel):
    path: str
    message: str


class ErrorDetail(WireModel):
    code: str
    message: str
    fields: list[ErrorField] | None = None


class ErrorBody(WireModel):
    error: ErrorDetail
