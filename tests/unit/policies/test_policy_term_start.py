"""``counts_from``: a term counts only from an event that has happened when it starts."""

from __future__ import annotations

from typing import Any

import pytest
from policy_examples import valid_policy
from pydantic import ValidationError

from contracts.policy import ProcedurePolicy, TermStart, term_starts_for
from contracts.vocabulary import DeadlineKind


def _with_admissibility(**changes: Any) -> dict[str, Any]:
    raw = valid_policy()
    raw["terms"][1].update(changes)
    return raw


def test_a_term_that_cannot_count_from_an_event_is_refused_naming_the_allowed_ones() -> None:
    with pytest.raises(ValidationError) as raised:
        ProcedurePolicy.model_validate(_with_admissibility(counts_from="judgement_given"))
    assert "terms.1.counts_from: a admissibility term cannot count from 'judgement_given'" in str(
        raised.value
    )
    assert "(complaint_received)" in str(raised.value)


def test_counting_from_the_steps_receipt_needs_a_step() -> None:
    raw = valid_policy()
    raw["terms"][0].update(step=None, counts_from="complaint_received_by_step")
    with pytest.raises(ValidationError) as raised:
        ProcedurePolicy.model_validate(raw)
    assert "terms.0.counts_from: complaint_received_by_step needs the term's step" in str(raised.value)


def test_counts_from_is_required() -> None:
    raw = valid_policy()
    del raw["terms"][0]["counts_from"]
    with pytest.raises(ValidationError) as raised:
        ProcedurePolicy.model_validate(raw)
    assert "terms.0.counts_from" in str(raised.value)


def test_every_term_kind_counts_from_at_least_one_event_and_a_judgement_from_receipt_or_request() -> None:
    assert all(term_starts_for(kind) for kind in DeadlineKind)
    assert term_starts_for(DeadlineKind.JUDGEMENT) == {
        TermStart.COMPLAINT_RECEIVED,
        TermStart.COMPLAINT_RECEIVED_BY_STEP,
        TermStart.JUDGEMENT_REQUESTED,
    }
