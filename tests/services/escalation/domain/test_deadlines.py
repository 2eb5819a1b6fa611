"""Deadlines derived from the events alone, and the staff commands on terms (extend once, suspend, resume)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest
from lifecycle_given import (
    COMMITTEE,
    STEP_BY_STEP,
    THURSDAY,
    case_spec,
    command,
    filed,
    judged,
    notice,
    opened,
    requested,
    started,
    weeks,
)

from contracts.commands import ExtendTerm, ResumeTerm, SuspendTerm
from contracts.events import (
    AnyEvent,
    CaseClosed,
    ComplaintWithdrawn,
    ConsentGiven,
    ConsentWithdrawn,
    TermExtended,
    TermResumed,
    TermSuspended,
)
from contracts.vocabulary import (
    ComplainantCapacity,
    ConsentScope,
    DeadlineKind,
    EscalationStep,
    Judge,
    NotificationKind,
    Resolution,
    SuspensionReason,
)
from services.escalation.domain import Rule, deadlines, fold, running_deadlines

JUDGEMENT = DeadlineKind.JUDGEMENT
SIX_WEEKS = started(JUDGEMENT, THURSDAY, weeks(6))
DUE = date(2026, 4, 16)
"""Thursday 5 March 2026 + 6 weeks."""
MONDAY, NEXT_MONDAY = date(2026, 3, 9), date(2026, 3, 16)
SUSPENDED = TermSuspended(
    deadline=JUDGEMENT, reason=SuspensionReason.AWAITING_COMPLAINANT, suspended_on=MONDAY
)
RESUMED = TermResumed(deadline=JUDGEMENT, resumed_on=NEXT_MONDAY)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


def pending() -> list[AnyEvent]:
    """A director's judgement requested on Thursday 5 March 2026 under the step-by-step policy."""
    return [
        *opened(STEP_BY_STEP),
        filed(EscalationStep.COMPLAINTS_OFFICER),
        requested(Judge.DIRECTOR),
        SIX_WEEKS,
    ]


def judgement_deadline(events: list[AnyEvent], policy: Any = STEP_BY_STEP) -> Any:
    [deadline] = [d for d in deadlines(events, policy) if d.kind is JUDGEMENT]
    return deadline


def test_six_weeks_from_a_thursday_with_the_warning_before_easter() -> None:
    deadline = judgement_deadline(pending())
    assert (deadline.started_on, deadline.due_on) == (THURSDAY, DUE)
    # 3/4 of 42 days is Easter Sunday 5 April; Good Friday and Saturday go by, so Thursday 2 April.
    assert deadline.warning_on == date(2026, 4, 2)
    assert deadline.running and not (deadline.suspended or deadline.extended or deadline.met)


def test_the_policys_warning_share_is_used() -> None:
    events = [*opened(COMMITTEE), started(JUDGEMENT, THURSDAY, weeks(6))]
    assert judgement_deadline(events, COMMITTEE).warning_on == date(2026, 3, 26)  # 21 of 42 days


def test_a_suspension_adds_its_days_back_and_a_pending_one_flags_the_term() -> None:
    assert judgement_deadline([*pending(), SUSPENDED]).suspended
    assert judgement_deadline([*pending(), SUSPENDED]).due_on == DUE
    resumed = judgement_deadline([*pending(), SUSPENDED, RESUMED])
    assert (resumed.due_on, resumed.suspended) == (date(2026, 4, 23), False)


def test_a_resumed_end_on_a_holiday_moves_to_the_next_working_day() -> None:
    # Suspended 11 days: 16 April + 11 days is Monday 27 April, King's Day, so Tuesday 28 April.
    events = [*pending(), SUSPENDED, TermResumed(deadline=JUDGEMENT, resumed_on=date(2026, 3, 20))]
    assert judgement_deadline(events).due_on == date(2026, 4, 28)


def test_a_pause_written_without_dates_adds_nothing() -> None:
    events = [
        *pending(),
        SUSPENDED.model_copy(update={"suspended_on": None}),
        TermResumed(deadline=JUDGEMENT),
    ]
    assert judgement_deadline(events).due_on == DUE


def test_an_extension_sets_the_new_date_and_a_later_suspension_counts_on_top() -> None:
    extended = TermExtended(
        deadline=JUDGEMENT, previous_due_on=DUE, new_due_on=date(2026, 5, 7), reason="Hoorzitting."
    )
    assert judgement_deadline([*pending(), extended]).due_on == date(2026, 5, 7)
    assert judgement_deadline([*pending(), extended]).extended
    assert judgement_deadline([*pending(), extended, SUSPENDED, RESUMED]).due_on == date(
        2026, 5, 14 + 4
    )  # Ascension, decree day, weekend


