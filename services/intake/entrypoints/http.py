"""``POST /v1/tenants/{tenant}/signals``: turn the request into a submission and answer 201.

Who may submit: the complainant roles (client, legal representative, authorised person, surviving
relative), who submit in their own capacity, and the staff who take in signals (care worker, manager,
complaints officer, office manager), who submit on a complainant's behalf. Confidants never file for a
client (they support, the client decides); committees and directors receive complaints, not signals.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from pydantic import ValidationError

from contracts.base import OPAQUE_ID_PATTERN, Actor
from contracts.events.intake import SignalReceived
from contracts.vocabulary import ComplainantCapacity, Role
from klachtspoor.auth import Principal
from klachtspoor.eventstore.errors import StoreUnavailable
from klachtspoor.http.problems import Problem
from klachtspoor.http.security import CurrentPrincipal, authorize
from klachtspoor.tenants import Tenant, TenantRegistry, UnknownTenant
from services.intake.application.open_case import IdempotencyConflict, IntakeService, Submission
from services.intake.domain.rules import InvalidSignal, received_on
from services.intake.entrypoints.schemas import CaseCreated, SignalRequest

log = logging.getLogger("services.intake")

COMPLAINANT_ROLES = frozenset(
    {Role.CLIENT, Role.LEGAL_REPRESENTATIVE, Role.AUTHORISED_PERSON, Role.SURVIVING_RELATIVE}
)
STAFF_ROLES = (Role.COMPLAINTS_OFFICER, Role.OFFICE_MANAGER, Role.MANAGER, Role.CARE_WORKER)
"""Staff who take in signals, in the order their role is recorded when a token has several."""
SUBMITTER_ROLES = COMPLAINANT_ROLES | frozenset(STAFF_ROLES)
ANONYMOUS_ACTOR_ID = "anonymous"
IDEMPOTENCY_KEY = r"^[\x21-\x7e]{1,200}$"
_OPAQUE_ID = re.compile(OPAQUE_ID_PATTERN)

router = APIRouter(tags=["intake"])


def _service(request: Request) -> IntakeService:
    service: IntakeService = request.app.state.intake
    return service


def _clock(request: Request) -> Callable[[], datetime]:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock


async def submitting_tenant(tenant: str, principal: CurrentPrincipal, request: Request) -> Tenant:
    """Token first (401, then 404 for another tenant, 403 for a role), then the registry (404)."""
    authorize(principal, tenant, SUBMITTER_ROLES)
    registry: TenantRegistry = request.app.state.tenants
    try:
        return registry.get(tenant)
    except UnknownTenant as error:
        raise Problem(404, "Not found", str(error)) from error


@router.post(
    "/v1/tenants/{tenant}/signals",
    status_code=201,
    response_model=CaseCreated,
    summary="Submit a signal of dissatisfaction; opens a case",
    responses={
        400: {"description": "Malformed JSON"},
        401: {"description": "No valid bearer token"},
        403: {"description": "The token's roles may not submit signals"},
        404: {"description": "Unknown tenant, or a token of another tenant"},
        413: {"description": "Body over the size limit"},
        422: {"description": "Invalid field, or an Idempotency-Key reused for another request"},
        503: {"description": "Event store or intake database unavailable; retry with the same key"},
    },
)
async def submit_signal(
    body: SignalRequest,
    tenant: Annotated[Tenant, Depends(submitting_tenant)],
    principal: CurrentPrincipal,
    service: Annotated[IntakeService, Depends(_service)],
    clock: Annotated[Callable[[], datetime], Depends(_clock)],
    response: Response,
    idempotency_key: Annotated[
        str | None,
        Header(alias="Idempotency-Key", pattern=IDEMPOTENCY_KEY, description="Makes a retry safe"),
    ] = None,
) -> CaseCreated:
    now = clock()
    submission = Submission(
        tenant=tenant,
        subject=principal.subject,
        actor=submitter(principal, tenant.slug, body),
        signal=signal_of(body, now),
        request=canonical_request(tenant.slug, principal.subject, body),
        idempotency_key=idempotency_key,
        now=now,
    )
    try:
        opened = await service.open_case(submission)
    except InvalidSignal as error:
        raise invalid_problem(error) from error
    except IdempotencyConflict as error:
        raise Problem(
            422,
            "Idempotency-Key reused",
            "This Idempotency-Key was used before for a different request; use a new key",
            errors=[{"field": "header.Idempotency-Key", "message": "used before for a different request"}],
        ) from error
    except StoreUnavailable as error:
        log.warning("case not opened: storage unavailable", exc_info=error, extra={"ks_tenant": tenant.slug})
        detail = "Storage is unavailable; retry with the same Idempotency-Key"
        raise Problem(503, "Service unavailable", detail) from error
    log.info(
        "case opened" if not opened.replayed else "case open replayed",
        extra={"ks_tenant": tenant.slug, "ks_case_id": str(opened.case_id), "ks_reference": opened.reference},
    )
    response.headers["Location"] = f"/v1/tenants/{tenant.slug}/cases/{opened.case_id}"
    if opened.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return CaseCreated(case_id=opened.case_id, reference=opened.reference)


def submitter(principal: Principal, tenant: str, body: SignalRequest) -> Actor:
    """Staff are recorded as themselves; complainants in their capacity, anonymous ones without an id.
    Only the roles the token holds in ``tenant`` count."""
    roles = principal.roles_in(tenant)
    staff = [role for role in STAFF_ROLES if role in roles]
    if staff:
        return Actor(id=_opaque(principal.subject), role=staff[0])
    capacity = body.complainant.capacity
    role = _role_of(capacity)
    if role not in roles:
        yours = ", ".join(sorted(r.value for r in roles & COMPLAINANT_ROLES))
        raise Problem(
            422,
            "Invalid request",
            f"Check these fields: body.complainant.capacity (this token may submit as {yours})",
            errors=[{"field": "body.complainant.capacity", "message": f"not a token role: {capacity}"}],
        )
    if body.anonymous:
        return Actor(id=ANONYMOUS_ACTOR_ID, role=role)
    return Actor(id=_opaque(principal.subject), role=role)


def _role_of(capacity: ComplainantCapacity) -> Role:
    return Role(capacity.value)


def _opaque(subject: str) -> str:
    if not _OPAQUE_ID.fullmatch(subject):
        raise Problem(401, "Invalid token", "The token's subject is not an opaque account id")
    return subject


def signal_of(body: SignalRequest, now: datetime) -> SignalReceived:
    try:
        return SignalReceived(
            channel=body.channel,
            received_on=received_on(body.received_on, now),
            raised_with=body.raised_with,
            anonymous=body.anonymous,
            complainant=body.complainant.as_contract(),
            about=body.about.as_contract() if body.about is not None else None,
            description=body.description,
            categories=body.categories,
        )
    except InvalidSignal as error:
        raise invalid_problem(error) from error
    except ValidationError as error:
        problems = [
            {"field": ".".join(["body", *(str(p) for p in item["loc"])]), "message": item["msg"]}
            for item in error.errors(include_input=False, include_url=False)
        ]
        names = ", ".join(p["field"] for p in problems)
        raise Problem(422, "Invalid request", f"Check these fields: {names}", errors=problems) from error


def invalid_problem(error: InvalidSignal) -> Problem:
    """422 naming the request field the intake rule refused."""
    return Problem(
        422,
        "Invalid request",
        f"Check these fields: body.{error.field}",
        errors=[{"field": f"body.{error.field}", "message": error.message, "rule": error.rule}],
    )


def canonical_request(tenant: str, subject: str, body: SignalRequest) -> bytes:
    """What makes two submissions "the same request": tenant, submitter and the body as validated.

    It holds personal data: the application only MACs it with a secret key, and never stores it."""
    canonical = json.dumps(
        {"tenant": tenant, "subject": subject, "body": body.model_dump(mode="json")},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return canonical.encode()
