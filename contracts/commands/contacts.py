"""Commands about a confidant's contacts that are on no case. They name a contact, not a case: there is
no ``case_id``, and what they decide goes to the contact's own stream."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import AwareDatetime, field_validator

from contracts import invariants
from contracts.base import Actor, ContractModel, TenantSlug
from contracts.vocabulary import Category, Channel, ContactKind


class ContactCommand(ContractModel):
    """What every contact command carries, as :class:`~contracts.base.Command` does for a case: the time,
    the ids (``command_id``, from which event ids derive; ``contact_id``), the tenant (the confidant
    organisation the contact belongs to) and the actor whose role is checked."""

    command_id: UUID
    tenant: TenantSlug
    contact_id: UUID
    actor: Actor
    now: AwareDatetime


class RegisterAdviceContact(ContactCommand):
    contacted_on: date
    channel: Channel
    kind: ContactKind
    categories: tuple[Category, ...] = ()
    organisation_concerned: TenantSlug | None = None

    @field_validator("categories")
    @classmethod
    def _distinct(cls, categories: tuple[Category, ...]) -> tuple[Category, ...]:
        invariants.distinct(categories, "categories")
        return categories


class WithdrawAdviceContact(ContactCommand):
    """Withdraw a contact registered by mistake (the wrong day, kind or organisation): it leaves the
    figures; register it again under a new contact id."""
