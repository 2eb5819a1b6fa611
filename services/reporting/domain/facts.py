"""What the statistics count of one case, as a fold over its events: ``evolve_facts(facts, event)``.

The facts are codes and dates only (tenant, period of receipt, categories, channel, highest step,
outcome, terms met and breached, end date, measures), plus the little state needed to move them on (the
running terms, the acknowledgements requested and not yet sent). Nothing here reads a clock or a policy:
the same events give the same facts. An event at or below the facts' version changes nothing, so
handling an event twice or replaying the whole log gives the same facts.

Outcome vocabulary (documented in docs/statistics.md): the judgement's ``upheld``, ``partly_upheld``
and ``rejected``; ``inadmissible:<ground>`` (``contracts.vocabulary.AdmissibilityGround``, or plain
``inadmissible`` when the case was closed as inadmissible without a recorded ground); the other
resolutions of ``contracts.vocabulary.Resolution`` by their value (``withdrawn``, ``resolved_informally``,
``mediated``, ``referred_externally``, ``duplicate``); no outcome while the case runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
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
from contracts.vocabulary import (
    AdmissibilityGround,
    Category,
    Channel,
    DeadlineKind,
    EscalationStep,
    ExternalBody,
    NotificationKind,
    Resolution,
)
from klachtspoor.calendar import local_date
from klachtspoor.frozen import replace
from services.reporting.domain.events import CaseEvent, OtherEvent, Payload

INADMISSIBLE = "inadmissible"
"""The outcome of a case closed as inadmissible; with a recorded ground it is ``inadmissible:<ground>``."""

HANDLING_TERMS = frozenset(
    {
        DeadlineKind.ACKNOWLEDGEMENT,
        DeadlineKind.FIRST_CONTACT,
        DeadlineKind.ADMISSIBILITY,
        DeadlineKind.JUDGEMENT,
        DeadlineKind.MEASURES_NOTICE,
    }
)
"""Terms the organisation owes while it handles the case: a closure, withdrawal or duplicate link stops
them. The others (filing with a disputes body or the ombudsman, carrying out measures, retention) run on."""

FILING_TERMS = {
    ExternalBody.DISPUTES_COMMITTEE: DeadlineKind.DISPUTES_COMMITTEE_FILING,
    ExternalBody.OMBUDSMAN: DeadlineKind.OMBUDSMAN_FILING,
}
"""A referral to one of these bodies is the step its filing term asks for."""

STEP_ORDER: tuple[EscalationStep, ...] = tuple(EscalationStep)
"""Which step counts as higher: the vocabulary's order (informal steps first, the committee last). A
policy's ladder may order its own rungs differently; statistics use one order so tenants compare."""


@dataclass(frozen=True, slots=True)
class CaseFacts:
    tenant: str
    case_id: UUID
    version: int
    first_seen_on: date
    """The Dutch date of the case's first event: the period when no receipt date is recorded."""
    received_on: date | None = None
    categories: frozenset[Category] = frozenset()
    channel: Channel | None = None
    highest_step: EscalationStep | None = None
    outcome: str | None = None
    ended_on: date | None = None
    """Judgement, withdrawal or closure, the first of them since the case was (re)opened."""
    closed: bool = False
    """Withdrawn or closed (until reopened)."""
    measures_taken: bool | None = None
    terms_met: frozenset[DeadlineKind] = frozenset()
    terms_breached: frozenset[DeadlineKind] = frozenset()
    running_terms: frozenset[DeadlineKind] = frozenset()
    pending_acknowledgements: frozenset[UUID] = field(default_factory=frozenset)

    @property
    def period_day(self) -> date:
        """The day that places the case in a quarter and a year."""
        return self.received_on or self.first_seen_on


