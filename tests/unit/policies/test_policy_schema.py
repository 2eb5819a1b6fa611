"""The policy schema: what it accepts, and that every refusal names the bad field."""

from __future__ import annotations

from typing import Any

import pytest
from policy_examples import valid_policy
from pydantic import ValidationError

from contracts.policy import ProcedurePolicy, StepOrder, atw_can_apply
from contracts.schema import export_schemas
from contracts.values import Term
from contracts.vocabulary import DeadlineKind, EscalationStep, TermUnit


def _steps(*steps: str) -> list[dict[str, Any]]:
    return [{"step": step, "handled_by": step, "label": step} for step in steps]


def _error(raw: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as raised:
        ProcedurePolicy.model_validate(raw)
    return str(raised.value)


def test_a_valid_policy_loads_with_the_documented_defaults() -> None:
    policy = ProcedurePolicy.model_validate(valid_policy())
    judgement = policy.term(DeadlineKind.JUDGEMENT, EscalationStep.COMPLAINTS_COMMITTEE)
    assert judgement is not None
    assert (judgement.applies_atw, judgement.warning_share, judgement.extension) == (True, 0.75, None)
    assert policy.steps == (
        EscalationStep.CARE_WORKER,
        EscalationStep.MANAGER,
        EscalationStep.COMPLAINTS_COMMITTEE,
    )
    assert policy.order is StepOrder.ONE_BY_ONE
    assert policy.child_min_age_alone is None
    with pytest.raises(ValidationError, match="frozen"):
        policy.version = 2


def test_term_lookup_falls_back_from_the_step_to_the_case() -> None:
    policy = ProcedurePolicy.model_validate(valid_policy())
    case_level = policy.term(DeadlineKind.ADMISSIBILITY, EscalationStep.MANAGER)
    assert case_level is not None and case_level.term == Term(amount=4, unit=TermUnit.WEEKS)
    assert policy.term(DeadlineKind.FIRST_CONTACT) is None
    with pytest.raises(KeyError, match="'director' is not on the ladder of policy voorbeeld v1"):
        policy.step(EscalationStep.DIRECTOR)


def test_an_extension_defaults_to_four_weeks_announced_before_the_term_ends() -> None:
    raw = valid_policy()
    raw["terms"][0]["extension"] = {}
    extension = ProcedurePolicy.model_validate(raw).terms[0].extension
    assert extension is not None
    assert extension.maximum == Term(amount=4, unit=TermUnit.WEEKS) and extension.announce_before_end


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ladder": _steps("care_worker", "manager", "care_worker")}, "ladder.2.step: duplicate step"),
        ({"ladder": _steps("care_worker", "teacher")}, "ladder.1.step"),
        ({"ladder": []}, "ladder"),
        (
            {"ladder": [{"step": "manager", "handled_by": "client", "label": "x"}]},
            "ladder.0.handled_by: 'client' cannot handle a step",
        ),
        ({"complainants": ["legal_representative"]}, "complainants: the client may always complain"),
        ({"complainants": ["client", "client"]}, "complainants.1: duplicate 'client'"),
        ({"categories": ["treatment", "treatment"]}, "categories.1: duplicate"),
        ({"child_min_age_alone": 18}, "child_min_age_alone"),
        ({"templates": {"letter_of_love": "x"}}, "templates.letter_of_love"),
        ({"colour": "red"}, "colour"),
        (
            {"crisis_contacts": [{"kind": "veilig_thuis", "label": "Veilig Thuis"}]},
            "phone: a veilig_thuis contact needs a number",
        ),
    ],
)
def test_a_bad_policy_names_the_field(change: dict[str, Any], field: str) -> None:
    assert field in _error(valid_policy(**change))


def test_a_term_on_a_step_the_ladder_lacks_is_refused_naming_the_term() -> None:
    raw = valid_policy()
    raw["terms"][0]["step"] = "director"
    message = _error(raw)
    assert "terms.0.step: 'director' is not a step of this ladder" in message
    assert "care_worker, manager, complaints_committee" in message


