"""One fold of a rebuild: the log read in pages, fed to a :class:`BatchFold`, written into the shadows.

A rebuild runs one :class:`Folder` per share of the streams (:mod:`klachtspoor.projections.shares`); a
projection that cannot be split has a single share, folded in the rebuilding process itself.
"""

from __future__ import annotations

import asyncio
import gc
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

import asyncpg

from klachtspoor.eventstore.port import START, EventStore, LogFilter, Position, RecordedEvent
from klachtspoor.projections.model import BatchFold
from klachtspoor.subscriptions.tables import error_type_name

Progress = Callable[[int], None]
"""Told the number of events read so far, after each page."""

_BULK_GC_THRESHOLDS = (100_000, 50, 100)
"""The cyclic collector's thresholds while a rebuild runs (the default is 700, 10, 10)."""


@dataclass(frozen=True, slots=True)
class Parked:
    """An event the fold refused, with its error as the subscriber would park it."""

    event: RecordedEvent
    error_type: str
    error: str


@dataclass(frozen=True, slots=True)
class FoldState:
    """What a folder has done so far."""

    events: int
    """Events read (all of the projection's, not only its share's)."""
    position: Position
    """The last event read: every event of its share up to here is folded and written."""
    parked: tuple[Parked, ...]


class Folder(Protocol):
    async def read_to_head(self, *, complete: bool) -> FoldState:
        """Fold until the log has no more; ``complete`` as :meth:`BatchFold.write`."""
        ...


def share_of(stream: str, shares: int) -> int:
    """The share a stream falls in: the same in every process (``hash`` of a str is not)."""
    return zlib.crc32(stream.encode()) % shares


class ShareFold:
    """A fold that takes the events of one share of the streams and lets the others pass."""

    def __init__(self, fold: BatchFold, share: int, shares: int) -> None:
        self._fold, self._share, self._shares = fold, share, shares

    def feed(self, event: RecordedEvent) -> None:
        if share_of(event.stream, self._shares) == self._share:
            self._fold.feed(event)

    async def write(self, conn: asyncpg.Connection, tables: Mapping[str, str], *, complete: bool) -> None:
        await self._fold.write(conn, tables, complete=complete)


class _Reader:
    """Reads the log after a position in pages, asking for the next page while the caller folds this one."""

    def __init__(self, store: EventStore, log_filter: LogFilter | None, page: int) -> None:
        self._store = store
        self._filter = log_filter
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


class LocalFolder:
    """Folds in this process, writing on ``conn`` into ``shadows`` (live table -> shadow)."""

    def __init__(
        self,
        store: EventStore,
        conn: asyncpg.Connection,
        log_filter: LogFilter | None,
        fold: BatchFold,
        shadows: Mapping[str, str],
        *,
        page: int,
        write_every: int,
        progress: Progress | None = None,
    ) -> None:
        self.conn = conn
        self.reader = _Reader(store, log_filter, page)
        self.fold: BatchFold | None = fold
        self.shadows = shadows
        self.write_every = write_every
        self.progress = progress
        self.events = 0
        self.parked: list[Parked] = []

    async def read_to_head(self, *, complete: bool) -> FoldState:
        fold = self.fold
        assert fold is not None, "the folder was closed"
        unwritten = 0
        while events := await self.reader.next_page():
            for event in events:
                try:
                    fold.feed(event)
                except Exception as error:  # parked with its error, as the live subscriber would park it
                    self.parked.append(Parked(event, error_type_name(error), str(error)))
            self.events += len(events)
            unwritten += len(events)
            if self.progress is not None:
                self.progress(self.events)
            if unwritten >= self.write_every:
                async with self.conn.transaction():
                    await fold.write(self.conn, self.shadows, complete=False)
                unwritten = 0
        async with self.conn.transaction():
            await fold.write(self.conn, self.shadows, complete=complete)
        return FoldState(self.events, self.reader.position, tuple(self.parked))

    async def close(self) -> None:
        await self.reader.close()
        # The fold's state goes before the collector's thresholds come back, or the first collections
        # after would walk all of it once more.
        self.fold = None


@contextmanager
def bulk_collection() -> Iterator[None]:
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
