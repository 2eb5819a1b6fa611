"""The formal route: judgement requested, the committee's hearing, the judgement, measures, referral."""

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
    copy,
    filed,
    judged,
    notice,
    opened,
    requested,
    started,
    weeks,
)
from pydantic import ValidationError

from contracts.commands import (
    AnnounceMeasures,
    GiveJudgement,
    RecordHearing,
    ReferExternally,
    RequestJudgement,
    ScheduleHearing,
)
from contracts.events import (
    AdmissibilityDecided,
    AnyEvent,
    CommitteeHearingHeld,
    CommitteeHearingScheduled,
    JudgementGiven,
    JudgementRequested,
    MeasuresAnnounced,
    NotificationRequested,
    ReferredExternally,
    TermStarted,
)
from contracts.policy import ProcedurePolicy
from contracts.values import Term
from contracts.vocabulary import (
    AdmissibilityGround,
    DeadlineKind,
    EscalationStep,
    ExternalBody,
    HearingForm,
    HearingParty,
    Judge,
    NotificationKind,
    Outcome,
    Recipient,
    ReferralReason,
    TermUnit,
)
from services.escalation.domain import Rule

DIRECTOR, BOARD = Judge.DIRECTOR, Judge.COMPLAINTS_COMMITTEE
HEARING = UUID("00000000-0000-4000-8000-0000000a0001")
AT = datetime(2026, 3, 20, 14, 0, tzinfo=UTC)
ONE_MONTH = Term(amount=1, unit=TermUnit.MONTHS)


def at_director() -> list[AnyEvent]:
    return [*opened(STEP_BY_STEP), filed(EscalationStep.COMPLAINTS_OFFICER)]


def at_committee() -> list[AnyEvent]:
    return [*opened(COMMITTEE), filed(EscalationStep.COMPLAINTS_COMMITTEE)]


def request(judge: Judge, written: bool = True) -> RequestJudgement:
    return command(RequestJudgement, judge=judge, requested_on=THURSDAY, written=written)


def test_a_written_request_to_the_director_starts_the_six_week_judgement_term() -> None:
    case_spec(STEP_BY_STEP).given(at_director()).when(request(DIRECTOR)).then(
        [
            JudgementRequested(judge=DIRECTOR, requested_on=THURSDAY, written=True),
            started(DeadlineKind.JUDGEMENT, THURSDAY, weeks(6)),
        ]
    )


@pytest.mark.parametrize(
    ("given", "judge", "written", "rule"),
    [
        ([*opened(STEP_BY_STEP)], DIRECTOR, True, Rule.COMPLAINT_NOT_FILED),
        (
            [
                *at_director(),
                AdmissibilityDecided(admissible=False, ground=AdmissibilityGround.PREVIOUSLY_HANDLED),
            ],
            DIRECTOR,
            True,
            Rule.COMPLAINT_INADMISSIBLE,
        ),
        ([*at_director(), requested(DIRECTOR)], DIRECTOR, True, Rule.JUDGEMENT_ALREADY_REQUESTED),
        (
            [*at_director(), requested(DIRECTOR), judged(DIRECTOR)],
            DIRECTOR,
            True,
            Rule.JUDGEMENT_ALREADY_GIVEN,
        ),
        (at_director(), BOARD, True, Rule.LADDER_UNKNOWN_STEP),
        (at_director(), DIRECTOR, False, Rule.WRITTEN_REQUEST_REQUIRED),
        ([*opened(STEP_BY_STEP), filed(EscalationStep.CARE_WORKER)], DIRECTOR, True, Rule.LADDER_ONE_BY_ONE),
    ],
)
def test_judgement_request_rejections(given: list[AnyEvent], judge: Judge, written: bool, rule: Rule) -> None:
    case_spec(STEP_BY_STEP).given(given).when(request(judge, written)).then_rejects(rule)


def schedule(hearing: UUID = HEARING) -> ScheduleHearing:
    return command(ScheduleHearing, hearing_id=hearing, scheduled_for=AT, form=HearingForm.ORAL)


SCHEDULED = CommitteeHearingScheduled(hearing_id=HEARING, scheduled_for=AT, form=HearingForm.ORAL)


def test_the_committee_schedules_a_hearing_and_invites_the_complainant() -> None:
    case_spec(COMMITTEE).given([*at_committee(), requested(BOARD)]).when(schedule()).then(
        [SCHEDULED, notice(NotificationKind.HEARING_INVITATION, str(HEARING))]
    )


@pytest.mark.parametrize(
    ("given", "policy", "rule"),
    [
        (at_committee(), COMMITTEE, Rule.JUDGEMENT_NOT_REQUESTED),
        ([*at_director(), requested(DIRECTOR)], STEP_BY_STEP, Rule.HEARING_ONLY_FOR_COMMITTEE),
        ([*at_committee(), requested(BOARD), SCHEDULED], COMMITTEE, Rule.HEARING_ALREADY_SCHEDULED),
    ],
)
def test_hearing_scheduling_rejections(given: list[AnyEvent], policy: ProcedurePolicy, rule: Rule) -> None:
    case_spec(policy).given(given).when(schedule()).then_rejects(rule)


