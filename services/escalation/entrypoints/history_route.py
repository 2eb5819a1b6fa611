"""``GET /v1/tenants/{tenant}/cases/{case_id}/history?as_of=T``: the case as the events recorded by T showed
it (state, terms, timeline with who did what in which role and when, the chain check), for the people who
check how a case was handled. Every read, served or refused, is logged first (NEN 7513).

``as_of`` is taken as text and parsed inside the logged read, so a bad moment is a refused read in the
access log like any other refusal: naive, in the future, or before the case's first event is 422 naming
``query.as_of``; an unknown case or another tenant's is 404; a role that may not read is 403.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from pydantic import AwareDatetime, TypeAdapter, ValidationError, WithJsonSchema

from klachtspoor.http.problems import Problem
from klachtspoor.http.reads import logged_read
from klachtspoor.http.security import CurrentPrincipal, authorize
from services.escalation.adapters.policies import PinnedPolicyMissing
from services.escalation.application.history import CaseReplay
from services.escalation.application.staff import CaseNotFound
from services.escalation.domain.history import CaseHistory, HistoryError
from services.escalation.entrypoints import roles
from services.escalation.entrypoints.app_state import known_tenant, running_repository, staff_api

PATH = "/v1/tenants/{tenant}/cases/{case_id}/history"
CHANNEL = f"GET {PATH}"
AS_OF_FIELD = "query.as_of"
_MOMENT = TypeAdapter(AwareDatetime)
_AS_OF_SCHEMA = {"type": "string", "format": "date-time", "maxLength": 64}
"""Documented as a date-time (RFC 3339, so with an offset); parsed in the route, so a bad one is logged."""

router = APIRouter(tags=["history"])


@router.get(
    PATH,
    response_model=CaseHistory,
    summary="The case as recorded by a moment",
    description="State, terms and timeline from the events the store had recorded by `as_of` (default: "
    "now); an event recorded later about an earlier moment is absent before and marked `recorded_late` "
    "after. Personal values are withheld by name. "
    f"Roles: {', '.join(sorted(role.value for role in roles.READ_HISTORY))}.",
    responses={
        401: {"description": "No valid bearer token"},
        403: {"description": "The token's roles may not read a case's history"},
        404: {"description": "Unknown tenant or case, or a token of another tenant"},
        422: {"description": "`as_of` without a time zone, in the future, or before the case's first event"},
        500: {"description": "The case's pinned policy version is not loaded (a deployment error)"},
        503: {"description": "Event store or access log unavailable (an unlogged read is never served)"},
    },
)
async def case_history(
    tenant: str,
    case_id: UUID,
    principal: CurrentPrincipal,
    request: Request,
    as_of: Annotated[
        str | None,
        WithJsonSchema(_AS_OF_SCHEMA),
        Query(
            description="ISO 8601 moment with a time zone, e.g. 2026-03-05T10:00:00Z (default: now)",
            max_length=64,
        ),
    ] = None,
) -> CaseHistory:
    api = staff_api(request)
    async with logged_read(api.access, principal, tenant, case_id, CHANNEL) as read:
        authorize(principal, tenant, roles.READ_HISTORY)
        known_tenant(api.tenants, tenant)
        role = next(r for r in roles.ACTING_ORDER if r in principal.roles_in(tenant) & roles.READ_HISTORY)
        now = api.clock()
        moment = now if as_of is None else _parse(as_of)
        repository = running_repository(api)
        replay = CaseReplay(repository.store, repository.codec, api.policies)
        try:
            answer = await replay.replay(tenant, case_id, moment, now=now, role=role)
        except CaseNotFound as error:
            raise Problem(404, "Not found", str(error)) from error
        except HistoryError as error:
            raise _bad_moment(str(error), error.rule) from error
        except PinnedPolicyMissing as error:
            raise Problem(500, "Procedure policy not loaded", str(error)) from error
        read.served(role, answer.shown())
    return answer


def _parse(text: str) -> datetime:
    try:
        return _MOMENT.validate_python(text)
    except ValidationError as error:
        messages = "; ".join(e["msg"] for e in error.errors(include_input=False, include_url=False))
        raise _bad_moment(messages) from error


def _bad_moment(message: str, rule: str | None = None) -> Problem:
    """422 naming ``query.as_of``; with the rule broken when the moment is well-formed but unusable."""
    error = {"field": AS_OF_FIELD, "message": message} | ({} if rule is None else {"rule": rule})
    return Problem(422, "Invalid request", f"Check these fields: {AS_OF_FIELD}", errors=[error])
