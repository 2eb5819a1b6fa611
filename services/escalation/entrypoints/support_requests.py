"""Request bodies of the confidant, consent and safety commands, derived from the commands as the
lifecycle ones are (the server fills in the ids, tenant, actor and time, and for a confidant
``confidant_id`` and ``organisation`` from the bearer token)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from contracts.commands import GiveConsent, LiftConfidentiality, WithdrawConsent
from contracts.policy import CrisisContact
from contracts.vocabulary import CrisisRoute
from klachtspoor.http.bodies import CommandBody, JsonMoment
from services.escalation.domain import (
    ConfidantContactsOrganisation,
    ConfidantRegistersContact,
    CrisisClient,
    RaiseSafetyConcernCommand,
)


class RegisterConfidantContactRequest(CommandBody):
    """The contact is registered in the name of the confidant the token names."""

    mirrors = ConfidantRegistersContact
    filled_in = frozenset({"confidant_id", "organisation"})


class ContactOrganisationRequest(CommandBody):
    mirrors = ConfidantContactsOrganisation
    filled_in = frozenset({"organisation"})


class GiveConsentRequest(CommandBody):
    mirrors = GiveConsent


class WithdrawConsentRequest(CommandBody):
    mirrors = WithdrawConsent


class RaiseSafetyConcernRequest(CommandBody):
    mirrors = RaiseSafetyConcernCommand

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


class LiftConfidentialityRequest(CommandBody):
    mirrors = LiftConfidentiality


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
