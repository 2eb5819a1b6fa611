"""What the dossier's JSON routes and pages share (docs/public.md): the attempt limits, opening with the
receipt code and secret, the logged read, and running the complainant's commands through the staff
workflow (the same decider, replay and errors as staff commands).

The complainant has no account: the access log records the reads under the subject ``dossier`` in the
role of the complainant's capacity (``client``, ``legal_representative``, …); the commands carry that
actor. A wrong secret and an unknown code answer the same 404; each counts against the limits per client
address and overall, and a wrong one against its receipt code (five an hour by default, for an unknown
code as for a known one), so trying codes or secrets is slow. A wrong secret for a case that exists
leaves a refused record in that case's access log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from fastapi import Request, Response

from contracts.base import Actor
from contracts.commands import RequestJudgement, Withdraw
from contracts.vocabulary import Role
from klachtspoor.auth import Principal
from klachtspoor.http.problems import Problem
from klachtspoor.http.ratelimit import OVERALL, Limit, RateLimiter, too_many
from klachtspoor.http.reads import logged_read
from services.escalation.application.dossier import DossierAccess, OpenedDossier
from services.escalation.application.letters import LetterNotRendered, letter_texts
from services.escalation.domain.casefile.dossier import Dossier, dossier
from services.escalation.domain.commands import AddInformation, ReplaceDossierSecret
from services.escalation.entrypoints.app_state import known_tenant, staff_api
from services.escalation.entrypoints.staff_access import CommandAccepted, StaffCall, validated

LETTER_PATH = "/v1/public/tenants/{tenant}/dossier/letters/{notification_id}/pdf"
"""A sent letter's PDF for the JSON way (POST with the receipt code and the secret in the body)."""
LETTER_PAGE_PATH = "/dossier/{tenant}/brieven/{notification_id}.pdf"
"""A sent letter's PDF for the pages (GET under the dossier's session cookie)."""
DOSSIER_SUBJECT = "dossier"
"""Who reads and acts through the dossier, in the access log and the events: the complainant, no account."""
UNKNOWN = "No dossier with this receipt code and secret"


@dataclass(frozen=True)
class PublicDossier:
    """On ``app.state.dossier``; ``access`` once the lifespan opened the stores."""

    per_address: Limit
    failures_per_code: Limit
    overall: Limit
    limiter: RateLimiter
    session_key: bytes
    session_seconds: int
    access: DossierAccess | None = None


def public_dossier(request: Request) -> PublicDossier:
    state: PublicDossier = request.app.state.dossier
    return state


def _access(state: PublicDossier) -> DossierAccess:
    if state.access is None:
        raise Problem(503, "Service unavailable", "The service is starting; retry in a moment")
    return state.access


def address_of(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


async def open_with_secret(
    request: Request, tenant: str, reference: str, secret: str, channel: str
) -> OpenedDossier:
    """The dossier the code and secret open; 404 (the same for both) or 429 otherwise."""
    state = public_dossier(request)
    state.limiter.hit((state.per_address, address_of(request)), (state.overall, OVERALL))
    known_tenant(staff_api(request).tenants, tenant)
    code = reference.strip().upper()
    if not state.limiter.allowed(state.failures_per_code, f"{tenant}/{code}"):
        raise too_many(int(state.failures_per_code.item.get_expiry()))
    attempt = await _access(state).attempt(tenant, code, secret)
    if attempt.opened is not None:
        return attempt.opened
    state.limiter.count(state.failures_per_code, f"{tenant}/{code}")
    if attempt.case_id is not None:
        async with logged_read(staff_api(request).access, _nobody(), tenant, attempt.case_id, channel):
            raise Problem(404, "Not found", UNKNOWN)
    raise Problem(404, "Not found", UNKNOWN)


async def resume(request: Request, tenant: str, case_id: UUID, secret_version: int) -> OpenedDossier | None:
    return await _access(public_dossier(request)).resume(tenant, case_id, secret_version)


def role_of(opened: OpenedDossier) -> Role:
    complainant = opened.state.complainant
    return Role(complainant.capacity.value) if complainant is not None else Role.CLIENT


def principal_of(opened: OpenedDossier) -> Principal:
    return Principal.of(DOSSIER_SUBJECT, {opened.tenant: frozenset({role_of(opened)})})


def _nobody() -> Principal:
    """A refused attempt: nobody was shown to hold a role in the case (the access log's role: none)."""
    return Principal.of(DOSSIER_SUBJECT, {})


def letter_links(path: str, tenant: str) -> Callable[[UUID], str]:
    """``notification id -> path`` of its PDF under :data:`LETTER_PATH` or :data:`LETTER_PAGE_PATH`."""

    def link(notification_id: UUID) -> str:
        return path.format(tenant=tenant, notification_id=notification_id)

    return link


async def read_dossier(
    request: Request, opened: OpenedDossier, channel: str, letters_at: str = LETTER_PATH
) -> Dossier:
    """The dossier's view, logged as served (what it showed) before it is answered; each sent letter's
    ``pdf`` is its path under ``letters_at``."""
    api = staff_api(request)
    async with logged_read(api.access, principal_of(opened), opened.tenant, opened.case_id, channel) as read:
        registered = known_tenant(api.tenants, opened.tenant)
        try:
            texts = letter_texts(
                opened.case.events, registered, api.tenants, api.policies.registry, api.letters
            )
        except LetterNotRendered as error:
            raise Problem(500, "Letter cannot be rendered", str(error)) from error
        links = letter_links(letters_at, opened.tenant)
        view = dossier(opened.case_id, opened.case.events, opened.state, opened.policy, texts, links)
        read.served(role_of(opened), view.shown)
    return view


async def run_command(
    request: Request,
    response: Response,
    opened: OpenedDossier,
    cls: type[Withdraw] | type[RequestJudgement] | type[AddInformation] | type[ReplaceDossierSecret],
    command_id: UUID,
    **fields: object,
) -> CommandAccepted:
    """The complainant's command, decided and appended by the staff workflow; its rules answer 409."""
    api = staff_api(request)
    now: datetime = api.clock()
    actor = Actor(id=DOSSIER_SUBJECT, role=role_of(opened))
    call = StaffCall(
        principal=principal_of(opened),
        tenant=known_tenant(api.tenants, opened.tenant),
        case_id=opened.case_id,
        actor=actor,
        command_id=command_id,
        now=now,
        api=api,
        response=response,
    )
    base = {
        "command_id": command_id,
        "tenant": opened.tenant,
        "case_id": opened.case_id,
        "actor": actor,
        "now": now,
    }
    command: Withdraw | RequestJudgement | AddInformation | ReplaceDossierSecret = validated(
        cls, {**base, **fields}
    )
    return await call.run(command)
