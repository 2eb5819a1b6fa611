"""A small connection pool for the store's single-statement operations.

asyncpg's pool spends about 50 µs of CPU per acquire and release (proxies, timeouts, a reset check),
a fifth of an append on a 2-core machine where client and server share the CPU. Every operation of the
store is one statement outside any transaction, so this pool needs none of that: idle connections on a
stack, waiters in line, and a connection that failed in any way other than a server error is dropped.
Each connection has a command timeout, and getting one (opening it or waiting for a free one) is bounded
by the acquire timeout: a hung server becomes ``TimeoutError`` (the store's ``StoreUnavailable``).
"""

from __future__ import annotations

import asyncio
from collections import deque
from types import TracebackType

import asyncpg

from klachtspoor.eventstore.errors import EventStoreError
from klachtspoor.pgconnect import Timeouts, connect


class ConnectionPool:
    def __init__(self, url: str, size: int, timeouts: Timeouts | None = None) -> None:
        if size < 1:
            raise ValueError(f"pool_size must be at least 1, got {size}")
        self._url = url
        self.timeouts = timeouts or Timeouts()
        self._size = size
        self._idle: list[asyncpg.Connection] = []
        self._waiters: deque[asyncio.Future[asyncpg.Connection | None]] = deque()
        self._slots = 0  # connections open or being opened
        self._closed = False

    def connection(self) -> _Lease:
        """``async with pool.connection() as conn:`` one connection for one operation."""
        return _Lease(self)

    async def close(self) -> None:
        self._closed = True
        idle, self._idle = self._idle, []
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_exception(asyncpg.InterfaceError("the event store's pool is closed"))
        self._waiters.clear()
        for conn in idle:
            self._slots -= 1
            await conn.close()

    async def _acquire(self) -> asyncpg.Connection:
        while True:
            if self._closed:
                raise asyncpg.InterfaceError("the event store's pool is closed")
            while self._idle:
                conn = self._idle.pop()
                if not conn.is_closed():
                    return conn
                self._slots -= 1
            if self._slots < self._size:
                self._slots += 1
                try:
                    return await connect(self._url, self.timeouts)
                except BaseException:
                    self._slots -= 1
                    self._hand_over(None)
                    raise
            waiter: asyncio.Future[asyncpg.Connection | None] = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                handed = await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                    given = waiter.result()
                    if given is not None:
                        self._release(given)
                    else:
                        self._hand_over(None)
                raise
            if handed is not None:
                return handed
            # None: a slot was freed, open a connection in it on the next round.

    def _release(self, conn: asyncpg.Connection, *, discard: bool = False) -> None:
        if discard or self._closed or conn.is_closed() or conn.is_in_transaction():
            conn.terminate()
            self._slots -= 1
            self._hand_over(None)
            return
        self._hand_over(conn)

    def _hand_over(self, conn: asyncpg.Connection | None) -> None:
        """Give a connection, or (None) a free slot, to the first live waiter; else keep it idle."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(conn)
                return
        if conn is not None:
            self._idle.append(conn)


class _Lease:
    """A class rather than @asynccontextmanager: this sits on every append's path, and is cheaper."""

    __slots__ = ("_conn", "_pool")

    def __init__(self, pool: ConnectionPool) -> None:
        self._pool = pool
        self._conn: asyncpg.Connection | None = None

    async def __aenter__(self) -> asyncpg.Connection:
        async with asyncio.timeout(self._pool.timeouts.acquire):
            self._conn = await self._pool._acquire()
        return self._conn

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._conn is not None
        # A statement that ended with an error leaves the connection clean; anything else (cancelled
        # mid-statement, connection lost) does not.
        clean = exc is None or isinstance(exc, (asyncpg.PostgresError, EventStoreError))
        self._pool._release(self._conn, discard=not clean)
        self._conn = None
