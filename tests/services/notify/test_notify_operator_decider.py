"""The notify decider for what comes after an attempt: a bounce of the sent mail, and an operator's retry of
a parked notification (given-when-then, no infrastructure)."""

from __future__ import annotations

from test_notify_decider import AT, NID, NOTIFY, NOW, OPENED, SCHEDULE, failed, sent

from contracts.base import Actor
from contracts.events import NotificationFailed, NotificationParked, NotificationRetryRequested
from contracts.vocabulary import Role
from services.notify.domain.decider import (
    Delivered,
    NotParked,
    Send,
    bounce,
    commands_for,
    message_id,
    next_step,
    retry,
)

OPERATOR = Actor(id="beh-1", role=Role.ADMINISTRATOR)
BOUNCED = "bounced: the receiving mail server reported delivery failed (5.1.1)"
PARKED = NotificationParked(notification_id=NID, attempts=1, reason="permanent failure: 550")


def test_a_bounce_fails_the_attempt_that_was_sent_and_parks_it() -> None:
    given = NOTIFY.given([*OPENED, failed(1, NOW), sent(2)])
    command = bounce(given.state.notifications[NID], "5.1.1", AT)
    given.when(command).then(
        [
            NotificationFailed(notification_id=NID, attempt=2, error=BOUNCED, next_attempt_at=None),
            NotificationParked(notification_id=NID, attempts=2, reason=BOUNCED),
        ]
    )


def test_a_bounce_read_again_records_nothing() -> None:
    events = [*OPENED, sent(1)]
    command = bounce(NOTIFY.given(events).state.notifications[NID], "5.1.1", AT)
    bounced = NOTIFY.given(events).when(command).decided()
    NOTIFY.given([*events, *bounced]).when(command).then([])


def test_a_bounce_of_a_notification_never_sent_records_nothing() -> None:
    command = bounce(NOTIFY.given(OPENED).state.notifications[NID], "5.1.1", AT)
    NOTIFY.given(OPENED).when(command).then([])


def test_a_retry_of_a_parked_notification_starts_its_next_attempt_once() -> None:
    events = [*OPENED, failed(1, None), PARKED]
    command = retry(NOTIFY.given(events).state.notifications[NID], OPERATOR, AT)
    NOTIFY.given(events).when(command).then([NotificationRetryRequested(notification_id=NID, attempt=2)])
    retried = [*events, NotificationRetryRequested(notification_id=NID, attempt=2)]
    NOTIFY.given(retried).when(command).then_raises(NotParked)
    step = next_step(NOTIFY.given(retried).state, NID, NOW, attempt=2)
    assert isinstance(step, Send) and step.attempt == 2  # not parked again for "no retry left"


def test_a_retry_of_a_notification_that_is_not_parked_is_refused() -> None:
    command = retry(NOTIFY.given(OPENED).state.notifications[NID], OPERATOR, AT)
    NOTIFY.given(OPENED).when(command).then_raises(NotParked)
    NOTIFY.given([*OPENED, sent(1)]).when(command).then_raises(NotParked)


def test_a_retried_round_records_its_send_under_an_id_and_message_id_of_its_own() -> None:
    first_round = [*OPENED, sent(1)]
    [first] = commands_for(
        Send(NOTIFY.given(first_round).state.notifications[NID], 1, None, "s@x.nl"),
        Delivered("<m>"),
        SCHEDULE,
        AT,
    )
    retried = [*OPENED, failed(1, None), PARKED, NotificationRetryRequested(notification_id=NID, attempt=2)]
    notification = NOTIFY.given(retried).state.notifications[NID]
    [second] = commands_for(Send(notification, 2, None, "s@x.nl"), Delivered("<m>"), SCHEDULE, AT)
    assert first.command_id != second.command_id
    assert message_id(NID, notification.retries) == f"<{NID}.1@klachtspoor>"
    assert message_id(NID) == f"<{NID}@klachtspoor>"
