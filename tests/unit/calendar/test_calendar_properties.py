"""Properties of the calendar over many dates and terms."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.values import Term
from contracts.vocabulary import TermUnit
from klachtspoor.calendar import (
    AtwStatus,
    add_term,
    extend,
    is_working_day,
    resume,
    warning_date,
    working_days_between,
)

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2070, 12, 31))
atw_terms = st.one_of(
    st.builds(Term, amount=st.integers(1, 250), unit=st.just(TermUnit.WORKING_DAYS)),
    st.builds(Term, amount=st.integers(1, 90), unit=st.just(TermUnit.DAYS)),
    st.builds(Term, amount=st.integers(1, 12), unit=st.just(TermUnit.WEEKS)),
    st.builds(Term, amount=st.integers(1, 3), unit=st.just(TermUnit.MONTHS)),
)
any_terms = (
    st.builds(
        Term,
        amount=st.integers(1, 400),
        unit=st.sampled_from([u for u in TermUnit if u is not TermUnit.WORKING_DAYS]),
    )
    | atw_terms
)


@settings(max_examples=400, deadline=None)
@given(received=days, term=atw_terms)
def test_due_date_under_the_atw_is_a_working_day_with_two_working_days(received: date, term: Term) -> None:
    due = add_term(received, term)
    assert due.atw is AtwStatus.APPLIED
    assert is_working_day(due.on)
    assert due.on >= due.counted_on > received
    assert due.moved == bool(due.adjustments)
    if term.unit is TermUnit.WORKING_DAYS:
        assert working_days_between(received, due.on) == term.amount
    elif term.amount >= 3 or term.unit in (TermUnit.WEEKS, TermUnit.MONTHS):
        assert working_days_between(received, due.on) >= 2


@settings(max_examples=300, deadline=None)
@given(received=days, term=any_terms, follows_atw=st.booleans())
def test_the_atw_only_ever_moves_later_and_only_when_it_applies(
    received: date, term: Term, follows_atw: bool
) -> None:
    due = add_term(received, term, follows_atw=follows_atw)
    plain = add_term(received, term, follows_atw=False)
    assert due.on >= plain.on
    if due.atw is not AtwStatus.APPLIED:
        assert due.on == due.counted_on == plain.on


@settings(max_examples=300, deadline=None)
@given(current=days, term=any_terms, follows_atw=st.booleans())
def test_an_extension_never_shortens(current: date, term: Term, follows_atw: bool) -> None:
    assert extend(current, term, follows_atw=follows_atw).on > current
    due = add_term(current, term, follows_atw=follows_atw)
    assert extend(due, term, follows_atw=follows_atw).on > due.on


@settings(max_examples=300, deadline=None)
@given(
    due_on=days,
    offset=st.integers(-60, 60),
    paused=st.integers(0, 120),
    follows_atw=st.booleans(),
)
def test_suspending_and_resuming_never_loses_days(
    due_on: date, offset: int, paused: int, follows_atw: bool
) -> None:
    suspended_on = due_on + timedelta(days=offset)
    resumed_on = suspended_on + timedelta(days=paused)
    resumed = resume(due_on, suspended_on, resumed_on, follows_atw=follows_atw)
    assert resumed.on >= due_on + timedelta(days=paused)
    # Moving off a non-working day adds at most the longest run of them (5 days, Ascension 2027).
    assert (resumed.on - due_on).days - paused <= (5 if follows_atw else 0)
    if follows_atw:
        assert is_working_day(resumed.on)


@settings(max_examples=200, deadline=None)
@given(received=days, amount=st.integers(1, 200))
def test_working_day_terms_are_monotonic_in_the_amount(received: date, amount: int) -> None:
    shorter = add_term(received, Term(amount=amount, unit=TermUnit.WORKING_DAYS)).on
    longer = add_term(received, Term(amount=amount + 1, unit=TermUnit.WORKING_DAYS)).on
    assert shorter < longer
    assert working_days_between(shorter, longer) == 1


@settings(max_examples=200, deadline=None)
@given(received=days, months=st.integers(1, 48))
def test_months_end_on_the_same_day_number_or_the_last_day(received: date, months: int) -> None:
    end = add_term(received, Term(amount=months, unit=TermUnit.MONTHS), follows_atw=False).on
    assert (end.year - received.year) * 12 + end.month - received.month == months
    last_day = (end.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    assert end.day == min(received.day, last_day.day)


@settings(max_examples=200, deadline=None)
@given(start=days, length=st.integers(0, 400), share=st.floats(0.01, 1.0))
def test_the_warning_falls_within_the_term(start: date, length: int, share: float) -> None:
    due = start + timedelta(days=length)
    moment = warning_date(start, due, share)
    assert start <= moment <= due


@settings(max_examples=300, deadline=None)
@given(start=days, span=st.integers(-10, 800))
def test_working_days_between_is_the_count_day_by_day(start: date, span: int) -> None:
    end = start + timedelta(days=span)
    counted = sum(is_working_day(start + timedelta(days=n)) for n in range(1, span + 1))
    assert working_days_between(start, end) == counted
