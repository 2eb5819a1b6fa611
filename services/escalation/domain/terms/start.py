"""Starting terms: the length from the pinned policy (or the statutory default when it is silent), the start
from the event the policy says the term counts from (``PolicyTerm.counts_from``), the due date from the
calendar. Every due date the domain derives goes through :func:`due_date` or :mod:`.deadlines`, so the
calendar behind it is one import.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from contracts.events import TermStarted
from contracts.policy import ProcedurePolicy, TermStart
from contracts.values import Term
from contracts.vocabulary import DeadlineKind, EscalationStep
from klachtspoor.calendar import add_term


def due_date(start: date, term: Term, *, follows_atw: bool = True) -> date:
    """The due date of ``term`` started on ``start`` on the Dutch working-day calendar."""
    return add_term(start, term, follows_atw=follows_atw).on


def start_term(
    policy: ProcedurePolicy,
    kind: DeadlineKind,
    at: TermStart,
    dates: Mapping[TermStart, date],
    step: EscalationStep | None = None,
    *,
    default: Term | None = None,
    step_only: bool = False,
) -> list[TermStarted]:
    """The ``kind`` term of ``step`` (or of the case) as the policy sets it, else ``default``; none when
    neither gives one. ``step_only``: only a term the policy sets for this very step.

    ``at`` is the event starting the term now and ``dates`` the day of each event the term may count from
    (``at``'s included): the policy's term starts on its ``counts_from`` day (a judgement counted from the
    complaint's receipt starts then, even when it is asked later), a default term on ``at``'s day."""
    rule = policy.term(kind, step)
    if rule is not None and step_only and rule.step is not step:
        rule = None
    term = rule.term if rule is not None else default
    if term is None:
        return []
    counts_from = rule.counts_from if rule is not None else at
    started_on = dates.get(counts_from)
    if started_on is None:
        known = ", ".join(start.value for start in dates) or "none"
        raise ValueError(
            f"Term {kind.value} of policy {policy.id} v{policy.version} counts from {counts_from.value}, "
            f"whose day is not known when it starts at {at.value} (known: {known})"
        )
    follows_atw = rule.applies_atw if rule is not None else True
    return [
        TermStarted(
            deadline=kind,
            started_on=started_on,
            term=term,
            due_on=due_date(started_on, term, follows_atw=follows_atw),
        )
    ]
