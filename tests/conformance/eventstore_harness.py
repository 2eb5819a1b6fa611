"""What the conformance suite needs from an adapter beyond the port: a writer that holds its transaction
open (sleeping inside it) and can roll back, to provoke late commits. Adapter-specific code lives only
here and in conftest.py."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import asyncpg

from klachtspoor.eventstore.memory import InMemoryEventStore
from klachtspoor.eventstore.port import AppendResult, EventStore, ExpectedVersion, NewEvent
from klachtspoor.eventstore.postgres import PostgresEventStore, RetryTransaction, append_in_transaction

Expect = ExpectedVersion | Callable[[], Awaitable[ExpectedVersion]]
"""A version, or how to read it after the pause before the append (inside the transaction, where the
writer's transaction id may already be older than the stream head's writer's)."""


async def _resolved(expected: Expect) -> ExpectedVersion:
    return await expected() if callable(expected) else expected


class SlowWriter(Protocol):
    async def append(
        self,
        stream: str,
        events: Sequence[NewEvent],
        expected: Expect,
        *,
        pause_before: float,
        pause_after: float,
        roll_back: bool,
    ) -> AppendResult | None:
        """Append inside a transaction that sleeps before and after; None when it was rolled back."""

    async def close(self) -> None: ...


class MemorySlowWriter:
    """The in-memory store has no transactions: a rolled-back append is one that never happens."""

    def __init__(self, store: InMemoryEventStore) -> None:
        self._store = store

    async def append(
        self,
        stream: str,
        events: Sequence[NewEvent],
        expected: Expect,
        *,
        pause_before: float,
        pause_after: float,
        roll_back: bool,
    ) -> AppendResult | None:
        await asyncio.sleep(pause_before)
        version = await _resolved(expected)
        result = None if roll_back else await self._store.append(stream, events, version)
        await asyncio.sleep(pause_after)
        return result

    async def close(self) -> None:
        return None


class _RollBack(Exception):
    pass


class PostgresSlowWriter:
    """Its own connection; the transaction sometimes takes its xid before sleeping, so it is older than
    transactions that append to the same stream meanwhile (what the per-stream order guard is for)."""

    def __init__(self, conn: asyncpg.Connection, store: PostgresEventStore) -> None:
        self._conn = conn
        self._store = store
        self.retries = 0

    async def append(
        self,
        stream: str,
        events: Sequence[NewEvent],
        expected: Expect,
        *,
        pause_before: float,
        pause_after: float,
        roll_back: bool,
    ) -> AppendResult | None:
        while True:
            try:
                async with self._conn.transaction():
                    if random.random() < 0.5:
                        await self._conn.execute("SELECT pg_current_xact_id()")
                    await asyncio.sleep(pause_before)
                    version = await _resolved(expected)
                    result = await append_in_transaction(self._conn, self._store, stream, events, version)
                    await asyncio.sleep(pause_after)
                    if roll_back:
                        raise _RollBack
                return result
            except _RollBack:
                return None
            except RetryTransaction:
                self.retries += 1

    async def close(self) -> None:
        await self._conn.close()


async def open_postgres_writer(url: str, store: EventStore) -> SlowWriter:
    assert isinstance(store, PostgresEventStore)
    return PostgresSlowWriter(await asyncpg.connect(url), store)


@dataclass(frozen=True)
class Adapter:
    store: EventStore
    open_writer: Callable[[], Awaitable[SlowWriter]]
    """A writer with a connection of its own that can sleep inside its transaction and roll back."""
