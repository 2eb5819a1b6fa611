"""``GET /v1/tenants/{tenant}/cases/{case_id}/deadlines``: the case's terms as they stand, derived from its
events and its pinned policy on every request (nothing is stored, so nothing goes stale)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict

from contracts.values import Term
from contracts.vocabulary import DeadlineKind
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.http.problems import Problem
from klachtspoor.http.security import CurrentPrincipal, authorize
from services.escalation.adapters.policies import PinnedPolicyMissing
from services.escalation.domain import Deadline, deadlines, fold
from services.escalation.entrypoints import roles
from services.escalation.entrypoints.app_state import StaffApi, known_tenant, running_repository, staff_api

router = APIRouter(tags=["deadlines"])


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)


class DeadlineView(_Frozen):
    kind: DeadlineKind
    started_on: date
    term: Term
    due_on: date
    """After extensions and finished suspensions, on the Dutch calendar when ``follows_atw``."""
    warning_on: date
    follows_atw: bool
    suspended: bool
    extended: bool
    running: bool
    """Still owed; a met term, or one the case's end stopped, is not (shown with ``include_finished``)."""

    @classmethod
    def of(cls, deadline: Deadline) -> DeadlineView:
        return cls(**{name: value for name, value in deadline.facts().items() if name in cls.model_fields})


class PinnedPolicyView(_Frozen):
    policy_id: str
    policy_version: int


class CaseDeadlines(_Frozen):
    case_id: UUID
    policy: PinnedPolicyView | None
    deadlines: tuple[DeadlineView, ...]


@router.get(
    "/v1/tenants/{tenant}/cases/{case_id}/deadlines",
    response_model=CaseDeadlines,
    summary="The case's running deadlines",
    description=f"Roles: {', '.join(sorted(role.value for role in roles.READ_DEADLINES))}.",
    responses={
        401: {"description": "No valid bearer token"},
        403: {"description": "The token's roles may not read deadlines"},
        404: {"description": "Unknown tenant or case, or a token of another tenant"},
        503: {"description": "Event store unavailable"},
    },
)
async def case_deadlines(
    tenant: str,
    case_id: UUID,
    principal: CurrentPrincipal,
    request: Request,
    include_finished: Annotated[bool, Query(description="Also the terms met or stopped")] = False,
) -> CaseDeadlines:
    authorize(principal, tenant, roles.READ_DEADLINES)
    api: StaffApi = staff_api(request)
    known_tenant(api.tenants, tenant)
    case = await running_repository(api).load(case_stream(tenant, str(case_id)))  # down: 503 (shared)
    if case.version is None:
        raise Problem(404, "Not found", f"No case {case_id} in tenant {tenant}")
    events = [envelope.event for envelope in case.events]
    state = fold(events)
    try:
        policy = api.policies.of(state, case_id)
    except PinnedPolicyMissing as error:
        raise Problem(500, "Procedure policy not loaded", str(error)) from error
    derived = deadlines(events, policy)
    return CaseDeadlines(
        case_id=case_id,
        policy=None
        if state.policy is None
        else PinnedPolicyView(policy_id=state.policy.policy_id, policy_version=state.policy.version),
        deadlines=tuple(DeadlineView.of(d) for d in derived if include_finished or d.running),
    )
