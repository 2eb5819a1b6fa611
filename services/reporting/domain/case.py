"""The case list row as a fold over the case's events: ``evolve(view, event) -> view``.

The row keeps what the list shows (reference, status, dates, categories, next deadline) and the little
it needs to move on: the terms that are running and the acknowledgement notifications not yet sent.
An event at or below the row's version changes nothing, so replaying events gives the same row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import assert_never
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


def evolve(view: CaseView | None, event: CaseEvent) -> CaseView:
    """The row after ``event``; the same row (``is``) when the event was already applied."""
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
    moved = replace(view, version=event.version, last_event_at=max(view.last_event_at, event.occurred_at))
    return _apply(moved, event.payload)


def _apply(view: CaseView, payload: Payload) -> CaseView:
    match payload:
        case SignalReceived():
            return _opened(view, payload.received_on, payload.categories)
        case ComplaintFiled():
            opened = _opened(view, payload.received_on, payload.categories)
            if view.version == 0:  # the complaint opened the case: it is new, not yet in progress
                return opened
            step = CaseStatus.FORMAL if payload.filed_with.is_formal else CaseStatus.IN_PROGRESS
            return _to(opened, forward(view.status, step))
        case CaseReferenceAssigned():
            return replace(view, reference=payload.reference)
        case NotificationRequested():
            if payload.kind is not NotificationKind.ACKNOWLEDGEMENT:
                return view
            pending = view.pending_acknowledgements | {payload.notification_id}
            return replace(view, pending_acknowledgements=pending)
        case NotificationSent():
            if payload.notification_id not in view.pending_acknowledgements:
                return view
            sent = view.pending_acknowledgements - {payload.notification_id}
            return _acknowledged(replace(view, pending_acknowledgements=sent))
        case FirstContactMade():
            return _met(_to(view, forward(view.status, CaseStatus.IN_PROGRESS)), DeadlineKind.FIRST_CONTACT)
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
            return _to(view, CaseStatus.IN_PROGRESS) if view.status is CaseStatus.MEDIATION else view
        case AdmissibilityDecided():
            return _met(_to(view, forward(view.status, CaseStatus.FORMAL)), DeadlineKind.ADMISSIBILITY)
        case JudgementRequested() | CommitteeHearingScheduled() | CommitteeHearingHeld():
            return _to(view, forward(view.status, CaseStatus.FORMAL))
        case JudgementGiven():
            return _met(_to(view, forward(view.status, CaseStatus.JUDGED)), DeadlineKind.JUDGEMENT)
        case MeasuresAnnounced():
            return _met(view, DeadlineKind.MEASURES_NOTICE)
        case TermStarted():
            return view if view.status.ended else _term(view, OpenTerm(payload.deadline, payload.due_on))
        case TermExtended():
            if view.status.ended:
                return view
            current = _find(view, payload.deadline)
            suspended = current is not None and current.suspended
            return _term(view, OpenTerm(payload.deadline, payload.new_due_on, suspended))
        case TermSuspended() | TermResumed():
            current = _find(view, payload.deadline)
            if current is None:
                return view
            return _term(view, replace(current, suspended=isinstance(payload, TermSuspended)))
        case ComplaintWithdrawn():
            return view if view.status is CaseStatus.CLOSED else _ended(view, CaseStatus.WITHDRAWN)
        case CaseClosed():
            return _ended(view, CaseStatus.CLOSED)
        case CaseReopened():
            return _to(view, CaseStatus.IN_PROGRESS) if view.status.ended else view
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
            return view
        case _:
            assert_never(payload)


def _opened(view: CaseView, received_on: date, categories: Iterable[Category]) -> CaseView:
    return replace(
        view,
        received_on=view.received_on or received_on,
        categories=_unique((*view.categories, *categories)),
    )


def _acknowledged(view: CaseView) -> CaseView:
    return _met(_to(view, forward(view.status, CaseStatus.ACKNOWLEDGED)), DeadlineKind.ACKNOWLEDGEMENT)


def _to(view: CaseView, status: CaseStatus) -> CaseView:
    return view if status is view.status else replace(view, status=status)


def _ended(view: CaseView, status: CaseStatus) -> CaseView:
    return replace(view, status=status, terms=())


def _find(view: CaseView, deadline: DeadlineKind) -> OpenTerm | None:
    return next((term for term in view.terms if term.deadline is deadline), None)


def _met(view: CaseView, deadline: DeadlineKind) -> CaseView:
    """The step the term asked for happened: the term no longer runs."""
    if _find(view, deadline) is None:
        return view
    return replace(view, terms=tuple(term for term in view.terms if term.deadline is not deadline))


def _term(view: CaseView, term: OpenTerm) -> CaseView:
    others = [t for t in view.terms if t.deadline is not term.deadline]
    return replace(view, terms=tuple(sorted([*others, term], key=lambda t: t.deadline.value)))


def _unique(categories: Iterable[Category]) -> tuple[Category, ...]:
    """Each category once, in a stable order, so equal sets give equal rows."""
    return tuple(sorted(set(categories), key=lambda c: c.value))
