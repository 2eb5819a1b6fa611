"""The append: which statement carries it, and the meaning of its outcomes.

The common path is one prepared statement. One event to a new stream, or after an exact version, is a
plain ``INSERT`` (the order guard in its ``WHERE``); everything else calls ``eventstore.append_events``
or ``append_event``, whose PL/pgSQL costs the server about a third more CPU per append. The rare
outcomes (a wrong expected version, an existing stream, a version another writer took first, a recorded
event id) are resolved with one more query on the same connection, which decides whether the append
repeats an earlier one (an idempotent retry: success with the first result) or fails
(WrongExpectedVersion, DuplicateEventId).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, assert_never

import asyncpg

from klachtspoor.eventstore.errors import (
    DuplicateEventId,
    EventStoreError,
    InvalidAppend,
    WrongExpectedVersion,
)
from klachtspoor.eventstore.port import AppendResult, ExpectedVersion, NewEvent, Position, StreamState

APPEND_SQL = (
    "SELECT new_version, commit_xid, last_position"
    " FROM eventstore.append_events($1, $2, $3, $4, $5, $6, $7, $8)"
)
APPEND_ONE_SQL = (
    "SELECT new_version, commit_xid, last_position"
    " FROM eventstore.append_event($1, $2, $3, $4, $5, $6, $7, $8)"
)
_INSERT = (
    "INSERT INTO eventstore.events"
    " (xid, stream_name, version, event_id, type, tenant, data, metadata, schema_version)"
)
_RETURNING = " RETURNING version AS new_version, xid AS commit_xid, global_position AS last_position"
INSERT_FIRST_SQL = (
    _INSERT + " VALUES (pg_current_xact_id(), $1, $2 + 1, $3, $4, $5, $6::jsonb, $7::jsonb, $8)" + _RETURNING
)
"""One event to a new stream ($2 is -1): the (stream, version) index refuses an existing stream."""
INSERT_NEXT_SQL = (
    _INSERT + " SELECT pg_current_xact_id(), $1, $2 + 1, $3, $4, $5, $6::jsonb, $7::jsonb, $8"
    " FROM eventstore.events AS h"
    " WHERE h.stream_name = $1 AND h.version = $2 AND h.xid <= pg_current_xact_id()" + _RETURNING
)
"""One event after exact version $2: inserts nothing when that version is missing or was written by a
younger transaction (the order guard); the (stream, version) index refuses a stream that moved on."""
_HEAD_SQL = "SELECT max(version) FROM eventstore.events WHERE stream_name = $1"
_FIND_IDS_SQL = (
    "SELECT event_id, stream_name, version, xid, global_position"
    " FROM eventstore.events WHERE event_id = ANY($1::uuid[])"
)
EVENT_ID_KEY = "events_event_id_key"
STREAM_VERSION_KEY = "events_stream_version_key"


class RetryTransaction(EventStoreError):
    """Retry the append in a new transaction: the per-stream order guard refused, or another transaction
    took the next version of a stream expected at any version (or to exist) while we looked."""


def encode_expected(expected: ExpectedVersion) -> int:
    """The function's encoding: a version >= 0, or -1 no stream, -2 any, -3 exists."""
    match expected:
        case StreamState.NO_STREAM:
            return -1
        case StreamState.ANY:
            return -2
        case StreamState.EXISTS:
            return -3
        case int():
            if expected < 0:
                raise InvalidAppend(f"Expected version {expected} is negative; use a StreamState")
            return expected
        case _:
            assert_never(expected)


def append_call(
    stream: str, events: Sequence[NewEvent], expected: ExpectedVersion, payloads: list[tuple[str, str]]
) -> tuple[str, tuple[Any, ...]]:
    """Statement and arguments. ``payloads``: (data, metadata) JSON from ``check_append``.

    One event goes as scalars: encoding arrays costs client and server CPU that the common case need not
    pay; to a new stream or after an exact version, as a plain ``INSERT``.
    """
    if len(events) == 1:
        event, (data, metadata) = events[0], payloads[0]
        match expected:
            case StreamState.NO_STREAM:
                sql = INSERT_FIRST_SQL
            case int():
                sql = INSERT_NEXT_SQL
            case _:
                sql = APPEND_ONE_SQL
        return sql, (
            stream,
            encode_expected(expected),
            event.event_id,
            event.type,
            event.tenant,
            data,
            metadata,
            event.schema_version,
        )
    return APPEND_SQL, (
        stream,
        encode_expected(expected),
        [e.event_id for e in events],
        [e.type for e in events],
        [e.tenant for e in events],
        [data for data, _ in payloads],
        [metadata for _, metadata in payloads],
        [e.schema_version for e in events],
    )


