"""The read API: case list, one case, its timeline (statistics: ``entrypoints/statistics.py``). Each
route checks the bearer token's tenant and role first (404 for another tenant,
403 for a role that may not read this).

Who may read what:
- cases and timelines: the people who handle or oversee complaints (complaints officer, office manager,
  director, complaints committee) and auditors;
- statistics (``entrypoints/statistics.py``): those, and managers (protected tables identify nobody;
  managers need them for the analysis).
Care workers, confidants, complainants, administrators and system accounts read nothing here.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request

from contracts.vocabulary import Role
from klachtspoor.http.problems import Problem
from klachtspoor.http.security import CurrentPrincipal, authorize
from services.reporting.adapters.queries import CaseReader
from services.reporting.domain.case import CaseView
from services.reporting.domain.status import CaseStatus
from services.reporting.entrypoints.models import (
    CaseDetail,
    CaseList,
    Timeline,
    case_detail,
    case_summary,
    timeline_item,
)

CASE_READERS = frozenset(
    {Role.COMPLAINTS_OFFICER, Role.OFFICE_MANAGER, Role.DIRECTOR, Role.COMPLAINTS_COMMITTEE, Role.AUDITOR}
)
STATISTICS_READERS = CASE_READERS | {Role.MANAGER}


def reader_of(request: Request) -> CaseReader:
    reader = getattr(request.app.state, "case_reader", None)
    if not isinstance(reader, CaseReader):
        raise RuntimeError("app.state.case_reader is not set: the reporting bootstrap must set it")
    return reader


Reader = Annotated[CaseReader, Depends(reader_of)]
router = APIRouter(prefix="/v1/tenants/{tenant}", tags=["reporting"])


@router.get("/cases")
async def list_cases(
    tenant: str,
    principal: CurrentPrincipal,
    reader: Reader,
    status: Annotated[CaseStatus | None, Query(description="Only cases with this status")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> CaseList:
    """The tenant's cases, newest first, ``limit`` at a time from ``offset``."""
    authorize(principal, tenant, CASE_READERS)
    page = await reader.cases(tenant, status=status, limit=limit, offset=offset)
    return CaseList(
        items=tuple(case_summary(view) for view in page.cases), total=page.total, limit=limit, offset=offset
    )


@router.get("/cases/{case_id}")
async def get_case(tenant: str, case_id: UUID, principal: CurrentPrincipal, reader: Reader) -> CaseDetail:
    authorize(principal, tenant, CASE_READERS)
    return case_detail(await _existing(reader, tenant, case_id))


@router.get("/cases/{case_id}/timeline")
async def get_timeline(tenant: str, case_id: UUID, principal: CurrentPrincipal, reader: Reader) -> Timeline:
    """Every event of the case in order: type, actor id and role, when it happened and was recorded."""
    authorize(principal, tenant, CASE_READERS)
    await _existing(reader, tenant, case_id)
    entries = await reader.timeline(tenant, case_id)
    return Timeline(case_id=case_id, items=tuple(timeline_item(entry) for entry in entries))


async def _existing(reader: CaseReader, tenant: str, case_id: UUID) -> CaseView:
    """The case of this tenant; 404 when there is none (also when another tenant has that id)."""
    view = await reader.case(tenant, case_id)
    if view is None:
        raise Problem(404, "Not found", f"No case {case_id} for tenant {tenant!r}")
    return view
