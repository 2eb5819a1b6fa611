"""The confidant, consent and safety commands over HTTP.

A confidant's token names its own organisation (a tenant of kind ``confidant_org``) and the case's tenant
among its tenants: the second gives access to the case (``authorize``), the first becomes the command's
:class:`ActingOrganisation` and the contact is registered in the token subject's name. Raising a safety
concern answers with the crisis contact to show, from the same inputs the decider used.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from contracts.commands import GiveConsent, LiftConfidentiality, WithdrawConsent
from services.escalation.domain import (
    ConfidantContactsOrganisation,
    ConfidantRegistersContact,
    RaiseSafetyConcernCommand,
    route_of,
)
from services.escalation.entrypoints import roles
from services.escalation.entrypoints.staff_access import (
    CommandAccepted,
    StaffCall,
    accepted,
    command_route,
    staff,
)
from services.escalation.entrypoints.support_requests import (
    ContactOrganisationRequest,
    CrisisContactShown,
    GiveConsentRequest,
    LiftConfidentialityRequest,
    RaiseSafetyConcernRequest,
    RegisterConfidantContactRequest,
    WithdrawConsentRequest,
)

router = APIRouter()
CONFIDANT, SAFETY = "confidant", "safety"


@router.post(
    **command_route(
        "register-confidant-contact",
        "Register a confidant's contact with the client",
        roles.CONFIDANT,
        CONFIDANT,
    )
)
async def register_confidant_contact(
    body: RegisterConfidantContactRequest, call: Annotated[StaffCall, Depends(staff(roles.CONFIDANT))]
) -> CommandAccepted:
    command = call.build(
        ConfidantRegistersContact, body, confidant_id=call.actor.id, organisation=call.organisation()
    )
    return await call.run(command)


@router.post(
    **command_route(
        "contact-organisation", "The confidant contacts the organisation", roles.CONFIDANT, CONFIDANT
    )
)
async def contact_organisation(
    body: ContactOrganisationRequest, call: Annotated[StaffCall, Depends(staff(roles.CONFIDANT))]
) -> CommandAccepted:
    return await call.run(call.build(ConfidantContactsOrganisation, body, organisation=call.organisation()))


@router.post(**command_route("give-consent", "Record the client's consent", roles.CONSENT, CONFIDANT))
async def give_consent(
    body: GiveConsentRequest, call: Annotated[StaffCall, Depends(staff(roles.CONSENT))]
) -> CommandAccepted:
    return await call.run(call.build(GiveConsent, body))


@router.post(
    **command_route("withdraw-consent", "Record that consent was withdrawn", roles.CONSENT, CONFIDANT)
)
async def withdraw_consent(
    body: WithdrawConsentRequest, call: Annotated[StaffCall, Depends(staff(roles.CONSENT))]
) -> CommandAccepted:
    return await call.run(call.build(WithdrawConsent, body))


@router.post(
    **command_route("raise-safety-concern", "Flag danger; answers whom to call", roles.SAFETY, SAFETY)
)
async def raise_safety_concern(
    body: RaiseSafetyConcernRequest, call: Annotated[StaffCall, Depends(staff(roles.SAFETY))]
) -> CommandAccepted:
    command = call.build(RaiseSafetyConcernCommand, body)
    handled = await call.handle(command)
    # On a replay the concern was decided at an earlier moment: route as it was then.
    decided = command.model_copy(update={"now": handled.decided_at})
    return accepted(handled, call.case_id, CrisisContactShown.of(route_of(decided, handled.policy)))


@router.post(
    **command_route("lift-confidentiality", "Lift confidentiality because of danger", roles.SAFETY, SAFETY)
)
async def lift_confidentiality(
    body: LiftConfidentialityRequest, call: Annotated[StaffCall, Depends(staff(roles.SAFETY))]
) -> CommandAccepted:
    return await call.run(call.build(LiftConfidentiality, body))
