"""Starting terms: the length from the pinned policy (or the statutory default when it is silent), the due
date from the calendar. Every due date the domain derives goes through :func:`due_date` or
:mod:`.deadlines`, so the calendar behind it is one import.
"""

from __future__ import annotations

from datetime import date

from contracts.events import TermStarted
from contracts.policy import ProcedurePolicy
from contracts.values import Term
from contracts.vocabulary import DeadlineKind, EscalationStep, TermUnit
from klachtspoor.calendar import add_term

DEFAULT_FIRST_CONTACT_TERM = Term(amount=2, unit=TermUnit.WORKING_DAYS)
"""First contact within 2 working days (one of the published procedures); a policy setting later."""


def due_date(start: date, term: Term, *, follows_atw: bool = True) -> date:
    """The due date of ``term`` started on ``start`` on the Dutch working-day calendar."""
    return add_term(start, term, follows_atw=follows_atw).on


def start_term(
    policy: ProcedurePolicy,
    kind: DeadlineKind,
    started_on: date,
    step: EscalationStep | None = None,
    *,
    default: Term | None = None,
    step_only: bool = False,
) -> list[TermStarted]:
    """The ``kind`` term of ``step`` (or of the case) as the policy sets it, else ``default``; none when
    neither gives one. ``step_only``: only a term the policy sets for this very step."""
    rule = policy.term(kind, step)
    if rule is not None and step_only and rule.step is not step:
        rule = None
    term = rule.term if rule is not None else default
    if term is None:
        return []
    follows_atw = rule.applies_atw if rule is not None else True
    return [
        TermStarted(
            deadline=kind,
            started_on=started_on,
            term=term,
            due_on=due_date(started_on, term, follows_atw=follows_atw),
        )
    ]
