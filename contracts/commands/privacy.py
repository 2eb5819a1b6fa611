"""Commands on consent and erasure."""

from __future__ import annotations

from typing import Self
from uuid import UUID

from pydantic import model_validator

from contracts import invariants
from contracts.base import Command, RequestReference
from contracts.vocabulary import ComplainantCapacity, ConsentScope, ErasureReason


class GiveConsent(Command):
    consent_id: UUID
    scope: ConsentScope
    given_by: ComplainantCapacity
    written: bool


class WithdrawConsent(Command):
    consent_id: UUID


class ErasePersonalData(Command):
    """Erase the case's personal data for good (its key is shredded), for ``reason``.

    ``request_reference`` is the number of the erasure request in the organisation's own register, so an
    auditor can match the erasure to the request; it is pattern-limited, never free text, because free
    text could hold the very data being erased. Only an ``erasure_request`` names one.
    """

    reason: ErasureReason
    request_reference: RequestReference | None = None

    @model_validator(mode="after")
    def _reference_only_for_a_request(self) -> Self:
        invariants.reference_only_for_a_request(self.reason, self.request_reference)
        return self
