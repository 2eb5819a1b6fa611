"""The reports over HTTP: ``GET /v1/tenants/{tenant}/reports/{report}?period=&format=`` (docs/reports.md).

Checks in order: the token's tenant (another tenant: 404) and role (the report's readers, else 403), the
tenant in the network (404), the report for this kind of organisation (404: a provider has no
``kwartaalrapportage``), the period (422: a quarter for the yearly analysis, a period not begun yet).
An unknown report name is 422 naming ``path.report``, as an unknown dimension is for the statistics.

Only protected tables are rendered; when suppression cannot be computed the answer is a 500 problem and
no figure at all (a report never fails open).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated, Final, TypeVar

import asyncpg
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from contracts.vocabulary import Role
from klachtspoor import pgconnect
from klachtspoor.calendar import local_date
from klachtspoor.disclosure import SuppressionError
from klachtspoor.http.problems import Problem
from klachtspoor.http.security import CurrentPrincipal, authorize
from klachtspoor.tenants import TenantRegistry
from services.reporting.adapters.reports.formats import ReportFormat, render
from services.reporting.application.reports import ReportNotForTenant, check_report, read_report
from services.reporting.domain.reports.jaaranalyse import NotAYear
from services.reporting.domain.reports.model import ReportName
from services.reporting.domain.tables import PERIOD_PATTERN, Period

log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_THRESHOLD: Final = 5
CONFIDANT_REPORT_READERS: Final = frozenset({Role.CONFIDANT, Role.MANAGER, Role.DIRECTOR, Role.AUDITOR})
READERS: Final[dict[ReportName, frozenset[Role]]] = {
    ReportName.JAARANALYSE: frozenset(
        {Role.DIRECTOR, Role.MANAGER, Role.COMPLAINTS_OFFICER, Role.OFFICE_MANAGER, Role.AUDITOR}
    ),
    ReportName.KWARTAALRAPPORTAGE: CONFIDANT_REPORT_READERS,
    ReportName.TRENDRAPPORTAGE: CONFIDANT_REPORT_READERS,
}
"""Who may read each report, in the report's own organisation (docs/reports.md, "Roles")."""

PeriodQuery = Annotated[
    str,
    Query(pattern=PERIOD_PATTERN, description="A year (2026) or a quarter (2026-Q1); jaaranalyse: a year"),
]
FormatQuery = Annotated[ReportFormat, Query(description="json (default), pdf, csv or xlsx")]

router = APIRouter(prefix="/v1/tenants/{tenant}/reports", tags=["reporting"])


@router.get(
    "/{report}",
    responses={
        200: {
            "content": {
                "application/pdf": {},
                "text/csv": {},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
            }
        }
    },
)
async def get_report(
    tenant: str,
    report: ReportName,
    principal: CurrentPrincipal,
    request: Request,
    period: PeriodQuery,
    format: FormatQuery = ReportFormat.JSON,
) -> Response:
    """One report of one period, its tables protected by disclosure control (docs/reports.md)."""
    authorize(principal, tenant, READERS[report])
    tenants = _state(request, "tenants", TenantRegistry)
    if tenant not in tenants:
        raise Problem(404, "Not found", f"No tenant {tenant!r} in the network")
    organisation = tenants.get(tenant)
    try:
        check_report(report, organisation)
    except ReportNotForTenant as error:
        raise Problem(404, "Not found", f"{organisation.display_name} has no {report.value}") from error
    today = local_date(datetime.now(UTC))
    asked = Period.parse(period)
    if asked.starts_after(today):
        raise _bad_period(f"query.period {asked} lies in the future", "the period has not begun yet")
    threshold = _threshold(request)
    pool = _state(request, "read_pool", asyncpg.Pool)
    try:
        async with pgconnect.acquire(pool) as conn:
            made = await read_report(conn, report, organisation, asked, threshold=threshold, made_on=today)
    except NotAYear as error:
        raise _bad_period(str(error), "the yearly analysis covers a year, like 2026") from error
    except SuppressionError as error:
        log.error("Report %s of %s for %s withheld: %s", report.value, asked, tenant, error)
        raise Problem(
            500,
            "Report withheld",
            "Disclosure control could not be computed for this report; nothing is published",
            rule="suppression_failed",
        ) from error
    body = render(made, format)
    headers = {}
    if format is not ReportFormat.JSON:
        headers["Content-Disposition"] = (
            f'attachment; filename="{report.value}-{tenant}-{asked}.{format.value}"'
        )
    return Response(body, media_type=format.media_type, headers=headers)


def _bad_period(detail: str, message: str) -> Problem:
    return Problem(422, "Invalid request", detail, errors=[{"field": "query.period", "message": message}])


def _threshold(request: Request) -> int:
    """The deployment's threshold (``KLACHTSPOOR_STATISTICS_THRESHOLD``), as the statistics use it."""
    threshold = getattr(request.app.state, "statistics_threshold", DEFAULT_THRESHOLD)
    if not isinstance(threshold, int):
        raise RuntimeError("app.state.statistics_threshold must be an int: the reporting bootstrap sets it")
    return threshold


def _state(request: Request, name: str, kind: type[T]) -> T:
    value = getattr(request.app.state, name, None)
    if not isinstance(value, kind):
        raise RuntimeError(f"app.state.{name} is not set: the reporting bootstrap must set it")
    return value
