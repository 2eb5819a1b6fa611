"""Rebuilding a projection from the start of the log while its service keeps running.

1. **Shadows.** Under a session advisory lock (one rebuild of a projection at a time), empty shadow
   copies of the projection's tables are created (:mod:`klachtspoor.projections.shadow`).
2. **Bulk.** The global log is read from the start in large pages (the next page is asked for while the
   current one is folded) and folded in memory by the projection's :class:`BatchFold`, which writes in
   bulk into the shadows. The live tables and the live subscriber are not touched.
3. **Keys, then catch up.** The live tables' keys and indexes are built on the shadows; the events
   appended meanwhile are folded and written.
4. **Swap, in one transaction.** The live tables are locked (ACCESS EXCLUSIVE, with a short lock timeout
   and tried again, so the rebuild never waits inside a lock cycle with the subscriber's batch), then the
   subscriber's checkpoint row (FOR UPDATE). The running subscriber now waits at its next statement. The
   rest of the log is folded into the shadows; the shadows replace the live tables; the checkpoint is set
   to the last event folded and the subscriber's parked events up to it are replaced by the rebuild's.
   On commit the subscriber goes on from where it was: an event it handles again (at or before the new
   checkpoint) changes nothing, because every projection's handler is idempotent per event (rows move
   only for a higher stream version), and every later event it handles as always.

A rebuild that fails or is killed before the swap commits leaves the live tables, the checkpoint and the
parked events as they were; its shadows are dropped by the next rebuild.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import asyncpg

from klachtspoor.eventstore.port import START, EventStore, Position, RecordedEvent
from klachtspoor.projections import shadow
from klachtspoor.projections.model import BatchFold, RebuildableProjection
from klachtspoor.subscriptions import tables as subscription_tables
from klachtspoor.subscriptions.schema import apply_schema as apply_subscriptions_schema

log = logging.getLogger(__name__)

Progress = Callable[[int], None]
"""Told the number of events read so far, after each page."""

_LOCK_TIMEOUT = "200ms"
_LOCK_ATTEMPTS = 100
_BULK_GC_THRESHOLDS = (100_000, 50, 100)
"""The cyclic collector's thresholds while a rebuild runs (the default is 700, 10, 10)."""


class RebuildBusy(RuntimeError):
    """Another rebuild of the same projection holds its lock."""


