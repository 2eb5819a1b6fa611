"""How port events map onto EventStoreDB records and back, and the port's expected versions on the wire.

The tenant and schema version travel in the record's metadata next to the caller's metadata, so that a
record read back rebuilds the port's event without a second lookup.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import esdbclient

from klachtspoor.eventstore.errors import InvalidAppend, WrongExpectedVersion
from klachtspoor.eventstore.port import ExpectedVersion, NewEvent, Position, RecordedEvent, StreamState

_CURRENT = re.compile(r"Stream position of last event is (\d+)")


def to_new_event(event: NewEvent, data: str, metadata: str) -> esdbclient.NewEvent:
    tenant = json.dumps(event.tenant)
    envelope = f'{{"tenant":{tenant},"schema_version":{event.schema_version},"metadata":{metadata}}}'
    return esdbclient.NewEvent(
        id=event.event_id, type=event.type, data=data.encode(), metadata=envelope.encode()
    )


def from_recorded(record: esdbclient.RecordedEvent, stream: str) -> RecordedEvent:
    """``stream`` is the port's name of the record's stream (see :class:`StreamNames`)."""
    envelope = json.loads(record.metadata)
    commit = record.commit_position if record.commit_position is not None else -1
    return RecordedEvent(
        stream=stream,
        version=record.stream_position,
        position=Position(commit, commit),
        event_id=record.id,
        type=record.type,
        tenant=envelope["tenant"],
        data=json.loads(record.data),
        metadata=envelope["metadata"],
        schema_version=envelope["schema_version"],
        recorded_at=record.recorded_at or datetime.now(UTC),
    )


def wire_version(stream: str, expected: ExpectedVersion) -> int | esdbclient.StreamState:
    match expected:
        case StreamState.ANY:
            return esdbclient.StreamState.ANY
        case StreamState.NO_STREAM:
            return esdbclient.StreamState.NO_STREAM
        case StreamState.EXISTS:
            return esdbclient.StreamState.EXISTS
        case int() if expected < 0:
            raise InvalidAppend(f"Expected version {expected} of {stream} is negative; use a StreamState")
        case int():
            return expected


def wrong_version(stream: str, expected: ExpectedVersion, error: Exception) -> WrongExpectedVersion:
    """esdbclient words the current version into its message only: read it back from there."""
    found = _CURRENT.search(str(error))
    return WrongExpectedVersion(stream, expected, int(found.group(1)) if found else None)
