"""The shipped policies reproduce the five published procedures (and the demo), and hold no personal data."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

import pytest

from contracts.policy import Availability, ProcedurePolicy, Province, Regime, StepOrder
from contracts.values import Term
from contracts.vocabulary import (
    AdmissibilityGround,
    ComplainantCapacity,
    CrisisRoute,
    DeadlineKind,
    EscalationReason,
    EscalationStep,
    ExternalBody,
    TenantKind,
    TermUnit,
)
from klachtspoor.policies import PolicyRegistry, check_directory
from klachtspoor.tenants import TenantRegistry

REPO = Path(__file__).resolve().parents[3]
POLICIES = REPO / "policies"
TENANTS = REPO / "config" / "tenants.yaml"
PUBLISHED = {
    "ik-ben-er-ook",
    "so-trainingsbureau",
    "save-veilig-thuis-utrecht",
    "akj-zorgbelang-drenthe",
    "lsr",
}


@pytest.fixture(scope="module")
def registry() -> PolicyRegistry:
    return PolicyRegistry.from_directory(POLICIES)


def _term(policy: ProcedurePolicy, kind: DeadlineKind, step: EscalationStep | None = None) -> Term:
    found = policy.term(kind, step)
    assert found is not None, f"{policy.id} has no {kind.value} term at {step}"
    return found.term


def test_one_policy_per_published_procedure_plus_the_demo_and_every_tenant_pins_one(
    registry: PolicyRegistry,
) -> None:
    assert set(registry.ids) == PUBLISHED | {"demo"}
    tenants = TenantRegistry.from_file(TENANTS)
    assert {tenant.slug: tenant.policy for tenant in tenants} == {slug: slug for slug in registry.ids}
    assert check_directory(POLICIES, tenants) == []


def test_policy_files_hold_no_personal_mail_or_mobile_number() -> None:
    for file in POLICIES.rglob("*.yaml"):
        text = file.read_text(encoding="utf-8")
        assert not re.search(r"\b06[ -]?\d", text), f"{file}: a mobile number is a person's"
        for address in re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", text):
            assert address.split("@")[0] in {"info", "klachten"}, (
                f"{file}: {address} is not a general mailbox"
            )


def test_ik_ben_er_ook_takes_four_steps_one_by_one_with_first_contact_in_two_working_days(
    registry: PolicyRegistry,
) -> None:
    policy = registry.get("ik-ben-er-ook")
    assert policy.order is StepOrder.ONE_BY_ONE
    assert policy.steps == (
        EscalationStep.CARE_WORKER,
        EscalationStep.CONFIDANT,
        EscalationStep.MUNICIPAL_GENERALIST,
        EscalationStep.COMPLAINTS_COMMITTEE,
    )
    assert policy.step(EscalationStep.CARE_WORKER).skippable_when == (EscalationReason.CLIENT_FEELS_UNSAFE,)
    assert all(not policy.step(step).skippable_when for step in policy.steps[1:])
    first_contact = policy.term(DeadlineKind.FIRST_CONTACT, EscalationStep.COMPLAINTS_COMMITTEE)
    assert first_contact is not None and first_contact.applies_atw
    assert first_contact.term == Term(amount=2, unit=TermUnit.WORKING_DAYS)
    committee = policy.step(EscalationStep.COMPLAINTS_COMMITTEE)
    assert committee.external and committee.website == "https://www.erisietsmisgegaan.nl"
    assert policy.confidant is not None and policy.confidant.anonymous_contact
    assert policy.confidant.organisation is None, "its confidant is a person: no organisation to name"


def test_so_trainingsbureau_director_judges_within_six_weeks_on_a_written_request(
    registry: PolicyRegistry,
) -> None:
    policy = registry.get("so-trainingsbureau")
    assert policy.steps == (
        EscalationStep.CARE_WORKER,
        EscalationStep.MANAGER,
        EscalationStep.COMPLAINTS_OFFICER,
        EscalationStep.DIRECTOR,
    )
    director = policy.step(EscalationStep.DIRECTOR)
    assert director.written_request and director.handled_by.value == "director"
    assert _term(policy, DeadlineKind.JUDGEMENT, EscalationStep.DIRECTOR) == Term(
        amount=6, unit=TermUnit.WEEKS
    )
    assert _term(policy, DeadlineKind.ADMISSIBILITY) == Term(amount=4, unit=TermUnit.WEEKS)
    assert policy.admissibility_grounds == (
        AdmissibilityGround.PREVIOUSLY_HANDLED,
        AdmissibilityGround.OLDER_THAN_ONE_YEAR,
        AdmissibilityGround.CRIMINAL_INVESTIGATION,
    )
    assert set(policy.complainants) == set(ComplainantCapacity)
    assert policy.child_min_age_alone == 12
    assert policy.external_bodies == (ExternalBody.DISPUTES_COMMITTEE, ExternalBody.SKJ_DISCIPLINARY)
    disputes = policy.term(DeadlineKind.DISPUTES_COMMITTEE_FILING)
    assert disputes is not None and disputes.term.unit is TermUnit.YEARS and not disputes.applies_atw
    assert policy.confidant is not None and policy.confidant.organisation == "akj-zorgbelang-drenthe"


def test_save_lets_the_complaint_go_straight_to_the_committee_and_routes_crises_per_province(
    registry: PolicyRegistry,
) -> None:
    policy = registry.get("save-veilig-thuis-utrecht")
    assert policy.order is StepOrder.CLIENT_CHOOSES
    assert policy.steps[-1] is EscalationStep.COMPLAINTS_COMMITTEE
    assert policy.step(EscalationStep.COMPLAINTS_COMMITTEE).external
    by_kind = {(c.kind, c.province): c for c in policy.crisis_contacts}
    assert by_kind[(CrisisRoute.EMERGENCY_112, None)].phone == "112"
    assert by_kind[(CrisisRoute.VEILIG_THUIS, None)].phone == "0800-2000"
    worker = by_kind[(CrisisRoute.ASSIGNED_WORKER, None)]
    assert worker.availability is Availability.OFFICE_HOURS and worker.office_hours is not None
    assert (worker.office_hours.opens, worker.office_hours.closes) == (time(8, 30), time(17, 0))
    night = {
        province: by_kind[(CrisisRoute.OUT_OF_HOURS_LINE, province)]
        for province in (Province.FLEVOLAND, Province.UTRECHT)
    }
    assert {p: c.phone for p, c in night.items()} == {
        Province.FLEVOLAND: "088-996 3000",
        Province.UTRECHT: "0800-2000",
    }
    assert all(c.availability is Availability.OUTSIDE_OFFICE_HOURS for c in night.values())
    assert [c.value for c in policy.categories] == [
        "treatment",
        "reporting",
        "information",
        "procedure",
        "complaint_handling",
        "other",
    ]


def test_the_confidant_organisations_advise_lowest_first_and_leave_the_choice_to_the_client(
    registry: PolicyRegistry,
) -> None:
    tenants = TenantRegistry.from_file(TENANTS)
    for policy_id in ("akj-zorgbelang-drenthe", "lsr"):
        policy = registry.get(policy_id)
        assert policy.order is StepOrder.CLIENT_CHOOSES
        assert policy.steps[:3] == (
            EscalationStep.CONFIDANT,
            EscalationStep.CARE_WORKER,
            EscalationStep.MANAGER,
        )
        assert policy.confidant is not None and policy.confidant.organisation == policy_id
        assert tenants.get(policy_id).kind is TenantKind.CONFIDANT_ORG
        assert policy.confidant.report_every == Term(amount=3, unit=TermUnit.MONTHS)
    assert registry.get("lsr").regime is Regime.AWB
    assert registry.get("akj-zorgbelang-drenthe").regime is Regime.JEUGDWET


def test_where_a_procedure_is_silent_the_statutory_defaults_apply(registry: PolicyRegistry) -> None:
    """Jeugdwet: committee judgement 6 weeks (practice), measures notice 1 month; Awb: 4 weeks notice."""
    for policy_id in ("ik-ben-er-ook", "save-veilig-thuis-utrecht", "akj-zorgbelang-drenthe"):
        policy = registry.get(policy_id)
        judgement = policy.term(DeadlineKind.JUDGEMENT, EscalationStep.COMPLAINTS_COMMITTEE)
        assert judgement is not None and judgement.term == Term(amount=6, unit=TermUnit.WEEKS), policy_id
        assert judgement.extension is not None and judgement.extension.maximum is None, "a new date is named"
        assert _term(policy, DeadlineKind.MEASURES_NOTICE) == Term(amount=1, unit=TermUnit.MONTHS), policy_id
    for policy in registry:
        assert {c.kind for c in policy.crisis_contacts} >= {
            CrisisRoute.EMERGENCY_112,
            CrisisRoute.VEILIG_THUIS,
        }
        retention = policy.term(DeadlineKind.RETENTION)
        assert retention is not None and not retention.applies_atw, policy.id
