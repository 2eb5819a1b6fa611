"""The intake decider and rules, pure: given events, when a command, then events (or an error)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from contracts.base import Actor
from contracts.events.intake import CaseReferenceAssigned, ProcedurePolicyPinned, SignalReceived
from contracts.values import Complainant
from contracts.vocabulary import AgeBand, Channel, ComplainantCapacity, EscalationStep, Role
from klachtspoor.policies import PolicyRegistry
from services.intake.domain.commands import OpenCase
from services.intake.domain.decider import CaseAlreadyOpen, decide, evolve, initial_state
from services.intake.domain.rules import (
    InvalidSignal,
    derived_id,
    format_reference,
    received_on,
    registration_year,
)
from tests.deciders import spec

NOW = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
POLICIES = PolicyRegistry.from_directory(Path(__file__).resolve().parents[3] / "policies")
SO, IK_BEN_ER_OOK = POLICIES.get("so-trainingsbureau"), POLICIES.get("ik-ben-er-ook")
SAVE = POLICIES.get("save-veilig-thuis-utrecht")
CASE = uuid.UUID("6f1c1a52-0b7a-4c8e-9d55-2f3c6b1e7a01")
SIGNAL = SignalReceived(
    channel=Channel.PHONE,
    received_on=date(2026, 3, 2),
    complainant=Complainant(capacity=ComplainantCapacity.CLIENT, email="a@example.org"),
    description="Niet gebeld zoals afgesproken.",
)


def open_case(**changes: Any) -> OpenCase:
    fields: dict[str, Any] = {
        "command_id": derived_id(CASE, "open-case"),
        "tenant": "demo",
        "case_id": CASE,
        "actor": Actor(id="staff-1", role=Role.OFFICE_MANAGER),
        "now": NOW,
        "signal": SIGNAL,
        "reference": "KS-2026-000001",
        **changes,
    }
    return OpenCase(**fields)


INTAKE = spec(decide, evolve, initial_state)
"""The intake decider's spec (see :mod:`tests.deciders`)."""


def signal(**changes: Any) -> SignalReceived:
    return SIGNAL.model_copy(update=changes)


def test_under_a_one_by_one_policy_a_signal_is_raised_with_the_first_step() -> None:
    """Ik ben er ook!: "De stappen dienen één voor één genomen te worden"; a signal raised straight with the
    committee (step 4) would let the committee take the complaint without steps 1 to 3."""
    for step in (EscalationStep.CONFIDANT, EscalationStep.COMPLAINTS_COMMITTEE):
        refused = (
            INTAKE.given([])
            .when(open_case(signal=signal(raised_with=step), policy=IK_BEN_ER_OOK))
            .then_raises(InvalidSignal)
        )
        assert refused.field == "raised_with"
        assert refused.rule == "ladder_one_by_one"
    first = signal(raised_with=EscalationStep.CARE_WORKER)
    assert INTAKE.given([]).when(open_case(signal=first, policy=IK_BEN_ER_OOK)).decided()[0] == first


def test_a_step_not_on_the_ladder_opens_no_case_and_a_client_chooses_policy_lets_any_step() -> None:
    unknown = (
        INTAKE.given([])
        .when(open_case(signal=signal(raised_with=EscalationStep.DIRECTOR), policy=IK_BEN_ER_OOK))
        .then_raises(InvalidSignal)
    )
    assert unknown.rule == "ladder_unknown_step"
    committee = signal(raised_with=EscalationStep.COMPLAINTS_COMMITTEE)
    assert INTAKE.given([]).when(open_case(signal=committee, policy=SAVE)).decided()[0] == committee


def test_under_so_a_child_under_12_raises_a_klantsignaal_through_a_parent() -> None:
    """ "Kinderen vanaf 12 jaar kunnen zelf een klantsignaal/klacht indienen"."""
    child = Complainant(capacity=ComplainantCapacity.CLIENT, client_age_band=AgeBand.UNDER_12)
    refused = (
        INTAKE.given([])
        .when(open_case(signal=signal(complainant=child), policy=SO))
        .then_raises(InvalidSignal)
    )
    assert refused.field == "complainant.client_age_band"
    assert refused.rule == "under_minimum_age"
    parent = child.model_copy(update={"capacity": ComplainantCapacity.LEGAL_REPRESENTATIVE})
    teenager = child.model_copy(update={"client_age_band": AgeBand.FROM_12_TO_17})
    for allowed in (parent, teenager):
        assert (
            INTAKE.given([])
            .when(open_case(signal=signal(complainant=allowed), policy=SO))
            .decided()[0]
            .complainant
            == allowed
        )
    assert (
        INTAKE.given([]).when(open_case(signal=signal(complainant=child), policy=SAVE)).decided()
    )  # no minimum age


def test_a_new_case_gets_its_signal_and_reference() -> None:
    INTAKE.given([]).when(open_case()).then([SIGNAL, CaseReferenceAssigned(reference="KS-2026-000001")])


def test_a_tenant_with_a_policy_pins_its_current_version() -> None:
    INTAKE.given([]).when(open_case(policy=SO)).then(
        [
            SIGNAL,
            CaseReferenceAssigned(reference="KS-2026-000001"),
            ProcedurePolicyPinned(policy_id="so-trainingsbureau", policy_version=SO.version),
        ]
    )


def test_opening_an_open_case_again_decides_nothing() -> None:
    INTAKE.given([SIGNAL, CaseReferenceAssigned(reference="KS-2026-000001")]).when(open_case()).then([])


def test_opening_an_open_case_under_another_reference_is_refused() -> None:
    INTAKE.given([SIGNAL, CaseReferenceAssigned(reference="KS-2026-000007")]).when(open_case()).then_raises(
        CaseAlreadyOpen
    )


def test_a_command_for_a_signal_received_after_today_does_not_validate() -> None:
    later = SIGNAL.model_copy(update={"received_on": date(2026, 3, 3)})
    with pytest.raises(ValidationError, match="after today"):
        open_case(signal=later)


def test_received_on_defaults_to_the_dutch_day_and_refuses_the_future() -> None:
    assert received_on(None, datetime(2026, 3, 2, 22, 59, tzinfo=UTC)) == date(2026, 3, 2)
    assert received_on(None, datetime(2026, 3, 2, 23, 0, tzinfo=UTC)) == date(2026, 3, 3)
    assert received_on(date(2025, 12, 30), NOW) == date(2025, 12, 30)
    with pytest.raises(InvalidSignal) as raised:
        received_on(date(2026, 3, 3), NOW)
    assert raised.value.field == "received_on"
    with pytest.raises(ValueError, match="timezone-aware"):
        received_on(None, datetime(2026, 3, 2))


def test_references_and_years() -> None:
    assert format_reference(2026, 123) == "KS-2026-000123"
    assert format_reference(2026, 1_234_567) == "KS-2026-1234567"
    with pytest.raises(ValueError, match="start at 1"):
        format_reference(2026, 0)
    assert registration_year(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == 2027  # New Year in Amsterdam


def test_ids_derive_deterministically() -> None:
    assert derived_id(CASE, "a") == derived_id(CASE, "a") != derived_id(CASE, "b")
