"""`POST /ingest/{entity}`: how customer data and associated records get in."""

from __future__ import annotations

from fastapi import APIRouter, Path

from backend.deps import SessionDep, org_admin
from backend.ingest import service
from backend.ingest.fields import ENTITIES
from backend.ingest.schemas import IngestRequest, IngestResponse

router = APIRouter(tags=["ingestion"])
IngestingAdmin = org_admin("Only an Org Admin (or an API token of one) can ingest data.")

_DESCRIPTION = f"""Upsert up to 10,000 records of one entity ({", ".join(ENTITIES)}) by their `id`.

* **Who may ingest:** an Org Admin, or an API token issued to an Org Admin (other roles get 403).
  Every record is written to the caller's organisation only; `customer_id`/`company_id` name records
  of that organisation, and an id of another organisation is a 400 for that record.
* **All or nothing:** the whole batch is validated first; any bad record gives 400 with
  `fields[].path = "records.N.field"` for every problem and nothing of the batch is written.
* **Merge:** a field absent from a record keeps its stored value; `null` clears it (`"custom": null`
  clears every custom value, `"custom": {{"key": null}}` one of them).
* **Counts:** `updated` counts every record whose id already existed, changed or not.
* **Types:** single-line text at most 255 characters, multi-line (custom) at most 10,000; dates
  `YYYY-MM-DD`; timestamps ISO 8601 — a timestamp without an offset, or a bare date, is read in the
  organisation's timezone; numbers are JSON numbers and booleans JSON booleans (no strings).
* **Users:** a customer's `owner`/`assignee` naming a user of the organisation (username,
  case-insensitive) links the customer to that user for owned-only views.
"""


@router.post("/ingest/{entity}", response_model=IngestResponse, description=_DESCRIPTION,
             responses={400: {"description": "Invalid batch; nothing written"},
                        403: {"description": "Not an Org Admin"}, 404: {"description": "Unknown entity"}})
def ingest(body: IngestRequest, principal: IngestingAdmin, session: SessionDep,
           entity: str = Path(description=", ".join(ENTITIES))) -> IngestResponse:
    result = service.ingest(session, principal.org_id, entity, body.records)
    return IngestResponse(inserted=result.inserted, updated=result.updated)
