"""The case's terms, running and past, with their due dates as the deadlines derive them from the events
and the pinned policy (never a stored flag), and every change made to them with its reason in words where
the reader's role may read it. The timer's warnings and breaches are marked on the term they concern."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal

from contracts.envelope import Envelope
from contracts.events import (
    DeadlineBreached,
    DeadlineWarningReached,
    TermExtended,
    TermResumed,
    TermSuspended,
)
from contracts.policy import ProcedurePolicy
from contracts.values import Term
from contracts.vocabulary import DeadlineKind, SuspensionReason
from services.escalation.domain.casefile import table
from services.escalation.domain.casefile.reader import Frozen, Reader, Shown
from services.escalation.domain.terms.deadlines import Deadline, deadlines


class TermView(Frozen):
    kind: DeadlineKind
    started_on: date
    term: Term
    due_on: date
    warning_on: date
    follows_atw: bool
    suspended: bool
    extended: bool
    running: bool
    met: bool
    stopped: bool
    warned: bool
    """The timer recorded the warning for this due date."""
    breached: bool
    """The timer recorded that this due date passed without the step the term required."""


class TermChangeView(Frozen):
    change: Literal["extended", "suspended", "resumed"]
    deadline: DeadlineKind
    occurred_at: datetime
    previous_due_on: date | None = None
    new_due_on: date | None = None
    suspension_reason: SuspensionReason | None = None
    suspended_on: date | None = None
    resumed_on: date | None = None
    reason: str | None = None
    """The extension's reason or the suspension's explanation (``terms.reasons``)."""


class TermsView(Frozen):
    deadlines: tuple[TermView, ...]
    changes: tuple[TermChangeView, ...]


def terms_view(
    envelopes: Sequence[Envelope], policy: ProcedurePolicy | None, reader: Reader, shown: Shown
) -> TermsView | None:
    if not reader.may(table.TERMS):
        return None
    shown.add(table.TERMS)
    events = [envelope.event for envelope in envelopes]
    alerts = {
        (type(e), e.deadline, e.due_on)
        for e in events
        if isinstance(e, DeadlineWarningReached | DeadlineBreached)
    }
    changes = tuple(c for c in (_change(envelope, reader, shown) for envelope in envelopes) if c is not None)
    return TermsView(deadlines=tuple(_term(d, alerts) for d in deadlines(events, policy)), changes=changes)


def _term(deadline: Deadline, alerts: set[tuple[type, DeadlineKind, date]]) -> TermView:
    return TermView(
        **deadline.facts(),
        warned=(DeadlineWarningReached, deadline.kind, deadline.due_on) in alerts,
        breached=(DeadlineBreached, deadline.kind, deadline.due_on) in alerts,
    )


def _change(envelope: Envelope, reader: Reader, shown: Shown) -> TermChangeView | None:
    event, at = envelope.event, envelope.occurred_at
    match event:
        case TermExtended():
            return TermChangeView(
                change="extended",
                deadline=event.deadline,
                occurred_at=at,
                previous_due_on=event.previous_due_on,
                new_due_on=event.new_due_on,
                reason=_reason(event.reason, reader, shown),
            )
        case TermSuspended():
            return TermChangeView(
                change="suspended",
                deadline=event.deadline,
                occurred_at=at,
                suspension_reason=event.reason,
                suspended_on=event.suspended_on,
                reason=_reason(event.explanation, reader, shown),
            )
        case TermResumed():
            return TermChangeView(
                change="resumed", deadline=event.deadline, occurred_at=at, resumed_on=event.resumed_on
            )
        case _:
            return None


def _reason(text: str | None, reader: Reader, shown: Shown) -> str | None:
    if text is None or not reader.may(table.TERM_REASONS):
        return None
    shown.add(table.TERM_REASONS)
    return text