async def append_once(
    conn: asyncpg.Connection,
    stream: str,
    events: Sequence[NewEvent],
    expected: ExpectedVersion,
    call: tuple[str, tuple[Any, ...]],
    *,
    savepoint: bool = False,
) -> AppendResult:
    """One call of the function and its resolved outcome; RetryTransaction when it must be retried.

    ``savepoint``: the caller's transaction is open; a violation then rolls back only the savepoint.
    """
    sql, args = call
    try:
        if savepoint:
            async with conn.transaction():
                row = await conn.fetchrow(sql, *args)
        else:
            row = await conn.fetchrow(sql, *args)
    except asyncpg.SerializationError as exc:
        raise RetryTransaction(f"Append to {stream}: {exc}") from exc
    except asyncpg.UniqueViolationError as exc:
        if exc.constraint_name == STREAM_VERSION_KEY and expected in (StreamState.ANY, StreamState.EXISTS):
            raise RetryTransaction(f"Another transaction appended to {stream} meanwhile") from exc
        if exc.constraint_name == STREAM_VERSION_KEY:  # the stream exists, or moved past the expected version
            return await _repeat_or(conn, stream, events, expected, await conn.fetchval(_HEAD_SQL, stream))
        if exc.constraint_name == EVENT_ID_KEY:
            earlier = await find_earlier_append(conn, stream, events)
            if earlier is None:
                raise EventStoreError(
                    f"Append to {stream} hit a duplicate event id that is not recorded"
                ) from exc
            return earlier
        raise
    if row is None and sql is INSERT_NEXT_SQL:
        return await _not_inserted(conn, stream, events, expected)
    if row is None:
        raise EventStoreError(f"eventstore.append_events returned no row appending to {stream}")
    if row["commit_xid"] is None:
        return await _repeat_or(conn, stream, events, expected, row["new_version"])
    return AppendResult(row["new_version"], Position(row["commit_xid"], row["last_position"]))


async def _not_inserted(
    conn: asyncpg.Connection, stream: str, events: Sequence[NewEvent], expected: ExpectedVersion
) -> AppendResult:
    """The insert after an exact version found no such head: the version is wrong (or this append
    repeats an earlier one), or the head is that version and the order guard refused."""
    head = await conn.fetchval(_HEAD_SQL, stream)
    if head != expected:
        return await _repeat_or(conn, stream, events, expected, head)
    raise RetryTransaction(f"Stream {stream} was last written by a younger transaction")


async def _repeat_or(
    conn: asyncpg.Connection,
    stream: str,
    events: Sequence[NewEvent],
    expected: ExpectedVersion,
    actual: int | None,
) -> AppendResult:
    """The version did not match: success if this append repeats an earlier one, else the error."""
    earlier = await find_earlier_append(conn, stream, events)
    if earlier is None:
        raise WrongExpectedVersion(stream, expected, actual)
    return earlier


async def find_earlier_append(
    conn: asyncpg.Connection, stream: str, events: Sequence[NewEvent]
) -> AppendResult | None:
    """If these event ids are already recorded: the first result of that append, or DuplicateEventId.

    None when none of the ids is recorded. The ids are a retry only when all of them are in ``stream``
    as consecutive versions in the same order; any other overlap is a clash.
    """
    ids = [e.event_id for e in events]
    rows = {row["event_id"]: row for row in await conn.fetch(_FIND_IDS_SQL, ids)}
    if not rows:
        return None
    first = rows.get(ids[0])
    if first is not None and first["stream_name"] == stream:
        found = [rows.get(event_id) for event_id in ids]
        if all(
            row is not None and row["stream_name"] == stream and row["version"] == first["version"] + offset
            for offset, row in enumerate(found)
        ):
            last = found[-1]
            assert last is not None
            return AppendResult(last["version"], Position(last["xid"], last["global_position"]))
    clash = next(event_id for event_id in ids if event_id in rows)
    raise DuplicateEventId(clash, stream, rows[clash]["stream_name"])
