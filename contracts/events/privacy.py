"""Consent and erasure."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from contracts.base import Event
from contracts.vocabulary import ComplainantCapacity, ConsentScope, ErasureReason


class ConsentGiven(Event):
    """The complainant allowed something (e.g. the confidant contacting the organisation)."""

    event_type: ClassVar[str] = "ConsentGiven"
    schema_version: ClassVar[int] = 1

    consent_id: UUID
    scope: ConsentScope
    given_by: ComplainantCapacity
    written: bool


class ConsentWithdrawn(Event):
    """A consent no longer holds from now on."""

    event_type: ClassVar[str] = "ConsentWithdrawn"
    schema_version: ClassVar[int] = 1

    consent_id: UUID
    scope: ConsentScope


class PersonalDataErased(Event):
    """The case's key was destroyed: every personal field now reads as its mask; the events stay valid."""

    event_type: ClassVar[str] = "PersonalDataErased"
    schema_version: ClassVar[int] = 1

    reason: ErasureReason
