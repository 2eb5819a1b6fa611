"""PostgreSQL adapter of the event store port (asyncpg): see docs/eventstore.md for the model."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

from klachtspoor.eventstore.errors import EventStoreError, StoreUnavailable
from klachtspoor.eventstore.port import (
    START,
    AppendResult,
    EventStore,
    ExpectedVersion,
    LogFilter,
    NewEvent,
    Position,
    RecordedEvent,
)
from klachtspoor.eventstore.postgres.append import RetryTransaction, append_call, append_once
from klachtspoor.eventstore.postgres.connections import ConnectionPool
from klachtspoor.eventstore.postgres.failures import describe, unavailable_as_port_error
from klachtspoor.eventstore.postgres.reading import (
    LOG_SQL,
    STREAM_BACKWARDS_SQL,
    STREAM_FORWARDS_SQL,
    LogPage,
    decode,
    decode_page,
    log_args,
)
from klachtspoor.eventstore.postgres.schema import migrate
from klachtspoor.eventstore.postgres.signals import Signals
from klachtspoor.pgconnect import Timeouts
from klachtspoor.retry import Backoff

_MAX_VERSION = 2**63 - 1
_FIRST_BACKOFF = 0.005


class PostgresEventStore(EventStore):
    """Create with :meth:`connect`; one instance per process, shared by its tasks."""

    def __init__(
        self,
        pool: ConnectionPool,
        signals: Signals,
        *,
        where: str,
        max_event_bytes: int,
        max_retries: int,
    ) -> None:
        self._pool = pool
        self._signals = signals
        self._where = where
        self.max_event_bytes = max_event_bytes
        self._max_retries = max_retries
        self._closed = False

    @classmethod
    async def connect(
        cls,
        url: str,
        *,
        max_event_bytes: int = 256 * 1024,
        notify: bool = True,
        pool_size: int = 10,
        poll_interval: float = 0.5,
        max_retries: int = 20,
        timeouts: Timeouts | None = None,
    ) -> PostgresEventStore:
        """Apply pending migrations and open a pool of ``pool_size`` connections.

        ``notify``: send NOTIFY after appends so subscribers elsewhere wake at once (they poll every
        ``poll_interval`` seconds regardless). ``max_retries``: attempts after a per-stream order
        conflict before the append fails. ``timeouts``: per statement and per connection wait (default:
        the ``KLACHTSPOOR_DATABASE_*_TIMEOUT`` settings).
        """
        where = describe(url)
        await migrate(url)
        limits = timeouts or Timeouts.of()
        pool = ConnectionPool(url, pool_size, limits)
        signals = Signals(url, notify=notify, poll_interval=poll_interval, timeouts=limits)
        return cls(pool, signals, where=where, max_event_bytes=max_event_bytes, max_retries=max_retries)

    async def append(
        self, stream: str, events: Sequence[NewEvent], expected_version: ExpectedVersion
    ) -> AppendResult:
        self._check_open("append")
        payloads = self.check_append(stream, events)
        call = append_call(stream, events, expected_version, payloads)

        async def once() -> AppendResult:
            async with self._pool.connection() as conn:
                return await append_once(conn, stream, events, expected_version, call)

        with unavailable_as_port_error(self._where, f"append to {stream}"):
            try:
                result = await once()  # the common case, without setting up a retry
            except RetryTransaction:
                result = await self._append_again(stream, once)
        self._signals.appended()
        return result

    async def _append_again(self, stream: str, once: Callable[[], Awaitable[AppendResult]]) -> AppendResult:
        """An append that met a per-stream order conflict, tried again in a new transaction (which gets a
        newer xid); random waits keep colliding writers apart."""
        conflicts = Backoff(initial=0.0, maximum=_FIRST_BACKOFF * 2**6, jitter=_FIRST_BACKOFF * 2)
        attempts = self._max_retries
        try:
            async for attempt in conflicts.retrying(
                lambda e: isinstance(e, RetryTransaction), attempts=attempts
            ):
                with attempt:
                    return await once()
        except RetryTransaction as exc:
            raise EventStoreError(
                f"Append to {stream} still conflicted after {attempts + 1} attempts: {exc}"
            ) from exc
        raise AssertionError("unreachable: stamina returns or raises")

    async def read_stream(
        self,
        stream: str,
        *,
        from_version: int | None = None,
        backwards: bool = False,
        limit: int | None = None,
    ) -> list[RecordedEvent]:
        self._check_open("read_stream")
        if backwards:
            sql, start = STREAM_BACKWARDS_SQL, _MAX_VERSION if from_version is None else from_version
        else:
            sql, start = STREAM_FORWARDS_SQL, from_version or 0
        with unavailable_as_port_error(self._where, f"read_stream {stream}"):
            async with self._pool.connection() as conn:
                rows = await conn.fetch(sql, stream, start, limit)
        return [decode(row) for row in rows]

    async def read_all(
        self, *, after: Position = START, filter: LogFilter | None = None, limit: int = 1000
    ) -> list[RecordedEvent]:
        return (await self._read_page(after, filter, limit)).events

    async def _read_page(self, after: Position, filter: LogFilter | None, limit: int) -> LogPage:
        self._check_open("read_all")
        with unavailable_as_port_error(self._where, f"read_all after {after}"):
            async with self._pool.connection() as conn:
                rows = await conn.fetch(LOG_SQL, *log_args(after, filter, limit))
        return decode_page(rows)

    async def subscribe(
        self, *, after: Position = START, filter: LogFilter | None = None, batch_size: int = 500
    ) -> AsyncIterator[RecordedEvent]:
        """Catch up page by page, then wait for a wake-up or the poll, and read again.

        When a page is not full, every matching event below the page's horizon has been delivered, so
        the position moves up to the horizon: filtered-out events are not scanned again.
        """
        position = after
        backoff = _FIRST_BACKOFF
        while True:
            ticket = self._signals.ticket()
            page = await self._read_page(position, filter, batch_size)
            for event in page.events:
                position = event.position
                yield event
            if len(page.events) >= batch_size:
                continue
            position = max(position, page.horizon)
            if page.held_back:
                # Committed events wait for an older transaction to end: look again soon, less often
                # the longer it lasts.
                timeout, backoff = backoff, min(backoff * 2, self._signals.poll_interval)
            else:
                timeout, backoff = self._signals.poll_interval, _FIRST_BACKOFF
            await self._signals.wait(ticket, timeout)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self._signals.close()
        await self._pool.close()

    def _check_open(self, operation: str) -> None:
        if self._closed:
            raise StoreUnavailable(f"The event store at {self._where} is closed ({operation})")
