"""When a term starts is the policy's data: a judgement counted from the complaint's receipt starts then,
even when it is asked later; one counted from the request starts at the request."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from lifecycle_given import COMMITTEE, THURSDAY, case_spec, command, filed, opened, started, weeks

from contracts.commands import RequestJudgement
from contracts.events import AnyEvent, JudgementRequested
from contracts.policy import ProcedurePolicy, TermStart
from contracts.vocabulary import DeadlineKind, EscalationStep, Judge
from klachtspoor.policies import PolicyRegistry
from services.escalation.domain.terms.deadlines import deadlines

REPO = Path(__file__).resolve().parents[4]
LATER = date(2026, 3, 12)
"""The judgement is asked a week after the complaint came in (THURSDAY, 5 March 2026)."""
BOARD = Judge.COMPLAINTS_COMMITTEE


def counting_from(start: TermStart) -> ProcedurePolicy:
    """The committee policy with its judgement term (6 weeks, at the committee) counted from ``start``."""
    raw = COMMITTEE.model_dump(mode="json")
    judgement = next(term for term in raw["terms"] if term["kind"] == "judgement")
    judgement.update(step="complaints_committee", counts_from=start.value)
    return ProcedurePolicy.model_validate(raw)


def asked(policy: ProcedurePolicy, filed_with: EscalationStep, start_on: date) -> list[AnyEvent]:
    """A complaint filed with ``filed_with`` on THURSDAY, the committee asked on LATER: the judgement term
    starts on ``start_on``; the derived deadline says the same."""
    given = [*opened(policy), filed(filed_with)]
    when = command(RequestJudgement, judge=BOARD, requested_on=LATER, written=True)
    term = started(DeadlineKind.JUDGEMENT, start_on, weeks(6))
    then: list[AnyEvent] = [JudgementRequested(judge=BOARD, requested_on=LATER, written=True), term]
    decided = case_spec(policy).given(given).when(when).then_expects(then)
    [judgement] = [d for d in deadlines([*given, *decided], policy) if d.kind is DeadlineKind.JUDGEMENT]
    assert (judgement.started_on, judgement.due_on) == (start_on, term.due_on)
    return decided


def test_a_judgement_counted_from_receipt_starts_when_the_complaint_came_in_not_when_it_is_asked() -> None:
    asked(counting_from(TermStart.COMPLAINT_RECEIVED), EscalationStep.CARE_WORKER, THURSDAY)


def test_a_judgement_counted_from_the_committees_receipt_starts_when_the_committee_got_the_complaint() -> (
    None
):
    asked(counting_from(TermStart.COMPLAINT_RECEIVED_BY_STEP), EscalationStep.COMPLAINTS_COMMITTEE, THURSDAY)


def test_a_complaint_filed_lower_reaches_the_committee_only_when_it_is_asked() -> None:
    asked(counting_from(TermStart.COMPLAINT_RECEIVED_BY_STEP), EscalationStep.CARE_WORKER, LATER)


def test_a_judgement_counted_from_the_request_starts_at_the_request() -> None:
    asked(counting_from(TermStart.JUDGEMENT_REQUESTED), EscalationStep.COMPLAINTS_COMMITTEE, LATER)


@pytest.mark.parametrize(
    ("policy_id", "judge", "start"),
    [
        ("lsr", EscalationStep.COMPLAINTS_COMMITTEE, TermStart.COMPLAINT_RECEIVED),
        (
            "save-veilig-thuis-utrecht",
            EscalationStep.COMPLAINTS_COMMITTEE,
            TermStart.COMPLAINT_RECEIVED_BY_STEP,
        ),
        ("akj-zorgbelang-drenthe", EscalationStep.COMPLAINTS_COMMITTEE, TermStart.COMPLAINT_RECEIVED_BY_STEP),
        ("ik-ben-er-ook", EscalationStep.COMPLAINTS_COMMITTEE, TermStart.COMPLAINT_RECEIVED_BY_STEP),
        ("so-trainingsbureau", EscalationStep.DIRECTOR, TermStart.JUDGEMENT_REQUESTED),
    ],
)
def test_each_published_procedures_judgement_counts_from_what_its_text_says(
    policy_id: str, judge: EscalationStep, start: TermStart
) -> None:
    """Awb art. 9:11 (LSR): from the receipt of the complaint; the committees: from their own receipt;
    SO! Trainingsbureau: "schriftelijk verzoeken om binnen zes weken een oordeel"."""
    policy = PolicyRegistry.from_directory(REPO / "policies").get(policy_id)
    term = policy.term(DeadlineKind.JUDGEMENT, judge)
    assert term is not None and term.counts_from is start
