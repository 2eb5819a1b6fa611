"""The periodic anchor: a loop that records an anchor over what was appended since the last one.

It runs in a process that reads the global log and holds no keys (reporting). It keeps no state: each
round continues from the last recorded anchor (:func:`~klachtspoor.integrity.anchors.record_anchor`), so a
crash or a second process loses or doubles nothing (an anchor over the same count is recorded once). A
failed round is logged with its cause and tried again at the next interval; it is never swallowed silently.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from klachtspoor.eventstore.errors import EventStoreError
from klachtspoor.eventstore.port import EventStore
from klachtspoor.integrity.anchors import Anchor, record_anchor
from klachtspoor.integrity.anchorstore import AnchorsError, PostgresAnchors
from klachtspoor.retry import is_transient

log = logging.getLogger(__name__)


class AnchorJob:
    """``await job.run()`` until :meth:`stop`: an anchor every ``interval`` seconds, first at start."""

    def __init__(self, store: EventStore, database_url: str, *, interval: float) -> None:
        if interval <= 0:
            raise ValueError(f"Anchor interval must be positive, got {interval}")
        self._store = store
        self._url = database_url
        self._interval = interval
        self._stop = asyncio.Event()
        self.last: Anchor | None = None
        self.rounds = 0

    def stop(self) -> None:
        self._stop.set()

    async def run(self) -> None:
        while not self._stop.is_set():
            await self.record_once()
            with contextlib.suppress(TimeoutError):  # the pause ends early when stopped
                await asyncio.wait_for(self._stop.wait(), timeout=self._interval)

    async def record_once(self) -> Anchor | None:
        """One round; a failure is logged (with whether it looks like an outage) and returned as None."""
        self.rounds += 1
        try:
            anchors = await PostgresAnchors.open(self._url)
            try:
                anchor = await record_anchor(self._store, anchors)
            finally:
                await anchors.close()
        except (AnchorsError, EventStoreError, OSError) as error:
            log.warning(
                "Anchor round %d failed (%s: %s); next round in %.0f s",
                self.rounds,
                type(error).__name__,
                error,
                self._interval,
                extra={"ks_transient": is_transient(error)},
            )
            return None
        if anchor is not None:
            self.last = anchor
            log.info("Anchor over %d events recorded", anchor.count, extra={"ks_anchor_count": anchor.count})
        return anchor
