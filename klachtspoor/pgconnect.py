"""Every PostgreSQL connection and pool of klachtspoor, opened with timeouts.

Without them, a server that stopped answering (a network partition, a lock held forever) hangs a call
for good: no retry can start and no outage is ever reported. Each statement gets
``KLACHTSPOOR_DATABASE_COMMAND_TIMEOUT`` seconds (asyncpg's ``command_timeout``); opening a connection and
waiting for a pooled one each get ``KLACHTSPOOR_DATABASE_ACQUIRE_TIMEOUT``. The timeouts raise
``TimeoutError``, which :func:`klachtspoor.retry.is_transient` counts as an outage.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg

from klachtspoor.migrations import MigrationChanged
from klachtspoor.settings import Settings, get_settings


@dataclass(frozen=True, slots=True)
class Timeouts:
    command: float = 30.0
    """Seconds one statement may take."""
    acquire: float = 10.0
    """Seconds to open a connection, or to wait for a pooled one."""

    @classmethod
    def of(cls, settings: Settings | None = None) -> Timeouts:
        """The configured timeouts (read when called, from ``settings`` or the environment)."""
        given = settings or get_settings()
        return cls(command=given.database_command_timeout, acquire=given.database_acquire_timeout)


DRIVER_UNAVAILABLE: tuple[type[Exception], ...] = (
    asyncpg.PostgresConnectionError,  # class 08: connection lost or refused by the server
    asyncpg.CannotConnectNowError,  # starting up or shutting down
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
    asyncpg.InterfaceError,  # the connection or pool is closed
)
"""The driver's own errors among :data:`UNAVAILABLE` (the others are the socket's)."""

UNAVAILABLE: tuple[type[Exception], ...] = (
    OSError,  # refused, unreachable, DNS failure
    TimeoutError,  # connect timeout
    *DRIVER_UNAVAILABLE,
)
"""Driver failures that mean "the server is not there now": every PostgreSQL adapter maps these to its
port's *unavailable* error (a 503, retried), and nothing else."""


@asynccontextmanager
async def translated(
    operation: str, *, component: str, unavailable: type[Exception], failed: type[Exception]
) -> AsyncIterator[None]:
    """Driver errors inside the block become the port's errors, naming the component and the operation
    (never the data): :data:`UNAVAILABLE` as ``unavailable``; any other PostgreSQL error, or recorded
    migrations that do not match this version's files, as ``failed``."""
    try:
        yield
    except UNAVAILABLE as error:
        raise unavailable(f"{component} unavailable during {operation}: {error}") from error
    except (asyncpg.PostgresError, MigrationChanged) as error:
        raise failed(f"{component} failed during {operation}: {error}") from error


async def connect(url: str, timeouts: Timeouts | None = None, **options: Any) -> asyncpg.Connection:
    """``asyncpg.connect`` with the connect and command timeouts."""
    limits = timeouts or Timeouts.of()
    return await asyncpg.connect(url, timeout=limits.acquire, command_timeout=limits.command, **options)


async def create_pool(
    url: str, *, min_size: int, max_size: int, timeouts: Timeouts | None = None, **options: Any
) -> asyncpg.Pool:
    """``asyncpg.create_pool`` with the connect and command timeouts; acquire with ``acquire(pool)``."""
    limits = timeouts or Timeouts.of()
    pool = await asyncpg.create_pool(
        url,
        min_size=min_size,
        max_size=max_size,
        timeout=limits.acquire,
        command_timeout=limits.command,
        **options,
    )
    assert pool is not None  # asyncpg types it Optional; it is None only when not awaited
    return pool


async def create_prepared_pool(
    url: str,
    prepare: Callable[[Any], Awaitable[object]],
    *,
    min_size: int,
    max_size: int,
    timeouts: Timeouts | None = None,
) -> asyncpg.Pool:
    """:func:`create_pool`, then ``prepare`` (apply a component's migrations) on one of its connections; a
    pool whose preparing fails is closed again, so a failed start leaves no connections behind."""
    pool = await create_pool(url, min_size=min_size, max_size=max_size, timeouts=timeouts)
    try:
        async with acquire(pool, timeouts) as conn:
            await prepare(conn)
    except BaseException:
        await pool.close()
        raise
    return pool


def acquire(pool: asyncpg.Pool, timeouts: Timeouts | None = None) -> Any:
    """``async with acquire(pool) as conn:`` — a pooled connection, waited for at most the acquire timeout."""
    return pool.acquire(timeout=(timeouts or Timeouts.of()).acquire)
