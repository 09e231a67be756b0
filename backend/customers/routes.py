"""Custom field definitions: the organisation's own customer properties."""

from __future__ import annotations

from fastapi import APIRouter, status

from backend.customers import service
from backend.customers.models import CustomFieldDefinition
from backend.customers.schemas import CustomFieldCreate, CustomFieldRead
from backend.deps import CurrentPrincipal, SessionDep, org_admin

router = APIRouter(tags=["custom fields"])
FieldsAdmin = org_admin("Only an Org Admin can define custom fields.")


def _read(d: CustomFieldDefinition) -> CustomFieldRead:
    return CustomFieldRead(id=d.id, key=d.key, label=d.label, type=d.type, options=d.options,
                           created_at=d.created_at)


@router.post("/custom-fields", response_model=CustomFieldRead, status_code=status.HTTP_201_CREATED,
             responses={400: {}, 403: {}, 409: {"description": "The key is already used in the organisation"}})
def create_custom_field(body: CustomFieldCreate, principal: FieldsAdmin, session: SessionDep) -> CustomFieldRead:
    """Define a custom field. Only an Org Admin (or an API token of one) may define fields."""
    definition = service.create_custom_field(session, principal.org_id, key=body.key, label=body.label,
                                             type_=body.type, options=body.options)
    return _read(definition)


@router.get("/custom-fields", response_model=list[CustomFieldRead])
def list_custom_fields(principal: CurrentPrincipal, session: SessionDep) -> list[CustomFieldRead]:
    return [_read(d) for d in service.list_custom_fields(session, principal.org_id)]
