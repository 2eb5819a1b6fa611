"""Wake-ups for subscribers: a hint that the log may have grown, never a source of events.

Subscribers always read the log itself; a wake-up only ends their wait early, and a periodic poll
covers every lost or missing hint (another process with notifications off, a dropped connection).

After a local append the store wakes its own subscribers at once and sends ``NOTIFY`` for other
processes. A NOTIFY inside the append transaction would serialise every commit on the server's
notification queue lock, so it is sent from a connection of its own, coalesced (at most one in flight
plus one pending, a few ms apart) and with ``synchronous_commit=off``: a lost hint costs one poll interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import asyncpg

from klachtspoor.eventstore.postgres.failures import UNAVAILABLE
from klachtspoor.pgconnect import Timeouts, connect

CHANNEL = "klachtspoor_eventstore"
NOTIFY_GAP = 0.01
"""Seconds between notifications under load: at most about a hundred a second, each a commit the
server pays for (2 ms cost appends about a tenth of their throughput at 16 writers; 10 ms adds at most
10 ms to a cross-process wake-up)."""
log = logging.getLogger(__name__)


class Signals:
    def __init__(
        self, url: str, *, notify: bool, poll_interval: float, timeouts: Timeouts | None = None
    ) -> None:
        self._url = url
        self._timeouts = timeouts or Timeouts()
        self._notify = notify
        self.poll_interval = poll_interval
        self._wake = asyncio.Event()
        self._listener: asyncpg.Connection | None = None
        self._listen_attempted = -float("inf")
        self._notifier: asyncpg.Connection | None = None
        self._notify_task: asyncio.Task[None] | None = None
        self._notify_again = False
        self._closed = False

    def ticket(self) -> asyncio.Event:
        """Take before reading; it is set by any wake-up after that moment."""
        return self._wake

    def wake(self) -> None:
        current, self._wake = self._wake, asyncio.Event()
        current.set()

    async def wait(self, ticket: asyncio.Event, seconds: float) -> None:
        """Until a wake-up after ``ticket`` was taken, or ``seconds`` (the poll)."""
        await self._ensure_listener()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await ticket.wait()

    def appended(self) -> None:
        self.wake()
        if not self._notify or self._closed:
            return
        if self._notify_task is not None and not self._notify_task.done():
            self._notify_again = True
            return
        self._notify_task = asyncio.create_task(self._send_notifications(), name="eventstore-notify")

    async def close(self) -> None:
        self._closed = True
        if self._notify_task is not None:
            self._notify_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._notify_task
        for conn in (self._listener, self._notifier):
            if conn is not None and not conn.is_closed():
                await conn.close()
        self._listener = self._notifier = None
        self.wake()

    async def _send_notifications(self) -> None:
        while True:
            self._notify_again = False
            try:
                if self._notifier is None or self._notifier.is_closed():
                    self._notifier = await connect(
                        self._url, self._timeouts, server_settings={"synchronous_commit": "off"}
                    )
                await self._notifier.execute(f"NOTIFY {CHANNEL}")
            except UNAVAILABLE as exc:
                # Only a hint is lost; readers of other processes fall back to their poll.
                log.warning("Could not send %s notification: %s", CHANNEL, exc)
                self._notifier = None
                return
            if not self._notify_again:
                return
            # More appends meanwhile: one notification after a short gap covers them all.
            await asyncio.sleep(NOTIFY_GAP)

    async def _ensure_listener(self) -> None:
        if self._closed or (self._listener is not None and not self._listener.is_closed()):
            return
        now = time.monotonic()
        if now - self._listen_attempted < self.poll_interval:
            return
        self._listen_attempted = now
        try:
            listener = await connect(self._url, self._timeouts)
        except UNAVAILABLE as exc:
            log.warning("Could not LISTEN on %s, polling every %ss: %s", CHANNEL, self.poll_interval, exc)
            return
        try:
            await listener.add_listener(CHANNEL, self._on_notification)
        except UNAVAILABLE as exc:
            log.warning("Could not LISTEN on %s, polling every %ss: %s", CHANNEL, self.poll_interval, exc)
            listener.terminate()
            return
        if self._closed:  # closed while connecting
            await listener.close()
            return
        listener.add_termination_listener(self._on_listener_lost)
        self._listener = listener

    def _on_notification(self, *_: Any) -> None:
        self.wake()

    def _on_listener_lost(self, *_: Any) -> None:
        self._listener = None
        self.wake()