class _Changes(TypedDict, total=False):
    """The facts an event changes, by name: all of them go into the one copy of the facts per event."""

    received_on: date | None
    categories: frozenset[Category]
    channel: Channel | None
    highest_step: EscalationStep
    outcome: str | None
    ended_on: date | None
    closed: bool
    measures_taken: bool
    terms_met: frozenset[DeadlineKind]
    terms_breached: frozenset[DeadlineKind]
    running_terms: frozenset[DeadlineKind]
    pending_acknowledgements: frozenset[UUID]


def evolve_facts(facts: CaseFacts | None, event: CaseEvent) -> CaseFacts:
    """The facts after ``event``; the same object (``is``) when the event was already applied.

    One copy of the facts per event: what the event changes is worked out on the facts before it
    (:func:`_changes`, where each part of a change reads fields the other parts do not change) and copied
    in with the new version, at once.
    """
    if facts is None:
        facts = CaseFacts(
            tenant=event.tenant,
            case_id=event.case_id,
            version=-1,
            first_seen_on=local_date(event.occurred_at),
        )
    elif event.version <= facts.version:
        return facts
    changes = _changes(facts, event.payload, local_date(event.occurred_at))
    return replace(facts, version=event.version, **changes)


def _changes(facts: CaseFacts, payload: Payload, on: date) -> _Changes:
    match payload:
        case SignalReceived():
            opened = _received(facts, payload.received_on, payload.channel, payload.categories)
            return opened | _reached(facts, payload.raised_with)
        case ComplaintFiled():
            opened = _received(facts, payload.received_on, payload.channel, payload.categories)
            return opened | _reached(facts, payload.filed_with)
        case EscalatedToNextStep():
            return _reached(facts, payload.to_step)
        case InformalConversationHeld():
            return _reached(facts, payload.step)
        case JudgementRequested():
            return _reached(facts, EscalationStep(payload.judge.value))
        case NotificationRequested():
            if payload.kind is not NotificationKind.ACKNOWLEDGEMENT:
                return {}
            return {"pending_acknowledgements": facts.pending_acknowledgements | {payload.notification_id}}
        case NotificationSent():
            if payload.notification_id not in facts.pending_acknowledgements:
                return {}
            pending = facts.pending_acknowledgements - {payload.notification_id}
            return {"pending_acknowledgements": pending} | _step_done(facts, DeadlineKind.ACKNOWLEDGEMENT)
        case FirstContactMade():
            return _step_done(facts, DeadlineKind.FIRST_CONTACT)
        case AdmissibilityDecided():
            decided = _step_done(facts, DeadlineKind.ADMISSIBILITY)
            return decided | _admissibility(facts, payload.admissible, payload.ground)
        case JudgementGiven():
            reached = _reached(facts, EscalationStep(payload.judge.value))
            judged = reached | _step_done(facts, DeadlineKind.JUDGEMENT) | {"outcome": payload.outcome.value}
            return judged | _ended(facts, payload.given_on)
        case MeasuresAnnounced():
            announced: _Changes = {"measures_taken": payload.measures_taken}
            return announced | _step_done(facts, DeadlineKind.MEASURES_NOTICE)
        case TermStarted():
            return {"running_terms": facts.running_terms | {payload.deadline}}
        case ReferredExternally(body=body) if body in FILING_TERMS:
            return _step_done(facts, FILING_TERMS[body])
        case PersonalDataErased():
            return _step_done(facts, DeadlineKind.RETENTION)
        case CaseLinkedAsDuplicate():
            return _handling_stopped(facts)
        case DeadlineBreached():
            return {
                "terms_met": facts.terms_met - {payload.deadline},
                "terms_breached": facts.terms_breached | {payload.deadline},
            }
        case ComplaintWithdrawn():
            if facts.closed:
                return {}
            return {"outcome": Resolution.WITHDRAWN.value} | _closed(facts, on)
        case CaseClosed():
            return {"outcome": _closing_outcome(facts, payload)} | _closed(facts, on)
        case CaseReopened():
            if not facts.closed:
                return {}
            running = facts.running_terms - {DeadlineKind.RETENTION}
            return {"closed": False, "outcome": None, "ended_on": None, "running_terms": running}
        case (
            CaseReferenceAssigned()
            | ProcedurePolicyPinned()
            | ComplaintsOfficerAssigned()
            | ConfidantContactRegistered()
            | ConfidantContactedOrganisation()
            | AdviceContactRegistered()
            | AdviceContactWithdrawn()
            | MediationStarted()
            | MediationConcluded()
            | CommitteeHearingScheduled()
            | CommitteeHearingHeld()
            | TermExtended()
            | TermSuspended()
            | TermResumed()
            | DeadlineWarningReached()
            | ReferredExternally()
            | SafetyConcernRaised()
            | ConfidentialityLifted()
            | ConsentGiven()
            | ConsentWithdrawn()
            | NotificationFailed()
            | NotificationParked()
            | DossierSecretIssued()
            | ComplainantInformationAdded()
            | NotificationRetryRequested()
            | OtherEvent()
        ):
            return {}
        case _:
            assert_never(payload)


