"""Request bodies of the confidant, consent and safety commands (the server fills in the ids, tenant,
actor and time, and for a confidant ``confidant_id`` and ``organisation`` from the bearer token)."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.personal import PersonalName, PersonalText
from contracts.policy import CrisisContact, Province
from contracts.vocabulary import (
    Category,
    Channel,
    ComplainantCapacity,
    ConsentScope,
    CrisisRoute,
    DisclosureRecipient,
    LiftGround,
)
from klachtspoor.http.bodies import JsonBool, JsonDate, JsonMoment
from services.escalation.domain.safety import CrisisClient, DangerKind
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
    client_of: CrisisClient = Field(
        default=CrisisClient.NONE,
        description="organisation: a client of the organisation's own (youth protection) care; "
        "veilig_thuis: a client of Veilig Thuis; none: no client",
    )
    raised_at: JsonMoment | None = Field(
        default=None,
        description="When the concern was raised, when it is recorded later (not in the future, not before "
        "the case was received); the crisis route is that moment's. Default: now",
    )


class LiftConfidentialityRequest(CommandRequest):
    ground: LiftGround
    disclosed_to: DisclosureRecipient
    discussed_with_client: JsonBool
    justification: PersonalText
    concern_id: UUID | None = None


class CrisisContactShown(BaseModel):
    """In the answer, not a request: whom to call, from the case's pinned policy (or the national numbers).

    Total over :class:`CrisisContact`: every contact a policy can hold is shown, also the assigned worker,
    whose number is the worker's own and never in a policy (``phone`` null: call the worker assigned to
    you), so routing always answers once the concern was recorded."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    kind: CrisisRoute
    label: str
    phone: str | None = Field(description="The public number; null for the worker assigned to the client")

    @classmethod
    def of(cls, contact: CrisisContact) -> CrisisContactShown:
        return cls(kind=contact.kind, label=contact.label, phone=contact.phone)
