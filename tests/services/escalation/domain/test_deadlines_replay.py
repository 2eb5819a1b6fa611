"""Property: deadlines are a function of the events. Replaying the same events (a fresh fold) gives the same
dates, the decider's folded state derives the same dates, a suspension never shortens a term, and the
warning falls within the term."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from lifecycle_given import COMMITTEE, STEP_BY_STEP, started

from contracts.events import AnyEvent, TermExtended, TermResumed, TermSuspended
from contracts.policy import ProcedurePolicy
from contracts.values import Term
from contracts.vocabulary import DeadlineKind, SuspensionReason, TermUnit
from services.escalation.domain import deadlines, derive, fold
from services.escalation.domain.terms.deadlines import book_deadlines

_ATW_TERMS = st.one_of(
    st.builds(Term, amount=st.integers(1, 30), unit=st.just(TermUnit.WORKING_DAYS)),
    st.builds(Term, amount=st.integers(1, 90), unit=st.just(TermUnit.DAYS)),
    st.builds(Term, amount=st.integers(1, 12), unit=st.just(TermUnit.WEEKS)),
    st.builds(Term, amount=st.integers(1, 3), unit=st.just(TermUnit.MONTHS)),
)
_KINDS = st.sampled_from([DeadlineKind.ADMISSIBILITY, DeadlineKind.JUDGEMENT, DeadlineKind.MEASURES_NOTICE])
_STEP = st.tuples(st.sampled_from(["suspend", "extend"]), st.integers(0, 40), st.integers(0, 30))


@st.composite
def term_histories(draw: st.DrawFn) -> list[AnyEvent]:
    """One or two terms, each started, then suspended and resumed or extended (once) on later days."""
    events: list[AnyEvent] = []
    for kind in draw(st.lists(_KINDS, min_size=1, max_size=2, unique=True)):
        start = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 700)))
        first = started(kind, start, draw(_ATW_TERMS))
        events.append(first)
        day, due, extended = start, first.due_on, False
        for action, gap, length in draw(st.lists(_STEP, max_size=4)):
            day += timedelta(days=gap)
            if action == "extend" and not extended:
                new_due = due + timedelta(days=length + 1)
                events.append(
                    TermExtended(deadline=kind, previous_due_on=due, new_due_on=new_due, reason="Later.")
                )
                due, extended = new_due, True
            elif action == "suspend":
                resumed = day + timedelta(days=length)
                events.append(TermSuspended(deadline=kind, reason=SuspensionReason.OTHER, suspended_on=day))
                events.append(TermResumed(deadline=kind, resumed_on=resumed))
                day = resumed
    return events


POLICIES = st.sampled_from([STEP_BY_STEP, COMMITTEE, None])


@settings(max_examples=150, deadline=None)
@given(events=term_histories(), policy=POLICIES)
def test_replaying_the_events_gives_the_same_deadlines(
    events: list[AnyEvent], policy: ProcedurePolicy | None
) -> None:
    first = deadlines(events, policy)
    replayed = deadlines(list(events), policy)
    assert first == replayed
    assert tuple(derive(record, policy) for record in fold(events).terms) == first
    assert book_deadlines(fold(events).terms, policy) == first


@settings(max_examples=150, deadline=None)
@given(events=term_histories(), policy=POLICIES)
def test_a_suspension_never_shortens_a_term_and_the_warning_falls_within_it(
    events: list[AnyEvent], policy: ProcedurePolicy | None
) -> None:
    without_pauses = [e for e in events if not isinstance(e, TermSuspended | TermResumed)]
    plain = {d.kind: d.due_on for d in deadlines(without_pauses, policy)}
    for deadline in deadlines(events, policy):
        assert deadline.due_on >= plain[deadline.kind]
        assert deadline.started_on <= deadline.warning_on <= deadline.due_on
        assert not deadline.suspended
