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
import logging
import time
from dataclasses import dataclass

import asyncpg

from klachtspoor.eventstore.port import START, EventStore, Position
from klachtspoor.projections import shadow
from klachtspoor.projections.folding import (
    Folder,
    FoldState,
    LocalFolder,
    Parked,
    Progress,
    ShareFold,
    bulk_collection,
)
from klachtspoor.projections.model import RebuildableProjection
from klachtspoor.projections.shares import RemoteFolder
from klachtspoor.settings import Settings
from klachtspoor.subscriptions import tables as subscription_tables
from klachtspoor.subscriptions.schema import apply_schema as apply_subscriptions_schema

log = logging.getLogger(__name__)

_LOCK_TIMEOUT = "200ms"
_LOCK_ATTEMPTS = 100


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
    processes: int = 1
    """How many processes folded it (one per share of the streams)."""

    @property
    def events_per_s(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


class _Run:
    """The folders of one rebuild, moved through its phases together."""

    def __init__(
        self, conn: asyncpg.Connection, projection: RebuildableProjection, folders: list[Folder]
    ) -> None:
        self.conn = conn
        self.projection = projection
        self.folders = folders
        self.state = FoldState(0, START, ())

    async def read_to_head(self, *, complete: bool) -> None:
        """Every folder to the head of the log. The run is as far as the least far folder: the checkpoint.

        A folder that read further has folded events after the checkpoint too. The subscriber handles
        those again after the swap, which changes nothing (every handler is idempotent per event); events
        parked after the checkpoint are left for the subscriber to park again.
        """
        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(folder.read_to_head(complete=complete)) for folder in self.folders]
        except ExceptionGroup as failed:
            if len(failed.exceptions) == 1:  # one folder failed, the others were cancelled: its error
                raise failed.exceptions[0] from None
            raise
        states = [task.result() for task in tasks]
        position = min(state.position for state in states)
        parked = tuple(p for state in states for p in state.parked if p.event.position <= position)
        self.state = FoldState(states[0].events, position, parked)

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
                    if self.state.position < live_checkpoint:
                        raise RuntimeError(
                            f"Rebuild of {name} read up to {self.state.position}, but its subscriber is at "
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
        name, position = self.projection.name, self.state.position
        await self.conn.execute(
            "DELETE FROM subscriptions.parked WHERE subscriber = $1 "
            "AND (commit_position, sequence_position) <= ($2, $3)",
            name,
            position.commit,
            position.sequence,
        )
        for parked in self.state.parked:
            await _park(self.conn, name, parked)
        if position == START:
            await self.conn.execute("DELETE FROM subscriptions.checkpoints WHERE subscriber = $1", name)
        else:
            await subscription_tables.save_checkpoint(self.conn, name, position)


async def _park(conn: asyncpg.Connection, name: str, parked: Parked) -> None:
    await subscription_tables.park_described(conn, name, parked.event, parked.error_type, parked.error, 1)


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


async def rebuild_projection(
    store: EventStore,
    conn: asyncpg.Connection,
    projection: RebuildableProjection,
    *,
    page: int = 5000,
    write_every: int = 100_000,
    progress: Progress | None = None,
    processes: int = 1,
    settings: Settings | None = None,
) -> RebuildResult:
    """Rebuild ``projection`` on ``conn`` (its database, outside a transaction) from ``store``'s log.

    With ``processes`` above 1, a projection that is per stream is folded in that many processes
    (:mod:`klachtspoor.projections.shares`); they open their store from ``settings``, which must then
    name the same store as ``store``. Any other projection is folded here alone.
    """
    started = time.perf_counter()
    shares = processes if projection.per_stream else 1
    if shares > 1 and settings is None:
        raise ValueError(f"Rebuild of {projection.name} in {shares} processes: the settings are needed")
    await projection.prepare(conn)
    await apply_subscriptions_schema(conn)
    lock_key = f"klachtspoor.rebuild:{projection.name}"
    if not await conn.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", lock_key):
        raise RebuildBusy(f"Another rebuild of {projection.name} is running")
    folders: list[LocalFolder | RemoteFolder] = []
    try:
        with bulk_collection():
            shadows = await shadow.create_shadows(conn, projection.tables)
            fold = projection.fold()
            if shares > 1:
                assert settings is not None
                for share in range(1, shares):
                    folders.append(
                        RemoteFolder(
                            settings,
                            projection.database_url,
                            projection.filter,
                            projection.fold,
                            shadows,
                            share=share,
                            shares=shares,
                            page=page,
                            write_every=write_every,
                        )
                    )
                fold = ShareFold(fold, 0, shares)
            local = LocalFolder(
                store,
                conn,
                projection.filter,
                fold,
                shadows,
                page=page,
                write_every=write_every,
                progress=progress,
            )
            folders.insert(0, local)
            run = _Run(conn, projection, list(folders))
            await run.read_to_head(complete=True)
            await shadow.index_shadows(conn, projection.tables)
            await run.read_to_head(complete=True)
            await run.swap()
            del fold
            await local.close()
    finally:
        for folder in folders:
            await folder.close()
        await conn.execute("SELECT pg_advisory_unlock(hashtext($1))", lock_key)
    seconds = time.perf_counter() - started
    state = run.state
    result = RebuildResult(projection.name, state.events, len(state.parked), state.position, seconds, shares)
    log.info(
        "Rebuilt %s from %d events in %.1f s in %d process(es) (%d parked)",
        projection.name,
        result.events,
        seconds,
        shares,
        result.parked,
        extra={"ks_subscriber": projection.name, "ks_position": str(result.checkpoint)},
    )
    return result
