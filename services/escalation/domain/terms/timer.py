"""The timer's commands: a term reached its warning day, or ended without the step it required.

The timer fires on the due date it derived; by the time the command is decided the term may have been met,
stopped, suspended or moved (extended, resumed). Such a stale firing decides nothing: the timer derives the
new moment from the events and fires again then. A warning or breach for the same term and due date is
recorded once, so a restarted timer appends nothing twice.

Each warning and breach also asks notify to mail the handler of the term (recipient ``case_handler``,
at the tenant's mailbox for the role that handles it): in the same append, with an id derived from the
term and its due date, so the handler gets one mail per warning and one per breach, whatever the timer
does twice.
"""

from __future__ import annotations

from contracts.commands import RecordDeadlineBreach, RecordDeadlineWarning
from contracts.events import AnyEvent, DeadlineBreached, DeadlineWarningReached, NotificationRequested
from contracts.policy import ProcedurePolicy
from contracts.vocabulary import NotificationChannel, NotificationKind, Recipient
from klachtspoor.calendar import local_date
from services.escalation.domain import ids
from services.escalation.domain.case.guards import pinned_or_none
from services.escalation.domain.case.state import CaseState
from services.escalation.domain.errors import CommandRejected, Rule
from services.escalation.domain.terms.deadlines import Deadline, derive
from services.escalation.domain.terms.history import find


def record_warning(
    command: RecordDeadlineWarning, state: CaseState, policy: ProcedurePolicy | None
) -> list[AnyEvent]:
    deadline = _current(command, state, policy)
    if deadline is None or (command.deadline, command.due_on) in state.warnings:
        return []
    today = local_date(command.now)
    if today < deadline.warning_on:
        raise CommandRejected(
            Rule.WARNING_TOO_EARLY,
            f"warned on {today.isoformat()}, the warning day is {deadline.warning_on.isoformat()} "
            f"(Term: {command.deadline.value}, Case: {command.case_id})",
        )
    return [
        DeadlineWarningReached(deadline=command.deadline, due_on=command.due_on),
        _to_handler(command, NotificationKind.DEADLINE_WARNING),
    ]


def record_breach(
    command: RecordDeadlineBreach, state: CaseState, policy: ProcedurePolicy | None
) -> list[AnyEvent]:
    deadline = _current(command, state, policy)
    if deadline is None or (command.deadline, command.due_on) in state.breaches:
        return []
    today = local_date(command.now)
    if today <= deadline.due_on:
        raise CommandRejected(
            Rule.BREACH_TOO_EARLY,
            f"breach recorded on {today.isoformat()}, the term ends on {deadline.due_on.isoformat()} "
            f"(Term: {command.deadline.value}, Case: {command.case_id})",
        )
    return [
        DeadlineBreached(deadline=command.deadline, due_on=command.due_on),
        _to_handler(command, NotificationKind.DEADLINE_BREACHED),
    ]


def _to_handler(
    command: RecordDeadlineWarning | RecordDeadlineBreach, kind: NotificationKind
) -> NotificationRequested:
    """The mail to the term's handler; its id follows from the case, the term and the due date only."""
    key = f"{kind.value}:{command.deadline.value}:{command.due_on.isoformat()}"
    return NotificationRequested(
        notification_id=ids.notification_id(command.case_id, key),
        kind=kind,
        recipient=Recipient.CASE_HANDLER,
        channel=NotificationChannel.EMAIL,
    )


def _current(
    command: RecordDeadlineWarning | RecordDeadlineBreach, state: CaseState, policy: ProcedurePolicy | None
) -> Deadline | None:
    """The deadline the timer fired for, when it still runs, unpaused, on the due date the timer saw."""
    if not state.opened or state.erased:
        return None
    record = find(state.terms, command.deadline)
    if record is None:
        return None
    deadline = derive(record, pinned_or_none(state, policy))
    if not deadline.running or deadline.suspended or deadline.due_on != command.due_on:
        return None
    return deadline
