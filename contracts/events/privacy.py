"""Consent and erasure."""

from __future__ import annotations

from typing import Any, ClassVar, Self
from uuid import UUID

from pydantic import model_validator

from contracts import invariants
from contracts.base import Event, RequestReference
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
    """The case's key was destroyed: every personal field now reads as its mask; the events stay valid.

    v2 added ``request_reference``: the number of the erasure request in the organisation's register
    (only with ``reason=erasure_request``; None before). Who erased is the envelope's actor.
    """

    event_type: ClassVar[str] = "PersonalDataErased"
    schema_version: ClassVar[int] = 2

    reason: ErasureReason
    request_reference: RequestReference | None = None

    @model_validator(mode="after")
    def _reference_only_for_a_request(self) -> Self:
        invariants.reference_only_for_a_request(self.reason, self.request_reference)
        return self

    @staticmethod
    def upcast_v1_v2(data: dict[str, Any]) -> dict[str, Any]:
        """v1 recorded the reason only: no request reference."""
        return {**data, "request_reference": None}