def test_a_judgement_term_belongs_to_a_formal_step() -> None:
    raw = valid_policy()
    raw["terms"][0]["step"] = "manager"
    assert "terms.0.step: a judgement term belongs to a formal step, not 'manager'" in _error(raw)


def test_the_same_term_twice_is_refused() -> None:
    raw = valid_policy()
    raw["terms"].append(dict(raw["terms"][1]))
    assert "terms.2: duplicate term admissibility at case (also terms.1)" in _error(raw)


@pytest.mark.parametrize(
    ("term", "atw"),
    [
        ({"amount": 1, "unit": "years"}, False),
        ({"amount": 24, "unit": "hours"}, False),
        ({"amount": 13, "unit": "weeks"}, False),
        ({"amount": 4, "unit": "months"}, False),
        ({"amount": 91, "unit": "days"}, False),
        ({"amount": 12, "unit": "weeks"}, True),
        ({"amount": 3, "unit": "months"}, True),
        ({"amount": 2, "unit": "working_days"}, True),
    ],
)
def test_the_atw_cannot_be_applied_to_terms_it_excludes(term: dict[str, Any], atw: bool) -> None:
    assert atw_can_apply(Term.model_validate(term)) is atw
    raw = valid_policy()
    raw["terms"][1]["term"] = term
    if atw:
        ProcedurePolicy.model_validate(raw)
    else:
        assert "terms.1.applies_atw: the Algemene termijnenwet does not apply" in _error(raw)
        raw["terms"][1]["applies_atw"] = False
        assert ProcedurePolicy.model_validate(raw).terms[1].applies_atw is False


@pytest.mark.parametrize("share", [0, 1, 1.5])
def test_the_warning_share_lies_strictly_between_zero_and_one(share: float) -> None:
    raw = valid_policy()
    raw["terms"][0]["warning_share"] = share
    assert "terms.0.warning_share" in _error(raw)


def test_client_chooses_allows_every_skip_so_listing_reasons_is_refused() -> None:
    raw = valid_policy(order="client_chooses")
    raw["ladder"][0]["skippable_when"] = ["client_feels_unsafe"]
    assert "ladder.0.skippable_when: every step may be skipped" in _error(raw)
    raw["order"] = "one_by_one"
    policy = ProcedurePolicy.model_validate(raw)
    assert [reason.value for reason in policy.ladder[0].skippable_when] == ["client_feels_unsafe"]


def test_office_hours_must_open_before_they_close_and_match_the_availability() -> None:
    worker = {"kind": "assigned_worker", "label": "Eigen medewerker", "availability": "office_hours"}
    assert "office_hours: give them exactly when availability is not always" in _error(
        valid_policy(crisis_contacts=[worker])
    )
    reversed_hours = {**worker, "office_hours": {"opens": "17:00", "closes": "08:30"}}
    assert "opens: 17:00 is not before closes 08:30" in _error(valid_policy(crisis_contacts=[reversed_hours]))
    hours = {**worker, "office_hours": {"opens": "08:30", "closes": "17:00"}}
    assert (
        ProcedurePolicy.model_validate(valid_policy(crisis_contacts=[hours])).crisis_contacts[0].phone is None
    )


def test_two_crisis_lines_for_the_same_kind_hours_and_province_are_refused() -> None:
    line = {"kind": "emergency_112", "label": "Gevaar", "phone": "112"}
    assert "crisis_contacts.1: same kind, availability and province as no. 0" in _error(
        valid_policy(crisis_contacts=[line, {**line, "label": "Nog eens"}])
    )


def test_the_policy_schema_is_exported_with_the_contracts() -> None:
    files = export_schemas()
    assert "policy.json" in files
    text = files["policy.json"]
    for field in ProcedurePolicy.model_fields:
        assert f'"{field}"' in text, field
    assert '"$id": "https://klachtspoor.nl/contracts/policy.json"' in text
