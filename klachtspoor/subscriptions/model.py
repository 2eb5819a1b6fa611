"""What a subscriber is: a named handler over the global log, of one of two kinds.

A :class:`Projection` writes only to the read-model database, so the runner can make its effects
exactly-once by committing the checkpoint in the handler's own transaction. A :class:`Reactor` has effects
elsewhere (a bus, mail, the event store); the runner delivers at least once and keeps a ledger of handled
event ids so a redelivered event is skipped rather than acted on twice.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import asyncpg

from klachtspoor.eventstore.port import LogFilter, RecordedEvent
from klachtspoor.retry import RetryPolicy as RetryPolicy  # where subscribers have always found it

ProjectionHandler = Callable[[asyncpg.Connection, RecordedEvent], Awaitable[None]]
ReactorHandler = Callable[[RecordedEvent], Awaitable[None]]

_NAME_RE = re.compile(r"[a-z][a-z0-9_.-]{0,99}")


def check_subscriber_name(name: str) -> None:
    if not _NAME_RE.fullmatch(name):
        raise ValueError(
            f"Invalid subscriber name {name!r}: use 1-100 of a-z 0-9 _ . - starting with a letter"
        )


@dataclass(frozen=True, slots=True)
class Projection:
    """``handle(conn, event)`` writes the read model inside the transaction the runner opened on ``conn``.

    Events are handled ``batch_size`` at a time in one transaction; the handler must not commit, and
    must not catch database errors it cannot recover from (the transaction is then aborted anyway).
    """

    name: str
    handle: ProjectionHandler
    filter: LogFilter | None = None
    batch_size: int = 100

    def __post_init__(self) -> None:
        check_subscriber_name(self.name)
        if self.batch_size < 1:
            raise ValueError(f"Projection {self.name}: batch_size must be at least 1, got {self.batch_size}")


@dataclass(frozen=True, slots=True)
class Reactor:
    """``handle(event)`` causes an effect outside the read-model database; it may see an event twice
    only when the process dies between the effect and the ledger write, so effects should still be
    idempotent where they can be (deterministic ids, Nats-Msg-Id, …)."""

    name: str
    handle: ReactorHandler
    filter: LogFilter | None = None

    def __post_init__(self) -> None:
        check_subscriber_name(self.name)


Subscriber = Projection | Reactor
