"""Commands of the confidant and of safety."""

from __future__ import annotations

from datetime import date
from typing import Self
from uuid import UUID

from pydantic import model_validator

from contracts import invariants
from contracts.base import Command, StaffId
from contracts.personal import PersonalName, PersonalText
from contracts.vocabulary import Category, Channel, CrisisRoute, DisclosureRecipient, LiftGround


class RegisterConfidantContact(Command):
    contact_id: UUID
    confidant_id: StaffId
    contacted_on: date
    channel: Channel
    anonymous: bool
    client_name: PersonalName | None = None
    categories: tuple[Category, ...] = ()
    summary: PersonalText | None = None

    @model_validator(mode="after")
    def _anonymous_has_no_name(self) -> Self:
        invariants.anonymous_has_no_name(self.anonymous, self.client_name)
        return self


class ContactOrganisation(Command):
    """The confidant contacts the organisation; the decider checks that the consent is still valid."""

    consent_id: UUID | None = None
    safety_override: bool = False
    purpose: PersonalText | None = None

    @model_validator(mode="after")
    def _consent_or_override(self) -> Self:
        invariants.consent_or_override(self.consent_id, self.safety_override)
        return self


class RaiseSafetyConcern(Command):
    concern_id: UUID
    crisis_route: CrisisRoute
    immediate_danger: bool
    description: PersonalText


class LiftConfidentiality(Command):
    ground: LiftGround
    disclosed_to: DisclosureRecipient
    discussed_with_client: bool
    justification: PersonalText
    concern_id: UUID | None = None
