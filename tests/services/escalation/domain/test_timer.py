"""The timer's commands: a warning on the warning day and a breach after the due date, each once per term
and due date, each with one mail to the term's handler; a firing for a term that was met, stopped,
paused or moved since decides nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4, uuid5

import pytest
from lifecycle_given import (
    CASE_ID,
    STEP_BY_STEP,
    THURSDAY,
    case_spec,
    command,
    filed,
    judged,
    opened,
    requested,
    started,
    weeks,
)

from contracts.commands import RecordDeadlineBreach, RecordDeadlineWarning
from contracts.events import (
    AnyEvent,
    ComplaintWithdrawn,
    DeadlineBreached,
    DeadlineWarningReached,
    NotificationRequested,
    TermExtended,
    TermSuspended,
)
from contracts.vocabulary import (
    DeadlineKind,
    EscalationStep,
    Judge,
    NotificationChannel,
    NotificationKind,
    Recipient,
    SuspensionReason,
)
from services.escalation.domain import Rule

JUDGEMENT = DeadlineKind.JUDGEMENT
DUE = date(2026, 4, 16)
WARNING_DAY = date(2026, 4, 2)


def pending() -> list[AnyEvent]:
    return [
        *opened(STEP_BY_STEP),
        filed(EscalationStep.COMPLAINTS_OFFICER),
        requested(Judge.DIRECTOR),
        started(JUDGEMENT, THURSDAY, weeks(6)),
    ]


def warn(on: date = WARNING_DAY, due_on: date = DUE) -> RecordDeadlineWarning:
    return command(
        RecordDeadlineWarning,
        now=datetime(on.year, on.month, on.day, 6, tzinfo=UTC),
        deadline=JUDGEMENT,
        due_on=due_on,
    )


def breach(on: date = date(2026, 4, 17), due_on: date = DUE) -> RecordDeadlineBreach:
    return command(
        RecordDeadlineBreach,
        now=datetime(on.year, on.month, on.day, 6, tzinfo=UTC),
        deadline=JUDGEMENT,
        due_on=due_on,
    )


WARNED = DeadlineWarningReached(deadline=JUDGEMENT, due_on=DUE)
BREACHED = DeadlineBreached(deadline=JUDGEMENT, due_on=DUE)


def to_handler(kind: NotificationKind, due_on: date = DUE) -> NotificationRequested:
    """The mail to the handler: its id from the case, the term and the due date (not the command)."""
    return NotificationRequested(
        notification_id=uuid5(CASE_ID, f"notification:{kind.value}:{JUDGEMENT.value}:{due_on.isoformat()}"),
        kind=kind,
        recipient=Recipient.CASE_HANDLER,
        channel=NotificationChannel.EMAIL,
    )


WARNING_MAIL = to_handler(NotificationKind.DEADLINE_WARNING)
BREACH_MAIL = to_handler(NotificationKind.DEADLINE_BREACHED)
EXTENDED = TermExtended(deadline=JUDGEMENT, previous_due_on=DUE, new_due_on=date(2026, 5, 7), reason="Later.")


def test_the_warning_and_the_breach_are_recorded_once() -> None:
    case_spec(STEP_BY_STEP).given(pending()).when(warn()).then([WARNED, WARNING_MAIL])
    case_spec(STEP_BY_STEP).given([*pending(), WARNED, WARNING_MAIL]).when(warn()).then([])
    case_spec(STEP_BY_STEP).given([*pending(), WARNED]).when(breach()).then([BREACHED, BREACH_MAIL])
    case_spec(STEP_BY_STEP).given([*pending(), WARNED, BREACHED]).when(breach()).then([])


def test_the_handlers_mail_has_the_same_id_whichever_command_asks_for_it() -> None:
    """Two timer instances firing the same warning (two command ids) ask for one mail: the event store
    treats the second append as the retry of the first."""
    other = warn().model_copy(update={"command_id": uuid4()})
    [_, mail] = case_spec(STEP_BY_STEP).given(pending()).when(other).then([WARNED, WARNING_MAIL])
    assert mail == WARNING_MAIL


@pytest.mark.parametrize(
    "since",
    [
        [judged(Judge.DIRECTOR)],
        [ComplaintWithdrawn()],
        [
            TermSuspended(
                deadline=JUDGEMENT, reason=SuspensionReason.MEDIATION, suspended_on=date(2026, 3, 20)
            )
        ],
        [EXTENDED],
    ],
)
def test_a_stale_firing_decides_nothing(since: list[AnyEvent]) -> None:
    case_spec(STEP_BY_STEP).given([*pending(), *since]).when(warn()).then([])
    case_spec(STEP_BY_STEP).given([*pending(), *since]).when(breach()).then([])


def test_the_moved_due_date_is_warned_about_again() -> None:
    moved = DeadlineWarningReached(deadline=JUDGEMENT, due_on=date(2026, 5, 7))
    case_spec(STEP_BY_STEP).given([*pending(), WARNED, EXTENDED]).when(
        warn(date(2026, 5, 1), date(2026, 5, 7))
    ).then([moved, to_handler(NotificationKind.DEADLINE_WARNING, date(2026, 5, 7))])


def test_a_term_never_started_gets_no_warning() -> None:
    case_spec(STEP_BY_STEP).given(opened(STEP_BY_STEP)).when(warn()).then([])


@pytest.mark.parametrize(
    ("when", "rule"),
    [(warn(date(2026, 4, 1)), Rule.WARNING_TOO_EARLY), (breach(DUE), Rule.BREACH_TOO_EARLY)],
)
def test_a_timer_firing_before_its_moment_is_rejected(
    when: RecordDeadlineWarning | RecordDeadlineBreach, rule: Rule
) -> None:
    case_spec(STEP_BY_STEP).given(pending()).when(when).then_rejects(rule)
