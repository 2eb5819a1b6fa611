"""Every step of the case in order, with its facts and, where the reader's role may read it, its free text.

A step is any event that is not a term, a letter, the confidant's or safety's, or the case's reference and
policy (those have sections of their own). Its facts are the event's unmarked fields; each personal
field is shown only under the name :data:`STEP_TEXT` gives it and the reader's role holds. A personal
field the mapping does not name is never shown: a field added to a contract stays hidden until someone
decides who reads it (a test checks that every personal field of a step is named or sectioned).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import JsonValue

from contracts.base import Event
from contracts.envelope import Envelope
from contracts.events import (
    AdmissibilityDecided,
    CaseClosed,
    CaseReferenceAssigned,
    CaseReopened,
    CommitteeHearingHeld,
    ComplainantInformationAdded,
    ComplaintFiled,
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
    MeasuresAnnounced,
    MediationConcluded,
    NotificationFailed,
    NotificationParked,
    NotificationRequested,
    NotificationRetryRequested,
    NotificationSent,
    ProcedurePolicyPinned,
    ReferredExternally,
    SafetyConcernRaised,
    SignalReceived,
    TermExtended,
    TermResumed,
    TermStarted,
    TermSuspended,
)
from contracts.personal import personal_paths
from contracts.vocabulary import Role
from services.escalation.domain.casefile import table
from services.escalation.domain.casefile.reader import Frozen, Reader, Shown

NOT_STEPS: frozenset[type[Event]] = frozenset(
    {
        CaseReferenceAssigned,
        ProcedurePolicyPinned,
        TermStarted,
        TermExtended,
        TermSuspended,
        TermResumed,
        DeadlineWarningReached,
        DeadlineBreached,
        NotificationRequested,
        NotificationSent,
        NotificationFailed,
        NotificationParked,
        NotificationRetryRequested,
        ConfidantContactRegistered,
        ConfidantContactedOrganisation,
        ConsentGiven,
        ConsentWithdrawn,
        SafetyConcernRaised,
        ConfidentialityLifted,
        DossierSecretIssued,
    }
)
"""Shown in the header, ``terms``, ``letters`` or ``support`` instead; the dossier secret's hash nowhere."""

SECTIONED: dict[type[Event], frozenset[str]] = {
    SignalReceived: frozenset({"complainant", "about", "description", "categories"}),
    ComplaintFiled: frozenset({"complainant", "about", "description", "desired_outcome", "categories"}),
}
"""Fields of a step shown in a section of their own (``complainant``, ``about``, ``description``,
``categories``), never among the step's facts."""

STEP_TEXT: dict[type[Event], dict[str, str]] = {
    FirstContactMade: {"note": table.STEP_NOTES},
    InformalConversationHeld: {"notes": table.STEP_NOTES},
    EscalatedToNextStep: {"explanation": table.STEP_NOTES},
    MediationConcluded: {"agreement": table.STEP_NOTES},
    AdmissibilityDecided: {"explanation": table.ADMISSIBILITY_EXPLANATION},
    CommitteeHearingHeld: {"minutes": table.HEARING_MINUTES},
    JudgementGiven: {"reasoning": table.JUDGEMENT_REASONING, "recommendations": table.JUDGEMENT_REASONING},
    MeasuresAnnounced: {"measures": table.MEASURES, "explanation": table.MEASURES},
    ReferredExternally: {"explanation": table.STEP_NOTES},
    ComplaintWithdrawn: {"reason": table.STEP_NOTES},
    CaseReopened: {"reason": table.STEP_NOTES},
    CaseClosed: {"summary": table.STEP_NOTES},
    ComplainantInformationAdded: {"text": table.DESCRIPTION},
}
"""Each personal field of a step -> the name a role must hold to read it."""


class StepView(Frozen):
    kind: str
    """The event type, e.g. ``AdmissibilityDecided``."""
    occurred_at: datetime
    actor_id: str
    actor_role: Role
    facts: dict[str, JsonValue]
    """The event's fields as stored, without the personal ones the reader may not read."""


def steps_view(envelopes: Sequence[Envelope], reader: Reader, shown: Shown) -> tuple[StepView, ...] | None:
    if not reader.may(table.STEPS):
        return None
    shown.add(table.STEPS)
    return tuple(
        _step(envelope, reader, shown) for envelope in envelopes if type(envelope.event) not in NOT_STEPS
    )


def _step(envelope: Envelope, reader: Reader, shown: Shown) -> StepView:
    event = envelope.event
    kind = type(event)
    facts: dict[str, JsonValue] = event.model_dump(mode="json", exclude=set(SECTIONED.get(kind, ())))
    texts = STEP_TEXT.get(kind, {})
    for field in {path[0] for path in personal_paths(kind)} - SECTIONED.get(kind, frozenset()):
        name = texts.get(field)
        if name is None or not reader.may(name):
            facts.pop(field, None)
        elif facts.get(field) not in (None, []):
            shown.add(name)
    return StepView(
        kind=event.event_type,
        occurred_at=envelope.occurred_at,
        actor_id=envelope.actor.id,
        actor_role=envelope.actor.role,
        facts=facts,
    )
