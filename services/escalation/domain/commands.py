"""What the workflow is asked to do. Time and ids come in on the command; the domain produces neither.

Two kinds: :class:`AcknowledgeSignal`, the reaction to a committed event (its ids derive from that event),
and the staff commands of :mod:`contracts.commands` that move a case through its procedure.
"""

from __future__ import annotations

from typing import TypeAlias
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict

from contracts.base import CaseId, TenantSlug
from contracts.commands import (
    AnnounceMeasures,
    AssignComplaintsOfficer,
    Close,
    ConcludeMediation,
    DecideAdmissibility,
    Escalate,
    ExtendTerm,
    FileComplaint,
    GiveJudgement,
    LinkAsDuplicate,
    RecordDeadlineBreach,
    RecordDeadlineWarning,
    RecordFirstContact,
    RecordHearing,
    RecordInformalConversation,
    ReferExternally,
    Reopen,
    RequestJudgement,
    ResumeTerm,
    ScheduleHearing,
    StartMediation,
    SuspendTerm,
    Withdraw,
)


class AcknowledgeSignal(BaseModel):
    """React to a received signal: acknowledge it to the complainant and start the terms its policy sets.

    ``causation_event_id`` is the event this reaction answers (the ``SignalReceived``); the ids of what is
    decided derive from it, so answering the same event twice appends nothing new.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    tenant: TenantSlug
    case_id: CaseId
    causation_event_id: UUID
    correlation_id: UUID
    now: AwareDatetime


class LinkToOriginal(LinkAsDuplicate):
    """:class:`LinkAsDuplicate` with what the application found of the original: whether its case stream
    exists in the same tenant (the decider sees one case; the original is another stream). The decider
    links only to an original found; a bare ``LinkAsDuplicate`` is refused like one not found."""

    original_found: bool


Reaction: TypeAlias = AcknowledgeSignal
"""Commands the bus consumer derives from committed events."""

LifecycleCommand: TypeAlias = (
    FileComplaint
    | RecordFirstContact
    | RecordInformalConversation
    | Escalate
    | AssignComplaintsOfficer
    | StartMediation
    | ConcludeMediation
    | DecideAdmissibility
    | RequestJudgement
    | ScheduleHearing
    | RecordHearing
    | GiveJudgement
    | AnnounceMeasures
    | ReferExternally
    | ExtendTerm
    | SuspendTerm
    | ResumeTerm
    | Withdraw
    | Reopen
    | LinkAsDuplicate
    | Close
    | RecordDeadlineWarning
    | RecordDeadlineBreach
)
"""Staff commands that move a case through its procedure (ids derive from their ``command_id``)."""

Command: TypeAlias = Reaction | LifecycleCommand
"""Every command the lifecycle decider takes."""
