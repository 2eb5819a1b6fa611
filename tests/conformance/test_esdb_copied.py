"""The EventStoreDB adapter's ``append_copied``: events from another store keep the moment they were
recorded there and their metadata as stored; a resent copy is a no-op; the stream goes on as usual."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from uuid import uuid4

import pytest

from klachtspoor.eventstore.errors import InvalidAppend
from klachtspoor.eventstore.esdb import EsdbEventStore
from klachtspoor.eventstore.jsondoc import JsonObject
from klachtspoor.eventstore.port import START, NewEvent, Position, RecordedEvent, StreamState

RECORDED = datetime(2025, 3, 4, 5, 6, 7, 891011, tzinfo=timezone(timedelta(hours=1)))


def _elsewhere(version: int, recorded_at: datetime = RECORDED) -> RecordedEvent:
    """An event as PostgreSQL's adapter reads it: JSON parsed lazily, a chain link in the metadata."""
    return RecordedEvent(
        stream="case:t1:moved",
        version=version,
        position=Position(700 + version, 9 + version),
        event_id=uuid4(),
        type="NotitieToegevoegd",
        tenant="t1",
        data=JsonObject(json.dumps({"tekst": "enc:v1:QUJD", "n": version})),
        metadata=JsonObject(json.dumps({"chain": {"v": 1, "prev": "0" * 64, "hash": "a" * 64}})),
        schema_version=2,
        recorded_at=recorded_at + timedelta(seconds=version),
    )


async def test_copied_events_keep_recorded_at_and_stored_metadata_and_a_resend_writes_nothing(
    esdb_store: EsdbEventStore,
) -> None:
    copied = [_elsewhere(0), _elsewhere(1)]
    first = await esdb_store.append_copied("case:t1:moved", copied, StreamState.NO_STREAM)
    again = await esdb_store.append_copied("case:t1:moved", copied, StreamState.NO_STREAM)
    assert again == first and first.version == 1

    later = NewEvent(uuid4(), "NotitieToegevoegd", "t1", {"n": 2})
    assert (await esdb_store.append("case:t1:moved", [later], 1)).version == 2
    read = await esdb_store.read_stream("case:t1:moved")
    assert [(e.event_id, e.version, e.recorded_at) for e in read[:2]] == [
        (c.event_id, c.version, c.recorded_at) for c in copied
    ]
    assert read[0].recorded_at.utcoffset() == timedelta(hours=1)
    assert [dict(e.metadata) for e in read[:2]] == [dict(c.metadata) for c in copied]
    assert [(dict(e.data), e.schema_version) for e in read[:2]] == [(dict(c.data), 2) for c in copied]
    assert read[2].recorded_at.tzinfo is not None and read[2].recorded_at > RECORDED  # the server's own
    assert [e.event_id for e in await esdb_store.read_all(after=START)] == [
        *(c.event_id for c in copied),
        later.event_id,
    ]


async def test_a_recorded_at_without_time_zone_is_refused(esdb_store: EsdbEventStore) -> None:
    naive = _elsewhere(0, datetime(2025, 3, 4, 5, 6, 7))
    with pytest.raises(InvalidAppend, match="has no time zone"):
        await esdb_store.append_copied("case:t1:moved", [naive], StreamState.NO_STREAM)
    assert await esdb_store.read_stream("case:t1:moved") == []
