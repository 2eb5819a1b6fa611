"""KLACHTSPOOR_EVENTSTORE_URL=esdb://… selects the EventStoreDB adapter for every process."""

import uuid

from klachtspoor.bootstrap import open_event_store
from klachtspoor.eventstore.esdb import EsdbEventStore
from klachtspoor.eventstore.port import NewEvent, StreamState
from klachtspoor.settings import Settings
from tests.esdb_server import start_server


async def test_an_esdb_url_selects_the_eventstoredb_adapter() -> None:
    server = await start_server()
    try:
        store = await open_event_store(Settings(eventstore_url=server.url))
        try:
            assert isinstance(store, EsdbEventStore)
            event = NewEvent(event_id=uuid.uuid4(), type="T", tenant="demo", data={"a": 1})
            result = await store.append("case:demo:c1", [event], StreamState.NO_STREAM)
            assert result.version == 0
            assert [e.event_id for e in await store.read_stream("case:demo:c1")] == [event.event_id]
        finally:
            await store.close()
    finally:
        await server.stop()
