"""The informal route: talking at the lowest level first, up the ladder, mediation."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Self

from pydantic import model_validator

from contracts import invariants
from contracts.base import Event, StaffId
from contracts.personal import PersonalText
from contracts.vocabulary import ConversationResult, EscalationReason, EscalationStep, Role


class InformalConversationHeld(Event):
    """A conversation about the dissatisfaction took place at an informal step (care worker, manager, …)."""

    event_type: ClassVar[str] = "InformalConversationHeld"
    schema_version: ClassVar[int] = 1

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


class EscalatedToNextStep(Event):
    """The case moved to another step of the ladder (the client decides the direction)."""

    event_type: ClassVar[str] = "EscalatedToNextStep"
    schema_version: ClassVar[int] = 1

    from_step: EscalationStep | None
    to_step: EscalationStep
    reason: EscalationReason
    explanation: PersonalText | None = None

    @model_validator(mode="after")
    def _moves(self) -> Self:
        if self.from_step == self.to_step:
            raise ValueError(f"from_step and to_step are both {self.to_step.value}")
        return self


class ComplaintsOfficerAssigned(Event):
    """A complaints officer (klachtenfunctionaris) took on the case."""

    event_type: ClassVar[str] = "ComplaintsOfficerAssigned"
    schema_version: ClassVar[int] = 1

    officer_id: StaffId


class MediationStarted(Event):
    """Mediation between complainant and the person complained about began."""

    event_type: ClassVar[str] = "MediationStarted"
    schema_version: ClassVar[int] = 1

    mediator_role: Role
    mediator_id: StaffId


class MediationConcluded(Event):
    """Mediation ended, with or without a solution both sides accept."""

    event_type: ClassVar[str] = "MediationConcluded"
    schema_version: ClassVar[int] = 1

    result: ConversationResult
    agreement: PersonalText | None = None
