"""Commands of the informal route."""

from __future__ import annotations

from datetime import date
from typing import Self

from pydantic import model_validator

from contracts import invariants
from contracts.base import Command, StaffId
from contracts.personal import PersonalText
from contracts.vocabulary import ConversationResult, EscalationReason, EscalationStep, Role


class RecordInformalConversation(Command):
    step: EscalationStep
    held_on: date
    result: ConversationResult
    with_staff_id: StaffId | None = None
    confidant_present: bool = False
    notes: PersonalText | None = None

    @model_validator(mode="after")
    def _informal_step(self) -> Self:
        invariants.informal_step(self.step)
        return self


class Escalate(Command):
    """Move the case to ``to_step``; the decider checks the pinned policy's ladder."""

    to_step: EscalationStep
    reason: EscalationReason
    explanation: PersonalText | None = None


class AssignComplaintsOfficer(Command):
    officer_id: StaffId


class StartMediation(Command):
    mediator_role: Role
    mediator_id: StaffId


class ConcludeMediation(Command):
    result: ConversationResult
    agreement: PersonalText | None = None
