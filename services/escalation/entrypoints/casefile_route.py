"""``GET /v1/tenants/{tenant}/cases/{case_id}/file``: the case file as the caller's role may see it.

The route authorises, loads the case's events (decrypted by the codec, masked once erased) and its pinned
policy (and, for a role that reads letters' text, renders each sent letter again with the letters notify
sends), has the domain build the view (:func:`~services.escalation.domain.casefile.case_file`), and logs
the read before answering: served with the role read in and the names shown, or refused with its status.
Escalation decrypts for the file because it already holds the key ring to write staff commands; reporting
and its dashboards stay keyless (docs/casefile.md).
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request

from contracts.vocabulary import Role
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.http.problems import Problem
from klachtspoor.http.reads import logged_read
from klachtspoor.http.security import CurrentPrincipal, authorize
from services.escalation.adapters.policies import PinnedPolicyMissing
from services.escalation.application.letters import LetterNotRendered, letter_texts
from services.escalation.domain import fold
from services.escalation.domain.casefile import CASE_FILE_TABLE, CaseFile, Reader, case_file, reading_role
from services.escalation.domain.casefile.table import LETTER_TEXT
from services.escalation.domain.support.confidant import has_own_confidant
from services.escalation.domain.support.reading import confidant_reading_refusal
from services.escalation.domain.support.visibility import Viewer
from services.escalation.entrypoints import roles
from services.escalation.entrypoints.app_state import StaffApi, known_tenant, running_repository, staff_api
from services.escalation.entrypoints.staff_access import acting_organisation

PATH = "/v1/tenants/{tenant}/cases/{case_id}/file"
CHANNEL = f"GET {PATH}"
"""The channel every read of the file is logged under."""

router = APIRouter(tags=["case file"])


@router.get(
    PATH,
    response_model=CaseFile,
    summary="The case file, as the caller's role may see it",
    description="Which role sees which section and field is the table in docs/casefile.md; a token with "
    "several roles reads in the most-seeing one. Every read, served or refused, is logged. "
    f"Roles: {', '.join(sorted(role.value for role in roles.READ_CASE_FILE))}.",
    responses={
        401: {"description": "No valid bearer token"},
        403: {
            "description": "The token's roles may not read a case file, or a confidant is not the case's "
            "own or has no consent of the client (its `rule`); logged as refused"
        },
        404: {"description": "Unknown tenant or case, or a token of another tenant (logged as refused)"},
        500: {"description": "The case's pinned policy version, or a sent letter's template, is not loaded"},
        503: {"description": "Event store or access log unavailable: the read is not served"},
    },
)
async def read_case_file(
    tenant: str, case_id: UUID, principal: CurrentPrincipal, request: Request
) -> CaseFile:
    api: StaffApi = staff_api(request)
    async with logged_read(api.access, principal, tenant, case_id, CHANNEL) as read:
        authorize(principal, tenant, roles.READ_CASE_FILE)
        registered = known_tenant(api.tenants, tenant)
        role = reading_role(principal.roles_in(tenant))
        if role is None:  # authorize let a reading role through; kept for the type and as a guard
            raise Problem(403, "Forbidden", "The token's roles may not read a case file")
        read.role = role
        case = await running_repository(api).load(case_stream(tenant, str(case_id)))
        if case.version is None:
            raise Problem(404, "Not found", f"No case {case_id} in tenant {tenant}")
        state = fold([envelope.event for envelope in case.events])
        try:
            policy = api.policies.of(state, case_id)
        except PinnedPolicyMissing as error:
            raise Problem(500, "Procedure policy not loaded", str(error)) from error
        organisation = acting_organisation(principal, registered, api.tenants)
        if role is Role.CONFIDANT:
            refusal = confidant_reading_refusal(
                principal.subject, tenant, case_id, organisation, policy, state.support
            )
            if refusal is not None:
                raise Problem(403, "Forbidden", refusal.detail, rule=refusal.rule.value)
        reader = Reader(
            viewer=Viewer(id=principal.subject, role=role, tenant=organisation.tenant),
            grants=CASE_FILE_TABLE[role],
            case_tenant=tenant,
            own_confidant=has_own_confidant(policy),
        )
        texts: dict[UUID, str] = {}
        if LETTER_TEXT in reader.grants:
            try:
                texts = letter_texts(case.events, registered, api.tenants, api.policies.registry, api.letters)
            except LetterNotRendered as error:
                raise Problem(500, "Letter cannot be rendered", str(error)) from error
        view = case_file(case_id, case.events, policy, reader, texts)
        read.served(role, view.shown)
    return view
