"""The case as the decider sees it: only what decisions need, folded from the case's events."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import reduce
from uuid import UUID

from contracts.events import (
    AdmissibilityDecided,
    AnyEvent,
    CaseClosed,
    CaseLinkedAsDuplicate,
    CaseReferenceAssigned,
    CaseReopened,
    CommitteeHearingHeld,
    CommitteeHearingScheduled,
    ComplaintFiled,
    ComplaintsOfficerAssigned,
    ComplaintWithdrawn,
    ConfidantContactRegistered,
    ConsentGiven,
    ConsentWithdrawn,
    DeadlineBreached,
    DeadlineWarningReached,
    DossierSecretIssued,
    EscalatedToNextStep,
    FirstContactMade,
    JudgementGiven,
    JudgementRequested,
    MeasuresAnnounced,
    MediationConcluded,
    MediationStarted,
    NotificationRequested,
    PersonalDataErased,
    ProcedurePolicyPinned,
    ReferredExternally,
    SafetyConcernRaised,
    SignalReceived,
    TermStarted,
)
from contracts.values import Complainant
from contracts.vocabulary import (
    AgeBand,
    ComplainantCapacity,
    ConversationResult,
    DeadlineKind,
    EscalationStep,
    ExternalBody,
    HearingParty,
    Judge,
    NotificationChannel,
    NotificationKind,
    Outcome,
    Recipient,
    Resolution,
)
from klachtspoor.frozen import replace
from services.escalation.domain.support.state import SupportState, evolve_support
from services.escalation.domain.terms.history import TermBook, record_term


@dataclass(frozen=True, slots=True)
class ContactOptions:
    """How the complainant can be reached: which channels have an address, never the address itself."""

    anonymous: bool
    email: bool
    letter: bool
    preferred: NotificationChannel | None

    @classmethod
    def of(cls, complainant: Complainant, anonymous: bool) -> ContactOptions:
        return cls(
            anonymous=anonymous,
            email=complainant.email is not None,
            letter=complainant.postal_address is not None,
            preferred=complainant.preferred_channel,
        )


@dataclass(frozen=True, slots=True)
class ComplainantFacts:
    """Who complains, as far as the rules on who may complain need it (no name, no address)."""

    capacity: ComplainantCapacity
    age_band: AgeBand | None

    @classmethod
    def of(cls, complainant: Complainant) -> ComplainantFacts:
        return cls(capacity=complainant.capacity, age_band=complainant.client_age_band)


@dataclass(frozen=True, slots=True)
class ComplaintFacts:
    filed_with: EscalationStep
    received_on: date
    conduct_on: date | None


@dataclass(frozen=True, slots=True)
class PinnedPolicy:
    policy_id: str
    version: int


@dataclass(frozen=True, slots=True)
class CaseState:
    opened: bool = False
    received_on: date | None = None
    contact: ContactOptions | None = None
    complainant: ComplainantFacts | None = None
    reference: str | None = None
    policy: PinnedPolicy | None = None
    acknowledgement_requested: bool = False
    first_contacts: frozenset[EscalationStep | None] = frozenset()
    """The steps (None: before the case was on the ladder) whose first contact was recorded."""
    terms_started: frozenset[DeadlineKind] = frozenset()
    terms: TermBook = ()
    step: EscalationStep | None = None
    """The rung of the ladder the case is at (None: a complaint filed without a signal, not yet filed)."""
    complaint: ComplaintFacts | None = None
    admissible: bool | None = None
    officer_id: str | None = None
    mediation_running: bool = False
    mediation_result: ConversationResult | None = None
    judge: Judge | None = None
    """Who was asked for a judgement (set from the request on)."""
    judgement: Outcome | None = None
    hearings_scheduled: frozenset[UUID] = frozenset()
    hearings_held: frozenset[UUID] = frozenset()
    hearing_parties: frozenset[HearingParty] = frozenset()
    """The parties heard, or on record as refusing to be heard, at any hearing held."""
    measures_taken: bool | None = None
    """None until the provider announced whether it takes measures."""
    referrals: frozenset[ExternalBody] = frozenset()
    closed: bool = False
    resolution: Resolution | None = None
    erased: bool = False
    warnings: frozenset[tuple[DeadlineKind, date]] = frozenset()
    breaches: frozenset[tuple[DeadlineKind, date]] = frozenset()
    """The warnings and breaches recorded, by term and the due date they were about."""
    support: SupportState = field(default_factory=SupportState)
    about_someone: bool = False
    """The signal or complaint names whom it is about (a letter may then go to that person)."""
    has_dossier: bool = False
    """A dossier secret was issued: the complainant can read the case's letters in the dossier."""
    """Consents, confidant contacts and safety concerns (:mod:`~services.escalation.domain.support.state`)."""

    @property
    def judgement_pending(self) -> bool:
        return self.judge is not None and self.judgement is None


