"""Appending inside a transaction the caller controls: the events commit or roll back with it."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from klachtspoor.eventstore.port import AppendResult, EventStore, ExpectedVersion, NewEvent
from klachtspoor.eventstore.postgres.append import append_call, append_once


async def append_in_transaction(
    conn: asyncpg.Connection,
    store: EventStore,
    stream: str,
    events: Sequence[NewEvent],
    expected: ExpectedVersion,
) -> AppendResult:
    """Append on ``conn``, which must be inside a transaction, validated by ``store.check_append``.

    Raises what ``store.append`` raises, and RetryTransaction when the per-stream order guard refuses:
    the caller must then roll back and run its whole transaction again (it gets a newer xid). Local
    subscribers of ``store`` are not woken; they see the events at their next poll or notification.
    """
    if not conn.is_in_transaction():
        raise ValueError("append_in_transaction needs a connection inside a transaction")
    payloads = store.check_append(stream, events)
    call = append_call(stream, events, expected, payloads)
    return await append_once(conn, stream, events, expected, call, savepoint=True)
