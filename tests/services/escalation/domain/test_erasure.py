"""Erasing a case: on request at any moment and once; for retention only when its retention term ended;
the timer's erasure decides nothing for a term that no longer runs on the date it fired for."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from lifecycle_given import STEP_BY_STEP, case_spec, command, opened, started

from contracts.base import Actor
from contracts.commands import ErasePersonalData
from contracts.events import AnyEvent, CaseClosed, CaseReopened, PersonalDataErased
from contracts.values import Term
from contracts.vocabulary import DeadlineKind, ErasureReason, Resolution, Role, TermUnit
from services.escalation.domain import EraseAtRetentionEnd, Rule

PRIVACY = Actor(id="fg-0001", role=Role.PRIVACY_OFFICER)
TIMER = Actor(id="escalation-timer", role=Role.SYSTEM)
CLOSED_ON = date(2026, 3, 5)
RETENTION = started(DeadlineKind.RETENTION, CLOSED_ON, Term(amount=2, unit=TermUnit.YEARS), atw=False)
DUE_ON = RETENTION.due_on
CLOSED = [*opened(STEP_BY_STEP), CaseClosed(resolution=Resolution.RESOLVED_INFORMALLY), RETENTION]
ON_DUE_DATE = datetime(2028, 3, 5, 22, 0, tzinfo=UTC)
"""23:00 in the Netherlands on the due date: the term runs to the end of that day."""
DAY_AFTER = datetime(2028, 3, 5, 23, 0, tzinfo=UTC)
"""00:00 in the Netherlands on the day after the due date: the term is over."""


def erase(reason: ErasureReason = ErasureReason.ERASURE_REQUEST, **fields: Any) -> ErasePersonalData:
    return command(ErasePersonalData, actor=PRIVACY, reason=reason, **fields)


def at_retention_end(now: datetime = DAY_AFTER, due_on: date = DUE_ON) -> EraseAtRetentionEnd:
    return command(
        EraseAtRetentionEnd, actor=TIMER, now=now, reason=ErasureReason.RETENTION_EXPIRED, due_on=due_on
    )


def test_assumptions() -> None:
    assert RETENTION.due_on == date(2028, 3, 5), "two years after closure, no Atw"


@pytest.mark.parametrize("given", [opened(STEP_BY_STEP), CLOSED, []], ids=["open", "closed", "no-signal"])
def test_a_request_erases_an_open_or_closed_case(given: list[AnyEvent]) -> None:
    case_spec(STEP_BY_STEP).given(given).when(erase(request_reference="AVG-2026-0042")).then(
        [PersonalDataErased(reason=ErasureReason.ERASURE_REQUEST, request_reference="AVG-2026-0042")]
    )


def test_a_case_is_erased_once() -> None:
    once = [*CLOSED, PersonalDataErased(reason=ErasureReason.ERASURE_REQUEST)]
    case_spec(STEP_BY_STEP).given(once).when(erase()).then_rejects(Rule.CASE_ERASED)
    case_spec(STEP_BY_STEP).given(once).when(erase(ErasureReason.RETENTION_EXPIRED)).then_rejects(
        Rule.CASE_ERASED
    )


def test_retention_expired_is_accepted_once_the_retention_term_is_over() -> None:
    late = erase(ErasureReason.RETENTION_EXPIRED, now=DAY_AFTER)
    case_spec(STEP_BY_STEP).given(CLOSED).when(late).then(
        [PersonalDataErased(reason=ErasureReason.RETENTION_EXPIRED)]
    )


@pytest.mark.parametrize(
    "given",
    [
        CLOSED,
        opened(STEP_BY_STEP),
        [*CLOSED, CaseReopened(reason="Nieuwe feiten.")],
    ],
    ids=["on-the-due-date", "open", "reopened"],
)
def test_retention_expired_is_refused_while_the_term_runs_or_when_there_is_none(
    given: list[AnyEvent],
) -> None:
    early = erase(ErasureReason.RETENTION_EXPIRED, now=ON_DUE_DATE)
    case_spec(STEP_BY_STEP).given(given).when(early).then_rejects(Rule.RETENTION_NOT_ENDED)


def test_the_timer_erases_at_the_end_of_the_retention_term() -> None:
    case_spec(STEP_BY_STEP).given(CLOSED).when(at_retention_end()).then(
        [PersonalDataErased(reason=ErasureReason.RETENTION_EXPIRED)]
    )
    case_spec(STEP_BY_STEP).given(CLOSED).when(at_retention_end(now=ON_DUE_DATE)).then_rejects(
        Rule.RETENTION_NOT_ENDED
    )


@pytest.mark.parametrize(
    ("given", "due_on"),
    [
        ([*CLOSED, PersonalDataErased(reason=ErasureReason.ERASURE_REQUEST)], DUE_ON),
        ([*CLOSED, CaseReopened(reason="Nieuwe feiten.")], DUE_ON),
        (CLOSED, date(2027, 1, 1)),
    ],
    ids=["already-erased", "reopened", "another-due-date"],
)
def test_the_timer_decides_nothing_for_a_stale_row(given: list[AnyEvent], due_on: date) -> None:
    case_spec(STEP_BY_STEP).given(given).when(at_retention_end(due_on=due_on)).then([])


def test_the_timer_erases_for_retention_only() -> None:
    with pytest.raises(ValueError, match="retention_expired only"):
        command(EraseAtRetentionEnd, actor=TIMER, reason=ErasureReason.ERASURE_REQUEST, due_on=DUE_ON)


def test_an_erased_case_takes_no_other_command_and_its_retention_term_is_met() -> None:
    state = case_spec(STEP_BY_STEP).given([*CLOSED, PersonalDataErased(reason=ErasureReason.ERASURE_REQUEST)])
    assert state.state.erased
    assert all(record.met for record in state.state.terms if record.kind is DeadlineKind.RETENTION)
