"""Failures of EventStoreDB calls: what is retried, how often, and what the caller then gets.

esdbclient already retries an unavailable node four times and a missed deadline once per call and
follows a leader change; what it gives up on is retried here with backoff, then reported as
:class:`StoreUnavailable`, never dropped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import NoReturn, TypeVar

from esdbclient.exceptions import DeadlineExceeded, GrpcError, NodeIsNotLeader

from klachtspoor.eventstore.errors import StoreUnavailable
from klachtspoor.eventstore.port import Position
from klachtspoor.retry import Backoff

T = TypeVar("T")
ATTEMPTS = 3
FIRST_BACKOFF = 0.1
"""Seconds before the second attempt, doubled before each next one."""


def raise_end_of_subscription(after: Position) -> NoReturn:
    """esdbclient ends the iteration when the call is cancelled: our task's cancellation must go on,
    and an end the server chose is a lost subscription, never a quiet one."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError
    raise StoreUnavailable(f"EventStoreDB ended the subscription to the global log after {after}")


async def guarded(call: Callable[[], Awaitable[T]], doing: str, *, attempts: int = ATTEMPTS) -> T:
    """Retry with backoff what esdbclient gave up on (it tries an unavailable node four times, a missed
    deadline twice); then the store is unavailable. Retrying an append is safe: its ids make it idempotent.

    The attempts are bounded here on purpose: :class:`StoreUnavailable` is an outage to every caller,
    which retries it for as long as it lasts (``klachtspoor.retry``), with the caller's own backoff.
    """
    retryable = (GrpcError, DeadlineExceeded, NodeIsNotLeader)
    backoff = Backoff(FIRST_BACKOFF, FIRST_BACKOFF * 2 ** (attempts - 2))
    try:
        return await backoff.call(call, lambda error: isinstance(error, retryable), attempts=attempts)
    except retryable as exc:
        raise StoreUnavailable(f"EventStoreDB failed while {doing} ({attempts} attempts): {exc!r}") from exc
