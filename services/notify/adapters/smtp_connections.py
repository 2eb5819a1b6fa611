"""Open SMTP connections kept for the next mail, so a mail costs one transaction, not a whole session.

Without them every mail opened a connection of its own: TCP, EHLO, STARTTLS (a TLS handshake), EHLO
again, the login, then the mail, then QUIT. Kept connections do all that once per connection, and each
worker of notify takes one while it hands a mail over.

When one may be used again: only after a mail went through on it. After any failure the connection is
closed and never reused (its state after a refused or broken transaction is not worth reasoning about),
so the outcome of a handover does not depend on what an earlier one left behind.

A connection that stood idle may have been closed by the server meanwhile (servers time idle sessions
out). One idle for ``probe_after`` seconds or more is asked NOOP first, before the mail transaction
begins, and replaced by a fresh one when it does not answer; so a stale connection never fails a mail,
and a connection failing *during* a transaction is a failure like any other (retried by notify's
schedule, with the same Message-ID, as before). One idle for ``max_idle`` seconds or more is closed
without asking.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiosmtplib


@dataclass(slots=True)
class _Idle:
    client: aiosmtplib.SMTP
    since: float


class SmtpConnections:
    """``take()`` a connected client, ``give_back()`` it after a mail went through, ``discard()`` it
    after anything else; ``close()`` on shutdown."""

    def __init__(
        self,
        options: Callable[[], dict[str, Any]],
        *,
        keep: int = 8,
        probe_after: float = 1.0,
        max_idle: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if keep < 0 or probe_after < 0 or max_idle <= 0:
            raise ValueError(
                f"SMTP connections: keep >= 0, probe_after >= 0 and max_idle > 0, got {keep}, {probe_after}, "
                f"{max_idle}"
            )
        self._options, self._keep, self._clock = options, keep, clock
        self._probe_after, self._max_idle = probe_after, max_idle
        self._idle: list[_Idle] = []
        self.opened = 0
        """Connections opened so far (for tests and the span): a kept one opens none."""

    async def take(self) -> aiosmtplib.SMTP:
        """The most recently used idle connection that still answers, or a new one. Raises aiosmtplib's
        and the socket's errors when a new one cannot be opened."""
        while self._idle:
            idle = self._idle.pop()
            waited = self._clock() - idle.since
            if waited >= self._max_idle or not idle.client.is_connected:
                await _quit(idle.client)
                continue
            if waited < self._probe_after or await _answers(idle.client):
                return idle.client
        client = aiosmtplib.SMTP(**self._options())
        await client.connect()
        self.opened += 1
        return client

    async def give_back(self, client: aiosmtplib.SMTP) -> None:
        if len(self._idle) < self._keep and client.is_connected:
            self._idle.append(_Idle(client, self._clock()))
        else:
            await _quit(client)

    @staticmethod
    def discard(client: aiosmtplib.SMTP) -> None:
        client.close()

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for each in idle:
            await _quit(each.client)


async def _answers(client: aiosmtplib.SMTP) -> bool:
    try:
        await client.noop()
    except (aiosmtplib.SMTPException, OSError, TimeoutError):
        client.close()
        return False
    return True


async def _quit(client: aiosmtplib.SMTP) -> None:
    """QUIT politely; a connection that is gone already is just closed."""
    try:
        await client.quit()
    except (aiosmtplib.SMTPException, OSError, TimeoutError):
        client.close()
