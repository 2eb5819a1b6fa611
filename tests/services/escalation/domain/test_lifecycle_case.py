"""The case as a whole: withdrawal at any moment, duplicates, closing with the outcome reached, reopening;
and the checks every command shares (an open case, the pinned policy)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from lifecycle_given import (
    CASE_ID,
    COMMITTEE,
    STEP_BY_STEP,
    case_spec,
    command,
    filed,
    judged,
    notice,
    opened,
    pinned,
    requested,
    signal,
    started,
)

from contracts.commands import Close, Escalate, LinkAsDuplicate, Reopen, Withdraw
from contracts.events import (
    AdmissibilityDecided,
    AnyEvent,
    CaseClosed,
    CaseLinkedAsDuplicate,
    CaseReopened,
    ComplaintWithdrawn,
    EscalatedToNextStep,
    MediationConcluded,
    PersonalDataErased,
    ReferredExternally,
)
from contracts.values import Term
from contracts.vocabulary import (
    AdmissibilityGround,
    ConversationResult,
    DeadlineKind,
    ErasureReason,
    EscalationReason,
    EscalationStep,
    ExternalBody,
    Judge,
    NotificationKind,
    Outcome,
    ReferralReason,
    Resolution,
    TermUnit,
)
from services.escalation.domain import Rule
from services.escalation.domain.commands import LinkToOriginal

TODAY = date(2026, 3, 5)
TWO_YEARS = Term(amount=2, unit=TermUnit.YEARS)
RETENTION = started(DeadlineKind.RETENTION, TODAY, TWO_YEARS, atw=False)
CARE = EscalationStep.CARE_WORKER


def judged_case() -> list[AnyEvent]:
    return [
        *opened(STEP_BY_STEP),
        filed(EscalationStep.COMPLAINTS_OFFICER),
        requested(Judge.DIRECTOR),
        judged(Judge.DIRECTOR),
    ]


def test_a_complaint_is_withdrawn_at_any_moment_also_during_a_formal_procedure() -> None:
    withdraw = command(Withdraw, reason="Opgelost in een gesprek.")
    then: list[AnyEvent] = [
        ComplaintWithdrawn(reason="Opgelost in een gesprek."),
        notice(NotificationKind.WITHDRAWAL_CONFIRMED),
        RETENTION,
    ]
    case_spec(STEP_BY_STEP).given(opened(STEP_BY_STEP)).when(withdraw).then_expects(then)
    case_spec(STEP_BY_STEP).given([*opened(STEP_BY_STEP), filed(CARE), requested(Judge.DIRECTOR)]).when(
        withdraw
    ).then_expects(then)


def test_withdrawal_needs_no_policy_and_an_anonymous_complainant_gets_no_letter() -> None:
    case_spec(None).given([signal(name=None, email=None)]).when(command(Withdraw)).then(
        [ComplaintWithdrawn()]
    )


def test_a_duplicate_is_linked_and_closed() -> None:
    original = UUID(int=CASE_ID.int + 1)
    link = command(LinkToOriginal, original_case_id=original, original_found=True)
    then: list[AnyEvent] = [
        CaseLinkedAsDuplicate(original_case_id=link.original_case_id),
        CaseClosed(resolution=Resolution.DUPLICATE),
        RETENTION,
    ]
    case_spec(STEP_BY_STEP).given(opened(STEP_BY_STEP)).when(link).then_expects(then)
    case_spec(STEP_BY_STEP).given(opened(STEP_BY_STEP)).when(
        command(LinkToOriginal, original_case_id=CASE_ID, original_found=True)
    ).then_rejects(Rule.DUPLICATE_OF_ITSELF)


def test_a_duplicate_of_an_original_not_found_in_the_tenant_is_refused() -> None:
    original = UUID(int=CASE_ID.int + 1)
    unknown = command(LinkToOriginal, original_case_id=original, original_found=False)
    case_spec(STEP_BY_STEP).given(opened(STEP_BY_STEP)).when(unknown).then_rejects(
        Rule.DUPLICATE_ORIGINAL_UNKNOWN
    )
    unchecked = command(LinkAsDuplicate, original_case_id=original)
    case_spec(STEP_BY_STEP).given(opened(STEP_BY_STEP)).when(unchecked).then_rejects(
        Rule.DUPLICATE_ORIGINAL_UNKNOWN
    )


def close(resolution: Resolution, outcome: Outcome | None = None) -> Close:
    return command(Close, resolution=resolution, outcome=outcome)


@pytest.mark.parametrize(
    ("given", "resolution", "outcome"),
    [
        ([], Resolution.RESOLVED_INFORMALLY, None),
        (judged_case()[2:], Resolution.JUDGED, Outcome.PARTLY_UPHELD),
        (
            [
                filed(CARE),
                AdmissibilityDecided(admissible=False, ground=AdmissibilityGround.PREVIOUSLY_HANDLED),
            ],
            Resolution.INADMISSIBLE,
            None,
        ),
        ([MediationConcluded(result=ConversationResult.RESOLVED)], Resolution.MEDIATED, None),
        (
            [ReferredExternally(body=ExternalBody.OMBUDSMAN, reason=ReferralReason.COMPLAINANT_CHOICE)],
            Resolution.REFERRED_EXTERNALLY,
            None,
        ),
    ],
)
def test_a_case_closes_with_the_resolution_it_reached(
    given: list[AnyEvent], resolution: Resolution, outcome: Outcome | None
) -> None:
    case_spec(STEP_BY_STEP).given([*opened(STEP_BY_STEP), *given]).when(close(resolution, outcome)).then(
        [CaseClosed(resolution=resolution, outcome=outcome), notice(NotificationKind.CASE_CLOSED), RETENTION]
    )


@pytest.mark.parametrize(
    ("given", "resolution", "outcome", "rule"),
    [
        ([], Resolution.WITHDRAWN, None, Rule.RESOLUTION_NEEDS_ITS_COMMAND),
        ([], Resolution.DUPLICATE, None, Rule.RESOLUTION_NEEDS_ITS_COMMAND),
        ([], Resolution.JUDGED, Outcome.UPHELD, Rule.JUDGEMENT_NOT_GIVEN),
        (judged_case()[2:], Resolution.JUDGED, Outcome.REJECTED, Rule.OUTCOME_MISMATCH),
        (judged_case()[2:4], Resolution.RESOLVED_INFORMALLY, None, Rule.JUDGEMENT_PENDING),
        (
            [filed(CARE), AdmissibilityDecided(admissible=True)],
            Resolution.INADMISSIBLE,
            None,
            Rule.RESOLUTION_NOT_REACHED,
        ),
        ([], Resolution.MEDIATED, None, Rule.RESOLUTION_NOT_REACHED),
        ([], Resolution.REFERRED_EXTERNALLY, None, Rule.RESOLUTION_NOT_REACHED),
    ],
)
def test_closing_rejections(
    given: list[AnyEvent], resolution: Resolution, outcome: Outcome | None, rule: Rule
) -> None:
    case_spec(STEP_BY_STEP).given([*opened(STEP_BY_STEP), *given]).when(
        close(resolution, outcome)
    ).then_rejects(rule)


def test_a_closed_case_is_reopened_and_takes_commands_again() -> None:
    closed = [*opened(STEP_BY_STEP), CaseClosed(resolution=Resolution.RESOLVED_INFORMALLY)]
    case_spec(STEP_BY_STEP).given(closed).when(command(Reopen, reason="Klacht opnieuw.")).then(
        [CaseReopened(reason="Klacht opnieuw.")]
    )
    escalate = command(Escalate, to_step=EscalationStep.MANAGER, reason=EscalationReason.UNRESOLVED)
    case_spec(STEP_BY_STEP).given(closed).when(escalate).then_rejects(Rule.CASE_CLOSED)
    case_spec(STEP_BY_STEP).given([*closed, CaseReopened(reason="Klacht opnieuw.")]).when(escalate).then(
        [_moved()]
    )


def _moved() -> AnyEvent:
    return EscalatedToNextStep(
        from_step=CARE, to_step=EscalationStep.MANAGER, reason=EscalationReason.UNRESOLVED
    )


ERASED = PersonalDataErased(reason=ErasureReason.ERASURE_REQUEST)


@pytest.mark.parametrize(
    ("given", "rule"),
    [
        ([], Rule.CASE_NOT_OPEN),
        (opened(STEP_BY_STEP), Rule.CASE_NOT_CLOSED),
        (
            [*opened(STEP_BY_STEP), CaseClosed(resolution=Resolution.RESOLVED_INFORMALLY), ERASED],
            Rule.CASE_ERASED,
        ),
    ],
)
def test_reopening_rejections(given: list[AnyEvent], rule: Rule) -> None:
    case_spec(STEP_BY_STEP).given(given).when(command(Reopen, reason="Opnieuw.")).then_rejects(rule)


ESCALATE: dict[str, Any] = {"to_step": EscalationStep.MANAGER, "reason": EscalationReason.UNRESOLVED}


@pytest.mark.parametrize(
    ("given", "policy", "rule"),
    [
        ([], STEP_BY_STEP, Rule.CASE_NOT_OPEN),
        ([*opened(STEP_BY_STEP), ComplaintWithdrawn()], STEP_BY_STEP, Rule.CASE_CLOSED),
        ([*opened(STEP_BY_STEP), ERASED], STEP_BY_STEP, Rule.CASE_ERASED),
        ([signal()], STEP_BY_STEP, Rule.POLICY_NOT_PINNED),
        (opened(STEP_BY_STEP), None, Rule.POLICY_NOT_PINNED),
        ([signal(), pinned(COMMITTEE)], STEP_BY_STEP, Rule.POLICY_MISMATCH),
        (opened(STEP_BY_STEP), STEP_BY_STEP.model_copy(update={"version": 3}), Rule.POLICY_MISMATCH),
    ],
)
def test_every_command_needs_an_open_case_and_its_pinned_policy(
    given: list[AnyEvent], policy: Any, rule: Rule
) -> None:
    case_spec(policy).given(given).when(command(Escalate, **ESCALATE)).then_rejects(rule)


def test_a_withdrawn_case_cannot_be_withdrawn_again() -> None:
    case_spec(STEP_BY_STEP).given([*opened(STEP_BY_STEP), ComplaintWithdrawn()]).when(
        command(Withdraw)
    ).then_rejects(Rule.CASE_CLOSED)
