"""EventStoreDB adapter specifics on the test server: id claims, filters, failures never silent."""

from __future__ import annotations

import asyncio

import pytest
from esdbclient import AsyncEventStoreDBClient
from eventstore_helpers import new_event, new_events, read_everything
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from klachtspoor.eventstore.errors import StoreUnavailable, WrongExpectedVersion
from klachtspoor.eventstore.esdb import EsdbEventStore
from klachtspoor.eventstore.port import LogFilter, StreamState
from tests.esdb_server import Fault, RunningServer


async def test_event_ids_are_claimed_in_streams_of_their_own_that_reads_never_show(
    server: RunningServer, esdb_store: EsdbEventStore
) -> None:
    batch = new_events(2)
    await esdb_store.append("case:t1:a", batch, StreamState.NO_STREAM)

    raw = AsyncEventStoreDBClient(server.url)
    await raw.connect()
    try:
        everything = [
            (e.stream_name, e.type)
            async for e in await raw.read_all(filter_exclude=())
            if not e.stream_name.startswith("$")  # the server's own system streams
        ]
    finally:
        await raw.close()
    assert sorted(everything[:2]) == sorted((f"eventid-{e.event_id}", "EventIdClaimed") for e in batch)
    assert everything[2:] == [("case:t1:a", "SignaalOntvangen")] * 2
    assert [e.event_id for e in await read_everything(esdb_store)] == [e.event_id for e in batch]


async def test_several_stream_prefixes_match_only_at_the_start(esdb_store: EsdbEventStore) -> None:
    """esdbclient joins include patterns as ``^a|b$``; the adapter groups them so each is anchored."""
    await esdb_store.append("case:t1:a", [new_event()], StreamState.NO_STREAM)
    await esdb_store.append("mail:case:t1:b", [new_event()], StreamState.NO_STREAM)
    await esdb_store.append("timer:t1:c", [new_event()], StreamState.NO_STREAM)

    found = await esdb_store.read_all(filter=LogFilter(stream_prefixes=("case:", "timer:")))

    assert [e.stream for e in found] == ["case:t1:a", "timer:t1:c"]


async def test_a_wrong_expected_version_names_the_current_one(esdb_store: EsdbEventStore) -> None:
    await esdb_store.append("case:t1:a", new_events(2), StreamState.NO_STREAM)

    with pytest.raises(WrongExpectedVersion) as caught:
        await esdb_store.append("case:t1:a", [new_event()], 5)
    assert caught.value.actual == 1
    assert "Stream: case:t1:a, Stream Version: 1" in str(caught.value)


async def test_the_adapter_retries_what_esdbclient_gave_up_on_and_then_is_unavailable(
    server: RunningServer, esdb_store: EsdbEventStore
) -> None:
    """esdbclient tries an unavailable node four times per call; the adapter makes three such calls."""
    server.faults.inject("BatchAppend", *[Fault.unavailable()] * 4)
    await esdb_store.append("case:t1:a", [new_event()], StreamState.NO_STREAM)
    server.faults.inject("BatchAppend", *[Fault.unavailable()] * 12)

    with pytest.raises(StoreUnavailable, match=r"claiming event id .* \(3 attempts\)"):
        await esdb_store.append("case:t1:b", [new_event()], StreamState.NO_STREAM)
    assert len(await esdb_store.read_stream("case:t1:a")) == 1
    assert await esdb_store.read_stream("case:t1:b") == []


async def test_a_subscription_the_server_drops_fails_loudly(
    server: RunningServer, esdb_store: EsdbEventStore
) -> None:
    written = new_event()
    await esdb_store.append("case:t1:a", [written], StreamState.NO_STREAM)
    subscription = esdb_store.subscribe()
    async with asyncio.timeout(20):  # a hang guard, not a timing assertion
        first = await anext(subscription)
        await server.stop()
        with pytest.raises(StoreUnavailable, match="following the global log"):
            await anext(subscription)
    assert first.event_id == written.event_id


async def test_every_port_call_is_a_client_span_and_a_failed_one_says_so(server: RunningServer) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    store = await EsdbEventStore.connect(server.url, tracer=provider.get_tracer("test"))
    try:
        await store.append("case:t1:a", new_events(2), StreamState.NO_STREAM)
        await store.read_stream("case:t1:a")
        await store.read_all(limit=10)
        with pytest.raises(WrongExpectedVersion):
            await store.append("case:t1:a", [new_event()], StreamState.NO_STREAM)
    finally:
        await store.close()

    spans = exporter.get_finished_spans()
    top = [s for s in spans if s.parent is None]
    assert [s.name for s in top] == [
        "append case:t1:a",
        "read_stream case:t1:a",
        "read_all",
        "append case:t1:a",
    ]
    assert all(s.kind is SpanKind.CLIENT for s in top)
    assert top[0].attributes is not None and top[0].attributes["klachtspoor.eventstore.events"] == 2
    assert [s.status.status_code for s in top] == [StatusCode.UNSET] * 3 + [StatusCode.ERROR]
