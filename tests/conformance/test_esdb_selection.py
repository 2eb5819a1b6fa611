"""KLACHTSPOOR_EVENTSTORE_URL=esdb://… selects the EventStoreDB adapter for every process, chained."""

import uuid

from klachtspoor.bootstrap import open_event_store
from klachtspoor.eventstore.esdb import EsdbEventStore
from klachtspoor.eventstore.port import NewEvent, StreamState
from klachtspoor.integrity.chain import link_of, recorded_hash
from klachtspoor.integrity.store import ChainedEventStore
from klachtspoor.integrity.verify import verify_stream
from klachtspoor.settings import Settings
from tests.esdb_server import start_server


async def test_an_esdb_url_selects_the_eventstoredb_adapter() -> None:
    server = await start_server()
    try:
        store = await open_event_store(Settings(eventstore_url=server.url))
        try:
            assert isinstance(store, ChainedEventStore)
            assert isinstance(store.inner, EsdbEventStore)
            first, second = (NewEvent(uuid.uuid4(), "T", "demo", {"a": n}) for n in (1, 2))
            result = await store.append("case:demo:c1", [first], StreamState.NO_STREAM)
            assert result.version == 0
            await store.append("case:demo:c1", [second], StreamState.ANY)
            stored = await store.inner.read_stream("case:demo:c1")
            assert [e.event_id for e in stored] == [first.event_id, second.event_id]
            links = [link_of(e) for e in stored]
            assert all(link is not None for link in links)
            assert links[1] is not None and links[1].prev == recorded_hash(stored[0])
            assert verify_stream(stored) is None
        finally:
            await store.close()
    finally:
        await server.stop()
