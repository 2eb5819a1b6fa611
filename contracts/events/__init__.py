"""The v1 catalogue of events, by theme (every one of a case stream, except a confidant's contact on no case,
which has a stream of its own). :data:`EVENT_CLASSES` is the list the registry, the
schema export and the docs are built from; :data:`AnyEvent` is the union deciders ``match`` on."""

from __future__ import annotations

from typing import TypeAlias

from contracts.events.confidant import (
    ConfidantContactedOrganisation,
    ConfidantContactRegistered,
)
from contracts.events.contacts import AdviceContactRegistered, AdviceContactWithdrawn
from contracts.events.deadlines import (
    DeadlineBreached,
    DeadlineWarningReached,
    TermExtended,
    TermResumed,
    TermStarted,
    TermSuspended,
)
from contracts.events.dossier import ComplainantInformationAdded, DossierSecretIssued
from contracts.events.formal import (
    AdmissibilityDecided,
    CommitteeHearingHeld,
    CommitteeHearingScheduled,
    JudgementGiven,
    JudgementRequested,
    MeasuresAnnounced,
    ReferredExternally,
)
from contracts.events.informal import (
    ComplaintsOfficerAssigned,
    EscalatedToNextStep,
    InformalConversationHeld,
    MediationConcluded,
    MediationStarted,
)
from contracts.events.intake import (
    CaseReferenceAssigned,
    ComplaintFiled,
    FirstContactMade,
    ProcedurePolicyPinned,
    SignalReceived,
)
from contracts.events.lifecycle import (
    CaseClosed,
    CaseLinkedAsDuplicate,
    CaseReopened,
    ComplaintWithdrawn,
)
from contracts.events.notifications import (
    NotificationFailed,
    NotificationParked,
    NotificationRequested,
    NotificationRetryRequested,
    NotificationSent,
)
from contracts.events.privacy import (
    ConsentGiven,
    ConsentWithdrawn,
    PersonalDataErased,
)
from contracts.events.safety import (
    ConfidentialityLifted,
    SafetyConcernRaised,
)

EVENT_CLASSES = (
    SignalReceived,
    ComplaintFiled,
    CaseReferenceAssigned,
    ProcedurePolicyPinned,
    FirstContactMade,
    InformalConversationHeld,
    EscalatedToNextStep,
    ComplaintsOfficerAssigned,
    MediationStarted,
    MediationConcluded,
    AdmissibilityDecided,
    JudgementRequested,
    CommitteeHearingScheduled,
    CommitteeHearingHeld,
    JudgementGiven,
    MeasuresAnnounced,
    ReferredExternally,
    TermStarted,
    TermExtended,
    TermSuspended,
    TermResumed,
    DeadlineWarningReached,
    DeadlineBreached,
    ComplaintWithdrawn,
    CaseReopened,
    CaseLinkedAsDuplicate,
    CaseClosed,
    ConfidantContactRegistered,
    ConfidantContactedOrganisation,
    AdviceContactRegistered,
    AdviceContactWithdrawn,
    SafetyConcernRaised,
    ConfidentialityLifted,
    ConsentGiven,
    ConsentWithdrawn,
    PersonalDataErased,
    NotificationRequested,
    NotificationSent,
    NotificationFailed,
    NotificationParked,
    DossierSecretIssued,
    ComplainantInformationAdded,
    NotificationRetryRequested,
)

AnyEvent: TypeAlias = (
    SignalReceived
    | ComplaintFiled
    | CaseReferenceAssigned
    | ProcedurePolicyPinned
    | FirstContactMade
    | InformalConversationHeld
    | EscalatedToNextStep
    | ComplaintsOfficerAssigned
    | MediationStarted
    | MediationConcluded
    | AdmissibilityDecided
    | JudgementRequested
    | CommitteeHearingScheduled
    | CommitteeHearingHeld
    | JudgementGiven
    | MeasuresAnnounced
    | ReferredExternally
    | TermStarted
    | TermExtended
    | TermSuspended
    | TermResumed
    | DeadlineWarningReached
    | DeadlineBreached
    | ComplaintWithdrawn
    | CaseReopened
    | CaseLinkedAsDuplicate
    | CaseClosed
    | ConfidantContactRegistered
    | ConfidantContactedOrganisation
    | AdviceContactRegistered
    | AdviceContactWithdrawn
    | SafetyConcernRaised
    | ConfidentialityLifted
    | ConsentGiven
    | ConsentWithdrawn
    | PersonalDataErased
    | NotificationRequested
    | NotificationSent
    | NotificationFailed
    | NotificationParked
    | DossierSecretIssued
    | ComplainantInformationAdded
    | NotificationRetryRequested
)

__all__ = [
    "EVENT_CLASSES",
    "AdmissibilityDecided",
    "AdviceContactRegistered",
    "AdviceContactWithdrawn",
    "AnyEvent",
    "CaseClosed",
    "CaseLinkedAsDuplicate",
    "CaseReferenceAssigned",
    "CaseReopened",
    "CommitteeHearingHeld",
    "CommitteeHearingScheduled",
    "ComplainantInformationAdded",
    "ComplaintFiled",
    "ComplaintWithdrawn",
    "ComplaintsOfficerAssigned",
    "ConfidantContactRegistered",
    "ConfidantContactedOrganisation",
    "ConfidentialityLifted",
    "ConsentGiven",
    "ConsentWithdrawn",
    "DeadlineBreached",
    "DeadlineWarningReached",
    "DossierSecretIssued",
    "EscalatedToNextStep",
    "FirstContactMade",
    "InformalConversationHeld",
    "JudgementGiven",
    "JudgementRequested",
    "MeasuresAnnounced",
    "MediationConcluded",
    "MediationStarted",
    "NotificationFailed",
    "NotificationParked",
    "NotificationRequested",
    "NotificationRetryRequested",
    "NotificationSent",
    "PersonalDataErased",
    "ProcedurePolicyPinned",
    "ReferredExternally",
    "SafetyConcernRaised",
    "SignalReceived",
    "TermExtended",
    "TermResumed",
    "TermStarted",
    "TermSuspended",
]
