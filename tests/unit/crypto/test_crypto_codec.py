"""The event codec with the real contracts, over the in-memory event and key stores."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest

import klachtspoor.codec as codec_module
from contracts.base import Actor
from contracts.envelope import Envelope
from contracts.errors import EventValidationError, UnknownEventType
from contracts.events import AnyEvent
from contracts.events.formal import JudgementGiven, MeasuresAnnounced
from contracts.events.intake import CaseReferenceAssigned, SignalReceived
from contracts.events.privacy import PersonalDataErased
from contracts.values import Complainant, ComplainedAbout
from contracts.vocabulary import (
    Channel,
    ComplainantCapacity,
    ErasureReason,
    Judge,
    Outcome,
    Role,
)
from klachtspoor.codec import EventCodec, InvalidEnvelope, make_envelope
from klachtspoor.crypto import CaseErased, DecryptionFailed, Keyring, MasterKey, ReservedPrefix
from klachtspoor.crypto.memory import InMemoryKeyStore
from klachtspoor.eventstore.memory import InMemoryEventStore
from klachtspoor.eventstore.port import Position, RecordedEvent, StreamState
from klachtspoor.eventstore.streams import case_stream

TENANT = "jeugdzorg-noord"
ACTOR = Actor(id="staff-17", role=Role.COMPLAINTS_OFFICER)
AT = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
PLAINTEXTS = ("Jan de Vries", "jan@example.org", "Petra Jansen", "Mijn zoon werd uitgescholden")


def signal() -> SignalReceived:
    return SignalReceived(
        channel=Channel.EMAIL,
        received_on=date(2026, 3, 2),
        complainant=Complainant(
            capacity=ComplainantCapacity.LEGAL_REPRESENTATIVE, name="Jan de Vries", email="jan@example.org"
        ),
        about=ComplainedAbout(role=Role.CARE_WORKER, name="Petra Jansen"),
        description="Mijn zoon werd uitgescholden",
    )


def judgement() -> JudgementGiven:
    return JudgementGiven(
        judge=Judge.COMPLAINTS_COMMITTEE,
        outcome=Outcome.PARTLY_UPHELD,
        reasoning="De begeleider had moeten ingrijpen",
        recommendations=("Train het team", "Evalueer na drie maanden"),
        given_on=date(2026, 5, 1),
    )


def envelope(event: AnyEvent, case_id: uuid.UUID) -> Envelope:
    return make_envelope(
        event,
        event_id=uuid.uuid4(),
        tenant=TENANT,
        stream=case_stream(TENANT, str(case_id)),
        case_id=case_id,
        actor=ACTOR,
        occurred_at=AT,
        correlation_id=uuid.uuid4(),
        traceparent="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    )


@pytest.fixture
def codec(keyring: Keyring) -> EventCodec:
    return EventCodec(keyring)


@pytest.fixture
def events() -> InMemoryEventStore:
    return InMemoryEventStore()


async def write(codec: EventCodec, events: InMemoryEventStore, *items: Envelope) -> list[RecordedEvent]:
    for item in items:
        await events.append(item.stream, [await codec.encode(item)], StreamState.ANY)
    return await events.read_stream(items[0].stream)


async def test_round_trip_encrypts_personal_fields_only(
    codec: EventCodec, events: InMemoryEventStore
) -> None:
    case_id = uuid.uuid4()
    sent = envelope(signal(), case_id)
    [stored] = await write(codec, events, sent)
    raw = json.dumps(stored.data) + json.dumps(stored.metadata)
    assert not any(text in raw for text in PLAINTEXTS)
    assert stored.data["complainant"]["name"].startswith("enc:v1:")
    assert stored.data["about"]["name"].startswith("enc:v1:")
    assert stored.data["complainant"]["phone"] is None
    assert (
        stored.data["channel"] == "email" and stored.data["complainant"]["capacity"] == "legal_representative"
    )
    assert set(stored.metadata) == {
        "case_id",
        "correlation_id",
        "causation_id",
        "traceparent",
        "actor",
        "occurred_at",
    }
    assert stored.metadata["actor"] == {"id": "staff-17", "role": "complaints_officer"}
    read = await codec.decode(stored)
    assert read == sent.model_copy(update={"recorded_at": stored.recorded_at})


async def test_list_items_are_encrypted_one_by_one(codec: EventCodec, events: InMemoryEventStore) -> None:
    case_id = uuid.uuid4()
    measures = MeasuresAnnounced(
        measures_taken=True, measures=("Gesprek met team",), implementation_due_on=date(2026, 6, 1)
    )
    stored = await write(codec, events, envelope(judgement(), case_id), envelope(measures, case_id))
    assert [r.startswith("enc:") for r in stored[0].data["recommendations"]] == [True, True]
    assert "Train" not in json.dumps(stored[0].data) and "Gesprek" not in json.dumps(stored[1].data)
    decoded = [await codec.decode(r) for r in stored]
    assert decoded[0].event == judgement() and decoded[1].event == measures


async def test_erasure_masks_personal_fields_and_keeps_the_rest(
    codec: EventCodec, events: InMemoryEventStore, keyring: Keyring
) -> None:
    erased, kept = uuid.uuid4(), uuid.uuid4()
    stored = await write(codec, events, envelope(signal(), erased), envelope(judgement(), erased))
    [other] = await write(codec, events, envelope(signal(), kept))
    await keyring.erase_case(TENANT, str(erased), "staff-17", at=AT)

    first, second = [await codec.decode(r) for r in stored]
    assert isinstance(first.event, SignalReceived) and isinstance(second.event, JudgementGiven)
    complainant = first.event.complainant
    assert (complainant.name, complainant.email, complainant.phone) == ("[verwijderd]", "[verwijderd]", None)
    assert first.event.about is not None and first.event.about.name == "[verwijderd]"
    assert first.event.description == "[verwijderd]"
    assert second.event.recommendations == ("[verwijderd]", "[verwijderd]")
    assert second.event.outcome is Outcome.PARTLY_UPHELD and second.event.given_on == date(2026, 5, 1)
    assert (first.actor, first.case_id, first.event.channel) == (ACTOR, erased, Channel.EMAIL)
    assert (await codec.decode(other)).event == signal()


async def test_decoding_masked_uses_no_key_and_reads_every_personal_value_as_its_mask(
    codec: EventCodec, events: InMemoryEventStore, keyring: Keyring
) -> None:
    case_id = uuid.uuid4()
    stored = await write(codec, events, envelope(signal(), case_id), envelope(judgement(), case_id))
    with_keys = [await codec.decode(r) for r in stored]
    keyless = EventCodec(Keyring(_NoKeys(), MasterKey.from_base64(MasterKey.generate_base64())))

    first, second = [keyless.decode_masked(r) for r in stored]
    assert isinstance(first.event, SignalReceived) and isinstance(second.event, JudgementGiven)
    assert (first.event.complainant.name, first.event.complainant.phone) == ("[verwijderd]", None)
    assert first.event.description == "[verwijderd]"
    assert second.event.recommendations == ("[verwijderd]", "[verwijderd]")
    assert second.event.outcome is Outcome.PARTLY_UPHELD
    assert [e.model_dump(exclude={"event"}) for e in (first, second)] == [
        e.model_dump(exclude={"event"}) for e in with_keys
    ]


async def test_erased_case_refuses_personal_data_but_accepts_other_events(
    codec: EventCodec, events: InMemoryEventStore, keyring: Keyring
) -> None:
    case_id = uuid.uuid4()
    await write(codec, events, envelope(signal(), case_id))
    await keyring.erase_case(TENANT, str(case_id), "staff-17", at=AT)
    with pytest.raises(CaseErased, match=str(case_id)):
        await codec.encode(envelope(signal(), case_id))
    closing = envelope(PersonalDataErased(reason=ErasureReason.ERASURE_REQUEST), case_id)
    [_, stored] = await write(codec, events, closing)
    assert (await codec.decode(stored)).event == closing.event


async def test_ciphertext_moved_to_another_case_or_field_fails(
    codec: EventCodec, events: InMemoryEventStore
) -> None:
    [a] = await write(codec, events, envelope(signal(), uuid.uuid4()))
    [b] = await write(codec, events, envelope(signal(), uuid.uuid4()))
    stolen = dict(b.data, description=a.data["description"])
    with pytest.raises(DecryptionFailed, match="description"):
        await codec.decode(_with_data(b, stolen))
    swapped = dict(a.data, description=a.data["complainant"]["name"])
    with pytest.raises(DecryptionFailed, match="description"):
        await codec.decode(_with_data(a, swapped))


async def test_old_schema_version_is_decrypted_as_stored_then_upcast(
    codec: EventCodec, keyring: Keyring
) -> None:
    case_id = uuid.uuid4()
    key = await keyring.key_for_writing(TENANT, str(case_id))
    v1 = {
        "judge": "director",
        "decision": "upheld",
        "reasoning": key.encrypt(("reasoning",), "Niet goed gegaan"),
        "recommendation": key.encrypt(("recommendation",), "Excuses aanbieden"),
        "given_on": "2026-05-01",
    }
    stored = _recorded("JudgementGiven", 1, v1, case_id)
    read = await codec.decode(stored)
    assert read.schema_version == 3 and isinstance(read.event, JudgementGiven)
    assert read.event.recommendations == ("Excuses aanbieden",) and read.event.outcome is Outcome.UPHELD
    await keyring.erase_case(TENANT, str(case_id), "staff-17", at=AT)
    masked = await codec.decode(stored)
    assert isinstance(masked.event, JudgementGiven)
    assert (masked.event.reasoning, masked.event.recommendations) == ("[verwijderd]", ("[verwijderd]",))


async def test_bad_input_gets_typed_errors_naming_the_field(codec: EventCodec) -> None:
    case_id = uuid.uuid4()
    with pytest.raises(UnknownEventType, match="NoSuchEvent"):
        await codec.decode(_recorded("NoSuchEvent", 1, {}, case_id))
    with pytest.raises(EventValidationError) as invalid:
        await codec.decode(_recorded("CaseReferenceAssigned", 1, {"reference": "x"}, case_id))
    assert invalid.value.fields == ("reference",)
    no_actor = _recorded("CaseReferenceAssigned", 1, {"reference": "JZN-2026-001"}, case_id, actor=None)
    with pytest.raises(InvalidEnvelope) as bad_meta:
        await codec.decode(no_actor)
    assert bad_meta.value.fields == ("actor",)
    with pytest.raises(InvalidEnvelope) as bad_trace:
        make_envelope(
            CaseReferenceAssigned(reference="JZN-2026-001"),
            event_id=uuid.uuid4(),
            tenant=TENANT,
            stream=case_stream(TENANT, str(case_id)),
            case_id=case_id,
            actor=ACTOR,
            occurred_at=AT,
            correlation_id=uuid.uuid4(),
            traceparent="not-a-trace",
        )
    assert bad_trace.value.fields == ("traceparent",)


async def test_unmarked_value_that_looks_encrypted_is_refused(codec: EventCodec) -> None:
    # Validation would refuse this reference; the codec must refuse it on its own as well.
    forged = CaseReferenceAssigned.model_construct(reference="enc:v1:0123456789abcdef:AAAA")
    valid = envelope(CaseReferenceAssigned(reference="JZN-2026-001"), uuid.uuid4())
    item = valid.model_copy(update={"event": forged})
    with pytest.raises(ReservedPrefix, match="reference"):
        await codec.encode(item)


async def test_personal_paths_are_worked_out_once_per_class(
    keyring: Keyring, events: InMemoryEventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    codec = EventCodec(keyring)

    def forbidden(*_: Any) -> Any:
        raise AssertionError("personal fields looked up per event")

    monkeypatch.setattr(codec_module, "personal_fields", forbidden)
    [stored] = await write(codec, events, envelope(signal(), uuid.uuid4()))
    assert (await codec.decode(stored)).event == signal()
    assert codec.plan("SignalReceived") is codec.plan("SignalReceived")


def _with_data(record: RecordedEvent, data: dict[str, Any]) -> RecordedEvent:
    return record._replace(data=data)


def _recorded(
    type_name: str, version: int, data: dict[str, Any], case_id: uuid.UUID, *, actor: Actor | None = ACTOR
) -> RecordedEvent:
    metadata: dict[str, Any] = {
        "case_id": str(case_id),
        "correlation_id": str(uuid.uuid4()),
        "occurred_at": AT.isoformat(),
    }
    if actor is not None:
        metadata["actor"] = actor.model_dump(mode="json")
    return RecordedEvent(
        stream=case_stream(TENANT, str(case_id)),
        version=0,
        position=Position(0, 0),
        event_id=uuid.uuid4(),
        type=type_name,
        tenant=TENANT,
        data=data,
        metadata=metadata,
        schema_version=version,
        recorded_at=AT,
    )


class _NoKeys(InMemoryKeyStore):
    """A key store that fails every call: decoding masked must not ask it for anything."""

    def __getattribute__(self, name: str) -> Any:
        if name.startswith("__"):
            return super().__getattribute__(name)
        raise AssertionError(f"the key store was used ({name})")
