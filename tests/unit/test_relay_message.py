"""Subjects, headers and body the relay publishes: tenant and type only, no data outside the body."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from klachtspoor.eventstore.port import Position, RecordedEvent
from klachtspoor.relay import (
    RelayedEvent,
    StreamLimits,
    headers_for,
    stream_config,
    subject_for,
    tenant_subjects,
)

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def recorded(type: str = "KlachtIngediend", metadata: dict[str, object] | None = None) -> RecordedEvent:
    return RecordedEvent(
        stream="case:zorg-noord:c1",
        version=4,
        position=Position(812, 40),
        event_id=uuid4(),
        type=type,
        tenant="zorg-noord",
        data={"omschrijving": "enc:v1:Zm9v"},
        metadata=metadata or {},
        schema_version=2,
        recorded_at=datetime(2025, 3, 4, 10, 0, tzinfo=UTC),
    )


def test_subject_names_tenant_and_type() -> None:
    assert subject_for(recorded()) == "klachtspoor.zorg-noord.KlachtIngediend"
    assert tenant_subjects("zorg-noord") == "klachtspoor.zorg-noord.>"


def test_characters_a_subject_token_cannot_hold_are_replaced() -> None:
    assert subject_for(recorded(type="case.Opened *>")) == "klachtspoor.zorg-noord.case_Opened___"


def test_headers_carry_the_event_id_and_only_a_well_formed_traceparent() -> None:
    event = recorded(metadata={"traceparent": TRACEPARENT, "actor": "medewerker-17"})
    assert headers_for(event) == {"Nats-Msg-Id": str(event.event_id), "traceparent": TRACEPARENT}
    forged = recorded(metadata={"traceparent": "Jan Jansen, 06-12345678"})
    assert headers_for(forged) == {"Nats-Msg-Id": str(forged.event_id)}


def test_body_round_trips_with_the_envelope_and_data_as_stored() -> None:
    event = recorded(metadata={"correlation_id": "c-1"})
    body = RelayedEvent.of(event)
    parsed = RelayedEvent.model_validate_json(body.model_dump_json())
    assert parsed == body
    assert (parsed.event_id, parsed.position, parsed.version, parsed.schema_version) == (
        event.event_id,
        "812/40",
        4,
        2,
    )
    assert parsed.data == {"omschrijving": "enc:v1:Zm9v"}
    assert Position.parse(parsed.position) == event.position


def test_stream_is_durable_with_an_hour_of_deduplication() -> None:
    config = stream_config()
    assert (config.name, config.subjects, config.storage, config.duplicate_window) == (
        "KLACHTSPOOR",
        ["klachtspoor.>"],
        "file",
        3600.0,
    )


def test_stream_has_retention_limits_and_refuses_new_messages_when_full() -> None:
    config = stream_config(limits=StreamLimits(max_age=60.0, max_bytes=1024**2))
    assert (config.max_age, config.max_bytes, config.discard) == (60.0, 1024**2, "new")
    default = stream_config()
    assert (default.max_age, default.max_bytes) == (30 * 24 * 3600.0, 10 * 1024**3)


def test_the_relays_own_span_replaces_the_stored_traceparent() -> None:
    own = "00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01"
    event = recorded(metadata={"traceparent": TRACEPARENT})
    assert headers_for(event, own)["traceparent"] == own
