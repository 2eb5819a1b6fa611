"""The commands, the imperative counterparts of the events. :data:`COMMAND_CLASSES` lists them all;
:data:`AnyCommand` is the union a decider ``match``es on."""

from __future__ import annotations

from typing import TypeAlias

from contracts.commands.confidant import (
    ContactOrganisation,
    LiftConfidentiality,
    RaiseSafetyConcern,
    RegisterConfidantContact,
)
from contracts.commands.deadlines import (
    ExtendTerm,
    RecordDeadlineBreach,
    RecordDeadlineWarning,
    ResumeTerm,
    SuspendTerm,
)
from contracts.commands.formal import (
    AnnounceMeasures,
    DecideAdmissibility,
    GiveJudgement,
    RecordHearing,
    ReferExternally,
    RequestJudgement,
    ScheduleHearing,
)
from contracts.commands.informal import (
    AssignComplaintsOfficer,
    ConcludeMediation,
    Escalate,
    RecordInformalConversation,
    StartMediation,
)
from contracts.commands.intake import (
    AssignCaseReference,
    CategoriseCase,
    FileComplaint,
    RecordAcknowledgement,
    RecordFirstContact,
    SubmitSignal,
)
from contracts.commands.lifecycle import (
    Close,
    LinkAsDuplicate,
    Reopen,
    Withdraw,
)
from contracts.commands.notifications import (
    ParkNotification,
    RecordNotificationFailure,
    RecordNotificationSent,
    RequestNotification,
)
from contracts.commands.privacy import (
    ErasePersonalData,
    GiveConsent,
    WithdrawConsent,
)

COMMAND_CLASSES = (
    SubmitSignal,
    FileComplaint,
    AssignCaseReference,
    RecordAcknowledgement,
    RecordFirstContact,
    CategoriseCase,
    RecordInformalConversation,
    Escalate,
    AssignComplaintsOfficer,
    StartMediation,
    ConcludeMediation,
    DecideAdmissibility,
    RequestJudgement,
    ScheduleHearing,
    RecordHearing,
    GiveJudgement,
    AnnounceMeasures,
    ReferExternally,
    ExtendTerm,
    SuspendTerm,
    ResumeTerm,
    RecordDeadlineWarning,
    RecordDeadlineBreach,
    Withdraw,
    Reopen,
    LinkAsDuplicate,
    Close,
    RegisterConfidantContact,
    ContactOrganisation,
    RaiseSafetyConcern,
    LiftConfidentiality,
    GiveConsent,
    WithdrawConsent,
    ErasePersonalData,
    RequestNotification,
    RecordNotificationSent,
    RecordNotificationFailure,
    ParkNotification,
)

AnyCommand: TypeAlias = (
    SubmitSignal
    | FileComplaint
    | AssignCaseReference
    | RecordAcknowledgement
    | RecordFirstContact
    | CategoriseCase
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
    | RecordDeadlineWarning
    | RecordDeadlineBreach
    | Withdraw
    | Reopen
    | LinkAsDuplicate
    | Close
    | RegisterConfidantContact
    | ContactOrganisation
    | RaiseSafetyConcern
    | LiftConfidentiality
    | GiveConsent
    | WithdrawConsent
    | ErasePersonalData
    | RequestNotification
    | RecordNotificationSent
    | RecordNotificationFailure
    | ParkNotification
)

__all__ = [
    "COMMAND_CLASSES",
    "AnnounceMeasures",
    "AnyCommand",
    "AssignCaseReference",
    "AssignComplaintsOfficer",
    "CategoriseCase",
    "Close",
    "ConcludeMediation",
    "ContactOrganisation",
    "DecideAdmissibility",
    "ErasePersonalData",
    "Escalate",
    "ExtendTerm",
    "FileComplaint",
    "GiveConsent",
    "GiveJudgement",
    "LiftConfidentiality",
    "LinkAsDuplicate",
    "ParkNotification",
    "RaiseSafetyConcern",
    "RecordAcknowledgement",
    "RecordDeadlineBreach",
    "RecordDeadlineWarning",
    "RecordFirstContact",
    "RecordHearing",
    "RecordInformalConversation",
    "RecordNotificationFailure",
    "RecordNotificationSent",
    "ReferExternally",
    "RegisterConfidantContact",
    "Reopen",
    "RequestJudgement",
    "RequestNotification",
    "ResumeTerm",
    "ScheduleHearing",
    "StartMediation",
    "SubmitSignal",
    "SuspendTerm",
    "Withdraw",
    "WithdrawConsent",
]
