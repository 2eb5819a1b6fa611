"""How port events map onto EventStoreDB records and back, and the port's expected versions on the wire.

The tenant and schema version travel in the record's metadata next to the caller's metadata, so that a
record read back rebuilds the port's event without a second lookup. An event copied from another store
(``klachtspoor eventstore copy``) also carries the ``recorded_at`` it had there: EventStoreDB stamps every
record with the moment it wrote it, and a moved history must keep the moments it was recorded at
(a replay as of T shows what had been recorded by T).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import esdbclient

from klachtspoor.eventstore.errors import InvalidAppend, WrongExpectedVersion
from klachtspoor.eventstore.port import ExpectedVersion, NewEvent, Position, RecordedEvent, StreamState

_CURRENT = re.compile(r"Stream position of last event is (\d+)")


def to_new_event(
    event: NewEvent, data: str, metadata: str, recorded_at: datetime | None = None
) -> esdbclient.NewEvent:
    tenant = json.dumps(event.tenant)
    kept = "" if recorded_at is None else f',"recorded_at":"{_instant(recorded_at)}"'
    envelope = f'{{"tenant":{tenant},"schema_version":{event.schema_version},"metadata":{metadata}{kept}}}'
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
        recorded_at=_recorded_at(envelope.get("recorded_at"), record),
    )


def copied(events: Sequence[RecordedEvent]) -> tuple[list[NewEvent], list[datetime]]:
    """Events read from another store as new ones with their metadata as stored (so a bare adapter's,
    chain link included), and the moments they were recorded there."""
    new = [
        NewEvent(e.event_id, e.type, e.tenant, _plain(e.data), _plain(e.metadata), e.schema_version)
        for e in events
    ]
    return new, [e.recorded_at for e in events]


def _plain(value: Mapping[str, Any]) -> dict[str, Any]:
    """A mapping read from a store (a lazily parsed JSON object) as the dict the JSON encoder takes."""
    return value if isinstance(value, dict) else dict(value)


def _instant(moment: datetime) -> str:
    """ISO 8601 with microseconds and offset, which :func:`datetime.fromisoformat` reads back exactly."""
    if moment.tzinfo is None:
        raise InvalidAppend(f"recorded_at {moment.isoformat()} has no time zone")
    return moment.isoformat(timespec="microseconds")


def _recorded_at(kept: object, record: esdbclient.RecordedEvent) -> datetime:
    """The moment a copied event was recorded in its first store, else when this server wrote it."""
    if isinstance(kept, str):
        return datetime.fromisoformat(kept)
    return record.recorded_at or datetime.now(UTC)


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
