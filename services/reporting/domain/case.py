"""The case list row as a fold over the case's events: ``evolve(view, event) -> view``.

The row keeps what the list shows (reference, status, dates, categories, next deadline) and the little
it needs to move on: the terms that are running and the acknowledgement notifications not yet sent.
An event at or below the row's version changes nothing, so replaying events gives the same row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypedDict, assert_never
from uuid import UUID

from contracts.events import (
    AdmissibilityDecided,
    AdviceContactRegistered,
    AdviceContactWithdrawn,
    CaseClosed,
    CaseLinkedAsDuplicate,
    CaseReferenceAssigned,
    CaseReopened,
    CommitteeHearingHeld,
    CommitteeHearingScheduled,
    ComplainantInformationAdded,
    ComplaintFiled,
    ComplaintsOfficerAssigned,
    ComplaintWithdrawn,
    ConfidantContactedOrganisation,
    ConfidantContactRegistered,
    ConfidentialityLifted,
    ConsentGiven,
    ConsentWithdrawn,
    DeadlineBreached,
    DeadlineWarningReached,
    DossierSecretIssued,
    EscalatedToNextStep,
    FirstContactMade,
    InformalConversationHeld,
    JudgementGiven,
    JudgementRequested,
    MeasuresAnnounced,
    MediationConcluded,
    MediationStarted,
    NotificationFailed,
    NotificationParked,
    NotificationRequested,
    NotificationRetryRequested,
    NotificationSent,
    PersonalDataErased,
    ProcedurePolicyPinned,
    ReferredExternally,
    SafetyConcernRaised,
    SignalReceived,
    TermExtended,
    TermResumed,
    TermStarted,
    TermSuspended,
)
from contracts.vocabulary import Category, DeadlineKind, NotificationKind
from klachtspoor.frozen import replace
from services.reporting.domain.events import CaseEvent, OtherEvent, Payload
from services.reporting.domain.status import CaseStatus, forward


@dataclass(frozen=True, slots=True)
class OpenTerm:
    """A running term; a suspended one is not due until it is resumed."""

    deadline: DeadlineKind
    due_on: date
    suspended: bool = False


@dataclass(frozen=True, slots=True)
class CaseView:
    tenant: str
    case_id: UUID
    stream: str
    version: int
    opened_at: datetime
    last_event_at: datetime
    status: CaseStatus = CaseStatus.OPEN
    reference: str | None = None
    received_on: date | None = None
    categories: tuple[Category, ...] = ()
    terms: tuple[OpenTerm, ...] = ()
    pending_acknowledgements: frozenset[UUID] = field(default_factory=frozenset)

    @property
    def next_deadline(self) -> OpenTerm | None:
        """The running term due first (suspended terms wait)."""
        running = [term for term in self.terms if not term.suspended]
        return min(running, key=lambda t: (t.due_on, t.deadline.value), default=None)


class _Changes(TypedDict, total=False):
    """The fields an event changes, by name: all of them go into the one copy of the row per event."""

    status: CaseStatus
    reference: str
    received_on: date | None
    categories: tuple[Category, ...]
    terms: tuple[OpenTerm, ...]
    pending_acknowledgements: frozenset[UUID]


def evolve(view: CaseView | None, event: CaseEvent) -> CaseView:
    """The row after ``event``; the same row (``is``) when the event was already applied.

    One copy of the row per event: what the event changes is worked out on the row before it
    (:func:`_changes`) and copied in with the new version and last event time, at once.
    """
    if view is None:
        view = CaseView(
            tenant=event.tenant,
            case_id=event.case_id,
            stream=event.stream,
            version=-1,
            opened_at=event.occurred_at,
            last_event_at=event.occurred_at,
        )
    elif event.version <= view.version:
        return view
    changes = _changes(view, event.payload, first=event.version == 0)
    last_event_at = max(view.last_event_at, event.occurred_at)
    return replace(view, version=event.version, last_event_at=last_event_at, **changes)


def _changes(view: CaseView, payload: Payload, *, first: bool) -> _Changes:
    """What ``payload`` changes in ``view``. Where an event changes more than one thing, each part reads
    fields the others do not change, so each is worked out on ``view`` itself."""
    match payload:
        case SignalReceived():
            return _opened(view, payload.received_on, payload.categories)
        case ComplaintFiled():
            opened = _opened(view, payload.received_on, payload.categories)
            if first:  # the complaint opened the case: it is new, not yet in progress
                return opened
            step = CaseStatus.FORMAL if payload.filed_with.is_formal else CaseStatus.IN_PROGRESS
            return opened | _to(view, forward(view.status, step))
        case CaseReferenceAssigned():
            return {"reference": payload.reference}
        case NotificationRequested():
            if payload.kind is not NotificationKind.ACKNOWLEDGEMENT:
                return {}
            return {"pending_acknowledgements": view.pending_acknowledgements | {payload.notification_id}}
        case NotificationSent():
            if payload.notification_id not in view.pending_acknowledgements:
                return {}
            sent = view.pending_acknowledgements - {payload.notification_id}
            return {"pending_acknowledgements": sent} | _acknowledged(view)
        case FirstContactMade():
            return _to(view, forward(view.status, CaseStatus.IN_PROGRESS)) | _met(
                view, DeadlineKind.FIRST_CONTACT
            )
        case (
            InformalConversationHeld()
            | ComplaintsOfficerAssigned()
            | ConfidantContactRegistered()
            | ConfidantContactedOrganisation()
        ):
            return _to(view, forward(view.status, CaseStatus.IN_PROGRESS))
        case EscalatedToNextStep():
            step = CaseStatus.FORMAL if payload.to_step.is_formal else CaseStatus.IN_PROGRESS
            return _to(view, forward(view.status, step))
        case MediationStarted():
            return _to(view, forward(view.status, CaseStatus.MEDIATION))
        case MediationConcluded():
            return _to(view, CaseStatus.IN_PROGRESS) if view.status is CaseStatus.MEDIATION else {}
        case AdmissibilityDecided():
            return _to(view, forward(view.status, CaseStatus.FORMAL)) | _met(view, DeadlineKind.ADMISSIBILITY)
        case JudgementRequested() | CommitteeHearingScheduled() | CommitteeHearingHeld():
            return _to(view, forward(view.status, CaseStatus.FORMAL))
        case JudgementGiven():
            return _to(view, forward(view.status, CaseStatus.JUDGED)) | _met(view, DeadlineKind.JUDGEMENT)
        case MeasuresAnnounced():
            return _met(view, DeadlineKind.MEASURES_NOTICE)
        case TermStarted():
            return {} if view.status.ended else _term(view, OpenTerm(payload.deadline, payload.due_on))
        case TermExtended():
            if view.status.ended:
                return {}
            current = _find(view, payload.deadline)
            suspended = current is not None and current.suspended
            return _term(view, OpenTerm(payload.deadline, payload.new_due_on, suspended))
        case TermSuspended() | TermResumed():
            current = _find(view, payload.deadline)
            if current is None:
                return {}
            return _term(view, replace(current, suspended=isinstance(payload, TermSuspended)))
        case ComplaintWithdrawn():
            return {} if view.status is CaseStatus.CLOSED else _ended(CaseStatus.WITHDRAWN)
        case CaseClosed():
            return _ended(CaseStatus.CLOSED)
        case CaseReopened():
            return _to(view, CaseStatus.IN_PROGRESS) if view.status.ended else {}
        case (
            ProcedurePolicyPinned()
            | ReferredExternally()
            | DeadlineWarningReached()
            | DeadlineBreached()
            | CaseLinkedAsDuplicate()
            | SafetyConcernRaised()
            | ConfidentialityLifted()
            | ConsentGiven()
            | ConsentWithdrawn()
            | PersonalDataErased()
            | NotificationFailed()
            | NotificationParked()
            | NotificationRetryRequested()
            | AdviceContactRegistered()
            | AdviceContactWithdrawn()
            | DossierSecretIssued()
            | ComplainantInformationAdded()
            | OtherEvent()
        ):
            return {}
        case _:
            assert_never(payload)


def _opened(view: CaseView, received_on: date, categories: Iterable[Category]) -> _Changes:
    return {
        "received_on": view.received_on or received_on,
        "categories": _unique((*view.categories, *categories)),
    }


def _acknowledged(view: CaseView) -> _Changes:
    return _to(view, forward(view.status, CaseStatus.ACKNOWLEDGED)) | _met(view, DeadlineKind.ACKNOWLEDGEMENT)


def _to(view: CaseView, status: CaseStatus) -> _Changes:
    return {} if status is view.status else {"status": status}


def _ended(status: CaseStatus) -> _Changes:
    return {"status": status, "terms": ()}


def _find(view: CaseView, deadline: DeadlineKind) -> OpenTerm | None:
    return next((term for term in view.terms if term.deadline is deadline), None)


def _met(view: CaseView, deadline: DeadlineKind) -> _Changes:
    """The step the term asked for happened: the term no longer runs."""
    if _find(view, deadline) is None:
        return {}
    return {"terms": tuple(term for term in view.terms if term.deadline is not deadline)}


def _term(view: CaseView, term: OpenTerm) -> _Changes:
    others = [t for t in view.terms if t.deadline is not term.deadline]
    return {"terms": tuple(sorted([*others, term], key=lambda t: t.deadline.value))}


def _unique(categories: Iterable[Category]) -> tuple[Category, ...]:
    """Each category once, in a stable order, so equal sets give equal rows."""
    return tuple(sorted(set(categories), key=lambda c: c.value))