@dataclass(frozen=True, slots=True)
class RebuildResult:
    name: str
    events: int
    """Events read (the projection's filter applied by the store)."""
    parked: int
    """Events the fold refused, parked for the subscriber as it would have parked them."""
    checkpoint: Position
    seconds: float

    @property
    def events_per_s(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


@dataclass
class _Parked:
    event: RecordedEvent
    error: Exception


class _Reader:
    """Reads the log after a position in pages, asking for the next page while the caller folds this one."""

    def __init__(self, store: EventStore, projection: RebuildableProjection, page: int) -> None:
        self._store = store
        self._filter = projection.filter
        self._page = page
        self.position = START
        self._ahead: asyncio.Task[list[RecordedEvent]] | None = None

    async def next_page(self) -> list[RecordedEvent]:
        if self._ahead is not None:
            events, self._ahead = await self._ahead, None
        else:
            events = await self._read(self.position)
        if events:
            self.position = events[-1].position
            if len(events) == self._page:
                self._ahead = asyncio.create_task(self._read(self.position))
                await asyncio.sleep(0)  # let the query go out before the caller folds
        return events

    async def _read(self, after: Position) -> list[RecordedEvent]:
        return await self._store.read_all(after=after, filter=self._filter, limit=self._page)

    async def close(self) -> None:
        if self._ahead is not None:
            self._ahead.cancel()
            await asyncio.gather(self._ahead, return_exceptions=True)
            self._ahead = None


class _Run:
    def __init__(
        self,
        store: EventStore,
        conn: asyncpg.Connection,
        projection: RebuildableProjection,
        *,
        page: int,
        write_every: int,
        progress: Progress | None,
    ) -> None:
        self.conn = conn
        self.projection = projection
        self.reader = _Reader(store, projection, page)
        self.fold: BatchFold = projection.fold()
        self.write_every = write_every
        self.progress = progress
        self.events = 0
        self.parked: list[_Parked] = []
        self.shadows: dict[str, str] = {}

    async def read_to_head(self, *, complete: bool) -> None:
        """Fold pages until the log has no more, writing every ``write_every`` events and at the end."""
        unwritten = 0
        while events := await self.reader.next_page():
            for event in events:
                try:
                    self.fold.feed(event)
                except Exception as error:  # parked with its error, as the live subscriber would park it
                    self.parked.append(_Parked(event, error))
            self.events += len(events)
            unwritten += len(events)
            if self.progress is not None:
                self.progress(self.events)
            if unwritten >= self.write_every:
                async with self.conn.transaction():
                    await self.fold.write(self.conn, self.shadows, complete=False)
                unwritten = 0
        async with self.conn.transaction():
            await self.fold.write(self.conn, self.shadows, complete=complete)

    async def swap(self) -> None:
        """The last events and the swap, in one transaction (see the module)."""
        name, live = self.projection.name, self.projection.tables
        for attempt in range(1, _LOCK_ATTEMPTS + 1):
            try:
                async with self.conn.transaction():
                    await self.conn.execute(f"SET LOCAL lock_timeout = '{_LOCK_TIMEOUT}'")
                    await self.conn.execute(
                        f"LOCK TABLE {', '.join(shadow.qualified(t) for t in live)} IN ACCESS EXCLUSIVE MODE"
                    )
                    live_checkpoint = await _lock_checkpoint(self.conn, name)
                    await self.conn.execute("SET LOCAL lock_timeout TO DEFAULT")
                    await self.read_to_head(complete=True)
                    if self.reader.position < live_checkpoint:
                        raise RuntimeError(
                            f"Rebuild of {name} read up to {self.reader.position}, but its subscriber is at "
                            f"{live_checkpoint}: the store gave the rebuild less than the subscriber"
                        )
                    await shadow.swap(self.conn, live)
                    await self._set_checkpoint()
                return
            except asyncpg.LockNotAvailableError:
                log.info("Rebuild of %s: the tables are busy, trying again (%d)", name, attempt)
                await asyncio.sleep(min(0.05 * attempt, 1.0))
        raise RuntimeError(f"Rebuild of {name}: could not lock its tables in {_LOCK_ATTEMPTS} attempts")

    async def _set_checkpoint(self) -> None:
        name, position = self.projection.name, self.reader.position
        await self.conn.execute(
            "DELETE FROM subscriptions.parked WHERE subscriber = $1 "
            "AND (commit_position, sequence_position) <= ($2, $3)",
            name,
            position.commit,
            position.sequence,
        )
        for parked in self.parked:
            await subscription_tables.park(self.conn, name, parked.event, parked.error, 1)
        if position == START:
            await self.conn.execute("DELETE FROM subscriptions.checkpoints WHERE subscriber = $1", name)
        else:
            await subscription_tables.save_checkpoint(self.conn, name, position)


async def _lock_checkpoint(conn: asyncpg.Connection, name: str) -> Position:
    """The subscriber's committed checkpoint, its row locked (created first when it has none, so the
    subscriber's first save waits for the swap too)."""
    await conn.execute(
        "INSERT INTO subscriptions.checkpoints (subscriber, commit_position, sequence_position) "
        "VALUES ($1, $2, $3) ON CONFLICT (subscriber) DO NOTHING",
        name,
        START.commit,
        START.sequence,
    )
    row = await conn.fetchrow(
        "SELECT commit_position, sequence_position FROM subscriptions.checkpoints WHERE subscriber = $1 "
        "FOR UPDATE",
        name,
    )
    assert row is not None  # inserted above when missing
    return Position(row["commit_position"], row["sequence_position"])


@contextmanager
def _bulk_collection() -> Iterator[None]:
    """The cyclic garbage collector seldom, while a fold builds its state.

    A fold allocates several objects per event (parsed JSON, validated events, folded states) and keeps a
    state per case that grows to hundreds of thousands of objects. The default collections walk that
    state again and again as it grows, and the whole process's objects (modules, classes) besides:
    measured on a rebuild of 200,000 events, a fifth of its CPU time. Folded states hold no reference
    cycles, and most objects are freed by their reference counts as before; only cyclic garbage waits
    longer. So the objects alive before are frozen (never walked), the young generation is collected
    every 100,000 allocations instead of 700, the older ones in proportion, and all is put back when the
    rebuild ends.
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*_BULK_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


async def rebuild_projection(
    store: EventStore,
    conn: asyncpg.Connection,
    projection: RebuildableProjection,
    *,
    page: int = 5000,
    write_every: int = 100_000,
    progress: Progress | None = None,
) -> RebuildResult:
    """Rebuild ``projection`` on ``conn`` (its database, outside a transaction) from ``store``'s log."""
    started = time.perf_counter()
    await projection.prepare(conn)
    await apply_subscriptions_schema(conn)
    lock_key = f"klachtspoor.rebuild:{projection.name}"
    if not await conn.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", lock_key):
        raise RebuildBusy(f"Another rebuild of {projection.name} is running")
    run = _Run(store, conn, projection, page=page, write_every=write_every, progress=progress)
    try:
        with _bulk_collection():
            run.shadows = await shadow.create_shadows(conn, projection.tables)
            await run.read_to_head(complete=True)
            await shadow.index_shadows(conn, projection.tables)
            await run.read_to_head(complete=True)
            await run.swap()
            # The fold's state goes before the collector's thresholds come back, or the first collections
            # after would walk all of it once more.
            del run.fold
    finally:
        await run.reader.close()
        await conn.execute("SELECT pg_advisory_unlock(hashtext($1))", lock_key)
    seconds = time.perf_counter() - started
    result = RebuildResult(projection.name, run.events, len(run.parked), run.reader.position, seconds)
    log.info(
        "Rebuilt %s from %d events in %.1f s (%d parked)",
        projection.name,
        result.events,
        seconds,
        result.parked,
        extra={"ks_subscriber": projection.name, "ks_position": str(result.checkpoint)},
    )
    return result