def hearing(**changes: Any) -> dict[str, Any]:
    return {
        "hearing_id": HEARING,
        "form": HearingForm.ORAL,
        "parties_heard": (HearingParty.COMPLAINANT, HearingParty.PERSON_COMPLAINED_ABOUT),
        "members_present": 3,
        "chair_independent": True,
    } | changes


HELD = CommitteeHearingHeld(**hearing())


def test_a_committee_of_three_with_an_independent_chair_hears_the_parties() -> None:
    case_spec(COMMITTEE).given([*at_committee(), requested(BOARD), SCHEDULED]).when(
        command(RecordHearing, **hearing())
    ).then([HELD])


@pytest.mark.parametrize(
    ("given", "changes", "rule"),
    [
        ([], {}, Rule.HEARING_NOT_SCHEDULED),
        ([SCHEDULED, HELD], {}, Rule.HEARING_ALREADY_HELD),
        ([SCHEDULED], {"members_present": 2}, Rule.COMMITTEE_TOO_SMALL),
        ([SCHEDULED], {"chair_independent": False}, Rule.CHAIR_NOT_INDEPENDENT),
    ],
)
def test_hearing_rejections(given: list[AnyEvent], changes: dict[str, Any], rule: Rule) -> None:
    case_spec(COMMITTEE).given([*at_committee(), requested(BOARD), *given]).when(
        command(RecordHearing, **hearing(**changes))
    ).then_rejects(rule)


def give(judge: Judge, outcome: Outcome = Outcome.PARTLY_UPHELD) -> GiveJudgement:
    return command(
        GiveJudgement,
        judge=judge,
        outcome=outcome,
        reasoning="Deels gegrond.",
        recommendations=("Train luistervaardigheid.",),
        given_on=date(2026, 4, 10),
    )


def test_the_judgement_is_sent_and_starts_the_month_for_measures() -> None:
    case_spec(COMMITTEE).given([*at_committee(), requested(BOARD), SCHEDULED, HELD]).when(
        give(BOARD, Outcome.UPHELD)
    ).then(
        [
            JudgementGiven(
                judge=BOARD,
                outcome=Outcome.UPHELD,
                reasoning="Deels gegrond.",
                recommendations=("Train luistervaardigheid.",),
                given_on=date(2026, 4, 10),
            ),
            notice(NotificationKind.JUDGEMENT),
            # Jeugdwet: a committee's judgement also goes to the provider (the complaint names nobody,
            # so there is no letter to a person complained about).
            copy(NotificationKind.JUDGEMENT, Recipient.PROVIDER),
            # 10 April + 1 month = Sunday 10 May: the Atw moves it to Monday 11 May.
            started(DeadlineKind.MEASURES_NOTICE, date(2026, 4, 10), ONE_MONTH),
        ]
    )


@pytest.mark.parametrize(
    ("given", "judge", "rule"),
    [
        (at_committee(), BOARD, Rule.JUDGEMENT_NOT_REQUESTED),
        ([*at_committee(), requested(BOARD), SCHEDULED], BOARD, Rule.HEARING_NOT_HELD),
        ([*at_committee(), requested(BOARD), SCHEDULED, HELD], DIRECTOR, Rule.JUDGE_MISMATCH),
        (
            [*at_committee(), requested(BOARD), SCHEDULED, HELD, judged(BOARD)],
            BOARD,
            Rule.JUDGEMENT_ALREADY_GIVEN,
        ),
    ],
)
def test_judgement_rejections(given: list[AnyEvent], judge: Judge, rule: Rule) -> None:
    case_spec(COMMITTEE).given(given).when(give(judge)).then_rejects(rule)


COMPLAINANT, PROVIDER = HearingParty.COMPLAINANT, HearingParty.PROVIDER
OTHER = HearingParty.PERSON_COMPLAINED_ABOUT


def held(*heard: HearingParty, declined: tuple[HearingParty, ...] = ()) -> CommitteeHearingHeld:
    return CommitteeHearingHeld(**hearing(parties_heard=heard, declined_to_be_heard=declined))


@pytest.mark.parametrize(
    "hearings",
    [
        pytest.param([held(COMPLAINANT)], id="only the complainant"),
        pytest.param([held(OTHER)], id="only the person complained about"),
        pytest.param([held(PROVIDER, declined=(OTHER,))], id="the complainant neither heard nor refused"),
    ],
)
def test_the_committee_does_not_judge_after_hearing_one_side(hearings: list[AnyEvent]) -> None:
    case_spec(COMMITTEE).given([*at_committee(), requested(BOARD), SCHEDULED, *hearings]).when(
        give(BOARD)
    ).then_rejects(Rule.BOTH_SIDES_NOT_HEARD)


