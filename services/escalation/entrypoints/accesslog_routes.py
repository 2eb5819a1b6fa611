"""The privacy officer's reads of the access log (NEN 7513): who saw a case file, and what a person saw.

``GET /v1/tenants/{tenant}/access-log/cases/{case_id}`` and ``GET …/access-log/people/{subject}``, role
``privacy_officer`` only. The records name fields, never values, so reading them shows no personal data
and is not itself logged. An unavailable log answers 503 (``AccessLogUnavailable`` is one of the
shared ``UNAVAILABLE`` errors). Served by escalation because escalation writes the records of the reads it
serves; the log is one table (schema ``accesslog``) that the CLI ``klachtspoor access-log`` reads too.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, ConfigDict

from contracts.base import OPAQUE_ID_PATTERN
from klachtspoor.accesslog import AccessLog, AccessRecord
from klachtspoor.http.problems import Problem
from klachtspoor.http.security import CurrentPrincipal, authorize
from services.escalation.entrypoints import roles
from services.escalation.entrypoints.app_state import known_tenant, staff_api

router = APIRouter(tags=["access log"])

_RESPONSES: dict[int | str, dict[str, str]] = {
    401: {"description": "No valid bearer token"},
    403: {"description": "Only the privacy officer reads the access log"},
    404: {"description": "Unknown tenant, or a token of another tenant"},
    503: {"description": "Access log unavailable"},
}
_ROLES = f"Roles: {', '.join(sorted(role.value for role in roles.READ_ACCESS_LOG))}."


class AccessRecords(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    records: tuple[AccessRecord, ...]
    """In recorded order, served and refused reads alike."""


@router.get(
    "/v1/tenants/{tenant}/access-log/cases/{case_id}",
    response_model=AccessRecords,
    summary="Who saw this case file",
    description=f"Every read of the case's personal data, served or refused, in recorded order. {_ROLES}",
    responses=_RESPONSES,
)
async def case_access(
    tenant: str, case_id: UUID, principal: CurrentPrincipal, request: Request
) -> AccessRecords:
    log = _log(request, principal, tenant)
    return AccessRecords(records=tuple(await log.for_case(tenant, case_id)))


@router.get(
    "/v1/tenants/{tenant}/access-log/people/{subject}",
    response_model=AccessRecords,
    summary="What this person saw",
    description=f"Every read the subject made in the tenant, in recorded order. {_ROLES}",
    responses=_RESPONSES,
)
async def person_access(
    tenant: str,
    subject: Annotated[
        str, Path(pattern=OPAQUE_ID_PATTERN, description="Subject id at the identity provider")
    ],
    principal: CurrentPrincipal,
    request: Request,
) -> AccessRecords:
    log = _log(request, principal, tenant)
    return AccessRecords(records=tuple(await log.for_subject(tenant, subject)))


def _log(request: Request, principal: CurrentPrincipal, tenant: str) -> AccessLog:
    authorize(principal, tenant, roles.READ_ACCESS_LOG)
    api = staff_api(request)
    known_tenant(api.tenants, tenant)
    if api.access_log is None:
        raise Problem(503, "Service unavailable", "The service is starting; retry in a moment")
    return api.access_log
