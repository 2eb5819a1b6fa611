"""The notify decider, pure: given the case's events, when a command (or a look at the next step), then."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from contracts.commands.notifications import (
    ParkNotification,
    RecordNotificationFailure,
    RecordNotificationSent,
)
from contracts.events import (
    AnyEvent,
    CaseReferenceAssigned,
    EscalatedToNextStep,
    FirstContactMade,
    NotificationFailed,
    NotificationParked,
    NotificationRequested,
    NotificationSent,
    PersonalDataErased,
    ProcedurePolicyPinned,
    SignalReceived,
    TermExtended,
    TermStarted,
)
from contracts.values import Complainant, Term
from contracts.vocabulary import (
    Channel,
    ComplainantCapacity,
    DeadlineKind,
    ErasureReason,
    EscalationReason,
    EscalationStep,
    NotificationChannel,
    NotificationKind,
    Recipient,
    Role,
    TermUnit,
)
from klachtspoor.letters.state import PolicyPin, evolve, initial_state
from services.notify.domain.decider import (
    ACTOR,
    CommandContext,
    Delivered,
    Failed,
    Nothing,
    Park,
    Send,
    Wait,
    commands_for,
    decide,
    event_id,
    next_step,
)
from services.notify.domain.retry import RetrySchedule
from tests.deciders import spec

NOW = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
CASE = UUID("00000000-0000-4000-8000-00000000c0de")
NID = UUID("00000000-0000-4000-8000-0000000000aa")
SCHEDULE = RetrySchedule.of_seconds((60, 300), max_attempts=3)
AT = CommandContext("demo", CASE, NOW)

SIGNAL = SignalReceived(
    channel=Channel.WEB_FORM,
    received_on=date(2026, 3, 5),
    complainant=Complainant(capacity=ComplainantCapacity.CLIENT, name="Sam", email="sam@example.org"),
    description="Niet gehoord.",
)
REFERENCE = CaseReferenceAssigned(reference="KS-2026-000001")
REQUESTED = NotificationRequested(
    notification_id=NID,
    kind=NotificationKind.ACKNOWLEDGEMENT,
    recipient=Recipient.COMPLAINANT,
    channel=NotificationChannel.EMAIL,
)
OPENED: tuple[AnyEvent, ...] = (SIGNAL, REFERENCE, REQUESTED)


def failed(attempt: int, next_attempt_at: datetime | None) -> NotificationFailed:
    return NotificationFailed(
        notification_id=NID, attempt=attempt, error="451", next_attempt_at=next_attempt_at
    )


def sent(attempt: int = 1) -> NotificationSent:
    return NotificationSent(notification_id=NID, channel=NotificationChannel.EMAIL, attempt=attempt)


NOTIFY = spec(decide, evolve, initial_state)
"""The notify decider's spec (see :mod:`tests.deciders`); ``next_step`` reads the state it folds."""


def _sent_command(attempt: int = 1) -> RecordNotificationSent:
    [command] = commands_for(
        Send(NOTIFY.given(OPENED).state.notifications[NID], attempt, "Sam", "s@x.nl"),
        Delivered("<m>"),
        SCHEDULE,
        AT,
    )
    assert isinstance(command, RecordNotificationSent)
    return command


# --- next step ---------------------------------------------------------------------------------------


def test_a_request_is_sent_to_the_complainant_as_attempt_one() -> None:
    step = next_step(NOTIFY.given(OPENED).state, NID, NOW, attempt=1)
    assert isinstance(step, Send)
    assert (step.attempt, step.to_name, step.to_address) == (1, "Sam", "sam@example.org")


def test_a_sent_notification_is_never_sent_again() -> None:
    assert next_step(NOTIFY.given([*OPENED, sent()]).state, NID, NOW, attempt=1) == Nothing("already sent")


def test_a_redelivered_request_does_not_race_the_retry_its_failure_drives() -> None:
    events = (*OPENED, failed(1, NOW - timedelta(seconds=1)))
    assert isinstance(next_step(NOTIFY.given(events).state, NID, NOW, attempt=1), Nothing)
    step = next_step(NOTIFY.given(events).state, NID, NOW, attempt=2)
    assert isinstance(step, Send) and step.attempt == 2


def test_a_retry_that_is_not_due_waits() -> None:
    later = NOW + timedelta(minutes=5)
    assert next_step(NOTIFY.given([*OPENED, failed(1, later)]).state, NID, NOW, attempt=2) == Wait(later)


