"""Who may see which dashboard page: the API's roles (``entrypoints/http.py``), checked by the API's own
:func:`~klachtspoor.http.security.authorize` on the principal of the cookie's token.

Statistics readers (the case readers and managers) see the dashboard; only case readers see the cases
behind a figure. A tenant the token does not hold is 404, as in the API, so its existence is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from fastapi import Request

from contracts.vocabulary import Role
from klachtspoor.auth import Principal
from klachtspoor.calendar import local_date
from klachtspoor.http.problems import Problem
from klachtspoor.http.security import authorize
from services.reporting.adapters.dashboard import DashboardReader
from services.reporting.entrypoints.dashboard.labels import role_label
from services.reporting.entrypoints.dashboard.render import DashboardError
from services.reporting.entrypoints.dashboard.session import viewer
from services.reporting.entrypoints.http import CASE_READERS, STATISTICS_READERS

NOT_FOUND = "Dit dashboard bestaat niet, of u heeft er geen toegang toe."
NO_DASHBOARD = "Uw rol geeft geen toegang tot het dashboard van deze organisatie."
NO_CASES = "Uw rol mag de zaken achter de cijfers niet zien. Managers zien de cijfers, niet de zaken."


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in person on one tenant's dashboard."""

    principal: Principal
    tenant: str
    reads_cases: bool
    roles: tuple[str, ...]
    today: date


async def signed_in(request: Request, tenant: str, roles: frozenset[Role] = STATISTICS_READERS) -> Viewer:
    principal = await viewer(request)
    try:
        authorize(principal, tenant, roles)
    except Problem as problem:
        if problem.status == 403:
            shown = NO_DASHBOARD if roles is STATISTICS_READERS else NO_CASES
        else:
            shown = NOT_FOUND if problem.status == 404 else problem.title
        raise DashboardError(problem.status, shown) from problem
    held = principal.roles_in(tenant)
    return Viewer(
        principal=principal,
        tenant=tenant,
        reads_cases=bool(held & CASE_READERS),
        roles=tuple(sorted(role_label(r) for r in held)),
        today=local_date(datetime.now(UTC)),
    )


def dashboard_tenants(principal: Principal) -> tuple[str, ...]:
    """The tenants whose dashboard this principal may see."""
    return tuple(sorted(t for t in principal.tenants if principal.has_any_role_in(t, STATISTICS_READERS)))


def dashboard_reader(request: Request) -> DashboardReader:
    reader = getattr(request.app.state, "dashboard_reader", None)
    if not isinstance(reader, DashboardReader):
        raise RuntimeError("app.state.dashboard_reader is not set: the reporting bootstrap must set it")
    return reader


def threshold_of(request: Request) -> int:
    threshold = getattr(request.app.state, "statistics_threshold", None)
    if not isinstance(threshold, int):
        raise RuntimeError("app.state.statistics_threshold must be an int: the reporting bootstrap sets it")
    return threshold
