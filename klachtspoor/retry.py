"""The one way klachtspoor retries: what counts as an outage, how long to wait, and stamina doing it.

Two kinds of failure are told apart everywhere:

- **Transient**: infrastructure that is away for a while (the event store, the key store, PostgreSQL,
  NATS, a connection that dropped or timed out). It is retried with backoff *for as long as it lasts*:
  an outage is never a reason to park or drop what was accepted.
- **Anything else** (an invalid payload, a bug): it fails the same way every time, so it is tried a
  few times (``RetryPolicy.attempts``) and then handed to the caller's own way of giving up (parking).

In-process loops use :meth:`Backoff.retrying` (stamina's ``retry_context``); consumers that retry by
redelivery (JetStream nak with a delay) and supervisors whose pause must end early on shutdown use
:meth:`Backoff.delay` for the same curve.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import asyncpg
import nats.errors
import stamina

from klachtspoor.crypto.errors import KeyStoreUnavailable
from klachtspoor.eventstore.errors import StoreUnavailable

T = TypeVar("T")

NATS_RECONNECT_ATTEMPTS = -1
"""Every NATS client reconnects for as long as the server is away (nats-py's default gives up after 60
attempts, about two minutes, and then the process would consume nothing until restarted)."""

TRANSIENT: tuple[type[BaseException], ...] = (
    StoreUnavailable,
    KeyStoreUnavailable,
    OSError,  # ConnectionRefusedError, ConnectionResetError, …
    TimeoutError,  # also asyncio.TimeoutError; asyncpg's command and acquire timeouts
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,  # e.g. the connection was closed under the call
    asyncpg.CannotConnectNowError,  # the server is starting up or shutting down
    asyncpg.TooManyConnectionsError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    nats.errors.ConnectionClosedError,
    nats.errors.ConnectionReconnectingError,
    nats.errors.NoServersError,
    nats.errors.NoRespondersError,
    nats.errors.OutboundBufferLimitError,
    nats.errors.StaleConnectionError,
    nats.errors.TimeoutError,
    nats.errors.FlushTimeoutError,
)
"""Exception types that mean "the infrastructure is away", not "this input is bad"."""


NOT_TRANSIENT: tuple[type[BaseException], ...] = (
    FileNotFoundError,
    PermissionError,
    IsADirectoryError,
    NotADirectoryError,
    FileExistsError,
)
"""OSErrors about files, not the network: a missing template or policy file fails the same way every time."""


def is_transient(error: BaseException) -> bool:
    """True when ``error``, or an error it was explicitly raised from (``raise … from``), is an outage
    (see :data:`TRANSIENT`). An error merely raised while handling an outage is judged by itself."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, TRANSIENT) and not isinstance(current, NOT_TRANSIENT):
            return True
        seen.add(id(current))
        current = current.__cause__
    return False


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff: ``initial * multiplier**(n-1)`` seconds after failure n, at most ``maximum``,
    plus up to ``jitter`` seconds chosen at random (so many waiting clients do not return at once)."""

    initial: float = 0.1
    maximum: float = 5.0
    multiplier: float = 2.0
    jitter: float = 0.0

    def __post_init__(self) -> None:
        if self.initial < 0 or self.maximum < 0 or self.jitter < 0 or self.multiplier < 1:
            raise ValueError(f"Backoff needs non-negative waits and multiplier >= 1, got {self}")

    def delay(self, failures: int) -> float:
        """Seconds to wait after ``failures`` failures (1-based)."""
        base = min(self.maximum, self.initial * self.multiplier ** max(failures - 1, 0))
        return float(base + (random.uniform(0, self.jitter) if self.jitter else 0.0))

    def retrying(self, on: Callable[[Exception], bool], *, attempts: int | None = None) -> Any:
        """``async for attempt in backoff.retrying(on): with attempt: …`` — stamina's retry context with
        this curve; ``attempts=None`` and no timeout: retried as long as ``on`` says so."""

        def retry_on(error: BaseException) -> bool:
            # A cancellation (or KeyboardInterrupt) is never retried: the task must end.
            return isinstance(error, Exception) and on(error)

        return stamina.retry_context(
            on=retry_on,
            attempts=attempts,
            timeout=None,
            wait_initial=self.initial,
            wait_max=self.maximum,
            wait_jitter=self.jitter,
            wait_exp_base=self.multiplier,
        )

    async def call(
        self,
        call: Callable[[], Awaitable[T]],
        on: Callable[[Exception], bool],
        *,
        attempts: int | None = None,
    ) -> T:
        """Await ``call()`` under :meth:`retrying` until it returns or ``on`` gives up (then its error).

        A ``StopAsyncIteration`` (``call`` may be an iterator's ``__anext__``) reaches the caller as
        itself and is never retried: re-raised from inside the retry loop's own ``__anext__``, it would
        end that loop instead, silently, as if no attempt had been made.
        """
        try:
            async for attempt in self.retrying(
                lambda error: not isinstance(error, _Ended) and on(error), attempts=attempts
            ):
                with attempt:
                    return await _ended_as_error(call)
        except _Ended as ended:
            raise StopAsyncIteration from ended.__cause__
        raise AssertionError("unreachable: stamina returns or raises")


class _Ended(Exception):
    """An iterator's end, carried through the retry loop as an ordinary error (see :meth:`Backoff.call`)."""


async def _ended_as_error(call: Callable[[], Awaitable[T]]) -> T:
    try:
        return await call()
    except StopAsyncIteration as end:
        raise _Ended from end


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often a failure that is *not* transient is tried before giving up, and the waits in between.

    Transient failures (:func:`is_transient`) are retried without limit on the same curve.
    """

    attempts: int = 3
    backoff: float = 0.1
    multiplier: float = 2.0
    max_backoff: float = 5.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"RetryPolicy.attempts must be at least 1, got {self.attempts}")
        if self.backoff < 0 or self.max_backoff < 0 or self.multiplier < 1:
            raise ValueError(f"RetryPolicy needs backoff >= 0 and multiplier >= 1, got {self}")

    @property
    def curve(self) -> Backoff:
        return Backoff(self.backoff, self.max_backoff, self.multiplier)

    def delay(self, failed_attempts: int) -> float:
        """Seconds to wait after ``failed_attempts`` failures (1-based)."""
        return self.curve.delay(failed_attempts)

    async def call(
        self,
        call: Callable[[], Awaitable[T]],
        *,
        on_retry: Callable[[Exception, int], None] | None = None,
        fatal: tuple[type[Exception], ...] = (),
    ) -> T:
        """Await ``call()`` until it succeeds; transient failures are retried for as long as they last,
        others until the ``attempts``-th of them, then that error is raised. ``on_retry(error, failures)``
        is told of every failure that is retried (for logging); a ``fatal`` error is raised at once."""
        failures = not_transient = 0

        def again(error: Exception) -> bool:
            nonlocal failures, not_transient
            failures += 1
            if isinstance(error, fatal):
                return False
            if not is_transient(error):
                not_transient += 1
                if not_transient >= self.attempts:
                    return False
            if on_retry is not None:
                on_retry(error, failures)
            return True

        return await self.curve.call(call, again)
