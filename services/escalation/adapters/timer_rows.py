"""What the due-date index holds for one case, computed from its events and its pinned policy alone.

The moments are fixed in Dutch time, because terms count in the organisation's days: a warning is due at
00:00 Europe/Amsterdam on the warning day (the decider accepts a warning from that day on), a breach at
00:00 Europe/Amsterdam on the day after the due date (the term ends when the due date is over; the
decider accepts a breach from the next day on). Summer and winter time are handled by the time zone.

Events are read without keys: personal fields are replaced by their masks before validation, as a reader
of an erased case sees them. No deadline depends on a personal field, so the index needs no decryption.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from contracts.errors import UnknownEventType
from contracts.events import AnyEvent
from contracts.policy import ProcedurePolicy
from contracts.registry import event_class
from contracts.vocabulary import DeadlineKind
from klachtspoor.calendar import NETHERLANDS
from klachtspoor.codec import EventPlan
from klachtspoor.eventstore.port import RecordedEvent
from klachtspoor.policies import PolicyRegistry
from services.escalation.domain import CaseState, fold
from services.escalation.domain.terms.deadlines import book_deadlines


def start_of_day(day: date) -> datetime:
    """00:00 of ``day`` in the Netherlands, as an aware datetime (UTC+1 in winter, UTC+2 in summer)."""
    return datetime.combine(day, time(0), tzinfo=NETHERLANDS)


def warning_moment(warning_on: date) -> datetime:
    return start_of_day(warning_on)


def breach_moment(due_on: date) -> datetime:
    return start_of_day(due_on + timedelta(days=1))


@dataclass(frozen=True, slots=True)
class DueRow:
    """One term of a case with something still to record: ``None`` moments are recorded already."""

    deadline: DeadlineKind
    due_on: date
    warning_on: date
    warning_at: datetime | None
    breach_at: datetime | None

    @property
    def next_at(self) -> datetime:
        pending = [moment for moment in (self.warning_at, self.breach_at) if moment is not None]
        if not pending:
            raise ValueError(f"Nothing pending for term {self.deadline.value} due on {self.due_on}")
        return min(pending)


def due_rows(events: Iterable[AnyEvent], policy: ProcedurePolicy | None) -> tuple[DueRow, ...]:
    """Per running, unsuspended term: the warning and breach not yet recorded for its current due date.

    A case that is not open (no signal or complaint) or was erased has none, as the decider would refuse or
    ignore the timer's commands for it; a suspended term has none until it resumes (its due date moves).
    """
    return state_due_rows(fold(events), policy)


def state_due_rows(state: CaseState, policy: ProcedurePolicy | None) -> tuple[DueRow, ...]:
    """:func:`due_rows` of a case state already folded (a rebuild folds each case once, event by
    event): the state's term book is the terms' fold over the same events."""
    if not state.opened or state.erased:
        return ()
    rows = []
    for deadline in book_deadlines(state.terms, policy):
        if not deadline.running or deadline.suspended:
            continue
        key = (deadline.kind, deadline.due_on)
        row = DueRow(
            deadline=deadline.kind,
            due_on=deadline.due_on,
            warning_on=deadline.warning_on,
            warning_at=None if key in state.warnings else warning_moment(deadline.warning_on),
            breach_at=None if key in state.breaches else breach_moment(deadline.due_on),
        )
        if row.warning_at is not None or row.breach_at is not None:
            rows.append(row)
    return tuple(rows)


def pinned_policy(state: CaseState, policies: PolicyRegistry) -> ProcedurePolicy | None:
    """The version the case pinned (None without a pin); an unknown one raises ``UnknownPolicy``."""
    if state.policy is None:
        return None
    return policies.get(state.policy.policy_id, state.policy.version)


def masked_events(records: Iterable[RecordedEvent]) -> list[AnyEvent]:
    """The typed events of stored ones, personal fields masked; types the contracts lack are left out
    (they cannot move a term, which only the contracts' events do)."""
    events = []
    for recorded in records:
        plan = _plan(recorded.type)
        if plan is None:
            continue
        events.append(plan.masked_event(recorded))
    return events


@cache
def _plan(type_name: str) -> EventPlan | None:
    try:
        return EventPlan.of(event_class(type_name))
    except UnknownEventType:
        return None
