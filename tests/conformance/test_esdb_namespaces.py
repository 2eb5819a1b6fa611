"""Namespaces: deployments sharing one EventStoreDB cluster never see each other's streams."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from eventstore_helpers import new_event, read_everything

from klachtspoor.bootstrap import open_event_store
from klachtspoor.eventstore.esdb import EsdbEventStore
from klachtspoor.eventstore.esdb.names import StreamNames
from klachtspoor.eventstore.port import LogFilter, RecordedEvent, StreamState
from klachtspoor.settings import Settings
from tests.esdb_server import start_server


async def _first(store: EsdbEventStore, filter: LogFilter | None = None) -> RecordedEvent:
    async for event in store.subscribe(filter=filter):
        return event
    raise AssertionError("the subscription ended without an event")


async def test_two_namespaces_on_one_server_keep_their_streams_apart() -> None:
    server = await start_server()
    acceptance = await EsdbEventStore.connect(server.url, namespace="acceptance")
    training = await EsdbEventStore.connect(server.url, namespace="training")
    try:
        ours, theirs = new_event(type="SignalReceived"), new_event(type="SignalReceived")
        await acceptance.append("case:t1:a", [ours], StreamState.NO_STREAM)
        await training.append("case:t1:a", [theirs], StreamState.NO_STREAM)  # same name, no conflict

        assert set(server.log.streams) >= {"acceptance/case:t1:a", "training/case:t1:a"}
        assert [e.event_id for e in await acceptance.read_stream("case:t1:a")] == [ours.event_id]
        assert [(e.stream, e.event_id) for e in await read_everything(acceptance)] == [
            ("case:t1:a", ours.event_id)
        ]
        by_type = LogFilter(event_types=frozenset({"SignalReceived"}))
        assert [e.event_id for e in await acceptance.read_all(filter=by_type)] == [ours.event_id]
        by_prefix = LogFilter(stream_prefixes=("case:",))
        assert [e.event_id for e in await training.read_all(filter=by_prefix)] == [theirs.event_id]
        followed = await asyncio.wait_for(_first(training, by_type), timeout=10)
        assert (followed.stream, followed.event_id) == ("case:t1:a", theirs.event_id)
    finally:
        await acceptance.close()
        await training.close()
        await server.stop()


async def test_the_namespace_setting_reaches_the_adapter() -> None:
    server = await start_server()
    try:
        store = await open_event_store(Settings(eventstore_url=server.url, eventstore_namespace="acc"))
        try:
            await store.append("case:demo:c1", [new_event()], StreamState.NO_STREAM)
        finally:
            await store.close()
        assert "acc/case:demo:c1" in server.log.streams
        assert "case:demo:c1" not in server.log.streams
    finally:
        await server.stop()


@pytest.mark.parametrize("namespace", ["a/b", "-lead", "x" * 65, "spatie erin", "é"])
def test_a_bad_namespace_is_refused_naming_it(namespace: str) -> None:
    with pytest.raises(ValueError, match="namespace"):
        StreamNames(namespace)


def test_stream_names_hide_claims_system_streams_and_other_namespaces() -> None:
    names = StreamNames("acc")
    event_id = uuid.uuid4()
    assert names.wire("case:t1:a") == "acc/case:t1:a"
    assert names.claim(event_id) == f"acc/eventid-{event_id}"
    assert names.local("acc/case:t1:a") == "case:t1:a"
    assert [names.local(s) for s in (names.claim(event_id), "$stats", "acc/$x", "other/case:t1:a")] == [
        None
    ] * 4
    assert StreamNames().local("case:t1:a") == "case:t1:a"
    assert StreamNames().local(f"eventid-{event_id}") is None