def initial_state() -> CaseState:
    return CaseState()


def evolve(state: CaseState, event: AnyEvent) -> CaseState:
    evolved = _evolve_case(state, event)
    terms = record_term(state.terms, event)
    # Most events touch no term: copying the state only when one did halves the cost of a replay.
    return evolved if terms is state.terms else replace(evolved, terms=terms)


def _evolve_case(state: CaseState, event: AnyEvent) -> CaseState:
    match event:
        case SignalReceived():
            return replace(
                state,
                opened=True,
                received_on=event.received_on,
                contact=ContactOptions.of(event.complainant, event.anonymous),
                complainant=ComplainantFacts.of(event.complainant),
                step=event.raised_with,
                about_someone=event.about is not None,
            )
        case ComplaintFiled():
            return _filed(state, event)
        case CaseReferenceAssigned():
            return replace(state, reference=event.reference)
        case ProcedurePolicyPinned():
            return replace(state, policy=PinnedPolicy(event.policy_id, event.policy_version))
        case NotificationRequested(kind=NotificationKind.ACKNOWLEDGEMENT, recipient=Recipient.COMPLAINANT):
            return replace(state, acknowledgement_requested=True)
        case FirstContactMade():
            return replace(state, first_contacts=state.first_contacts | {state.step})
        case TermStarted():
            return replace(state, terms_started=state.terms_started | {event.deadline})
        case EscalatedToNextStep():
            return replace(state, step=event.to_step)
        case ComplaintsOfficerAssigned():
            return replace(state, officer_id=event.officer_id)
        case MediationStarted():
            return replace(state, mediation_running=True, mediation_result=None)
        case MediationConcluded():
            return replace(state, mediation_running=False, mediation_result=event.result)
        case AdmissibilityDecided():
            return replace(state, admissible=event.admissible)
        case JudgementRequested():
            return replace(state, judge=event.judge, judgement=None, step=EscalationStep(event.judge.value))
        case CommitteeHearingScheduled():
            return replace(state, hearings_scheduled=state.hearings_scheduled | {event.hearing_id})
        case CommitteeHearingHeld():
            return replace(
                state,
                hearings_held=state.hearings_held | {event.hearing_id},
                hearing_parties=state.hearing_parties
                | set(event.parties_heard)
                | set(event.declined_to_be_heard),
            )
        case JudgementGiven():
            return replace(state, judge=event.judge, judgement=event.outcome)
        case MeasuresAnnounced():
            return replace(state, measures_taken=event.measures_taken)
        case ReferredExternally():
            return replace(state, referrals=state.referrals | {event.body})
        case CaseClosed():
            return replace(state, closed=True, resolution=event.resolution)
        case ComplaintWithdrawn():
            return replace(state, closed=True, resolution=Resolution.WITHDRAWN)
        case CaseLinkedAsDuplicate():
            return replace(state, closed=True, resolution=Resolution.DUPLICATE)
        case CaseReopened():
            return replace(state, closed=False, resolution=None)
        case PersonalDataErased():
            return replace(state, erased=True)
        case DossierSecretIssued():
            return replace(state, has_dossier=True)
        case DeadlineWarningReached():
            return replace(state, warnings=state.warnings | {(event.deadline, event.due_on)})
        case DeadlineBreached():
            return replace(state, breaches=state.breaches | {(event.deadline, event.due_on)})
        case ConsentGiven() | ConsentWithdrawn() | ConfidantContactRegistered() | SafetyConcernRaised():
            return replace(state, support=evolve_support(state.support, event))
        case _:
            return state


def _filed(state: CaseState, event: ComplaintFiled) -> CaseState:
    """A complaint opens the case when no signal did; a complainant named on it is who complains now."""
    complaint = ComplaintFacts(event.filed_with, event.received_on, event.conduct_on)
    about_someone = state.about_someone or event.about is not None
    state = replace(state, complaint=complaint, step=event.filed_with, about_someone=about_someone)
    if not state.opened:
        state = replace(state, opened=True, received_on=event.received_on)
    if event.complainant is not None:
        state = replace(
            state,
            contact=ContactOptions.of(event.complainant, anonymous=False),
            complainant=ComplainantFacts.of(event.complainant),
        )
    return state


def fold(events: Iterable[AnyEvent]) -> CaseState:
    return reduce(evolve, events, initial_state())
