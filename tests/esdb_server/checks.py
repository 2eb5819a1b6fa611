"""Whether an append or a deletion may go ahead: EventStoreDB's rules, and the records they work on.

Appends follow ``IndexWriter.CheckCommit`` of EventStoreDB (src/EventStore.Core/Services/Storage/
ReaderIndex/IndexWriter.cs), which checks against the stream's last revision, also when the stream is
soft-deleted:

- a tombstoned stream refuses everything; ``STREAM_EXISTS`` on a soft-deleted stream is refused as
  deleted, and on a stream that never existed as a wrong version;
- ``ANY`` and ``STREAM_EXISTS``: when the batch's first id is not in the stream the batch is written;
  when all are, it is an idempotent retry (acknowledged with the last one's revision and position);
  when only some are, the retry is corrupted and refused as a wrong version (esdbclient's
  ``test_stream_append_event_with_current_version`` sees a real server refuse such a "mixture" with
  ``WrongCurrentVersion``);
- an exact revision or ``NO_STREAM`` below the last revision: the batch is a retry when its ids are the
  events that followed that revision, else a wrong version, except ``NO_STREAM`` on a soft-deleted stream,
  which recreates it with revisions continuing;
- an expected revision above the last one is refused; one equal to it is written (recreating a
  soft-deleted stream).

Deletions follow what esdbclient's own test suite (tests/test_client.py, ``test_stream_delete_*`` and
``test_tombstone_stream_*``, run against EventStoreDB) observes: the expected version is checked against
the last revision the stream ever had, so a soft-deleted stream may be deleted again at it; soft-deleting
a stream that never existed is refused (esdbclient raises ``NotFound``), tombstoning one is not;
``STREAM_EXISTS`` on a soft-deleted stream is refused as deleted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .log import Log

DELETED = 2**63 - 1
"""EventStoreDB's ``EventNumber.DeletedStream``: a tombstone's revision, a soft-deleted stream's ``$tb``."""


class Expected(Enum):
    """The expected-revision options of an append that are not an exact revision."""

    ANY = "any"
    NO_STREAM = "no_stream"
    STREAM_EXISTS = "stream_exists"


@dataclass(frozen=True)
class Proposed:
    """One event as the client proposes it."""

    id: uuid.UUID
    type: str
    content_type: str
    data: bytes
    custom_metadata: bytes


@dataclass(frozen=True)
class Recorded:
    """One event as written: the proposal plus where it landed."""

    proposed: Proposed
    stream: str
    revision: int
    commit_position: int
    created_ticks: int
    """.NET ticks (100 ns since the Unix epoch), as EventStoreDB puts in the ``created`` metadata."""


@dataclass(frozen=True)
class Appended:
    """A successful append: the stream's new last revision and the batch's commit position.

    ``retried`` marks an idempotent retry: the revision and position of the retried batch's last event.
    """

    revision: int
    commit_position: int
    retried: bool = False


@dataclass(frozen=True)
class WrongExpected:
    """A refused append: ``current`` is None when the stream never existed."""

    current: int | None


@dataclass(frozen=True)
class StreamDeleted:
    """A refused write or read: the stream is tombstoned (or, for ``STREAM_EXISTS``, soft-deleted)."""


@dataclass(frozen=True)
class Idempotent:
    """The batch was written before: ``last`` is the record of its last event."""

    last: Recorded


@dataclass(frozen=True)
class Ok:
    """The batch may be written after the stream's last revision."""


def check_append(
    log: Log, stream: str, expected: Expected | int, ids: list[uuid.UUID]
) -> Ok | Idempotent | WrongExpected | StreamDeleted:
    if stream in log.tombstoned:
        return StreamDeleted()
    records = log.streams.get(stream, [])
    current = records[-1].revision if records else -1
    wrong = WrongExpected(None if current < 0 else current)
    soft_deleted = log.soft_deleted(stream)
    if expected is Expected.STREAM_EXISTS:
        if soft_deleted:
            return StreamDeleted()
        if current < 0 and f"$${stream}" not in log.streams:
            return wrong
    if expected in (Expected.ANY, Expected.STREAM_EXISTS):
        by_id = {r.proposed.id: r for r in records}
        found = [by_id.get(i) for i in ids]
        if not found or found[0] is None:
            return Ok()
        last = found[-1]
        return wrong if any(f is None for f in found) or last is None else Idempotent(last)
    after = -1 if expected is Expected.NO_STREAM else int(expected)  # type: ignore[arg-type]
    if after < current:
        for n, event_id in enumerate(ids):
            revision = after + 1 + n
            if revision <= current and records[revision].proposed.id == event_id:
                continue
            if n == 0 and expected is Expected.NO_STREAM and soft_deleted:
                return Ok()
            return wrong  # the first id differs (a wrong version) or a later one does (corrupted retry)
        return Idempotent(records[after + len(ids)]) if ids else wrong
    return wrong if after > current else Ok()


def check_delete(
    log: Log, stream: str, expected: Expected | int, *, tombstone: bool
) -> WrongExpected | StreamDeleted | None:
    """None when the deletion may go ahead."""
    if stream in log.tombstoned:
        return StreamDeleted()
    records = log.streams.get(stream, [])
    current = records[-1].revision if records else None
    if current is None and not tombstone:
        return WrongExpected(None)
    if expected is Expected.STREAM_EXISTS and log.soft_deleted(stream):
        return StreamDeleted()
    match expected:
        case Expected.ANY:
            holds = True
        case Expected.NO_STREAM:
            holds = current is None
        case Expected.STREAM_EXISTS:
            holds = current is not None
        case int():
            holds = current == expected
    return None if holds else WrongExpected(current)
