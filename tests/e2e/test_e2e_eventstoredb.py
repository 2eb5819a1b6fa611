"""The relay and the four services, unchanged, on EventStoreDB: the one-signal walk and the notify crash
window of ``test_e2e_signal.py``, run again with ``KLACHTSPOOR_EVENTSTORE_URL`` set for every process.

The test server stands in for EventStoreDB unless ``KLACHTSPOOR_TEST_ESDB_URL`` names a real one.
PostgreSQL still holds what is not the event store: keys, checkpoints, ledgers and read models.
"""

from __future__ import annotations

import pytest
from e2e_stack import Stack
from test_e2e_signal import (
    test_a_signal_becomes_one_mail_one_send_a_reported_case_and_one_trace,
    test_notify_killed_after_the_handover_sends_one_mail_and_records_one_send,
)

from klachtspoor.eventstore.esdb import EsdbEventStore
from klachtspoor.eventstore.port import EventStore
from klachtspoor.eventstore.postgres import PostgresEventStore

EVENTSTORE = "esdb"
pytestmark = pytest.mark.slow

__all__ = [
    "test_a_signal_becomes_one_mail_one_send_a_reported_case_and_one_trace",
    "test_notify_killed_after_the_handover_sends_one_mail_and_records_one_send",
]


async def test_every_event_went_to_eventstoredb_and_none_to_postgres(stack: Stack, store: EventStore) -> None:
    """Runs after the walks above: their events are all in EventStoreDB, PostgreSQL's log is empty."""
    on_esdb = await store.read_all(limit=10_000)
    assert isinstance(store, EsdbEventStore)
    assert {"SignalReceived", "NotificationSent"} <= {e.type for e in on_esdb}
    postgres = await PostgresEventStore.connect(stack.database_url, notify=False, pool_size=1)
    try:
        assert await postgres.read_all(limit=1) == []
    finally:
        await postgres.close()
