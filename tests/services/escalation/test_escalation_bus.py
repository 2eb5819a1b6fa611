"""The durable consumer's configuration on a real NATS server, and turning messages into commands."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest
from nats.js import JetStreamContext

from klachtspoor.relay import STREAM_NAME, RelayedEvent, ensure_stream
from services.escalation.domain import AcknowledgeSignal
from services.escalation.entrypoints.bus import (
    ConsumerMisconfigured,
    consumer_config,
    ensure_consumer,
    filter_subjects,
)
from services.escalation.entrypoints.consumer import UnexpectedEvent, command_for

NOW = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)


def relayed(type: str, metadata: dict[str, object]) -> RelayedEvent:
    return RelayedEvent(
        event_id=uuid4(),
        type=type,
        schema_version=1,
        tenant="demo",
        stream=f"case:demo:{uuid4()}",
        version=0,
        position="1/1",
        metadata=metadata,
        recorded_at=NOW,
        data={},
    )


def test_a_signal_becomes_an_acknowledge_command_caused_by_it() -> None:
    case_id, correlation_id = uuid4(), uuid4()
    event = relayed("SignalReceived", {"case_id": str(case_id), "correlation_id": str(correlation_id)})
    assert command_for(event, NOW) == AcknowledgeSignal(
        tenant="demo",
        case_id=case_id,
        causation_event_id=event.event_id,
        correlation_id=correlation_id,
        now=NOW,
    )


def test_other_event_types_call_for_nothing() -> None:
    assert command_for(relayed("CaseReferenceAssigned", {}), NOW) is None


def test_a_signal_without_case_id_is_an_unexpected_event_naming_the_field() -> None:
    with pytest.raises(UnexpectedEvent, match="no valid case_id"):
        command_for(relayed("SignalReceived", {"correlation_id": str(uuid4())}), NOW)


def test_subjects_name_the_tenant_and_the_trigger_types() -> None:
    assert filter_subjects() == ["klachtspoor.*.SignalReceived"]
    assert filter_subjects("demo", ("A", "B")) == ["klachtspoor.demo.A", "klachtspoor.demo.B"]


async def test_ensure_consumer_creates_the_durable_and_follows_changed_triggers(js: JetStreamContext) -> None:
    await ensure_stream(js)
    durable = f"escalation-test-{uuid4().hex[:8]}"
    tenant = f"t-{uuid4().hex[:10]}"
    try:
        await ensure_consumer(js, STREAM_NAME, consumer_config(durable, filter_subjects(tenant)))
        first = await js.consumer_info(STREAM_NAME, durable)
        assert first.config.filter_subject == f"klachtspoor.{tenant}.SignalReceived"
        assert first.config.durable_name == durable

        await ensure_consumer(js, STREAM_NAME, consumer_config(durable, filter_subjects(tenant, ("Other",))))
        changed = await js.consumer_info(STREAM_NAME, durable)
        assert changed.config.filter_subject == f"klachtspoor.{tenant}.Other"

        several = consumer_config(durable, filter_subjects(tenant, ("A", "B")))
        version = js._nc.connected_server_version
        if (version.major, version.minor) >= (2, 10):
            await ensure_consumer(js, STREAM_NAME, several)
            info = await js.consumer_info(STREAM_NAME, durable)
            assert sorted(info.config.filter_subjects or ()) == filter_subjects(tenant, ("A", "B"))
        else:  # an older server drops the list silently: the service must refuse to run
            with pytest.raises(ConsumerMisconfigured, match=r"2\.10"):
                await ensure_consumer(js, STREAM_NAME, several)
    finally:
        await js.delete_consumer(STREAM_NAME, durable)
