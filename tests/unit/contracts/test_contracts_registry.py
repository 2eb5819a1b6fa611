"""Registry round trips, upcasters, and the typed errors for unknown types and bad payloads."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

import pytest
from command_examples import COMMAND_EXAMPLES
from contract_examples import ACTOR, CASE_ID, EVENT_EXAMPLES, NOW
from pydantic import ValidationError

from contracts.base import Event
from contracts.envelope import Envelope
from contracts.errors import EventValidationError, UnknownEventType, UnknownSchemaVersion
from contracts.events import (
    EVENT_CLASSES,
    CommitteeHearingHeld,
    ComplaintFiled,
    JudgementGiven,
    PersonalDataErased,
    SafetyConcernRaised,
)
from contracts.registry import current_version, dump_event, event_class, event_types, parse_event, upcast
from contracts.vocabulary import Category, ErasureReason, HearingParty, Judge, Outcome

STREAM = f"case:so-trainingsbureau:{CASE_ID}"


def _wrap(event: Any, **changes: Any) -> Envelope:
    fields: dict[str, Any] = {
        "event_id": uuid4(),
        "tenant": "so-trainingsbureau",
        "stream": STREAM,
        "case_id": CASE_ID,
        "actor": ACTOR,
        "occurred_at": NOW,
        "correlation_id": uuid4(),
        "causation_id": uuid4(),
        "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    }
    return Envelope.wrap(event, **{**fields, **changes})


def test_registry_knows_every_event_class_by_its_stable_name() -> None:
    assert event_types() == tuple(cls.event_type for cls in EVENT_CLASSES)
    for cls in EVENT_CLASSES:
        assert event_class(cls.event_type) is cls
        assert current_version(cls.event_type) == cls.schema_version


@pytest.mark.parametrize("event", EVENT_EXAMPLES, ids=lambda e: e.event_type)
def test_every_event_round_trips_through_json(event: Event) -> None:
    stored = json.loads(json.dumps(dump_event(event)))
    parsed = parse_event(event.event_type, event.schema_version, stored)
    assert parsed == event
    assert type(parsed) is type(event)


@pytest.mark.parametrize("event", EVENT_EXAMPLES, ids=lambda e: e.event_type)
def test_every_event_round_trips_in_an_envelope(event: Event) -> None:
    envelope = _wrap(event)
    assert (envelope.type, envelope.schema_version) == (event.event_type, event.schema_version)
    assert Envelope.model_validate_json(envelope.model_dump_json()) == envelope
    assert Envelope.model_validate(json.loads(envelope.model_dump_json())) == envelope


@pytest.mark.parametrize("command", COMMAND_EXAMPLES, ids=lambda c: type(c).__name__)
def test_every_command_round_trips_through_json(command: Any) -> None:
    assert type(command).model_validate_json(command.model_dump_json()) == command


def test_unknown_event_type_is_named() -> None:
    with pytest.raises(UnknownEventType, match="'ComplaintEaten'") as caught:
        parse_event("ComplaintEaten", 1, {})
    assert caught.value.type_name == "ComplaintEaten"
    with pytest.raises(UnknownEventType):
        current_version("ComplaintEaten")


@pytest.mark.parametrize("version", [0, 4, -1])
def test_unknown_schema_version_is_named(version: int) -> None:
    with pytest.raises(UnknownSchemaVersion, match=f"version {version} of JudgementGiven"):
        parse_event("JudgementGiven", version, {})


def test_invalid_payload_names_type_version_and_fields_but_not_values() -> None:
    data = dump_event(EVENT_EXAMPLES[0]) | {"channel": "pigeon", "received_on": "someday"}
    del data["description"]
    with pytest.raises(EventValidationError) as caught:
        parse_event("SignalReceived", 1, data)
    error = caught.value
    assert (error.type_name, error.schema_version) == ("SignalReceived", 1)
    assert set(error.fields) == {"channel", "received_on", "description"}
    assert "Invalid SignalReceived v1 payload" in str(error)
    assert "Voorbeeld Ouder" not in str(error) and "pigeon" not in str(error)


def test_invalid_nested_and_cross_field_payloads_are_typed_errors() -> None:
    with pytest.raises(EventValidationError) as caught:
        parse_event("SignalReceived", 1, dump_event(EVENT_EXAMPLES[0]) | {"anonymous": True})
    assert "anonymous" in str(caught.value)
    bad_capacity = dump_event(EVENT_EXAMPLES[0])
    bad_capacity["complainant"]["capacity"] = "neighbour"
    with pytest.raises(EventValidationError) as caught:
        parse_event("SignalReceived", 1, bad_capacity)
    assert caught.value.fields == ("complainant.capacity",)


def test_a_payload_that_is_not_an_object_or_breaks_an_upcaster_is_a_typed_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(EventValidationError, match="expected a JSON object, got list"):
        parse_event("SignalReceived", 1, ["not", "an", "object"])  # type: ignore[arg-type]

    def needs_a_field(data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "categories": [data["category"]]}

    monkeypatch.setattr(ComplaintFiled, "upcast_v1_v2", staticmethod(needs_a_field))
    with pytest.raises(EventValidationError, match="upcast_v1_v2 failed with KeyError") as caught:
        parse_event("ComplaintFiled", 1, {"description": "no category"})
    assert caught.value.schema_version == 1


# -- upcasters: one test per step, then the chain through parse_event ---------------------------------

COMPLAINT_V1 = {
    "filed_with": "complaints_committee",
    "channel": "letter",
    "received_on": "2026-03-02",
    "written": True,
    "description": "Klacht.",
    "category": "reporting",
}


def test_complaint_filed_upcast_v1_v2_turns_the_category_into_a_list() -> None:
    original = dict(COMPLAINT_V1)
    upcast_data = ComplaintFiled.upcast_v1_v2(original)
    assert upcast_data["categories"] == ["reporting"] and "category" not in upcast_data
    assert original == COMPLAINT_V1, "an upcaster must not change its input"
    assert ComplaintFiled.upcast_v1_v2({**COMPLAINT_V1, "category": None})["categories"] == []
    assert "categories" in ComplaintFiled.upcast_v1_v2(
        {k: v for k, v in COMPLAINT_V1.items() if k != "category"}
    )


def test_complaint_filed_v1_parses_as_current() -> None:
    event = parse_event("ComplaintFiled", 1, COMPLAINT_V1)
    assert isinstance(event, ComplaintFiled) and event.categories == (Category.REPORTING,)


JUDGEMENT_V1 = {
    "judge": "complaints_committee",
    "decision": "partly_upheld",
    "reasoning": "Deels.",
    "recommendation": "Evalueer.",
    "given_on": "2026-03-02",
}


def test_judgement_given_upcast_v1_v2_renames_decision() -> None:
    v2 = JudgementGiven.upcast_v1_v2(dict(JUDGEMENT_V1))
    assert v2["outcome"] == "partly_upheld" and "decision" not in v2
    assert v2["recommendation"] == "Evalueer."


def test_judgement_given_upcast_v2_v3_makes_recommendations_a_list() -> None:
    v2 = {k: v for k, v in JUDGEMENT_V1.items() if k != "decision"} | {"outcome": "upheld"}
    assert JudgementGiven.upcast_v2_v3(v2)["recommendations"] == ["Evalueer."]
    assert JudgementGiven.upcast_v2_v3(v2 | {"recommendation": None})["recommendations"] == []


def test_judgement_given_v1_is_upcast_step_by_step() -> None:
    assert upcast("JudgementGiven", 1, JUDGEMENT_V1) == {
        "judge": "complaints_committee",
        "outcome": "partly_upheld",
        "reasoning": "Deels.",
        "recommendations": ["Evalueer."],
        "given_on": "2026-03-02",
    }
    event = parse_event("JudgementGiven", 1, JUDGEMENT_V1)
    assert isinstance(event, JudgementGiven)
    assert (event.judge, event.outcome, event.recommendations) == (
        Judge.COMPLAINTS_COMMITTEE,
        Outcome.PARTLY_UPHELD,
        ("Evalueer.",),
    )


def test_a_bad_old_payload_names_the_stored_version() -> None:
    with pytest.raises(
        EventValidationError, match="Invalid JudgementGiven v1 payload: outcome: Field required"
    ):
        parse_event("JudgementGiven", 1, {k: v for k, v in JUDGEMENT_V1.items() if k != "decision"})


# -- the envelope -----------------------------------------------------------------------------------


def test_an_envelope_with_an_old_payload_is_read_as_current() -> None:
    judgement = next(event for event in EVENT_EXAMPLES if isinstance(event, JudgementGiven))
    stored = json.loads(_wrap(judgement).model_dump_json())
    stored |= {"schema_version": 1, "event": JUDGEMENT_V1}
    envelope = Envelope.model_validate(stored)
    assert envelope.schema_version == 3
    assert isinstance(envelope.event, JudgementGiven) and envelope.event.outcome is Outcome.PARTLY_UPHELD


def test_an_envelope_with_an_unknown_type_or_bad_payload_raises_typed_errors() -> None:
    stored = json.loads(_wrap(EVENT_EXAMPLES[0]).model_dump_json())
    with pytest.raises(UnknownEventType):
        Envelope.model_validate(stored | {"type": "Nope"})
    with pytest.raises(EventValidationError, match="description"):
        Envelope.model_validate(stored | {"event": {**stored["event"], "description": None}})


def test_an_envelope_must_agree_with_its_payload_and_tenant() -> None:
    with pytest.raises(
        ValidationError, match="envelope says ComplaintFiled v2, payload is SignalReceived v1"
    ):
        Envelope.model_validate(
            dict(_wrap(EVENT_EXAMPLES[0])) | {"type": "ComplaintFiled", "schema_version": 2}
        )
    with pytest.raises(ValidationError, match="belongs to tenant other"):
        _wrap(EVENT_EXAMPLES[0], stream=f"case:other:{CASE_ID}")
    with pytest.raises(ValidationError, match="traceparent"):
        _wrap(EVENT_EXAMPLES[0], traceparent="not-a-trace")
    with pytest.raises(ValidationError, match="stream"):
        _wrap(EVENT_EXAMPLES[0], stream="case:so-trainingsbureau:jan@example.org")


def test_the_envelope_serialises_the_full_payload() -> None:
    data = json.loads(_wrap(EVENT_EXAMPLES[0]).model_dump_json())
    assert data["event"] == dump_event(EVENT_EXAMPLES[0])
    assert data["recorded_at"] is None


HEARING_V1 = {
    "hearing_id": "00000000-0000-4000-8000-0000000a0001",
    "form": "oral",
    "parties_heard": ["complainant", "provider"],
    "members_present": 3,
    "chair_independent": True,
    "minutes": None,
}


def test_committee_hearing_held_upcast_v1_v2_records_no_refusal() -> None:
    v2 = CommitteeHearingHeld.upcast_v1_v2(dict(HEARING_V1))
    assert v2 == HEARING_V1 | {"declined_to_be_heard": []}
    assert "declined_to_be_heard" not in HEARING_V1


def test_committee_hearing_held_v1_parses_as_current() -> None:
    event = parse_event("CommitteeHearingHeld", 1, HEARING_V1)
    assert isinstance(event, CommitteeHearingHeld)
    assert event.declined_to_be_heard == ()
    assert event.parties_heard == (HearingParty.COMPLAINANT, HearingParty.PROVIDER)


CONCERN_V1 = {
    "concern_id": "00000000-0000-4000-8000-000000000c01",
    "crisis_route": "veilig_thuis",
    "immediate_danger": False,
    "description": "Zorgen over de thuissituatie.",
}


def test_safety_concern_raised_upcast_v1_v2_records_no_separate_moment() -> None:
    v2 = SafetyConcernRaised.upcast_v1_v2(dict(CONCERN_V1))
    assert v2 == CONCERN_V1 | {"raised_at": None}
    assert "raised_at" not in CONCERN_V1


def test_safety_concern_raised_v1_parses_as_current() -> None:
    event = parse_event("SafetyConcernRaised", 1, CONCERN_V1)
    assert isinstance(event, SafetyConcernRaised) and event.raised_at is None


ERASED_V1 = {"reason": "retention_expired"}


def test_personal_data_erased_upcast_v1_v2_names_no_request() -> None:
    v2 = PersonalDataErased.upcast_v1_v2(dict(ERASED_V1))
    assert v2 == ERASED_V1 | {"request_reference": None}
    assert "request_reference" not in ERASED_V1


def test_personal_data_erased_v1_parses_as_current() -> None:
    event = parse_event("PersonalDataErased", 1, ERASED_V1)
    assert event == PersonalDataErased(reason=ErasureReason.RETENTION_EXPIRED, request_reference=None)


def test_a_request_reference_belongs_to_an_erasure_request_only() -> None:
    named = PersonalDataErased(reason=ErasureReason.ERASURE_REQUEST, request_reference="AVG-2026-0042")
    assert named.request_reference == "AVG-2026-0042"
    with pytest.raises(ValidationError, match="only an erasure_request names a request_reference"):
        PersonalDataErased(reason=ErasureReason.RETENTION_EXPIRED, request_reference="AVG-2026-0042")


@pytest.mark.parametrize("reference", ["Jan Jansen", "jan@example.org", "avg-1", "A" * 41, ""])
def test_a_request_reference_is_a_register_number_not_free_text(reference: str) -> None:
    with pytest.raises(ValidationError) as caught:
        PersonalDataErased(reason=ErasureReason.ERASURE_REQUEST, request_reference=reference)
    assert reference not in str(caught.value) or not reference