@pytest.mark.parametrize(
    ("events", "reason"),
    [
        (
            (
                SIGNAL.model_copy(update={"complainant": Complainant(capacity=ComplainantCapacity.CLIENT)}),
                REFERENCE,
                REQUESTED,
            ),
            "no e-mail address",
        ),
        *(
            (
                (
                    SIGNAL.model_copy(
                        update={"complainant": Complainant(capacity=ComplainantCapacity.CLIENT, email=stored)}
                    ),
                    REFERENCE,
                    REQUESTED,
                ),
                "not exactly one valid address",
            )
            for stored in ("a@x.nl, b@y.nl, c@z.nl", "a@x.nl;b@y.nl", "Jan <a@x.nl>", "a@x.nl\r\nBcc: b@y.nl")
        ),
        ((*OPENED, PersonalDataErased(reason=ErasureReason.ERASURE_REQUEST)), "erased"),
        ((SIGNAL, REQUESTED), "no reference"),
        (
            (SIGNAL, REFERENCE, REQUESTED.model_copy(update={"recipient": Recipient.PROVIDER})),
            "recipient provider",
        ),
        (
            (
                SIGNAL,
                REFERENCE,
                REQUESTED.model_copy(update={"recipient": Recipient.PERSON_COMPLAINED_ABOUT}),
            ),
            "a letter goes on paper",
        ),
    ],
)
def test_what_cannot_be_mailed_is_parked(events: tuple[AnyEvent, ...], reason: str) -> None:
    step = next_step(NOTIFY.given(events).state, NID, NOW, attempt=1)
    assert isinstance(step, Park)
    assert reason in step.reason
    assert "x.nl" not in step.reason  # the reason names the rule, never the stored value


def test_the_state_holds_the_running_terms_the_pinned_policy_and_the_step() -> None:
    """The letters' facts: terms with their due dates (extended, ended), the pin, the step."""
    first = TermStarted(
        deadline=DeadlineKind.FIRST_CONTACT,
        started_on=date(2026, 3, 5),
        term=Term(amount=2, unit=TermUnit.WORKING_DAYS),
        due_on=date(2026, 3, 9),
    )
    admissibility = TermStarted(
        deadline=DeadlineKind.ADMISSIBILITY,
        started_on=date(2026, 3, 5),
        term=Term(amount=4, unit=TermUnit.WEEKS),
        due_on=date(2026, 4, 2),
    )
    extended = TermExtended(
        deadline=DeadlineKind.ADMISSIBILITY,
        previous_due_on=date(2026, 4, 2),
        new_due_on=date(2026, 4, 30),
        reason="Wacht op stukken.",
    )
    met = FirstContactMade(by_role=Role.COMPLAINTS_COMMITTEE, channel=Channel.EMAIL)
    pin = ProcedurePolicyPinned(policy_id="ik-ben-er-ook", policy_version=1)
    up = EscalatedToNextStep(
        from_step=EscalationStep.CARE_WORKER,
        to_step=EscalationStep.CONFIDANT,
        reason=EscalationReason.UNRESOLVED,
    )
    state = NOTIFY.given([*OPENED, pin, up, first, admissibility, extended, met]).state
    assert dict(state.terms) == {DeadlineKind.ADMISSIBILITY: date(2026, 4, 30)}
    assert state.policy == PolicyPin("ik-ben-er-ook", 1)
    assert state.step is EscalationStep.CONFIDANT


# --- outcomes as commands, commands as events --------------------------------------------------------


def test_a_handover_is_recorded_as_sent_once() -> None:
    command = _sent_command()
    NOTIFY.given(OPENED).when(command).then(
        [
            NotificationSent(
                notification_id=NID, channel=NotificationChannel.EMAIL, attempt=1, message_id="<m>"
            )
        ]
    )
    NOTIFY.given([*OPENED, sent()]).when(command).then([])


def test_a_temporary_failure_is_retried_on_the_schedule() -> None:
    step = next_step(NOTIFY.given(OPENED).state, NID, NOW, attempt=1)
    assert isinstance(step, Send)
    [command] = commands_for(step, Failed("451 later", permanent=False), SCHEDULE, AT)
    NOTIFY.given(OPENED).when(command).then(
        [failed(1, NOW + timedelta(seconds=60)).model_copy(update={"error": "451 later"})]
    )


