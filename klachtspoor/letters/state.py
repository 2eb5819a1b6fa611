"""What a case's letters need to know of it, folded from its events: notify decides and sends from it, and
the case file renders a sent letter's text from the same fold of the same events.

Only what decisions and mails need: the reference, the complainant's own name and address (decrypted by
the codec; masks once the case is erased), the policy the case pinned, the step it is at, the terms that
run and their due dates, and per notification what was requested, which term it is about, and what
happened to it so far. The letters say what these facts say, nothing the case does not hold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import MappingProxyType
from uuid import UUID

from contracts.events import (
    AdmissibilityDecided,
    AnyEvent,
    CaseClosed,
    CaseReferenceAssigned,
    ComplaintFiled,
    DeadlineBreached,
    DeadlineWarningReached,
    EscalatedToNextStep,
    FirstContactMade,
    JudgementGiven,
    JudgementRequested,
    MeasuresAnnounced,
    NotificationFailed,
    NotificationParked,
    NotificationRequested,
    NotificationSent,
    PersonalDataErased,
    ProcedurePolicyPinned,
    SignalReceived,
    TermExtended,
    TermResumed,
    TermStarted,
    TermSuspended,
)
from contracts.values import Complainant
from contracts.vocabulary import (
    DeadlineKind,
    EscalationStep,
    NotificationChannel,
    NotificationKind,
    Recipient,
)

ABOUT_A_TERM = frozenset(
    {
        NotificationKind.TERM_EXTENDED,
        NotificationKind.TERM_SUSPENDED,
        NotificationKind.DEADLINE_WARNING,
        NotificationKind.DEADLINE_BREACHED,
    }
)
"""Kinds of letter about one term: the term of the event just before the request (same append)."""

_ENDED_BY = {
    FirstContactMade: DeadlineKind.FIRST_CONTACT,
    AdmissibilityDecided: DeadlineKind.ADMISSIBILITY,
    JudgementGiven: DeadlineKind.JUDGEMENT,
    MeasuresAnnounced: DeadlineKind.MEASURES_NOTICE,
}


@dataclass(frozen=True, slots=True)
class Notification:
    notification_id: UUID
    kind: NotificationKind
    recipient: Recipient
    channel: NotificationChannel
    failures: int = 0
    """Attempts that failed so far; the next attempt is number ``failures + 1``."""
    next_attempt_at: datetime | None = None
    sent: bool = False
    parked: bool = False
    about: DeadlineKind | None = None
    """The term a letter of a kind in :data:`ABOUT_A_TERM` is about."""

    @property
    def finished(self) -> bool:
        return self.sent or self.parked


@dataclass(frozen=True, slots=True)
class PolicyPin:
    policy_id: str
    version: int


@dataclass(frozen=True, slots=True)
class CaseMailState:
    reference: str | None = None
    received_on: date | None = None
    complainant_name: str | None = None
    complainant_email: str | None = None
    erased: bool = False
    policy: PolicyPin | None = None
    step: EscalationStep | None = None
    terms: Mapping[DeadlineKind, date] = field(default_factory=lambda: MappingProxyType({}))
    """Each running term's due date (extensions included), in the order the terms started."""
    last_term_event: DeadlineKind | None = None
    notifications: Mapping[UUID, Notification] = field(default_factory=lambda: MappingProxyType({}))

    def notification(self, notification_id: UUID) -> Notification | None:
        return self.notifications.get(notification_id)

    def with_notification(self, notification: Notification) -> CaseMailState:
        updated = {**self.notifications, notification.notification_id: notification}
        return replace(self, notifications=MappingProxyType(updated))


initial_state = CaseMailState()


def evolve(state: CaseMailState, event: AnyEvent) -> CaseMailState:
    match event:
        case SignalReceived(received_on=received_on, complainant=complainant):
            opened = replace(state, received_on=received_on, step=event.raised_with)
            return _with_complainant(opened, complainant)
        case ComplaintFiled(complainant=complainant):
            filed = replace(state, step=event.filed_with)
            return _with_complainant(filed, complainant) if complainant is not None else filed
        case CaseReferenceAssigned(reference=reference):
            return replace(state, reference=reference)
        case ProcedurePolicyPinned(policy_id=policy_id, policy_version=version):
            return replace(state, policy=PolicyPin(policy_id, version))
        case EscalatedToNextStep(to_step=to_step):
            return replace(state, step=to_step)
        case JudgementRequested(judge=judge):
            return replace(state, step=EscalationStep(judge.value))
        case TermStarted(deadline=kind, due_on=due_on):
            return _with_term(state, kind, due_on)
        case TermExtended(deadline=kind, new_due_on=due_on):
            return _with_term(state, kind, due_on)
        case TermSuspended(deadline=kind) | TermResumed(deadline=kind):
            return replace(state, last_term_event=kind)
        case DeadlineWarningReached(deadline=kind) | DeadlineBreached(deadline=kind):
            return replace(state, last_term_event=kind)
        case FirstContactMade() | AdmissibilityDecided() | JudgementGiven() | MeasuresAnnounced():
            return _without_term(state, _ENDED_BY[type(event)])
        case CaseClosed():
            return replace(state, terms=MappingProxyType({}))
        case PersonalDataErased():
            return replace(state, erased=True, complainant_name=None, complainant_email=None)
        case NotificationRequested() if event.notification_id not in state.notifications:
            about = state.last_term_event if event.kind in ABOUT_A_TERM else None
            return state.with_notification(
                Notification(event.notification_id, event.kind, event.recipient, event.channel, about=about)
            )
        case NotificationSent():
            return _update(state, event.notification_id, lambda n: replace(n, sent=True))
        case NotificationFailed():
            failed = event
            return _update(
                state,
                failed.notification_id,
                lambda n: replace(n, failures=failed.attempt, next_attempt_at=failed.next_attempt_at),
            )
        case NotificationParked():
            return _update(state, event.notification_id, lambda n: replace(n, parked=True))
        case _:
            return state


def _with_term(state: CaseMailState, kind: DeadlineKind, due_on: date) -> CaseMailState:
    terms = {**state.terms, kind: due_on}
    return replace(state, terms=MappingProxyType(terms), last_term_event=kind)


def _without_term(state: CaseMailState, kind: DeadlineKind) -> CaseMailState:
    terms = {k: due for k, due in state.terms.items() if k is not kind}
    return replace(state, terms=MappingProxyType(terms))


def fold(events: Iterable[AnyEvent], state: CaseMailState = initial_state) -> CaseMailState:
    for event in events:
        state = evolve(state, event)
    return state


def _with_complainant(state: CaseMailState, complainant: Complainant) -> CaseMailState:
    if state.erased:
        return state
    return replace(state, complainant_name=complainant.name, complainant_email=complainant.email)


def _update(
    state: CaseMailState, notification_id: UUID, change: Callable[[Notification], Notification]
) -> CaseMailState:
    current = state.notification(notification_id)
    if current is None:
        return state  # an outcome without a request in this stream: nothing to base a decision on
    return state.with_notification(change(current))