def test_the_judgement_meets_the_term_and_closing_stops_only_the_handling_terms() -> None:
    disputes = started(DeadlineKind.DISPUTES_COMMITTEE_FILING, THURSDAY, weeks(52), atw=False)
    events = [*pending(), disputes, judged(Judge.DIRECTOR)]
    assert judgement_deadline(events).met
    withdrawn = [*pending(), disputes, ComplaintWithdrawn()]
    assert judgement_deadline(withdrawn).stopped
    assert [d.kind for d in running_deadlines(withdrawn, STEP_BY_STEP)] == [
        DeadlineKind.DISPUTES_COMMITTEE_FILING
    ]


def test_without_a_policy_the_atw_and_the_default_warning_apply() -> None:
    assert judgement_deadline(pending(), None).due_on == DUE


def test_the_decider_and_the_deadlines_see_the_same_terms() -> None:
    events = [*pending(), SUSPENDED, RESUMED, CaseClosed(resolution=Resolution.RESOLVED_INFORMALLY)]
    assert fold(events).terms[-1].stopped
    assert deadlines(events, STEP_BY_STEP) == deadlines(list(events), STEP_BY_STEP)


# The commands on terms


def extend(new_due_on: date, now: date = date(2026, 4, 1), **fields: Any) -> ExtendTerm:
    return command(
        ExtendTerm, now=at(now), deadline=JUDGEMENT, new_due_on=new_due_on, reason="Hoorzitting.", **fields
    )


def extended(new_due_on: date, previous: date = DUE, **fields: Any) -> TermExtended:
    return TermExtended(
        deadline=JUDGEMENT, previous_due_on=previous, new_due_on=new_due_on, reason="Hoorzitting.", **fields
    )


def test_an_extension_within_the_maximum_is_announced_to_the_complainant() -> None:
    # 16 April + 4 weeks is Ascension Day 14 May; the decree day and the weekend make it Monday 18 May.
    limit = date(2026, 5, 18)
    case_spec(STEP_BY_STEP).given(pending()).when(extend(limit)).then(
        [extended(limit), notice(NotificationKind.TERM_EXTENDED, "judgement")]
    )
    case_spec(STEP_BY_STEP).given(pending()).when(extend(date(2026, 5, 19))).then_rejects(
        Rule.TERM_EXTENSION_BEYOND_MAXIMUM
    )


CONSENT_ID = UUID("00000000-0000-4000-8000-00000000c045")


def term_consent(
    scope: ConsentScope = ConsentScope.TERM_BEYOND_LEGAL_LIMIT, *, written: bool = True
) -> ConsentGiven:
    return ConsentGiven(
        consent_id=CONSENT_ID, scope=scope, given_by=ComplainantCapacity.LEGAL_REPRESENTATIVE, written=written
    )


def test_with_written_consent_the_term_goes_beyond_the_maximum() -> None:
    consent_id = CONSENT_ID
    case_spec(STEP_BY_STEP).given([*pending(), term_consent()]).when(
        extend(date(2026, 6, 1), consent_id=consent_id)
    ).then(
        [
            extended(date(2026, 6, 1), consent_id=consent_id),
            notice(NotificationKind.TERM_EXTENDED, "judgement"),
        ]
    )


@pytest.mark.parametrize(
    "given",
    [
        pytest.param([], id="no consent recorded"),
        pytest.param([term_consent(written=False)], id="not in writing"),
        pytest.param([term_consent(ConsentScope.CONFIDANT_CONTACTS_ORGANISATION)], id="another scope"),
        pytest.param(
            [
                term_consent(),
                ConsentWithdrawn(consent_id=CONSENT_ID, scope=ConsentScope.TERM_BEYOND_LEGAL_LIMIT),
            ],
            id="withdrawn",
        ),
    ],
)
def test_only_a_recorded_written_consent_lifts_the_maximum(given: list[AnyEvent]) -> None:
    within_the_maximum = date(2026, 5, 7)
    for new_due_on in (date(2026, 6, 1), within_the_maximum):
        case_spec(STEP_BY_STEP).given([*pending(), *given]).when(
            extend(new_due_on, consent_id=CONSENT_ID)
        ).then_rejects(Rule.TERM_EXTENSION_CONSENT_INVALID)


