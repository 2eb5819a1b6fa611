"""The statistics fold and figures without infrastructure: each dimension, from events only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from reporting_helpers import INTAKE, signal

from contracts.events import (
    AdmissibilityDecided,
    AnyEvent,
    CaseClosed,
    CaseReopened,
    ComplaintFiled,
    ComplaintWithdrawn,
    DeadlineBreached,
    EscalatedToNextStep,
    FirstContactMade,
    JudgementGiven,
    MeasuresAnnounced,
    NotificationRequested,
    NotificationSent,
    PersonalDataErased,
    ReferredExternally,
    TermStarted,
)
from contracts.values import Term
from contracts.vocabulary import (
    AdmissibilityGround,
    Category,
    Channel,
    DeadlineKind,
    ErasureReason,
    EscalationReason,
    EscalationStep,
    ExternalBody,
    Judge,
    NotificationChannel,
    NotificationKind,
    Outcome,
    Recipient,
    ReferralReason,
    Resolution,
    Role,
    TermUnit,
)
from services.reporting.domain.events import CaseEvent
from services.reporting.domain.facts import CaseFacts, evolve_facts
from services.reporting.domain.figures import Dimension, Figure, figures, percentile_90

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def fold(
    *payloads: AnyEvent, tenant: str = "t1", case_id: UUID | None = None, start: datetime = T0
) -> CaseFacts:
    case_id = case_id or uuid4()
    facts: CaseFacts | None = None
    for version, payload in enumerate(payloads):
        facts = evolve_facts(facts, event(tenant, case_id, version, payload, start + timedelta(days=version)))
    assert facts is not None
    return facts


def event(tenant: str, case_id: UUID, version: int, payload: AnyEvent, at: datetime) -> CaseEvent:
    return CaseEvent(
        event_id=uuid4(),
        tenant=tenant,
        case_id=case_id,
        stream=f"case-{tenant}-{case_id}",
        version=version,
        type=payload.event_type,
        actor=INTAKE,
        occurred_at=at,
        recorded_at=at,
        payload=payload,
    )


def term(deadline: DeadlineKind, due_on: date = date(2026, 3, 20)) -> TermStarted:
    return TermStarted(
        deadline=deadline,
        started_on=date(2026, 3, 2),
        term=Term(amount=5, unit=TermUnit.WORKING_DAYS),
        due_on=due_on,
    )


def complaint(step: EscalationStep, *categories: Category) -> ComplaintFiled:
    return ComplaintFiled(
        filed_with=step,
        channel=Channel.LETTER,
        received_on=date(2026, 4, 1),
        written=True,
        description="niet gehoord",
        categories=categories,
    )


def judgement(outcome: Outcome, given_on: date) -> JudgementGiven:
    return JudgementGiven(judge=Judge.COMPLAINTS_COMMITTEE, outcome=outcome, reasoning="r", given_on=given_on)


def test_the_first_receipt_fixes_period_and_channel_and_every_intake_adds_categories() -> None:
    facts = fold(signal(Category.TREATMENT), complaint(EscalationStep.MANAGER, Category.INFORMATION))
    assert facts.received_on == date(2026, 3, 2)
    assert facts.channel is Channel.EMAIL
    assert facts.categories == {Category.TREATMENT, Category.INFORMATION}


def test_the_highest_step_is_the_highest_ever_reached_not_the_last() -> None:
    facts = fold(
        signal(),
        EscalatedToNextStep(
            from_step=EscalationStep.CARE_WORKER,
            to_step=EscalationStep.DIRECTOR,
            reason=EscalationReason.UNRESOLVED,
        ),
        EscalatedToNextStep(
            from_step=EscalationStep.DIRECTOR,
            to_step=EscalationStep.MANAGER,
            reason=EscalationReason.CLIENT_CHOICE,
        ),
    )
    assert facts.highest_step is EscalationStep.DIRECTOR
    assert fold(signal()).highest_step is EscalationStep.CARE_WORKER


@pytest.mark.parametrize(
    ("ending", "outcome"),
    [
        ((judgement(Outcome.PARTLY_UPHELD, date(2026, 3, 10)),), "partly_upheld"),
        ((ComplaintWithdrawn(),), "withdrawn"),
        ((CaseClosed(resolution=Resolution.RESOLVED_INFORMALLY),), "resolved_informally"),
        (
            (
                AdmissibilityDecided(admissible=False, ground=AdmissibilityGround.OLDER_THAN_ONE_YEAR),
                CaseClosed(resolution=Resolution.INADMISSIBLE),
            ),
            "inadmissible:older_than_one_year",
        ),
        ((CaseClosed(resolution=Resolution.INADMISSIBLE),), "inadmissible"),
        ((CaseClosed(resolution=Resolution.JUDGED, outcome=Outcome.REJECTED),), "rejected"),
        ((ComplaintWithdrawn(), CaseReopened(reason="opnieuw")), None),
        ((), None),
    ],
)
def test_the_outcome_follows_the_case_s_ending(ending: tuple[AnyEvent, ...], outcome: str | None) -> None:
    assert fold(signal(), *ending).outcome == outcome


def test_a_term_is_met_when_its_step_happens_and_breached_when_the_timer_says_so() -> None:
    notification = uuid4()
    facts = fold(
        signal(),
        NotificationRequested(
            notification_id=notification,
            kind=NotificationKind.ACKNOWLEDGEMENT,
            recipient=Recipient.COMPLAINANT,
            channel=NotificationChannel.EMAIL,
        ),
        term(DeadlineKind.ACKNOWLEDGEMENT),
        term(DeadlineKind.FIRST_CONTACT),
        term(DeadlineKind.JUDGEMENT),
        NotificationSent(notification_id=notification, channel=NotificationChannel.EMAIL, attempt=1),
        DeadlineBreached(deadline=DeadlineKind.FIRST_CONTACT, due_on=date(2026, 3, 20)),
        FirstContactMade(by_role=Role.COMPLAINTS_OFFICER, channel=Channel.PHONE),
    )
    assert facts.terms_met == {DeadlineKind.ACKNOWLEDGEMENT}
    assert facts.terms_breached == {DeadlineKind.FIRST_CONTACT}
    assert facts.running_terms == {DeadlineKind.JUDGEMENT}
    # A step without a running term meets nothing; a closure ends the running terms unmet.
    closed = fold(
        signal(),
        FirstContactMade(by_role=Role.CONFIDANT, channel=Channel.PHONE),
        term(DeadlineKind.JUDGEMENT),
    )
    closed = evolve_facts(
        closed, event("t1", closed.case_id, 3, ComplaintWithdrawn(), T0 + timedelta(days=9))
    )
    assert (closed.terms_met, closed.running_terms) == (frozenset(), frozenset())


def test_terms_the_organisation_does_not_owe_run_on_after_closure_and_are_met_by_their_step() -> None:
    facts = fold(
        signal(),
        term(DeadlineKind.JUDGEMENT),
        term(DeadlineKind.OMBUDSMAN_FILING),
        term(DeadlineKind.DISPUTES_COMMITTEE_FILING),
        CaseClosed(resolution=Resolution.RESOLVED_INFORMALLY),
        term(DeadlineKind.RETENTION),
        ReferredExternally(body=ExternalBody.OMBUDSMAN, reason=ReferralReason.COMPLAINANT_CHOICE),
        PersonalDataErased(reason=ErasureReason.RETENTION_EXPIRED),
    )
    assert facts.terms_met == {DeadlineKind.OMBUDSMAN_FILING, DeadlineKind.RETENTION}
    assert facts.running_terms == {DeadlineKind.DISPUTES_COMMITTEE_FILING}


def test_the_end_is_the_judgement_day_and_measures_are_the_last_announcement() -> None:
    facts = fold(
        signal(),
        judgement(Outcome.UPHELD, date(2026, 3, 9)),
        MeasuresAnnounced(measures_taken=False),
        MeasuresAnnounced(measures_taken=True, measures=("m",), implementation_due_on=date(2026, 6, 1)),
        CaseClosed(resolution=Resolution.JUDGED, outcome=Outcome.UPHELD),
    )
    assert facts.ended_on == date(2026, 3, 9)
    assert facts.measures_taken is True
    assert facts.outcome == "upheld"


def test_an_event_already_applied_changes_nothing() -> None:
    facts = fold(signal(Category.TREATMENT), ComplaintWithdrawn())
    again = event("t1", facts.case_id, 1, ComplaintWithdrawn(), T0)
    assert evolve_facts(facts, again) is facts


def test_figures_count_each_case_in_its_quarter_and_year_per_dimension() -> None:
    late_evening = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)  # 1 April in Dutch time
    a = fold(
        signal(Category.TREATMENT, Category.INFORMATION, received_on=date(2026, 3, 2)), ComplaintWithdrawn()
    )
    b = fold(complaint(EscalationStep.DIRECTOR, Category.TREATMENT), start=late_evening)
    c = fold(signal(), tenant="t2")
    table = {(f.tenant, f.period, f.dimension, f.value): f.cases for f in figures([a, b, c]).counts}
    assert table[("t1", "2026", Dimension.CASES, "all")] == 2
    assert table[("t1", "2026-Q1", Dimension.CASES, "all")] == 1
    assert table[("t1", "2026-Q2", Dimension.CASES, "all")] == 1
    assert table[("t1", "2026", Dimension.CATEGORY, "treatment")] == 2
    assert table[("t1", "2026-Q1", Dimension.CATEGORY, "information")] == 1
    assert table[("t1", "2026", Dimension.CHANNEL, "email")] == 1
    assert table[("t1", "2026-Q2", Dimension.CHANNEL, "letter")] == 1
    assert table[("t1", "2026-Q2", Dimension.HIGHEST_STEP, "director")] == 1
    assert table[("t1", "2026", Dimension.OUTCOME, "withdrawn")] == 1
    assert table[("t1", "2026", Dimension.OUTCOME, "open")] == 1
    assert table[("t2", "2026-Q1", Dimension.CATEGORY, "none")] == 1
    assert ("t2", "2026", Dimension.OUTCOME, "withdrawn") not in table


def test_a_case_without_a_receipt_date_counts_in_the_dutch_day_of_its_first_event() -> None:
    late_evening = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)
    facts = fold(MeasuresAnnounced(measures_taken=False), start=late_evening)
    assert [f for f in figures([facts]).counts if f.dimension is Dimension.CASES] == [
        Figure("t1", "2026", Dimension.CASES, "all", 1),
        Figure("t1", "2026-Q2", Dimension.CASES, "all", 1),
    ]


def test_handling_time_counts_working_days_and_takes_median_and_p90() -> None:
    # Received Monday 2 March 2026; ended the Friday after (4 working days), or two weeks on (10).
    short = fold(signal(), judgement(Outcome.REJECTED, date(2026, 3, 6)))
    long = fold(signal(), judgement(Outcome.REJECTED, date(2026, 3, 16)))
    running = fold(signal())
    times = {(h.tenant, h.period): h for h in figures([short, long, running]).handling_times}
    year = times[("t1", "2026")]
    assert (year.cases, year.median, year.p90) == (2, 7.0, 10)
    assert times[("t1", "2026-Q1")] == year.__class__("t1", "2026-Q1", 2, 7.0, 10)


@pytest.mark.parametrize(
    ("spans", "p90"),
    [([3], 3), ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 9), ([5, 1, 9, 2, 7, 3, 8, 4, 6, 10, 11], 10)],
)
def test_percentile_90_is_the_nearest_rank(spans: list[int], p90: int) -> None:
    assert percentile_90(spans) == p90


def test_the_same_facts_in_any_order_give_the_same_figures() -> None:
    cases = [
        fold(signal(Category.PROCEDURE)),
        fold(signal(), ComplaintWithdrawn()),
        fold(signal(), tenant="t9"),
    ]
    assert figures(cases) == figures(list(reversed(cases)))
