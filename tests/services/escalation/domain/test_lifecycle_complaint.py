"""Filing a complaint (who may complain, where on the ladder, which terms start) and admissibility."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from lifecycle_given import (
    COMMITTEE,
    STEP_BY_STEP,
    THURSDAY,
    case_spec,
    command,
    complainant,
    filed,
    notice,
    opened,
    pinned,
    signal,
    started,
    weeks,
)

from contracts.commands import DecideAdmissibility, FileComplaint
from contracts.events import AdmissibilityDecided, AnyEvent, ComplaintFiled, EscalatedToNextStep
from contracts.values import Complainant, Term
from contracts.vocabulary import (
    AdmissibilityGround,
    AgeBand,
    Channel,
    ComplainantCapacity,
    DeadlineKind,
    EscalationReason,
    EscalationStep,
    ExternalBody,
    NotificationKind,
    TermUnit,
)
from services.escalation.domain import Rule

CARE, MANAGER = EscalationStep.CARE_WORKER, EscalationStep.MANAGER
COMMITTEE_STEP = EscalationStep.COMPLAINTS_COMMITTEE
ONE_YEAR = Term(amount=1, unit=TermUnit.YEARS)


def file(step: EscalationStep, **fields: Any) -> FileComplaint:
    base: dict[str, Any] = {
        "filed_with": step,
        "channel": Channel.LETTER,
        "received_on": THURSDAY,
        "written": True,
        "description": "Het gesprek hielp niet.",
    }
    return command(FileComplaint, **(base | fields))


def complaint_filed(
    step: EscalationStep, complainant: Complainant | None = None, **fields: Any
) -> ComplaintFiled:
    return ComplaintFiled(
        filed_with=step,
        channel=Channel.LETTER,
        received_on=THURSDAY,
        written=True,
        description="Het gesprek hielp niet.",
        complainant=complainant,
        **fields,
    )


def test_a_complaint_on_a_signal_starts_the_admissibility_and_disputes_committee_terms() -> None:
    case_spec(STEP_BY_STEP).given(opened(STEP_BY_STEP)).when(file(CARE)).then(
        [
            complaint_filed(CARE),
            started(DeadlineKind.ADMISSIBILITY, THURSDAY, weeks(4)),
            started(DeadlineKind.DISPUTES_COMMITTEE_FILING, THURSDAY, ONE_YEAR, atw=False),
        ]
    )


def test_a_complaint_that_opens_the_case_pins_the_policy_and_the_committee_contacts_within_two_days() -> None:
    who = complainant(ComplainantCapacity.CLIENT, client_age_band=AgeBand.FROM_12_TO_17)
    two_days = Term(amount=2, unit=TermUnit.WORKING_DAYS)
    case_spec(COMMITTEE).given([]).when(
        file(COMMITTEE_STEP, complainant=who, policy_id=COMMITTEE.id, policy_version=COMMITTEE.version)
    ).then(
        [
            pinned(COMMITTEE),
            complaint_filed(COMMITTEE_STEP, who),
            # Silent on admissibility: the statutory 4 weeks (Awb 9:8).
            started(DeadlineKind.ADMISSIBILITY, THURSDAY, weeks(4)),
            started(DeadlineKind.FIRST_CONTACT, THURSDAY, two_days),
        ]
    )


@pytest.mark.parametrize(
    ("fields", "rule"),
    [
        ({"policy_id": COMMITTEE.id, "policy_version": COMMITTEE.version}, Rule.COMPLAINANT_UNKNOWN),
        ({"complainant": complainant()}, Rule.POLICY_NOT_PINNED),
        (
            {"complainant": complainant(), "policy_id": COMMITTEE.id, "policy_version": 9},
            Rule.POLICY_MISMATCH,
        ),
    ],
)
def test_a_complaint_that_opens_a_case_names_its_complainant_and_policy(
    fields: dict[str, Any], rule: Rule
) -> None:
    case_spec(COMMITTEE).given([]).when(file(COMMITTEE_STEP, **fields)).then_rejects(rule)


def test_a_second_complaint_on_the_case_is_rejected() -> None:
    case_spec(STEP_BY_STEP).given([*opened(STEP_BY_STEP), filed(CARE)]).when(file(CARE)).then_rejects(
        Rule.COMPLAINT_ALREADY_FILED
    )


def test_step_by_step_a_complaint_goes_to_the_current_or_the_next_step_only() -> None:
    case_spec(STEP_BY_STEP).given(opened(STEP_BY_STEP)).when(file(EscalationStep.DIRECTOR)).then_rejects(
        Rule.LADDER_ONE_BY_ONE
    )
    case_spec(STEP_BY_STEP).given(opened(STEP_BY_STEP)).when(file(MANAGER)).then(
        [complaint_filed(MANAGER), *_terms()]
    )
    escalated = EscalatedToNextStep(
        from_step=MANAGER, to_step=EscalationStep.COMPLAINTS_OFFICER, reason=EscalationReason.UNRESOLVED
    )
    case_spec(STEP_BY_STEP).given([*opened(STEP_BY_STEP), escalated]).when(
        file(EscalationStep.DIRECTOR)
    ).then([complaint_filed(EscalationStep.DIRECTOR), *_terms()])


def _terms() -> list[AnyEvent]:
    return [
        started(DeadlineKind.ADMISSIBILITY, THURSDAY, weeks(4)),
        started(DeadlineKind.DISPUTES_COMMITTEE_FILING, THURSDAY, ONE_YEAR, atw=False),
    ]


@pytest.mark.parametrize(
    ("given", "fields", "rule"),
    [
        # The policy admits no surviving relatives or authorised persons.
        (
            opened(COMMITTEE, capacity=ComplainantCapacity.AUTHORISED_PERSON),
            {},
            Rule.COMPLAINANT_NOT_ENTITLED,
        ),
        (
            [],
            {
                "complainant": complainant(ComplainantCapacity.SURVIVING_RELATIVE),
                "client_deceased": True,
                "policy_id": COMMITTEE.id,
                "policy_version": COMMITTEE.version,
            },
            Rule.COMPLAINANT_NOT_ENTITLED,
        ),
    ],
)
def test_who_may_complain_is_policy(given: list[AnyEvent], fields: dict[str, Any], rule: Rule) -> None:
    case_spec(COMMITTEE).given(given).when(file(COMMITTEE_STEP, **fields)).then_rejects(rule)


def test_a_surviving_relative_complains_only_when_the_client_died() -> None:
    relative = opened(STEP_BY_STEP, capacity=ComplainantCapacity.SURVIVING_RELATIVE)
    case_spec(STEP_BY_STEP).given(relative).when(file(CARE)).then_rejects(
        Rule.SURVIVING_RELATIVE_WITHOUT_DEATH
    )
    case_spec(STEP_BY_STEP).given(relative).when(file(CARE, client_deceased=True)).then(
        [complaint_filed(CARE, client_deceased=True), *_terms()]
    )


@pytest.mark.parametrize(
    ("capacity", "band", "policy", "allowed"),
    [
        (ComplainantCapacity.CLIENT, AgeBand.UNDER_12, STEP_BY_STEP, False),
        (ComplainantCapacity.CLIENT, AgeBand.FROM_12_TO_17, STEP_BY_STEP, True),
        (ComplainantCapacity.CLIENT, None, STEP_BY_STEP, True),
        (ComplainantCapacity.LEGAL_REPRESENTATIVE, AgeBand.UNDER_12, STEP_BY_STEP, True),
        (ComplainantCapacity.CLIENT, AgeBand.UNDER_12, COMMITTEE, True),
    ],
)
def test_a_child_under_the_policys_minimum_age_complains_through_a_parent(
    capacity: ComplainantCapacity, band: AgeBand | None, policy: Any, allowed: bool
) -> None:
    given: list[AnyEvent] = [signal(capacity, client_age_band=band), pinned(policy)]
    then: list[AnyEvent] = [
        complaint_filed(CARE),
        *(_terms() if policy is STEP_BY_STEP else [started(DeadlineKind.ADMISSIBILITY, THURSDAY, weeks(4))]),
    ]
    case_spec(policy).given(given).when(file(CARE)).then_expects(then if allowed else Rule.UNDER_MINIMUM_AGE)


def test_the_complainant_named_on_the_complaint_is_the_one_checked() -> None:
    child = complainant(ComplainantCapacity.CLIENT, client_age_band=AgeBand.UNDER_12)
    case_spec(STEP_BY_STEP).given(opened(STEP_BY_STEP)).when(file(CARE, complainant=child)).then_rejects(
        Rule.UNDER_MINIMUM_AGE
    )


# Admissibility


def decide_admissibility(ground: AdmissibilityGround | None = None, **fields: Any) -> DecideAdmissibility:
    return command(DecideAdmissibility, admissible=ground is None, ground=ground, **fields)


def test_an_admissible_complaint_is_decided_without_a_letter() -> None:
    case_spec(STEP_BY_STEP).given([*opened(STEP_BY_STEP), filed(CARE)]).when(decide_admissibility()).then(
        [AdmissibilityDecided(admissible=True)]
    )


def test_an_inadmissible_complaint_is_told_in_writing_with_the_body_to_turn_to() -> None:
    ground = AdmissibilityGround.CRIMINAL_INVESTIGATION
    case_spec(STEP_BY_STEP).given([*opened(STEP_BY_STEP), filed(CARE)]).when(
        decide_admissibility(ground, may_turn_to=ExternalBody.OMBUDSMAN)
    ).then(
        [
            AdmissibilityDecided(admissible=False, ground=ground, may_turn_to=ExternalBody.OMBUDSMAN),
            notice(NotificationKind.ADMISSIBILITY_DECISION),
        ]
    )


@pytest.mark.parametrize(
    ("conduct_on", "filed_on", "older"),
    [
        (date(2025, 3, 5), date(2026, 3, 5), False),  # exactly a year: not more than a year
        (date(2025, 3, 4), date(2026, 3, 5), True),
        # A term in years is not moved by the Atw: 1 March 2025 + 1 year is Sunday 1 March 2026, so a
        # complaint received on Monday 2 March 2026 is about conduct more than a year before.
        (date(2025, 3, 1), date(2026, 3, 2), True),
        (date(2024, 2, 29), date(2025, 2, 28), False),  # 29 Feb + 1 year = 28 Feb
    ],
)
def test_the_one_year_ground_counts_a_term_in_years_without_the_atw(
    conduct_on: date, filed_on: date, older: bool
) -> None:
    ground = AdmissibilityGround.OLDER_THAN_ONE_YEAR
    given = [*opened(STEP_BY_STEP), filed(CARE, received_on=filed_on, conduct_on=conduct_on)]
    then: list[AnyEvent] | Rule = [
        AdmissibilityDecided(admissible=False, ground=ground),
        notice(NotificationKind.ADMISSIBILITY_DECISION),
    ]
    case_spec(STEP_BY_STEP).given(given).when(decide_admissibility(ground)).then_expects(
        then if older else Rule.CONDUCT_WITHIN_A_YEAR
    )


@pytest.mark.parametrize(
    ("given", "ground", "rule"),
    [
        ([], None, Rule.COMPLAINT_NOT_FILED),
        ([filed(CARE), AdmissibilityDecided(admissible=True)], None, Rule.ADMISSIBILITY_ALREADY_DECIDED),
        ([filed(CARE)], AdmissibilityGround.INTEREST_TOO_SMALL, Rule.GROUND_NOT_IN_POLICY),
        ([filed(CARE)], AdmissibilityGround.OLDER_THAN_ONE_YEAR, Rule.CONDUCT_DATE_UNKNOWN),
    ],
)
def test_admissibility_rejections(
    given: list[AnyEvent], ground: AdmissibilityGround | None, rule: Rule
) -> None:
    case_spec(STEP_BY_STEP).given([*opened(STEP_BY_STEP), *given]).when(
        decide_admissibility(ground)
    ).then_rejects(rule)
