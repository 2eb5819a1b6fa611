"""Commands on terms, from staff (extend, suspend, resume) and from the timer (warning, breach)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.base import Command
from contracts.personal import PersonalText
from contracts.vocabulary import DeadlineKind, SuspensionReason


class ExtendTerm(Command):
    """Extend a running term to ``new_due_on``; the decider knows the current due date and the limits."""

    deadline: DeadlineKind
    new_due_on: date
    reason: PersonalText
    consent_id: UUID | None = None


class SuspendTerm(Command):
    deadline: DeadlineKind
    reason: SuspensionReason
    explanation: PersonalText | None = None


class ResumeTerm(Command):
    deadline: DeadlineKind


class RecordDeadlineWarning(Command):
    """From the timer; ``command_id`` is derived from case, deadline and due date, so it is idempotent."""

    deadline: DeadlineKind
    due_on: date


class RecordDeadlineBreach(Command):
    """From the timer; ``command_id`` is derived from case, deadline and due date, so it is idempotent."""

    deadline: DeadlineKind
    due_on: date
