"""Driver failures that mean "the server is not there": translated into :class:`StoreUnavailable`.

Every other PostgreSQL error is either translated where it has a port meaning (wrong expected version,
duplicate event id) or is a bug, and propagates unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from klachtspoor.eventstore.errors import StoreUnavailable
from klachtspoor.pgconnect import UNAVAILABLE

__all__ = ["UNAVAILABLE", "describe", "unavailable_as_port_error"]


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