@pytest.mark.parametrize(
    "hearings",
    [
        pytest.param([held(COMPLAINANT, PROVIDER)], id="the complainant and the provider"),
        pytest.param([held(COMPLAINANT, declined=(OTHER,))], id="the other side refused on record"),
        pytest.param([held(OTHER, declined=(COMPLAINANT,))], id="the complainant refused on record"),
    ],
)
def test_the_committee_judges_when_each_side_was_heard_or_refused(hearings: list[AnyEvent]) -> None:
    case_spec(COMMITTEE).given([*at_committee(), requested(BOARD), SCHEDULED, *hearings]).when(
        give(BOARD)
    ).then_types((JudgementGiven, NotificationRequested, NotificationRequested, TermStarted))


def test_a_refusal_to_be_heard_is_recorded_with_the_hearing() -> None:
    changes = {"parties_heard": (COMPLAINANT,), "declined_to_be_heard": (OTHER,)}
    case_spec(COMMITTEE).given([*at_committee(), requested(BOARD), SCHEDULED]).when(
        command(RecordHearing, **hearing(**changes))
    ).then([CommitteeHearingHeld(**hearing(**changes))])


def test_a_party_is_not_both_heard_and_refusing() -> None:
    with pytest.raises(ValidationError, match="both name complainant"):
        command(RecordHearing, **hearing(parties_heard=(COMPLAINANT,), declined_to_be_heard=(COMPLAINANT,)))


def judged_case() -> list[AnyEvent]:
    return [*at_director(), requested(DIRECTOR), judged(DIRECTOR)]


def test_measures_are_announced_once_after_the_judgement() -> None:
    due = date(2026, 6, 1)
    announce = command(
        AnnounceMeasures,
        measures_taken=True,
        measures=("Training voor het team.",),
        implementation_due_on=due,
    )
    announced = MeasuresAnnounced(
        measures_taken=True, measures=("Training voor het team.",), implementation_due_on=due
    )
    case_spec(STEP_BY_STEP).given(judged_case()).when(announce).then(
        [announced, notice(NotificationKind.MEASURES)]
    )
    case_spec(STEP_BY_STEP).given([*judged_case(), announced]).when(announce).then_rejects(
        Rule.MEASURES_ALREADY_ANNOUNCED
    )
    case_spec(STEP_BY_STEP).given([*at_director(), requested(DIRECTOR)]).when(announce).then_rejects(
        Rule.JUDGEMENT_NOT_GIVEN
    )


def refer(body: ExternalBody, reason: ReferralReason) -> ReferExternally:
    return command(ReferExternally, body=body, reason=reason)


def test_referral_to_the_disputes_committee_after_the_internal_route() -> None:
    reason = ReferralReason.INTERNAL_ROUTE_EXHAUSTED
    case_spec(STEP_BY_STEP).given(judged_case()).when(refer(ExternalBody.DISPUTES_COMMITTEE, reason)).then(
        [ReferredExternally(body=ExternalBody.DISPUTES_COMMITTEE, reason=reason)]
    )


def test_a_structural_situation_without_measures_goes_to_the_inspectorate() -> None:
    reason = ReferralReason.STRUCTURAL_SITUATION_WITHOUT_MEASURES
    none_taken = MeasuresAnnounced(measures_taken=False)
    case_spec(STEP_BY_STEP).given([*judged_case(), none_taken]).when(
        refer(ExternalBody.INSPECTORATE, reason)
    ).then([ReferredExternally(body=ExternalBody.INSPECTORATE, reason=reason)])


@pytest.mark.parametrize(
    ("given", "body", "reason", "rule"),
    [
        (
            at_director(),
            ExternalBody.DISPUTES_COMMITTEE,
            ReferralReason.INTERNAL_ROUTE_EXHAUSTED,
            Rule.INTERNAL_ROUTE_NOT_EXHAUSTED,
        ),
        (
            [
                *judged_case(),
                ReferredExternally(body=ExternalBody.OMBUDSMAN, reason=ReferralReason.COMPLAINANT_CHOICE),
            ],
            ExternalBody.OMBUDSMAN,
            ReferralReason.COMPLAINANT_CHOICE,
            Rule.ALREADY_REFERRED,
        ),
        (
            judged_case(),
            ExternalBody.INSPECTORATE,
            ReferralReason.STRUCTURAL_SITUATION_WITHOUT_MEASURES,
            Rule.NO_STRUCTURAL_SITUATION,
        ),
        (
            [*judged_case(), MeasuresAnnounced(measures_taken=False)],
            ExternalBody.OMBUDSMAN,
            ReferralReason.STRUCTURAL_SITUATION_WITHOUT_MEASURES,
            Rule.NO_STRUCTURAL_SITUATION,
        ),
    ],
)
def test_referral_rejections(
    given: list[AnyEvent], body: ExternalBody, reason: ReferralReason, rule: Rule
) -> None:
    case_spec(STEP_BY_STEP).given(given).when(refer(body, reason)).then_rejects(rule)
