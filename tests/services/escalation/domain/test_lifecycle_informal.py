"""The informal route: conversations at the current step, escalation up the policy's ladder, the complaints
officer, mediation and first contact."""

from __future__ import annotations

from datetime import date

import pytest
from lifecycle_given import (
    COMMITTEE,
    STEP_BY_STEP,
    THURSDAY,
    case_spec,
    command,
    filed,
    judged,
    opened,
    requested,
    started,
)

from contracts.base import Actor
from contracts.commands import (
    AssignComplaintsOfficer,
    ConcludeMediation,
    Escalate,
    RecordFirstContact,
    RecordInformalConversation,
    StartMediation,
)
from contracts.events import (
    AnyEvent,
    ComplaintsOfficerAssigned,
    EscalatedToNextStep,
    FirstContactMade,
    InformalConversationHeld,
    MediationConcluded,
    MediationStarted,
)
from contracts.values import Term
from contracts.vocabulary import (
    Channel,
    ConversationResult,
    DeadlineKind,
    EscalationReason,
    EscalationStep,
    Judge,
    Role,
    TermUnit,
)
from services.escalation.domain import Rule, deadlines

CARE, MANAGER, OFFICER_STEP = (
    EscalationStep.CARE_WORKER,
    EscalationStep.MANAGER,
    EscalationStep.COMPLAINTS_OFFICER,
)


def conversation(
    step: EscalationStep, result: ConversationResult = ConversationResult.UNRESOLVED
) -> RecordInformalConversation:
    return command(RecordInformalConversation, step=step, held_on=date(2026, 3, 6), result=result)


def held(
    step: EscalationStep, result: ConversationResult = ConversationResult.UNRESOLVED
) -> InformalConversationHeld:
    return InformalConversationHeld(step=step, held_on=date(2026, 3, 6), result=result)


def escalate(to: EscalationStep, reason: EscalationReason = EscalationReason.UNRESOLVED) -> Escalate:
    return command(Escalate, to_step=to, reason=reason)


def moved(
    source: EscalationStep | None, to: EscalationStep, reason: EscalationReason = EscalationReason.UNRESOLVED
) -> EscalatedToNextStep:
    return EscalatedToNextStep(from_step=source, to_step=to, reason=reason)


def test_a_conversation_is_held_at_the_step_the_signal_was_raised_with() -> None:
    case_spec(STEP_BY_STEP).given(opened(STEP_BY_STEP)).when(conversation(CARE)).then([held(CARE)])


def test_a_conversation_at_another_step_than_the_current_one_is_rejected() -> None:
    case_spec(STEP_BY_STEP).given(opened(STEP_BY_STEP)).when(conversation(MANAGER)).then_rejects(
        Rule.LADDER_NOT_CURRENT_STEP
    )


def test_a_conversation_at_a_step_the_policy_lacks_is_rejected() -> None:
    case_spec(COMMITTEE).given(opened(COMMITTEE)).when(conversation(MANAGER)).then_rejects(
        Rule.LADDER_UNKNOWN_STEP
    )


def test_escalating_to_the_next_step_then_talking_there() -> None:
    case_spec(STEP_BY_STEP).given(opened(STEP_BY_STEP)).when(escalate(MANAGER)).then([moved(CARE, MANAGER)])
    case_spec(STEP_BY_STEP).given([*opened(STEP_BY_STEP), held(CARE), moved(CARE, MANAGER)]).when(
        conversation(MANAGER)
    ).then([held(MANAGER)])


def test_one_by_one_a_step_is_passed_by_only_for_a_reason_it_lists() -> None:
    # The manager may be passed by the client's choice, not because talking did not help.
    case_spec(STEP_BY_STEP).given(opened(STEP_BY_STEP)).when(escalate(OFFICER_STEP)).then_rejects(
        Rule.LADDER_ONE_BY_ONE
    )
    case_spec(STEP_BY_STEP).given([*opened(STEP_BY_STEP), moved(CARE, MANAGER)]).when(
        escalate(EscalationStep.DIRECTOR, EscalationReason.CLIENT_CHOICE)
    ).then_rejects(Rule.LADDER_ONE_BY_ONE)
    case_spec(STEP_BY_STEP).given(opened(STEP_BY_STEP)).when(
        escalate(OFFICER_STEP, EscalationReason.CLIENT_CHOICE)
    ).then([moved(CARE, OFFICER_STEP, EscalationReason.CLIENT_CHOICE)])


def test_when_the_client_chooses_the_committee_may_be_reached_at_once() -> None:
    committee = EscalationStep.COMPLAINTS_COMMITTEE
    case_spec(COMMITTEE).given(opened(COMMITTEE)).when(escalate(committee)).then([moved(CARE, committee)])


@pytest.mark.parametrize(
    ("given", "to", "rule"),
    [
        ([moved(CARE, MANAGER)], CARE, Rule.LADDER_NOT_FORWARD),
        ([], CARE, Rule.LADDER_NOT_FORWARD),
        ([], EscalationStep.COMPLAINTS_COMMITTEE, Rule.LADDER_UNKNOWN_STEP),
    ],
)
def test_escalation_goes_up_a_ladder_the_policy_has(
    given: list[AnyEvent], to: EscalationStep, rule: Rule
) -> None:
    case_spec(STEP_BY_STEP).given([*opened(STEP_BY_STEP), *given]).when(escalate(to)).then_rejects(rule)


