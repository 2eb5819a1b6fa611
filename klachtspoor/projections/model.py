"""What a projection offers to be rebuilt fast: its tables, its filter and a fold over events in memory.

The live subscriber (:class:`klachtspoor.subscriptions.Projection`) handles one event at a time, a round
trip or more per event. A rebuild cannot go that way over a million events, so a projection also gives a
:class:`BatchFold`: it decodes and folds events in memory (state per stream in a dict) and writes its
rows in bulk (COPY, or one statement over arrays) into the tables it is told, which during a rebuild are
shadow copies of its own. The fold must give exactly the rows the live handler gives for the same
events: each projection's tests compare the two.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

import asyncpg

from klachtspoor.eventstore.port import LogFilter, RecordedEvent
from klachtspoor.subscriptions.model import check_subscriber_name


class BatchFold(Protocol):
    """Events in, rows out, in bulk.

    :meth:`feed` either takes the event into the fold or raises and changes nothing (the rebuild then
    parks the event, as the live subscriber would after its retries). :meth:`write` writes what changed
    since the last write into ``tables`` (each of the projection's tables mapped to the one to write).
    ``complete=False`` is a write to bound memory: the fold may keep rows that can still change (a case's
    row) for later; ``complete=True`` writes everything, after which the tables hold exactly what the live
    projection would hold after the last event fed. Rows written once may be written again later: the fold
    replaces them (the tables have their keys by then).
    """

    def feed(self, event: RecordedEvent) -> None: ...

    async def write(self, conn: asyncpg.Connection, tables: Mapping[str, str], *, complete: bool) -> None: ...


Prepare = Callable[[asyncpg.Connection], Awaitable[object]]
"""Applies the owning service's schema (its migrations), so the tables exist before they are copied."""


@dataclass(frozen=True, slots=True)
class RebuildableProjection:
    name: str
    """The subscriber name: its checkpoint and parked events in the ``subscriptions`` schema."""
    tables: tuple[str, ...]
    """Every table the projection writes, schema-qualified (``reporting.cases``); all are rebuilt."""
    filter: LogFilter | None
    """The live subscriber's filter over the global log."""
    prepare: Prepare
    fold: Callable[[], BatchFold]
    """A new, empty fold for each rebuild."""
    description: str
    """One line for ``klachtspoor projections list``."""
    database_url: str
    """The database holding the tables and the subscriber's checkpoint (the service's read model)."""
    per_stream: bool = False
    """The fold's state and rows are each of one stream, and no row sums over streams: a rebuild may fold
    shares of the streams in several processes (:mod:`klachtspoor.projections.shares`). ``fold`` must
    then pickle (a class, or a ``functools.partial`` of one)."""

    def __post_init__(self) -> None:
        check_subscriber_name(self.name)
        if not self.tables:
            raise ValueError(f"Projection {self.name} names no tables")
        for table in self.tables:
            schema, dot, name = table.partition(".")
            if not dot or not schema or not name or "." in name:
                raise ValueError(f"Projection {self.name}: table {table!r} is not schema-qualified")
