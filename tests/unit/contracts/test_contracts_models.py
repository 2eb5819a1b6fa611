"""Frozen, extra-forbidding models; shared value types; the cross-field rules of events and commands."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

import pytest
from command_examples import COMMAND_EXAMPLES
from contract_examples import ACTOR, CASE_ID, EVENT_EXAMPLES, ID, NOW, TODAY
from pydantic import ValidationError

from contracts.base import Actor, Event
from contracts.commands import (
    COMMAND_CLASSES,
    Close,
    DecideAdmissibility,
    FileComplaint,
    RegisterConfidantContact,
)
from contracts.events import (
    EVENT_CLASSES,
    AdmissibilityDecided,
    CaseClosed,
    ConfidantContactedOrganisation,
    ConfidantContactRegistered,
    EscalatedToNextStep,
    InformalConversationHeld,
    MeasuresAnnounced,
    SignalReceived,
    TermExtended,
)
from contracts.labels import EVENT_TYPE_LABELS, LABELLED, event_label, label
from contracts.values import Complainant
from contracts.vocabulary import (
    Category,
    Channel,
    ComplainantCapacity,
    ConversationResult,
    DeadlineKind,
    EscalationReason,
    EscalationStep,
    Outcome,
    Resolution,
    Role,
    TermUnit,
)


def test_examples_cover_the_catalogue() -> None:
    assert sorted(type(e).__name__ for e in EVENT_EXAMPLES) == sorted(c.__name__ for c in EVENT_CLASSES)
    assert sorted(type(c).__name__ for c in COMMAND_EXAMPLES) == sorted(c.__name__ for c in COMMAND_CLASSES)


@pytest.mark.parametrize("model", [*EVENT_EXAMPLES, *COMMAND_EXAMPLES], ids=lambda m: type(m).__name__)
def test_every_contract_is_frozen_and_forbids_extra_fields(model: Any) -> None:
    field = next(iter(type(model).model_fields))
    with pytest.raises(ValidationError, match="frozen"):
        setattr(model, field, getattr(model, field))
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        type(model).model_validate({**model.model_dump(), "surprise": 1})


def test_nested_values_are_frozen_too() -> None:
    complainant = Complainant(capacity=ComplainantCapacity.CLIENT)
    with pytest.raises(ValidationError):
        complainant.name = "x"  # type: ignore[misc]


@pytest.mark.parametrize("actor_id", ["jan@example.org", "Jan Jansen", "", "-x"])
def test_actor_ids_refuse_what_could_be_personal(actor_id: str) -> None:
    with pytest.raises(ValidationError, match="id"):
        Actor(id=actor_id, role=Role.CLIENT)


def test_commands_refuse_a_naive_now_and_a_bad_tenant() -> None:
    example = COMMAND_EXAMPLES[0].model_dump()
    assert isinstance(COMMAND_EXAMPLES[0], FileComplaint)
    with pytest.raises(ValidationError, match="now"):
        FileComplaint.model_validate({**example, "now": datetime(2026, 3, 2, 9, 30)})
    with pytest.raises(ValidationError, match="tenant"):
        FileComplaint.model_validate({**example, "tenant": "Bad Tenant"})


def _signal(**changes: Any) -> dict[str, Any]:
    base = {
        "channel": Channel.PHONE,
        "received_on": TODAY,
        "complainant": Complainant(capacity=ComplainantCapacity.CLIENT, name="X"),
        "description": "d",
    }
    return {**base, **changes}


@pytest.mark.parametrize(
    ("cls", "data", "message"),
    [
        (SignalReceived, _signal(anonymous=True), "anonymous submission"),
        (InformalConversationHeld, {"step": EscalationStep.DIRECTOR, "held_on": TODAY,
                                    "result": ConversationResult.RESOLVED}, "is formal"),
        (EscalatedToNextStep, {"from_step": EscalationStep.MANAGER, "to_step": EscalationStep.MANAGER,
                               "reason": EscalationReason.UNRESOLVED}, "both manager"),
        (AdmissibilityDecided, {"admissible": False}, "needs a ground"),
        (AdmissibilityDecided, {"admissible": True, "ground": "interest_too_small"}, "no inadmissibility"),
        (MeasuresAnnounced, {"measures_taken": True, "measures": ("m",)}, "implementation_due_on"),
        (MeasuresAnnounced, {"measures_taken": False, "measures": ("m",)}, "leave measures"),
        (CaseClosed, {"resolution": Resolution.JUDGED}, "judged case has an outcome"),
        (CaseClosed, {"resolution": Resolution.WITHDRAWN, "outcome": Outcome.UPHELD}, "judged case"),
        (ConfidantContactRegistered, {"contact_id": ID, "confidant_id": "c", "contacted_on": TODAY,
                                      "channel": "chat", "anonymous": True, "client_name": "X"}, "anonymous"),
        (ConfidantContactedOrganisation, {}, "consent_id or a safety override"),
        (TermExtended, {"deadline": DeadlineKind.JUDGEMENT, "previous_due_on": date(2026, 4, 13),
                        "new_due_on": date(2026, 4, 13), "reason": "r"}, "not after"),
    ],
)  # fmt: skip
def test_event_invariants(cls: type[Event], data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        cls.model_validate(data)


def test_commands_share_the_event_invariants() -> None:
    common = {"command_id": ID, "tenant": "t", "case_id": CASE_ID, "actor": ACTOR, "now": NOW}
    with pytest.raises(ValidationError, match="needs a ground"):
        DecideAdmissibility(**common, admissible=False)
    with pytest.raises(ValidationError, match="judged case has an outcome"):
        Close(**common, resolution=Resolution.JUDGED)
    with pytest.raises(ValidationError, match="anonymous contact"):
        RegisterConfidantContact(
            **common,
            contact_id=ID,
            confidant_id="vp-1",
            contacted_on=TODAY,
            channel=Channel.CHAT,
            anonymous=True,
            client_name="X",
        )


def test_an_anonymous_signal_without_identity_is_fine() -> None:
    signal = SignalReceived(
        **_signal(anonymous=True, complainant=Complainant(capacity=ComplainantCapacity.CLIENT))
    )
    assert signal.anonymous and not signal.complainant.identified


def test_event_classes_must_name_type_version_and_upcasters() -> None:
    with pytest.raises(TypeError, match="must define event_type"):

        class Nameless(Event):
            schema_version: ClassVar[int] = 1

    with pytest.raises(TypeError, match="schema_version >= 1"):

        class Versionless(Event):
            event_type: ClassVar[str] = "Versionless"

    with pytest.raises(TypeError, match="does not define upcast_v2_v3"):

        class Evolved(Event):
            event_type: ClassVar[str] = "Evolved"
            schema_version: ClassVar[int] = 3

            @staticmethod
            def upcast_v1_v2(data: dict[str, Any]) -> dict[str, Any]:
                return data


def test_formal_steps() -> None:
    assert {s for s in EscalationStep if s.is_formal} == {
        EscalationStep.DIRECTOR,
        EscalationStep.COMPLAINTS_COMMITTEE,
    }


@pytest.mark.parametrize("vocabulary", LABELLED, ids=lambda v: v.__name__)
def test_every_labelled_vocabulary_value_has_a_dutch_label(vocabulary: Any) -> None:
    for value in vocabulary:
        assert label(value).strip()


def test_labels_are_per_vocabulary() -> None:
    assert label(Category.OTHER) == "overig"
    assert label(Channel.OTHER) == "anders"
    assert label(Outcome.PARTLY_UPHELD) == "deels gegrond"
    assert label(DeadlineKind.JUDGEMENT) == "oordeel"
    with pytest.raises(KeyError, match=r"TermUnit\.WEEKS"):
        label(TermUnit.WEEKS)


def test_every_event_type_has_a_dutch_label_and_an_unknown_one_has_none() -> None:
    assert sorted(EVENT_TYPE_LABELS) == sorted(cls.event_type for cls in EVENT_CLASSES)
    assert event_label("JudgementGiven") == "Oordeel gegeven"
    assert event_label("SomethingAddedLater") is None
