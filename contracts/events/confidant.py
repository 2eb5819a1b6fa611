"""The confidant (vertrouwenspersoon): independent support that acts only with the client's consent."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Self
from uuid import UUID

from pydantic import model_validator

from contracts import invariants
from contracts.base import Event, StaffId
from contracts.personal import PersonalName, PersonalText
from contracts.vocabulary import Category, Channel


class ConfidantContactRegistered(Event):
    """The confidant registered a contact with a client; it may be anonymous (quarterly reports count it)."""

    event_type: ClassVar[str] = "ConfidantContactRegistered"
    schema_version: ClassVar[int] = 1

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


class ConfidantContactedOrganisation(Event):
    """The confidant contacted the organisation: with the client's consent or on a safety override."""

    event_type: ClassVar[str] = "ConfidantContactedOrganisation"
    schema_version: ClassVar[int] = 1

    consent_id: UUID | None = None
    safety_override: bool = False
    purpose: PersonalText | None = None

    @model_validator(mode="after")
    def _consent_or_override(self) -> Self:
        invariants.consent_or_override(self.consent_id, self.safety_override)
        return self
