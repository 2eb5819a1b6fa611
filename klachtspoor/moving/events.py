"""Walking a global log, and telling whether two stored events are the same one.

An event copied from one store to another is the same when everything stored about it is: stream,
version, id, type, tenant, schema version, data, metadata (the hash chain's link included) and
``recorded_at``. Only its global position is the new store's own.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Protocol

from klachtspoor.eventstore.port import START, LogFilter, Position, RecordedEvent


class LogReader(Protocol):
    """What walking a global log needs of a store (every adapter has it)."""

    async def read_all(
        self, *, after: Position = START, filter: LogFilter | None = None, limit: int = 1000
    ) -> list[RecordedEvent]: ...


async def global_log(store: LogReader, page: int) -> AsyncGenerator[RecordedEvent]:
    """Every event of ``store``'s global log, in log order, read ``page`` at a time."""
    after = START
    while events := await store.read_all(after=after, limit=page):
        for event in events:
            yield event
        after = events[-1].position


def difference(source: RecordedEvent, target: RecordedEvent) -> str | None:
    """What differs between an event of the source and the target's event in its place; None: nothing.

    Names fields only, never their values beyond ids and versions: data may be personal (encrypted,
    but still the case's)."""
    if (source.stream, source.version) != (target.stream, target.version):
        return f"the source has {source.stream} version {source.version} here ({source.event_id})"
    if source.event_id != target.event_id:
        return f"the source has event id {source.event_id} at this version"
    for field in ("type", "tenant", "schema_version", "recorded_at"):
        if getattr(source, field) != getattr(target, field):
            return f"its {field} differs from the source's"
    if dict(source.data) != dict(target.data):
        return "its data differs from the source's"
    if dict(source.metadata) != dict(target.metadata):
        return "its metadata differs from the source's"
    return None
