"""EventPlan.masked_data: a stored payload with its ciphertexts masked, for readers that hold no key.

Its short way (a payload whose stored text holds no ciphertext is handed on as parsed) must give exactly
what masking every ciphertext gives, and must never skip one. EventPlan.masked_event, the typed event of
it, validates such a payload from its text: the same event as parse_event of masked_data.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest

from contracts.errors import EventValidationError
from contracts.events.formal import JudgementGiven
from contracts.events.intake import CaseReferenceAssigned, SignalReceived
from contracts.personal import DEFAULT_MASK
from contracts.registry import dump_event, event_class, parse_event
from contracts.values import Complainant, ComplainedAbout
from contracts.vocabulary import Channel, ComplainantCapacity, Judge, Outcome, Role
from klachtspoor.codec import EventPlan
from klachtspoor.crypto import Keyring
from klachtspoor.crypto.fields import replace_ciphertexts
from klachtspoor.eventstore.jsondoc import JsonObject, as_parsed, may_hold
from klachtspoor.eventstore.port import Position, RecordedEvent

TENANT = "jeugdzorg-noord"
CASE = uuid.UUID("7d1f0c2e-6a53-4d8e-9a57-1c0f3f6f2b11")


def _stored(type_name: str, version: int, data: dict[str, Any] | str) -> RecordedEvent:
    """As the PostgreSQL store gives it: the JSON text, parsed on first use."""
    text = data if isinstance(data, str) else json.dumps(data)
    return RecordedEvent(
        stream=f"case:{TENANT}:{CASE}",
        version=0,
        position=Position(1, 1),
        event_id=uuid.uuid4(),
        type=type_name,
        tenant=TENANT,
        data=JsonObject(text),
        metadata=JsonObject(json.dumps({"case_id": str(CASE)})),
        schema_version=version,
        recorded_at=datetime(2026, 3, 2, tzinfo=UTC),
    )


async def _encrypted_signal(keyring: Keyring) -> dict[str, Any]:
    key = await keyring.key_for_writing(TENANT, str(CASE))
    event = SignalReceived(
        channel=Channel.EMAIL,
        received_on=date(2026, 3, 2),
        complainant=Complainant(
            capacity=ComplainantCapacity.LEGAL_REPRESENTATIVE, name="Jan de Vries", email="jan@example.org"
        ),
        about=ComplainedAbout(role=Role.CARE_WORKER, name="Petra Jansen"),
        description="Mijn zoon werd uitgescholden",
    )
    data = dump_event(event)
    data["complainant"]["name"] = key.encrypt(("complainant", "name"), "Jan de Vries")
    data["complainant"]["email"] = key.encrypt(("complainant", "email"), "jan@example.org")
    data["description"] = key.encrypt(("description",), "Mijn zoon werd uitgescholden")
    return data


async def test_ciphertexts_are_masked_as_masking_every_one_gives(keyring: Keyring) -> None:
    plan = EventPlan.of(SignalReceived)
    data = await _encrypted_signal(keyring)
    masked = plan.masked_data(_stored("SignalReceived", 1, data))
    assert masked == replace_ciphertexts(data, plan.mask)
    assert masked["complainant"]["name"] == masked["description"] == DEFAULT_MASK
    assert masked["complainant"]["phone"] is None and masked["channel"] == "email"
    assert "enc:" not in json.dumps(masked)


def test_a_payload_without_ciphertexts_is_given_as_parsed() -> None:
    plan = EventPlan.of(CaseReferenceAssigned)
    stored = _stored("CaseReferenceAssigned", 1, {"reference": "KL-2026-0001"})
    masked = plan.masked_data(stored)
    assert masked == replace_ciphertexts(dict(stored.data), plan.mask) == {"reference": "KL-2026-0001"}
    assert masked is as_parsed(stored.data)  # not copied


def test_a_ciphertext_spelled_with_an_escape_is_masked_all_the_same() -> None:
    plan = EventPlan.of(JudgementGiven)
    text = json.dumps(
        {
            "judge": "complaints_committee",
            "outcome": "upheld",
            "reasoning": "\\u0065nc:v1:0e4218009993afd3:abc",
            "recommendations": [],
            "given_on": "2026-05-01",
        }
    ).replace("\\\\u0065", "\\u0065")
    stored = _stored("JudgementGiven", JudgementGiven.schema_version, text)
    assert stored.data["reasoning"].startswith("enc:")
    masked = plan.masked_data(stored)
    assert masked["reasoning"] == DEFAULT_MASK
    event = parse_event("JudgementGiven", stored.schema_version, masked)
    assert isinstance(event, JudgementGiven) and event.outcome is Outcome.UPHELD


def test_an_older_schema_version_is_copied_before_the_upcasters_see_it() -> None:
    plan = EventPlan.of(JudgementGiven)
    v1 = {
        "judge": "director",
        "decision": "upheld",
        "reasoning": "r",
        "recommendation": "x",
        "given_on": "2026-05-01",
    }
    stored = _stored("JudgementGiven", 1, v1)
    masked = plan.masked_data(stored)
    assert masked == v1 and masked is not as_parsed(stored.data)
    event = parse_event("JudgementGiven", 1, masked)
    assert isinstance(event, JudgementGiven) and event.judge is Judge.DIRECTOR
    assert as_parsed(stored.data) == v1  # the stored payload as read, whatever the upcasters did


def test_masks_by_path_are_those_of_the_field_pattern() -> None:
    plan = EventPlan.of(JudgementGiven)
    for _ in range(2):  # the second time from the cache
        assert plan.mask(("recommendations", 0)) == plan.mask(("recommendations", 7)) == DEFAULT_MASK
        assert plan.mask(("reasoning",)) == plan.masks[("reasoning",)]
        assert plan.mask(("no", "such", "field")) == DEFAULT_MASK


def test_may_hold_is_false_only_when_the_text_rules_it_out() -> None:
    assert not may_hold(JsonObject('{"a": "b"}'), "enc:")
    assert may_hold(JsonObject('{"a": "enc:x"}'), "enc:")
    assert may_hold(JsonObject('{"a": "\\u0065nc:x"}'), "enc:")
    assert may_hold({"a": "b"}, "enc:")  # not stored text: it cannot tell
    assert as_parsed({"a": 1}) == {"a": 1}


async def test_the_masked_event_is_parse_event_of_the_masked_data(keyring: Keyring) -> None:
    judgement = {
        "judge": "complaints_committee",
        "outcome": "upheld",
        "reasoning": "r",
        "recommendations": ["a", "b"],
        "given_on": "2026-05-01",
    }
    v1 = {
        "judge": "director",
        "decision": "upheld",
        "reasoning": "r",
        "recommendation": "x",
        "given_on": "2026-05-01",
    }
    for type_name, version, data in (
        ("CaseReferenceAssigned", 1, {"reference": "KL-2026-0001"}),  # from the text
        ("JudgementGiven", JudgementGiven.schema_version, judgement),  # from the text
        ("JudgementGiven", 1, v1),  # upcast from the dict
        ("SignalReceived", 1, await _encrypted_signal(keyring)),  # masked first
    ):
        plan = EventPlan.of(event_class(type_name))
        stored = _stored(type_name, version, data)
        event = plan.masked_event(stored)
        expected = parse_event(type_name, version, plan.masked_data(_stored(type_name, version, data)))
        assert type(event) is type(expected) and event == expected
    assert "enc:" not in plan.masked_event(stored).model_dump_json()


def test_an_invalid_payload_from_its_text_names_the_field() -> None:
    plan = EventPlan.of(CaseReferenceAssigned)
    with pytest.raises(EventValidationError, match="reference"):
        plan.masked_event(_stored("CaseReferenceAssigned", 1, {"reference": 12, "extra": True}))
