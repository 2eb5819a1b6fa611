"""A whole case under a published procedure (SO! Trainingsbureau, ``policies/so-trainingsbureau/v1.yaml``):
from a signal to the mentor, up the ladder step by step, a complaint, the director's judgement, measures and
the disputes committee, to closure; then the deadlines derived from everything that happened."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from lifecycle_given import case_spec, command, signal

from contracts.commands import (
    AnnounceMeasures,
    AssignComplaintsOfficer,
    Close,
    ConcludeMediation,
    DecideAdmissibility,
    Escalate,
    ExtendTerm,
    FileComplaint,
    GiveJudgement,
    RecordInformalConversation,
    ReferExternally,
    RequestJudgement,
    StartMediation,
)
from contracts.events import (
    AdmissibilityDecided,
    AnyEvent,
    CaseClosed,
    ComplaintFiled,
    ComplaintsOfficerAssigned,
    EscalatedToNextStep,
    InformalConversationHeld,
    JudgementGiven,
    JudgementRequested,
    MeasuresAnnounced,
    MediationConcluded,
    MediationStarted,
    NotificationRequested,
    ProcedurePolicyPinned,
    ReferredExternally,
    TermExtended,
    TermStarted,
)
from contracts.policy import ProcedurePolicy
from contracts.vocabulary import (
    AgeBand,
    Channel,
    ComplainantCapacity,
    ConversationResult,
    DeadlineKind,
    EscalationReason,
    EscalationStep,
    ExternalBody,
    Judge,
    Outcome,
    ReferralReason,
    Resolution,
    Role,
)
from klachtspoor.policies import load_policy_file
from services.escalation.domain import LifecycleCommand, Rule, deadlines

POLICIES = Path(__file__).resolve().parents[4] / "policies"


@pytest.fixture(scope="module")
def so() -> ProcedurePolicy:
    return load_policy_file(POLICIES / "so-trainingsbureau" / "v1.yaml", POLICIES)


def on(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


def test_a_whole_case_step_by_step_to_the_disputes_committee(so: ProcedurePolicy) -> None:
    client = signal(ComplainantCapacity.CLIENT, client_age_band=AgeBand.FROM_12_TO_17)
    case: list[AnyEvent] = [client, ProcedurePolicyPinned(policy_id=so.id, policy_version=so.version)]

    def step(when: LifecycleCommand, then: tuple[type[AnyEvent], ...]) -> None:
        case.extend(case_spec(so).given(case).when(when).then_expects(then))

    def talk(at: EscalationStep, day: date) -> RecordInformalConversation:
        return command(
            RecordInformalConversation,
            now=on(day),
            step=at,
            held_on=day,
            result=ConversationResult.UNRESOLVED,
        )

    def escalate(to: EscalationStep, day: date) -> Escalate:
        return command(Escalate, now=on(day), to_step=to, reason=EscalationReason.UNRESOLVED)

    # Straight to the director is not allowed: steps one by one.
    director_first = escalate(EscalationStep.DIRECTOR, date(2026, 3, 6))
    case_spec(so).given(case).when(director_first).then_rejects(Rule.LADDER_ONE_BY_ONE)

    step(talk(EscalationStep.CARE_WORKER, date(2026, 3, 6)), (InformalConversationHeld,))
    step(escalate(EscalationStep.MANAGER, date(2026, 3, 9)), (EscalatedToNextStep,))
    step(talk(EscalationStep.MANAGER, date(2026, 3, 10)), (InformalConversationHeld,))
    step(escalate(EscalationStep.COMPLAINTS_OFFICER, date(2026, 3, 11)), (EscalatedToNextStep,))
    step(command(AssignComplaintsOfficer, officer_id="kf-0001"), (ComplaintsOfficerAssigned,))
    mediator: dict[str, Any] = {"mediator_role": Role.COMPLAINTS_OFFICER, "mediator_id": "kf-0001"}
    step(command(StartMediation, **mediator), (MediationStarted,))
    step(command(ConcludeMediation, result=ConversationResult.UNRESOLVED), (MediationConcluded,))
    filed_on = date(2026, 3, 16)
    complaint = command(
        FileComplaint,
        now=on(filed_on),
        filed_with=EscalationStep.COMPLAINTS_OFFICER,
        channel=Channel.LETTER,
        received_on=filed_on,
        written=True,
        description="Bemiddeling heeft niet geholpen.",
    )
    step(complaint, (ComplaintFiled, TermStarted, TermStarted))
    step(command(DecideAdmissibility, admissible=True), (AdmissibilityDecided,))
    asked_on = date(2026, 3, 18)
    request = command(
        RequestJudgement, now=on(asked_on), judge=Judge.DIRECTOR, requested_on=asked_on, written=True
    )
    step(request, (JudgementRequested, TermStarted))
    extension = command(
        ExtendTerm,
        now=on(date(2026, 4, 20)),
        deadline=DeadlineKind.JUDGEMENT,
        new_due_on=date(2026, 5, 27),
        reason="Wacht op stukken.",
    )
    step(extension, (TermExtended, NotificationRequested))
    given_on = date(2026, 5, 20)
    judgement = command(
        GiveJudgement,
        now=on(given_on),
        judge=Judge.DIRECTOR,
        outcome=Outcome.PARTLY_UPHELD,
        reasoning="Deels gegrond.",
        given_on=given_on,
    )
    step(judgement, (JudgementGiven, NotificationRequested, TermStarted))
    measures = command(
        AnnounceMeasures,
        now=on(date(2026, 6, 10)),
        measures_taken=True,
        measures=("Teamtraining.",),
        implementation_due_on=date(2026, 9, 1),
    )
    step(measures, (MeasuresAnnounced, NotificationRequested))
    refer = command(
        ReferExternally, body=ExternalBody.DISPUTES_COMMITTEE, reason=ReferralReason.INTERNAL_ROUTE_EXHAUSTED
    )
    step(refer, (ReferredExternally,))
    closing = command(
        Close, now=on(date(2026, 6, 15)), resolution=Resolution.JUDGED, outcome=Outcome.PARTLY_UPHELD
    )
    step(closing, (CaseClosed, NotificationRequested, TermStarted))

    derived = {d.kind: d for d in deadlines(case, so)}
    admissibility, judged, measures_notice = (
        derived[DeadlineKind.ADMISSIBILITY],
        derived[DeadlineKind.JUDGEMENT],
        derived[DeadlineKind.MEASURES_NOTICE],
    )
    assert (admissibility.due_on, admissibility.met) == (date(2026, 4, 13), True)
    assert (judged.due_on, judged.extended, judged.met) == (date(2026, 5, 27), True, True)
    # The procedure is silent on measures: the Jeugdwet's month after the judgement.
    assert (measures_notice.due_on, measures_notice.met) == (date(2026, 6, 22), True)
    assert derived[DeadlineKind.DISPUTES_COMMITTEE_FILING].met
    retention = derived[DeadlineKind.RETENTION]
    assert (retention.due_on, retention.running, retention.follows_atw) == (date(2028, 6, 15), True, False)
    assert deadlines(list(case), so) == deadlines(case, so)
