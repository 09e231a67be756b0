"""Typed shapes of every response in the wire contract (`spec/contract.md`), plus `GET /me`, one module per domain.

Models allow extra keys: the contract fixes a minimum and the server may add to it, and an older app must
keep working against a newer server. Where the contract leaves a shape open (summary, performance,
recipient-list rows) the model names what it knows and keeps the rest in `model_extra`.
"""

from __future__ import annotations

from segstudio.client.models.analysis import (
    ComparedSegment,
    Comparison,
    Distributions,
    Evaluation,
    EvaluationPage,
    GrowthPoint,
    KeyMetrics,
    Overlap,
    SegmentPerformance,
    Share,
)
from segstudio.client.models.auth import (
    ApiToken,
    ApiTokenCreated,
    Me,
    OrganisationInfo,
    PackageInfo,
    TokenResponse,
    UserInfo,
)
from segstudio.client.models.base import (
    CUSTOMERS_VIEW,
    SEGMENT_ADD,
    SEGMENT_ARCHIVED,
    SEGMENT_MANAGE,
    SEGMENT_VIEW,
    Level,
    Readiness,
    WireModel,
)
from segstudio.client.models.campaigns import CampaignEstimate, CampaignTemplate, RecipientList, RecipientListPage
from segstudio.client.models.catalog import CustomField, FieldInfo, OperatorInfo, Suggestions
from segstudio.client.models.customers import CustomerListItem, CustomerPage, CustomerSegments, SegmentRef
from segstudio.client.models.errors import ErrorBody, ErrorDetail, ErrorField
from segstudio.client.models.ingestion import IngestResult
from segstudio.client.models.rules import Condition, RuleGroup
from segstudio.client.models.segments import (
    ChannelReach,
    CustomerRow,
    Members,
    Preview,
    Reachability,
    Segment,
    SegmentPage,
    SegmentSummary,
    UserRef,
)

__all__ = [
    "ApiToken", "ApiTokenCreated", "CUSTOMERS_VIEW", "CampaignEstimate", "CampaignTemplate", "ChannelReach",
    "ComparedSegment", "Comparison", "Condition", "CustomField", "CustomerListItem", "CustomerPage", "CustomerRow",
    "CustomerSegments", "Distributions", "ErrorBody", "ErrorDetail", "ErrorField", "Evaluation", "EvaluationPage",
    "FieldInfo", "GrowthPoint", "IngestResult", "KeyMetrics", "Level", "Me", "Members", "OrganisationInfo",
    "OperatorInfo", "Overlap", "PackageInfo", "Preview", "Reachability", "Readiness", "RecipientList",
    "RecipientListPage",
    "RuleGroup", "SEGMENT_ADD", "SEGMENT_ARCHIVED", "SEGMENT_MANAGE", "SEGMENT_VIEW", "Segment", "SegmentPage",
    "SegmentPerformance", "SegmentRef", "SegmentSummary", "Share", "Suggestions", "TokenResponse", "UserInfo",
    "UserRef", "WireModel",
]
