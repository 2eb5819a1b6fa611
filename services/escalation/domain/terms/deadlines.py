"""Running deadlines, derived from a case's events and its pinned policy alone.

Per term: the due date counted from ``started_on`` and the term on the Dutch calendar (the policy says
whether the Algemene termijnenwet applies), then every change in the order it happened: an extension sets
the named new date, a finished suspension adds the suspended calendar days back (and moves an end on a day
nobody works when the Atw applies). The warning day is the policy's share of the term. Nothing is read
from a stored flag, so folding the same events again always gives the same dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from functools import reduce
from typing import Any

from contracts.events import AnyEvent
from contracts.policy import PolicyTerm, ProcedurePolicy
from contracts.values import Term
from contracts.vocabulary import DeadlineKind, TermUnit
from klachtspoor.calendar import add_term, resume, warning_date
from services.escalation.domain.terms.history import Extension, Pause, TermBook, TermRecord, record_term

DEFAULT_WARNING_SHARE = 0.75
"""Warn when three quarters of a term have passed, unless the policy says otherwise."""

STATUTORY_TERMS: dict[DeadlineKind, Term] = {
    DeadlineKind.ADMISSIBILITY: Term(amount=4, unit=TermUnit.WEEKS),
    DeadlineKind.JUDGEMENT: Term(amount=6, unit=TermUnit.WEEKS),
    DeadlineKind.MEASURES_NOTICE: Term(amount=1, unit=TermUnit.MONTHS),
}
"""Terms the law or common practice sets when a procedure is silent: a written notice that a complaint is not
handled within 4 weeks (Awb 9:8), a judgement within 6 weeks (practice; Wkkgz), the provider's measures
within 1 month after the judgement (Jeugdwet)."""


@dataclass(frozen=True, slots=True)
class Deadline:
    """One term as it stands: ``due_on`` after extensions and suspensions, ``warning_on`` for the timer."""

    kind: DeadlineKind
    started_on: date
    term: Term
    due_on: date
    warning_on: date
    follows_atw: bool
    suspended: bool
    extended: bool
    met: bool
    stopped: bool

    @property
    def running(self) -> bool:
        """Still owed: neither met nor stopped by the case ending. A suspended term runs, paused."""
        return not self.met and not self.stopped

    def facts(self) -> dict[str, Any]:
        """Every field and ``running``, by name: what each view of a term (the deadlines route, the case
        file, the history) starts from before adding its own."""
        return {field.name: getattr(self, field.name) for field in fields(self)} | {"running": self.running}


def fold_terms(events: Iterable[AnyEvent]) -> TermBook:
    return reduce(record_term, events, ())


def deadlines(events: Iterable[AnyEvent], policy: ProcedurePolicy | None) -> tuple[Deadline, ...]:
    """Every term of the case (met and stopped ones too, for audits), in the order they started."""
    return book_deadlines(fold_terms(events), policy)


def book_deadlines(book: TermBook, policy: ProcedurePolicy | None) -> tuple[Deadline, ...]:
    """:func:`deadlines` of a term book already folded, such as a folded case state's ``terms``: a
    replay that folded the state does not fold every event a second time for its terms."""
    return tuple(derive(record, policy) for record in book)


def running_deadlines(events: Iterable[AnyEvent], policy: ProcedurePolicy | None) -> tuple[Deadline, ...]:
    return tuple(deadline for deadline in deadlines(events, policy) if deadline.running)


def derive(record: TermRecord, policy: ProcedurePolicy | None) -> Deadline:
    """The deadline of one term record under ``policy`` (None: no pinned policy, the Atw and the default
    warning share apply)."""
    rule = policy_term(policy, record.kind, record.term)
    follows_atw = rule.applies_atw if rule is not None else True
    share = rule.warning_share if rule is not None else DEFAULT_WARNING_SHARE
    due = add_term(record.started_on, record.term, follows_atw=follows_atw).on
    for change in record.changes:
        due = _apply(due, change, follows_atw)
    return Deadline(
        kind=record.kind,
        started_on=record.started_on,
        term=record.term,
        due_on=due,
        warning_on=warning_date(record.started_on, due, share),
        follows_atw=follows_atw,
        suspended=record.suspended,
        extended=record.extended,
        met=record.met,
        stopped=record.stopped,
    )


def _apply(due: date, change: Extension | Pause, follows_atw: bool) -> date:
    match change:
        case Extension(new_due_on=new_due_on):
            return new_due_on
        case Pause(suspended_on=suspended_on, resumed_on=resumed_on):
            if suspended_on is None or resumed_on is None:
                return due  # written before the dates were recorded: the pause cannot be counted
            return resume(due, suspended_on, resumed_on, follows_atw=follows_atw).on


def policy_term(
    policy: ProcedurePolicy | None, kind: DeadlineKind, term: Term | None = None
) -> PolicyTerm | None:
    """The policy's rule for a term of ``kind``: the one with this very ``term`` when several steps set one
    (a started term does not record its step), else the first of the kind."""
    if policy is None:
        return None
    candidates = [rule for rule in policy.terms if rule.kind is kind]
    return next((rule for rule in candidates if rule.term == term), candidates[0] if candidates else None)
