"""Terms: started, extended once, suspended and resumed, and the timer's warnings and breaches.

Due dates are derived from these events and the pinned policy, never stored as a mutable flag. The
timer appends warnings and breaches with deterministic event ids (derived from case, deadline kind and
due date), so a restarted timer appends nothing twice.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Self
from uuid import UUID

from pydantic import Field, model_validator

from contracts import invariants
from contracts.base import Event
from contracts.personal import PersonalText
from contracts.values import Term
from contracts.vocabulary import DeadlineKind, SuspensionReason


class TermStarted(Event):
    """A term began to run: its length as the policy states it and the due date the calendar derived.

    ``due_on`` is recorded so readers (letters, dashboards) need no calendar; the timer and deciders may
    derive it again from ``started_on`` and ``term`` (and later extensions and suspensions).
    """

    event_type: ClassVar[str] = "TermStarted"
    schema_version: ClassVar[int] = 1

    deadline: DeadlineKind
    started_on: date
    term: Term
    due_on: date

    @model_validator(mode="after")
    def _due_after_start(self) -> Self:
        invariants.not_before(self.started_on, self.due_on)
        return self


class TermExtended(Event):
    """A term was extended (once, announced in writing before it ended), with the new due date and why."""

    event_type: ClassVar[str] = "TermExtended"
    schema_version: ClassVar[int] = 1

    deadline: DeadlineKind
    previous_due_on: date
    new_due_on: date
    reason: PersonalText
    consent_id: UUID | None = None
    """The complainant's written consent, needed to go beyond the legal maximum extension."""

    @model_validator(mode="after")
    def _later(self) -> Self:
        invariants.later(self.previous_due_on, self.new_due_on)
        return self


class TermSuspended(Event):
    """The clock of a term stopped (opschorting) until it is resumed.

    ``suspended_on`` and :attr:`TermResumed.resumed_on` make the suspended time derivable from the events
    alone; they are optional only so that events written before they existed stay valid (such a pause
    adds no days).
    """

    event_type: ClassVar[str] = "TermSuspended"
    schema_version: ClassVar[int] = 1

    deadline: DeadlineKind
    reason: SuspensionReason
    explanation: PersonalText | None = None
    suspended_on: date | None = Field(
        default=None,
        description="The day the clock stopped; every calendar day until it resumed is added to the due date",
    )


class TermResumed(Event):
    """A suspended term runs again; its due date moves by the suspended time."""

    event_type: ClassVar[str] = "TermResumed"
    schema_version: ClassVar[int] = 1

    deadline: DeadlineKind
    resumed_on: date | None = Field(default=None, description="The day the clock ran again")


class DeadlineWarningReached(Event):
    """A term is about to end (the warning moment is policy)."""

    event_type: ClassVar[str] = "DeadlineWarningReached"
    schema_version: ClassVar[int] = 1

    deadline: DeadlineKind
    due_on: date


class DeadlineBreached(Event):
    """A term ended without the step it required."""

    event_type: ClassVar[str] = "DeadlineBreached"
    schema_version: ClassVar[int] = 1

    deadline: DeadlineKind
    due_on: date