def _received(
    facts: CaseFacts, received_on: date, channel: Channel, categories: tuple[Category, ...]
) -> _Changes:
    """The first receipt fixes the period and the channel; every intake adds its categories."""
    return {
        "received_on": facts.received_on or received_on,
        "channel": facts.channel or channel,
        "categories": facts.categories | set(categories),
    }


def _reached(facts: CaseFacts, step: EscalationStep) -> _Changes:
    current = facts.highest_step
    if current is not None and STEP_ORDER.index(current) >= STEP_ORDER.index(step):
        return {}
    return {"highest_step": step}


def _step_done(facts: CaseFacts, deadline: DeadlineKind) -> _Changes:
    """The step a running term asks for happened: met, unless the timer recorded the term breached."""
    if deadline not in facts.running_terms:
        return {}
    running = facts.running_terms - {deadline}
    if deadline in facts.terms_breached:
        return {"running_terms": running}
    return {"running_terms": running, "terms_met": facts.terms_met | {deadline}}


def _admissibility(facts: CaseFacts, admissible: bool, ground: AdmissibilityGround | None) -> _Changes:
    if not admissible:
        return {"outcome": INADMISSIBLE if ground is None else f"{INADMISSIBLE}:{ground.value}"}
    if facts.outcome is not None and facts.outcome.startswith(INADMISSIBLE):
        return {"outcome": None}  # reconsidered: the complaint is handled after all
    return {}


def _closing_outcome(facts: CaseFacts, closed: CaseClosed) -> str:
    match closed.resolution:
        case Resolution.JUDGED:
            if closed.outcome is None:  # the contract requires it (outcome_iff_judged)
                raise ValueError(f"CaseClosed.outcome: missing for resolution judged (Case: {facts.case_id})")
            return closed.outcome.value
        case Resolution.INADMISSIBLE:
            known = facts.outcome or ""
            return known if known.startswith(f"{INADMISSIBLE}:") else INADMISSIBLE
        case (
            Resolution.RESOLVED_INFORMALLY
            | Resolution.MEDIATED
            | Resolution.WITHDRAWN
            | Resolution.REFERRED_EXTERNALLY
            | Resolution.DUPLICATE
        ):
            return closed.resolution.value
        case _:
            assert_never(closed.resolution)


def _ended(facts: CaseFacts, on: date) -> _Changes:
    return {} if facts.ended_on is not None else {"ended_on": on}


def _closed(facts: CaseFacts, on: date) -> _Changes:
    return _ended(facts, on) | {"closed": True} | _handling_stopped(facts)


def _handling_stopped(facts: CaseFacts) -> _Changes:
    """The case no longer runs here: the terms the organisation owes stop unmet; the others run on."""
    return {"running_terms": facts.running_terms - HANDLING_TERMS}
