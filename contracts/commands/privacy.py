"""Commands on consent and erasure."""

from __future__ import annotations

from uuid import UUID

from contracts.base import Command
from contracts.vocabulary import ComplainantCapacity, ConsentScope, ErasureReason


class GiveConsent(Command):
    consent_id: UUID
    scope: ConsentScope
    given_by: ComplainantCapacity
    written: bool


class WithdrawConsent(Command):
    consent_id: UUID


class ErasePersonalData(Command):
    reason: ErasureReason
