"""What a case's letters need to know of it, folded from its events: notify decides and sends from it, and
the case file renders a sent letter's text from the same fold of the same events.

Only what decisions and mails need: the reference, the complainant's own name and addresses (decrypted by
the codec; masks once the case is erased), the policy the case pinned, the step it is at, the terms that
run and their due dates, the facts a letter communicates (:mod:`.case_facts`: admissibility, extensions,
the hearing, the judgement, the measures, the end of the case), the consents that hold, and per
notification what was requested, when, which term it is about, and what happened to it so far. The
letters say what these facts say, nothing the case does not hold.

A letter is dated the day its request was recorded (Europe/Amsterdam): :func:`fold_envelopes` folds the
stored envelopes and gives each event the day it was recorded, so the same events give the same date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import MappingProxyType
from uuid import UUID

from contracts.envelope import Envelope
from contracts.events import (
    AdmissibilityDecided,
    AnyEvent,
    CaseClosed,
    CaseReferenceAssigned,
    CaseReopened,
    CommitteeHearingScheduled,
    ComplaintFiled,
    ComplaintWithdrawn,
    ConsentGiven,
    ConsentWithdrawn,
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
    NotificationRetryRequested,
    NotificationSent,
    PersonalDataErased,
    ProcedurePolicyPinned,
    SignalReceived,
    TermExtended,
    TermResumed,
    TermStarted,
    TermSuspended,
)
from contracts.values import Complainant, ComplainedAbout
from contracts.vocabulary import (
    ConsentScope,
    DeadlineKind,
    EscalationStep,
    NotificationChannel,
    NotificationKind,
    Recipient,
)
from klachtspoor.calendar import local_date
from klachtspoor.letters.case_facts import (
    AdmissibilityFacts,
    ClosureFacts,
    ComplainedAboutFacts,
    ExtensionFacts,
    HearingFacts,
    JudgementFacts,
    MeasuresFacts,
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
    sent_attempt: int | None = None
    """The attempt that was handed over last (a bounce fails this one)."""
    parked: bool = False
    retries: int = 0
    """Times an operator retried the notification after it was parked: each starts a new round, whose
    send and park are recorded under ids of their own."""
    retry_requested: bool = False
    """An operator's retry waits for its attempt (cleared by that attempt's outcome)."""
    about: DeadlineKind | None = None
    """The term a letter of a kind in :data:`ABOUT_A_TERM` is about."""
    requested_on: date | None = None
    """The day the request was recorded (the letter's date); None when folded without envelopes."""
    hearing: HearingFacts | None = None
    """For a hearing invitation: the hearing scheduled last before the request."""

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
    complainant_address: str | None = None
    complained_about: ComplainedAboutFacts | None = None
    erased: bool = False
    policy: PolicyPin | None = None
    step: EscalationStep | None = None
    terms: Mapping[DeadlineKind, date] = field(default_factory=lambda: MappingProxyType({}))
    """Each running term's due date (extensions included), in the order the terms started."""
    last_term_event: DeadlineKind | None = None
    extensions: Mapping[DeadlineKind, ExtensionFacts] = field(default_factory=lambda: MappingProxyType({}))
    """Each term's last extension: the dates and the reason the letter states."""
    admissibility: AdmissibilityFacts | None = None
    hearing: HearingFacts | None = None
    judgement: JudgementFacts | None = None
    measures: MeasuresFacts | None = None
    closure: ClosureFacts | None = None
    withdrawn: bool = False
    consents: Mapping[UUID, ConsentScope] = field(default_factory=lambda: MappingProxyType({}))
    """The consents that hold (given and not withdrawn), by consent id."""
    mail_consent_withdrawn: bool = False
    """An ``email_correspondence`` consent was withdrawn on the case (see :attr:`mail_withdrawn`)."""
    recorded_on: date | None = None
    """The day the event folded last was recorded (set by :func:`fold_envelopes`)."""
    notifications: Mapping[UUID, Notification] = field(default_factory=lambda: MappingProxyType({}))

    def notification(self, notification_id: UUID) -> Notification | None:
        return self.notifications.get(notification_id)

    def consented(self, scope: ConsentScope) -> bool:
        return scope in self.consents.values()

    @property
    def mail_withdrawn(self) -> bool:
        """The complainant took back the consent to be mailed. Giving an e-mail address is that consent,
        so it holds until an ``email_correspondence`` consent is withdrawn, and again once one is given
        that holds (escalation's rule, ``SupportState.mail_withdrawn``)."""
        return self.mail_consent_withdrawn and not self.consented(ConsentScope.EMAIL_CORRESPONDENCE)

    def with_notification(self, notification: Notification) -> CaseMailState:
        updated = {**self.notifications, notification.notification_id: notification}
        return replace(self, notifications=MappingProxyType(updated))


initial_state = CaseMailState()


def evolve(state: CaseMailState, event: AnyEvent) -> CaseMailState:
    match event:
        case SignalReceived(received_on=received_on, complainant=complainant):
            opened = replace(state, received_on=received_on, step=event.raised_with)
            return _with_about(_with_complainant(opened, complainant), event.about)
        case ComplaintFiled(complainant=complainant):
            filed = _with_about(replace(state, step=event.filed_with), event.about)
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
            extension = ExtensionFacts(event.previous_due_on, due_on, event.reason)
            extensions = MappingProxyType({**state.extensions, kind: extension})
            return _with_term(replace(state, extensions=extensions), kind, due_on)
        case TermSuspended(deadline=kind) | TermResumed(deadline=kind):
            return replace(state, last_term_event=kind)
        case DeadlineWarningReached(deadline=kind) | DeadlineBreached(deadline=kind):
            return replace(state, last_term_event=kind)
        case FirstContactMade():
            return _without_term(state, DeadlineKind.FIRST_CONTACT)
        case AdmissibilityDecided():
            facts = AdmissibilityFacts(event.admissible, event.ground, event.explanation, event.may_turn_to)
            return _without_term(replace(state, admissibility=facts), DeadlineKind.ADMISSIBILITY)
        case CommitteeHearingScheduled():
            return replace(state, hearing=HearingFacts(event.scheduled_for, event.form))
        case JudgementGiven():
            judgement = JudgementFacts(
                event.judge, event.outcome, event.reasoning, tuple(event.recommendations), event.given_on
            )
            return _without_term(replace(state, judgement=judgement), DeadlineKind.JUDGEMENT)
        case MeasuresAnnounced():
            measures = MeasuresFacts(
                event.measures_taken, tuple(event.measures), event.implementation_due_on, event.explanation
            )
            return _without_term(replace(state, measures=measures), DeadlineKind.MEASURES_NOTICE)
        case ComplaintWithdrawn():
            return replace(state, withdrawn=True)
        case CaseClosed():
            closure = ClosureFacts(event.resolution, event.outcome)
            return replace(state, terms=MappingProxyType({}), closure=closure)
        case CaseReopened():
            return replace(state, closure=None, withdrawn=False)
        case ConsentGiven():
            return replace(
                state, consents=MappingProxyType({**state.consents, event.consent_id: event.scope})
            )
        case ConsentWithdrawn():
            held = {cid: scope for cid, scope in state.consents.items() if cid != event.consent_id}
            mail = state.mail_consent_withdrawn or event.scope is ConsentScope.EMAIL_CORRESPONDENCE
            return replace(state, consents=MappingProxyType(held), mail_consent_withdrawn=mail)
        case PersonalDataErased():
            return replace(
                state,
                erased=True,
                complainant_name=None,
                complainant_email=None,
                complainant_address=None,
                complained_about=None,
            )
        case NotificationRequested() if event.notification_id not in state.notifications:
            about = state.last_term_event if event.kind in ABOUT_A_TERM else None
            hearing = state.hearing if event.kind is NotificationKind.HEARING_INVITATION else None
            return state.with_notification(
                Notification(
                    event.notification_id,
                    event.kind,
                    event.recipient,
                    event.channel,
                    about=about,
                    requested_on=state.recorded_on,
                    hearing=hearing,
                )
            )
        case NotificationSent(attempt=attempt):
            return _update(
                state,
                event.notification_id,
                lambda n: replace(n, sent=True, sent_attempt=attempt, retry_requested=False),
            )
        case NotificationFailed():
            failed = event
            # A failure of the attempt that was sent is its bounce: the mail did not arrive after all.
            return _update(
                state,
                failed.notification_id,
                lambda n: replace(
                    n,
                    failures=failed.attempt,
                    next_attempt_at=failed.next_attempt_at,
                    sent=False,
                    retry_requested=False,
                ),
            )
        case NotificationParked():
            return _update(
                state, event.notification_id, lambda n: replace(n, parked=True, retry_requested=False)
            )
        case NotificationRetryRequested():
            return _update(
                state,
                event.notification_id,
                lambda n: replace(
                    n, parked=False, next_attempt_at=None, retries=n.retries + 1, retry_requested=True
                ),
            )
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


def fold_envelopes(envelopes: Iterable[Envelope], state: CaseMailState = initial_state) -> CaseMailState:
    """:func:`fold` over stored envelopes, each event dated the day it was recorded (Europe/Amsterdam):
    a notification's ``requested_on``, the date of its letter, comes from its request's envelope."""
    for envelope in envelopes:
        state = evolve(replace(state, recorded_on=local_date(envelope.occurred_at)), envelope.event)
    return state


def _with_complainant(state: CaseMailState, complainant: Complainant) -> CaseMailState:
    if state.erased:
        return state
    return replace(
        state,
        complainant_name=complainant.name,
        complainant_email=complainant.email,
        complainant_address=complainant.postal_address,
    )


def _with_about(state: CaseMailState, about: ComplainedAbout | None) -> CaseMailState:
    if about is None or state.erased:
        return state
    return replace(state, complained_about=ComplainedAboutFacts(about.role, about.name))


def _update(
    state: CaseMailState, notification_id: UUID, change: Callable[[Notification], Notification]
) -> CaseMailState:
    current = state.notification(notification_id)
    if current is None:
        return state  # an outcome without a request in this stream: nothing to base a decision on
    return state.with_notification(change(current))
