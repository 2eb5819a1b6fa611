"""Driver failures that mean "the server is not there": translated into :class:`StoreUnavailable`.

Every other PostgreSQL error is either translated where it has a port meaning (wrong expected version,
duplicate event id) or is a bug, and propagates unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import asyncpg

from klachtspoor.eventstore.errors import StoreUnavailable

UNAVAILABLE: tuple[type[BaseException], ...] = (
    OSError,  # refused, unreachable, DNS failure
    TimeoutError,  # connect timeout
    asyncpg.PostgresConnectionError,  # class 08: connection lost or refused by the server
    asyncpg.CannotConnectNowError,  # starting up or shutting down
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
    asyncpg.InterfaceError,  # the connection or pool is closed
)


def describe(url: str) -> str:
    """``host:port/database`` of a URL, without the user or password, for error messages."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    port = parts.port or 5432
    database = parts.path.lstrip("/") or "(default database)"
    return f"{host}:{port}/{database}"


@contextmanager
def unavailable_as_port_error(where: str, operation: str) -> Iterator[None]:
    """Re-raise connection failures inside the block as StoreUnavailable naming server and operation."""
    try:
        yield
    except UNAVAILABLE as exc:
        raise StoreUnavailable(
            f"PostgreSQL at {where} is unavailable during {operation}: {type(exc).__name__}: {exc}"
        ) from exc
