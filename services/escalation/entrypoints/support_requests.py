"""Request bodies of the confidant, consent and safety commands (the server fills in the ids, tenant,
actor and time, and for a confidant ``confidant_id`` and ``organisation`` from the bearer token)."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict

from contracts.personal import PersonalName, PersonalText
from contracts.policy import Province
from contracts.vocabulary import (
    Category,
    Channel,
    ComplainantCapacity,
    ConsentScope,
    CrisisRoute,
    DisclosureRecipient,
    LiftGround,
)
from klachtspoor.http.bodies import JsonBool, JsonDate
from services.escalation.domain.safety import DangerKind
from services.escalation.entrypoints.lifecycle_requests import CommandRequest


class RegisterConfidantContactRequest(CommandRequest):
    """The contact is registered in the name of the confidant the token names."""

    contact_id: UUID
    contacted_on: JsonDate
    channel: Channel
    anonymous: JsonBool
    client_name: PersonalName | None = None
    categories: tuple[Category, ...] = ()
    summary: PersonalText | None = None


class ContactOrganisationRequest(CommandRequest):
    consent_id: UUID | None = None
    safety_override: JsonBool = False
    purpose: PersonalText | None = None


class GiveConsentRequest(CommandRequest):
    consent_id: UUID
    scope: ConsentScope
    given_by: ComplainantCapacity
    written: JsonBool


class WithdrawConsentRequest(CommandRequest):
    consent_id: UUID


class RaiseSafetyConcernRequest(CommandRequest):
    concern_id: UUID
    danger: DangerKind
    description: PersonalText
    province: Province | None = None
    client_of_organisation: JsonBool = False


class LiftConfidentialityRequest(CommandRequest):
    ground: LiftGround
    disclosed_to: DisclosureRecipient
    discussed_with_client: JsonBool
    justification: PersonalText
    concern_id: UUID | None = None


class CrisisContactShown(BaseModel):
    """In the answer, not a request: whom to call, from the case's pinned policy (or the national numbers)."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    kind: CrisisRoute
    label: str
    phone: str
