"""The public way in (docs/public.md): a complaint without an account, as JSON
(``POST /v1/public/tenants/{tenant}/complaints``) and as the form of :mod:`.public_form`; both file here.

Filing goes the way every signal goes (:meth:`IntakeService.open_case`: the policy's rules, the reference,
one append that expects no stream, typed errors, nothing written on bad input), with one event more in
the same append: the slow hash of the secret that opens the complainant's dossier. The secret itself is
in the answer only, once. Before any work each request counts against the limits per client address
and overall (429). Nothing of what the person wrote reaches a log line: the log says that a case was
opened and under which reference, or which rule refused it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError

from contracts.base import Actor
from contracts.policy import ProcedurePolicy
from contracts.vocabulary import Channel, ComplainantCapacity, NotificationChannel, Role
from klachtspoor.dossier.secret import hash_secret, new_secret
from klachtspoor.eventstore.errors import StoreUnavailable
from klachtspoor.http.problems import Problem
from klachtspoor.http.ratelimit import OVERALL, Limit, RateLimiter
from klachtspoor.tenants import Tenant, TenantRegistry, UnknownTenant
from services.intake.application.open_case import IntakeService, Submission
from services.intake.domain.public import Declarations, check_entitled, starting_steps
from services.intake.domain.rules import InvalidSignal
from services.intake.entrypoints.http import ANONYMOUS_ACTOR_ID, invalid_problem, signal_of
from services.intake.entrypoints.public_schemas import (
    PublicComplaintFiled,
    PublicComplaintRequest,
    PublicFormFacts,
    PublicStep,
)
from services.intake.entrypoints.schemas import ComplainantRequest, SignalRequest

log = logging.getLogger("services.intake.public")

PUBLIC_SUBJECT = "public-form"
"""Who files through the public way in, for the actor and the logs: no account, so no account id."""
PATH = "/v1/public/tenants/{tenant}/complaints"


@dataclass(frozen=True)
class PublicWayIn:
    """What the public routes share: the limits, their counter and where the dossier opens."""

    per_address: Limit
    overall: Limit
    limiter: RateLimiter
    dossier_url: str

    def count(self, request: Request) -> None:
        """One filing attempt from this client address (429 over a limit; nothing else counted then)."""
        address = request.client.host if request.client is not None else "unknown"
        self.limiter.hit((self.per_address, address), (self.overall, OVERALL))

    def dossier_of(self, tenant: str) -> str:
        return f"{self.dossier_url.rstrip('/')}/{tenant}"


def public_way_in(request: Request) -> PublicWayIn:
    way_in: PublicWayIn = request.app.state.public
    return way_in


def public_tenant(request: Request, tenant: str) -> Tenant:
    registry: TenantRegistry = request.app.state.tenants
    try:
        return registry.get(tenant)
    except UnknownTenant as error:
        raise Problem(404, "Not found", "No such organisation") from error


def policy_of(request: Request, tenant: Tenant) -> ProcedurePolicy | None:
    service: IntakeService = request.app.state.intake
    return service.policies(tenant)


router = APIRouter(tags=["public"])


@router.get(
    "/v1/public/tenants/{tenant}/complaint-form",
    response_model=PublicFormFacts,
    summary="Who may complain at this organisation and at which steps (what the form explains)",
    responses={404: {"description": "Unknown organisation"}},
)
async def form_facts(tenant: str, request: Request) -> PublicFormFacts:
    registered = public_tenant(request, tenant)
    policy = policy_of(request, registered)
    starting = starting_steps(policy)
    ladder = (
        tuple(PublicStep(step=r.step, label=r.label, may_start=r.step in starting) for r in policy.ladder)
        if policy is not None
        else tuple(PublicStep(step=s, label=s.value, may_start=True) for s in starting)
    )
    return PublicFormFacts(
        organisation=registered.display_name,
        complainants=policy.complainants if policy is not None else tuple(ComplainantCapacity),
        child_min_age_alone=policy.child_min_age_alone if policy is not None else None,
        order=policy.order if policy is not None else None,
        ladder=ladder,
        declarations={
            ComplainantCapacity.SURVIVING_RELATIVE.value: "client_deceased",
            ComplainantCapacity.AUTHORISED_PERSON.value: "written_authorisation",
        },
    )


@router.post(
    PATH,
    status_code=201,
    response_model=PublicComplaintFiled,
    summary="File a complaint without an account; answers the receipt code and the dossier's secret",
    responses={
        404: {"description": "Unknown organisation"},
        422: {"description": "Invalid field, a rule of the policy, or the honeypot filled; nothing written"},
        429: {"description": "Too many filings from this address or in total; see Retry-After"},
        503: {"description": "Event store or intake database unavailable; nothing opened, retry"},
    },
)
async def file_complaint(
    tenant: str,
    body: PublicComplaintRequest,
    request: Request,
    way_in: Annotated[PublicWayIn, Depends(public_way_in)],
) -> PublicComplaintFiled:
    way_in.count(request)
    return await file_public(request, public_tenant(request, tenant), body)


async def file_public(request: Request, tenant: Tenant, body: PublicComplaintRequest) -> PublicComplaintFiled:
    """Check, hash a new secret, open the case; raises :class:`Problem` (422, 503), writing nothing then."""
    clock: Callable[[], datetime] = request.app.state.clock
    service: IntakeService = request.app.state.intake
    now = clock()
    if body.website:
        log.info("public filing refused: honeypot", extra={"ks_tenant": tenant.slug})
        raise invalid_problem(InvalidSignal("website", "honeypot", "must be left empty"))
    declared = Declarations(body.client_deceased, body.written_authorisation)
    try:
        check_entitled(service.policies(tenant), body.capacity, declared)
    except InvalidSignal as error:
        log.info("public filing refused: %s", error.rule, extra={"ks_tenant": tenant.slug})
        raise invalid_problem(error) from error
    signal = signal_of(_as_signal_request(body), now)
    secret = new_secret()
    submission = Submission(
        tenant=tenant,
        subject=PUBLIC_SUBJECT,
        actor=Actor(id=ANONYMOUS_ACTOR_ID if body.anonymous else PUBLIC_SUBJECT, role=Role(body.capacity)),
        signal=signal,
        request=b"",  # never MAC'ed: the public way in takes no Idempotency-Key
        idempotency_key=None,
        now=now,
        dossier_secret_hash=await asyncio.to_thread(hash_secret, secret),
    )
    try:
        opened = await service.open_case(submission)
    except InvalidSignal as error:
        log.info("public filing refused: %s", error.rule, extra={"ks_tenant": tenant.slug})
        raise invalid_problem(error) from error
    except StoreUnavailable as error:
        log.warning("public filing not opened: storage unavailable", extra={"ks_tenant": tenant.slug})
        raise Problem(
            503, "Service unavailable", "Storage is unavailable; nothing was filed, retry"
        ) from error
    log.info(
        "case opened through the public way in",
        extra={"ks_tenant": tenant.slug, "ks_case_id": str(opened.case_id), "ks_reference": opened.reference},
    )
    way_in = public_way_in(request)
    return PublicComplaintFiled(
        reference=opened.reference, secret=secret, dossier=way_in.dossier_of(tenant.slug)
    )


def _as_signal_request(body: PublicComplaintRequest) -> SignalRequest:
    """The staff API's request for the same signal, so the same checks apply (422 naming the public
    field: ``body.name``, not ``body.complainant.name``)."""
    try:
        return SignalRequest(
            channel=Channel.WEB_FORM,
            complainant=ComplainantRequest(
                capacity=body.capacity,
                name=body.name,
                email=body.email,
                phone=body.phone,
                client_age_band=body.client_age_band,
                preferred_channel=NotificationChannel.EMAIL if body.email is not None else None,
            ),
            raised_with=body.raised_with,
            categories=body.categories,
            description=body.description,
            anonymous=body.anonymous,
        )
    except ValidationError as error:
        problems = [
            {
                "field": ".".join(["body", *(str(p) for p in item["loc"] if p != "complainant")]),
                "message": item["msg"],
            }
            for item in error.errors(include_input=False, include_url=False)
        ]
        names = ", ".join(p["field"] for p in problems)
        raise Problem(422, "Invalid request", f"Check these fields: {names}", errors=problems) from error
