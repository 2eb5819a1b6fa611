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
from contracts.commands.contacts import ContactCommand, RegisterAdviceContact, WithdrawAdviceContact
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
    FileComplaint,
    RecordFirstContact,
)
from contracts.commands.lifecycle import (
    Close,
    LinkAsDuplicate,
    Reopen,
    Withdraw,
)
from contracts.commands.notifications import (
    ParkNotification,
    RecordNotificationBounce,
    RecordNotificationFailure,
    RecordNotificationSent,
    RetryNotification,
)
from contracts.commands.privacy import (
    ErasePersonalData,
    GiveConsent,
    WithdrawConsent,
)

COMMAND_CLASSES = (
    FileComplaint,
    RecordFirstContact,
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
    RegisterAdviceContact,
    WithdrawAdviceContact,
    GiveConsent,
    WithdrawConsent,
    ErasePersonalData,
    RecordNotificationSent,
    RecordNotificationFailure,
    ParkNotification,
    RecordNotificationBounce,
    RetryNotification,
)

AnyCommand: TypeAlias = (
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
    | RegisterAdviceContact
    | WithdrawAdviceContact
    | GiveConsent
    | WithdrawConsent
    | ErasePersonalData
    | RecordNotificationSent
    | RecordNotificationFailure
    | ParkNotification
    | RecordNotificationBounce
    | RetryNotification
)

__all__ = [
    "COMMAND_CLASSES",
    "AnnounceMeasures",
    "AnyCommand",
    "AssignComplaintsOfficer",
    "Close",
    "ConcludeMediation",
    "ContactCommand",
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
    "RecordDeadlineBreach",
    "RecordDeadlineWarning",
    "RecordFirstContact",
    "RecordHearing",
    "RecordInformalConversation",
    "RecordNotificationBounce",
    "RecordNotificationFailure",
    "RecordNotificationSent",
    "ReferExternally",
    "RegisterAdviceContact",
    "RegisterConfidantContact",
    "Reopen",
    "RequestJudgement",
    "ResumeTerm",
    "RetryNotification",
    "ScheduleHearing",
    "StartMediation",
    "SuspendTerm",
    "Withdraw",
    "WithdrawAdviceContact",
    "WithdrawConsent",
]