def test_the_complaints_officer_is_assigned_once() -> None:
    assign = command(AssignComplaintsOfficer, officer_id="kf-0001")
    case_spec(STEP_BY_STEP).given(opened(STEP_BY_STEP)).when(assign).then(
        [ComplaintsOfficerAssigned(officer_id="kf-0001")]
    )
    case_spec(STEP_BY_STEP).given(
        [*opened(STEP_BY_STEP), ComplaintsOfficerAssigned(officer_id="kf-0001")]
    ).when(assign).then([])
    case_spec(STEP_BY_STEP).given(
        [*opened(STEP_BY_STEP), ComplaintsOfficerAssigned(officer_id="kf-0009")]
    ).when(assign).then([ComplaintsOfficerAssigned(officer_id="kf-0001")])


ASSIGNED = ComplaintsOfficerAssigned(officer_id="kf-0001")
STARTED = MediationStarted(mediator_role=Role.COMPLAINTS_OFFICER, mediator_id="kf-0001")


def start_mediation(mediator: str = "kf-0001") -> StartMediation:
    return command(StartMediation, mediator_role=Role.COMPLAINTS_OFFICER, mediator_id=mediator)


def test_mediation_by_the_assigned_officer_starts_and_concludes() -> None:
    case_spec(STEP_BY_STEP).given([*opened(STEP_BY_STEP), ASSIGNED]).when(start_mediation()).then([STARTED])
    case_spec(STEP_BY_STEP).given([*opened(STEP_BY_STEP), ASSIGNED, STARTED]).when(
        command(ConcludeMediation, result=ConversationResult.RESOLVED, agreement="Wekelijks overleg.")
    ).then([MediationConcluded(result=ConversationResult.RESOLVED, agreement="Wekelijks overleg.")])


@pytest.mark.parametrize(
    ("given", "mediator", "rule"),
    [
        ([ASSIGNED, STARTED], "kf-0001", Rule.MEDIATION_RUNNING),
        ([ASSIGNED], "kf-0002", Rule.MEDIATOR_NOT_ASSIGNED),
        ([], "kf-0001", Rule.MEDIATOR_NOT_ASSIGNED),
        (
            [ASSIGNED, filed(EscalationStep.DIRECTOR), requested(Judge.DIRECTOR), judged(Judge.DIRECTOR)],
            "kf-0001",
            Rule.JUDGEMENT_ALREADY_GIVEN,
        ),
    ],
)
def test_mediation_rejections(given: list[AnyEvent], mediator: str, rule: Rule) -> None:
    case_spec(STEP_BY_STEP).given([*opened(STEP_BY_STEP), *given]).when(
        start_mediation(mediator)
    ).then_rejects(rule)


def test_concluding_mediation_that_is_not_running_is_rejected() -> None:
    conclude = command(ConcludeMediation, result=ConversationResult.UNRESOLVED)
    case_spec(STEP_BY_STEP).given([*opened(STEP_BY_STEP), ASSIGNED]).when(conclude).then_rejects(
        Rule.MEDIATION_NOT_RUNNING
    )


def test_the_first_contact_is_recorded_once_with_the_actors_role() -> None:
    first = command(RecordFirstContact, channel=Channel.PHONE)
    made = FirstContactMade(by_role=Role.COMPLAINTS_OFFICER, channel=Channel.PHONE)
    case_spec(STEP_BY_STEP).given(opened(STEP_BY_STEP)).when(first).then([made])
    case_spec(STEP_BY_STEP).given([*opened(STEP_BY_STEP), made]).when(first).then([])


def test_the_committee_records_its_own_first_contact_after_the_first_step_had_one() -> None:
    """The care worker contacted the complainant on the signal; the complaint then went to the committee,
    whose two working days run: its first contact is recorded and meets that term, so nothing breaches."""
    made = FirstContactMade(by_role=Role.CARE_WORKER, channel=Channel.PHONE)
    two_days = Term(amount=2, unit=TermUnit.WORKING_DAYS)
    at_the_committee = [
        *opened(COMMITTEE),
        started(DeadlineKind.FIRST_CONTACT, THURSDAY, two_days),
        made,
        filed(EscalationStep.COMPLAINTS_COMMITTEE, date(2026, 3, 10)),
        started(DeadlineKind.FIRST_CONTACT, date(2026, 3, 10), two_days),
    ]
    committee = Actor(id="kc-0001", role=Role.COMPLAINTS_COMMITTEE)
    contact = command(RecordFirstContact, actor=committee, channel=Channel.EMAIL)
    contacted = FirstContactMade(by_role=Role.COMPLAINTS_COMMITTEE, channel=Channel.EMAIL)
    case_spec(COMMITTEE).given(at_the_committee).when(contact).then([contacted])
    [term] = [
        d
        for d in deadlines([*at_the_committee, contacted], COMMITTEE)
        if d.kind is DeadlineKind.FIRST_CONTACT
    ]
    assert term.met and term.started_on == date(2026, 3, 10)
    case_spec(COMMITTEE).given([*at_the_committee, contacted]).when(contact).then([])