def test_a_term_without_a_maximum_is_extended_to_the_date_named() -> None:
    events = [
        *opened(COMMITTEE),
        filed(EscalationStep.COMPLAINTS_COMMITTEE),
        requested(Judge.COMPLAINTS_COMMITTEE),
        started(JUDGEMENT, THURSDAY, weeks(6)),
    ]
    case_spec(COMMITTEE).given(events).when(extend(date(2026, 9, 1))).then(
        [extended(date(2026, 9, 1)), notice(NotificationKind.TERM_EXTENDED, "judgement")]
    )


@pytest.mark.parametrize(
    ("given", "when", "rule"),
    [
        ([extended(date(2026, 5, 7))], extend(date(2026, 5, 14)), Rule.TERM_ALREADY_EXTENDED),
        ([], extend(date(2026, 5, 7), now=date(2026, 4, 17)), Rule.TERM_EXTENSION_AFTER_END),
        ([], extend(DUE), Rule.TERM_EXTENSION_NOT_LATER),
        ([SUSPENDED], extend(date(2026, 5, 7)), Rule.TERM_SUSPENDED),
        ([judged(Judge.DIRECTOR)], extend(date(2026, 5, 7)), Rule.TERM_NOT_RUNNING),
        (
            [],
            command(
                ExtendTerm, deadline=DeadlineKind.MEASURES_NOTICE, new_due_on=date(2026, 5, 7), reason="x"
            ),
            Rule.TERM_NOT_RUNNING,
        ),
        (
            [started(DeadlineKind.ADMISSIBILITY, THURSDAY, weeks(4))],
            command(ExtendTerm, deadline=DeadlineKind.ADMISSIBILITY, new_due_on=date(2026, 4, 9), reason="x"),
            Rule.TERM_NOT_EXTENDABLE,
        ),
    ],
)
def test_extension_rejections(given: list[AnyEvent], when: ExtendTerm, rule: Rule) -> None:
    case_spec(STEP_BY_STEP).given([*pending(), *given]).when(when).then_rejects(rule)


def test_an_extension_announced_on_the_last_day_is_in_time() -> None:
    case_spec(STEP_BY_STEP).given(pending()).when(extend(date(2026, 5, 7), now=DUE)).then(
        [extended(date(2026, 5, 7)), notice(NotificationKind.TERM_EXTENDED, "judgement")]
    )


def suspend(on: date = MONDAY) -> SuspendTerm:
    return command(SuspendTerm, now=at(on), deadline=JUDGEMENT, reason=SuspensionReason.AWAITING_COMPLAINANT)


def resume(on: date = NEXT_MONDAY) -> ResumeTerm:
    return command(ResumeTerm, now=at(on), deadline=JUDGEMENT)


def test_suspending_and_resuming_record_the_dutch_calendar_day() -> None:
    case_spec(STEP_BY_STEP).given(pending()).when(suspend()).then(
        [SUSPENDED, notice(NotificationKind.TERM_SUSPENDED, "judgement")]
    )
    case_spec(STEP_BY_STEP).given([*pending(), SUSPENDED]).when(resume()).then([RESUMED])
    # 23:30 UTC on Sunday 15 March is already Monday 16 March in the Netherlands.
    late = command(ResumeTerm, now=datetime(2026, 3, 15, 23, 30, tzinfo=UTC), deadline=JUDGEMENT)
    case_spec(STEP_BY_STEP).given([*pending(), SUSPENDED]).when(late).then([RESUMED])


@pytest.mark.parametrize(
    ("given", "when", "rule"),
    [
        ([SUSPENDED], suspend(), Rule.TERM_SUSPENDED),
        ([], resume(), Rule.TERM_NOT_SUSPENDED),
        ([SUSPENDED, RESUMED], resume(), Rule.TERM_NOT_SUSPENDED),
        ([SUSPENDED], resume(date(2026, 3, 8)), Rule.RESUMED_BEFORE_SUSPENDED),
        ([judged(Judge.DIRECTOR)], suspend(), Rule.TERM_NOT_RUNNING),
    ],
)
def test_suspension_rejections(given: list[AnyEvent], when: SuspendTerm | ResumeTerm, rule: Rule) -> None:
    case_spec(STEP_BY_STEP).given([*pending(), *given]).when(when).then_rejects(rule)
