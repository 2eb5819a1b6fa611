"""The register of a confidant organisation's contacts that never became a case (*contactregistratie*).

The confidant procedures register every contact and report on all of them: AKJ "registreert de contacten
met cliënten nauwgezet" and reports quarterly, LSR "rapporteert en registreert anoniem alle klachten en
signalen". Most of those contacts (information, advice, clarifying the dissatisfaction) never reach a case at
a care organisation, so they cannot be a case's events. Each is a stream of its own in the tenant of the
confidant organisation, decided here with ``decide_contact(command, state)`` and ``evolve_contact``.

The rules:

- Only a confidant registers a contact (the API answers 403 before; the decider checks it too).
- The contact belongs to the confidant organisation: the command's tenant must be of kind
  ``confidant_org``. A provider has no such register, also when its policy gives it a confidant of its own
  (Ik ben er ook!): that confidant's contacts are on the provider's cases.
- The organisation it concerns, when named, is a provider of the network (the registry's kind comes in on
  the command); a contact about an organisation outside the network names none.
- The day of the contact is not after today (Dutch time).
- A contact is registered once: the same registration again decides nothing; another one under the same
  contact id is refused.
- A contact registered by mistake is withdrawn (any confidant of the organisation: the register is the
  organisation's); it then counts nowhere, withdrawing it again decides nothing, and its id is spent (the
  corrected contact is registered under a new one).

The contact holds codes and dates only, no name or note, so it needs no key and nothing in it is personal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import reduce
from typing import assert_never

from contracts.events import AdviceContactRegistered, AdviceContactWithdrawn, AnyEvent
from contracts.vocabulary import Role, TenantKind
from klachtspoor.calendar import NETHERLANDS
from services.escalation.domain.commands import (
    ConfidantRegistersAdviceContact,
    ConfidantWithdrawsAdviceContact,
    ContactDecision,
)
from services.escalation.domain.errors import CommandRejected
from services.escalation.domain.support.confidant import ConfidantRule


class ContactRule(StrEnum):
    CONTACT_AT_CONFIDANT_ORGANISATION = "contact_at_confidant_organisation"
    """A contact on no case is registered in a tenant of kind ``confidant_org``, never at a provider."""
    ORGANISATION_CONCERNED_NOT_A_PROVIDER = "organisation_concerned_not_a_provider"
    """The organisation a contact concerns is a provider of the network (or none is named)."""
    CONTACT_ALREADY_REGISTERED = "contact_already_registered"
    """Another registration was recorded under this contact id."""
    CONTACT_NOT_REGISTERED = "contact_not_registered"
    """No contact was registered under this id (in this tenant)."""
    CONTACT_WITHDRAWN = "contact_withdrawn"
    """The contact was withdrawn: its id is not registered again."""


@dataclass(frozen=True, slots=True)
class ContactState:
    """What the rules need of a contact's stream: its registration, once there is one, and whether it
    was withdrawn."""

    registered: AdviceContactRegistered | None = None
    withdrawn: bool = False


def evolve_contact(state: ContactState, event: AnyEvent) -> ContactState:
    match event:
        case AdviceContactRegistered():
            return ContactState(registered=event, withdrawn=state.withdrawn)
        case AdviceContactWithdrawn():
            return ContactState(registered=state.registered, withdrawn=True)
        case _:
            return state


def fold_contact(events: Iterable[AnyEvent]) -> ContactState:
    return reduce(evolve_contact, events, ContactState())


def decide_contact(command: ContactDecision, state: ContactState) -> list[AnyEvent]:
    match command:
        case ConfidantRegistersAdviceContact():
            return register_advice_contact(command, state)
        case ConfidantWithdrawsAdviceContact():
            return withdraw_advice_contact(command, state)
        case _:
            assert_never(command)


def _require_confidant_organisation(command: ContactDecision, where: str) -> None:
    if command.actor.role is not Role.CONFIDANT:
        raise CommandRejected(
            ConfidantRule.CONFIDANT_ONLY,
            f"actor {command.actor.id} has role {command.actor.role.value}, not confidant {where}",
        )
    if command.tenant_kind is not TenantKind.CONFIDANT_ORG:
        raise CommandRejected(
            ContactRule.CONTACT_AT_CONFIDANT_ORGANISATION,
            f"{command.tenant} is a {command.tenant_kind.value}; a contact on no case is registered at "
            f"the confidant organisation {where}",
        )


def register_advice_contact(command: ConfidantRegistersAdviceContact, state: ContactState) -> list[AnyEvent]:
    where = f"(Contact: {command.contact_id}, Tenant: {command.tenant})"
    _require_confidant_organisation(command, where)
    if command.organisation_concerned is not None and command.concerned_kind is not TenantKind.PROVIDER:
        kind = "no tenant of the network" if command.concerned_kind is None else command.concerned_kind.value
        raise CommandRejected(
            ContactRule.ORGANISATION_CONCERNED_NOT_A_PROVIDER,
            f"organisation_concerned {command.organisation_concerned} is {kind}, not a provider {where}",
        )
    today = command.now.astimezone(NETHERLANDS).date()
    if command.contacted_on > today:
        raise CommandRejected(
            ConfidantRule.CONTACT_DATE_IN_FUTURE,
            f"contacted_on {command.contacted_on} is after today {today} {where}",
        )
    event = AdviceContactRegistered(
        contact_id=command.contact_id,
        contacted_on=command.contacted_on,
        channel=command.channel,
        kind=command.kind,
        categories=command.categories,
        organisation_concerned=command.organisation_concerned,
    )
    if state.withdrawn:
        raise CommandRejected(
            ContactRule.CONTACT_WITHDRAWN,
            f"contact {command.contact_id} was withdrawn; register the contact under a new id {where}",
        )
    if state.registered is not None:
        if state.registered == event:
            return []
        raise CommandRejected(
            ContactRule.CONTACT_ALREADY_REGISTERED,
            f"contact {command.contact_id} was registered before with other facts; a contact is "
            f"registered once {where}",
        )
    return [event]


def withdraw_advice_contact(command: ConfidantWithdrawsAdviceContact, state: ContactState) -> list[AnyEvent]:
    where = f"(Contact: {command.contact_id}, Tenant: {command.tenant})"
    _require_confidant_organisation(command, where)
    if state.registered is None:
        raise CommandRejected(
            ContactRule.CONTACT_NOT_REGISTERED, f"no contact {command.contact_id} was registered {where}"
        )
    if state.withdrawn:
        return []
    return [AdviceContactWithdrawn(contact_id=command.contact_id)]