def test_the_last_failure_records_no_retry_and_parks() -> None:
    events = (*OPENED, failed(1, NOW), failed(2, NOW))
    step = next_step(NOTIFY.given(events).state, NID, NOW, attempt=3)
    assert isinstance(step, Send) and step.attempt == 3 == SCHEDULE.max_attempts
    commands = commands_for(step, Failed("451", permanent=False), SCHEDULE, AT)
    decided = [event for command in commands for event in NOTIFY.given(events).when(command).decided()]
    assert decided == [
        failed(3, None),
        NotificationParked(notification_id=NID, attempts=3, reason="no retry left after 3 attempts: 451"),
    ]


def test_a_permanent_failure_parks_at_once() -> None:
    step = next_step(NOTIFY.given(OPENED).state, NID, NOW, attempt=1)
    assert isinstance(step, Send)
    commands = commands_for(step, Failed("550 unknown", permanent=True), SCHEDULE, AT)
    decided = [event for command in commands for event in NOTIFY.given(OPENED).when(command).decided()]
    assert [type(e) for e in decided] == [NotificationFailed, NotificationParked]
    assert isinstance(decided[0], NotificationFailed) and decided[0].next_attempt_at is None


def test_an_attempt_already_recorded_is_not_recorded_again() -> None:
    step = next_step(NOTIFY.given(OPENED).state, NID, NOW, attempt=1)
    assert isinstance(step, Send)
    [command] = commands_for(step, Failed("451", permanent=False), SCHEDULE, AT)
    NOTIFY.given([*OPENED, failed(1, NOW)]).when(command).then([])
    NOTIFY.given([*OPENED, sent()]).when(command).then([])


def test_parking_a_parked_notification_decides_nothing() -> None:
    park = ParkNotification(
        command_id=NID,
        tenant="demo",
        case_id=CASE,
        actor=ACTOR,
        now=NOW,
        notification_id=NID,
        attempts=1,
        reason="x",
    )
    NOTIFY.given([*OPENED, NotificationParked(notification_id=NID, attempts=1, reason="x")]).when(park).then(
        []
    )


def test_recording_an_unknown_notification_is_an_error() -> None:
    failure = RecordNotificationFailure(
        command_id=NID,
        tenant="demo",
        case_id=CASE,
        actor=ACTOR,
        now=NOW,
        notification_id=NID,
        attempt=1,
        error="451",
        next_attempt_at=None,
    )
    with pytest.raises(LookupError, match=str(NID)):
        NOTIFY.given([SIGNAL, REFERENCE]).when(failure).decided()


def test_event_ids_follow_from_the_notification_not_from_the_message() -> None:
    first, again = _sent_command(), _sent_command()
    assert event_id(first, sent()) == event_id(again, sent())
    assert first.command_id != NID


def test_the_schedule_gives_up_after_its_last_delay() -> None:
    assert SCHEDULE.next_attempt_at(1, NOW) == NOW + timedelta(seconds=60)
    assert SCHEDULE.next_attempt_at(2, NOW) == NOW + timedelta(seconds=300)
    assert SCHEDULE.next_attempt_at(3, NOW) is None


def test_without_a_cap_a_temporary_failure_is_retried_every_last_delay_for_as_long_as_it_lasts() -> None:
    schedule = RetrySchedule.of_seconds((60, 300))
    assert schedule.next_attempt_at(1, NOW) == NOW + timedelta(seconds=60)
    assert schedule.next_attempt_at(2, NOW) == NOW + timedelta(seconds=300)
    assert schedule.next_attempt_at(3, NOW) == NOW + timedelta(seconds=300)
    assert schedule.next_attempt_at(500, NOW) == NOW + timedelta(seconds=300)


def test_without_a_cap_the_fifth_temporary_failure_is_retried_not_parked() -> None:
    events = (*OPENED, *(failed(n, NOW) for n in range(1, 5)))
    step = next_step(NOTIFY.given(events).state, NID, NOW, attempt=5)
    assert isinstance(step, Send)
    schedule = RetrySchedule.of_seconds((60, 300))
    [command] = commands_for(step, Failed("451 later", permanent=False), schedule, AT)
    NOTIFY.given(events).when(command).then(
        [failed(5, NOW + timedelta(seconds=300)).model_copy(update={"error": "451 later"})]
    )
