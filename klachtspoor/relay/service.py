"""The relay as a process: connect to the store and NATS from settings, run until SIGTERM or SIGINT.

The first signal asks the relay to finish the batch in flight and write its checkpoint; if that takes
longer than ``grace`` seconds (NATS unreachable, say) or a second signal comes, the run is cancelled.
Nothing is lost either way: unacknowledged events are published again after the restart.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from faststream.nats import NatsBroker

from klachtspoor import observability
from klachtspoor.eventstore.port import EventStore
from klachtspoor.relay.relay import Relay
from klachtspoor.relay.stream import StreamLimits
from klachtspoor.retry import NATS_RECONNECT_ATTEMPTS
from klachtspoor.settings import Settings

log = logging.getLogger(__name__)


class RelayNotConfigured(RuntimeError):
    pass


async def open_store(settings: Settings) -> EventStore:
    """The event store the settings name: EventStoreDB at ``eventstore_url`` when set, else PostgreSQL.

    The relay's checkpoint lives in PostgreSQL (``database_url``) either way.
    """
    from klachtspoor.bootstrap import open_event_store

    return await open_event_store(settings, pool_size=4)


async def serve(
    settings: Settings, *, batch_size: int = 256, ack_timeout: float = 5.0, grace: float = 10.0
) -> None:
    if not settings.database_url or not settings.nats_url:
        raise RelayNotConfigured(
            "The relay needs KLACHTSPOOR_DATABASE_URL and KLACHTSPOOR_NATS_URL "
            f"(database_url set: {bool(settings.database_url)}, nats_url set: {bool(settings.nats_url)})"
        )
    observability.configure("relay")
    store = await open_store(settings)
    broker = NatsBroker(
        settings.nats_url, name="klachtspoor-relay", max_reconnect_attempts=NATS_RECONNECT_ATTEMPTS
    )
    try:
        await broker.connect()
        limits = StreamLimits(max_age=settings.nats_stream_max_age, max_bytes=settings.nats_stream_max_bytes)
        relay = Relay(
            store,
            settings.database_url,
            broker,
            batch_size=batch_size,
            ack_timeout=ack_timeout,
            limits=limits,
        )
        task = asyncio.create_task(relay.run(), name="relay")
        _on_signals(relay, task, grace)
        await task
    finally:
        await broker.stop()
        await store.close()


def _on_signals(relay: Relay, task: asyncio.Task[None], grace: float) -> None:
    loop = asyncio.get_running_loop()
    received: list[int] = []

    def handle(signum: int) -> None:
        received.append(signum)
        if len(received) == 1:
            log.info("Signal %s: stopping after the batch in flight", signal.Signals(signum).name)
            relay.stop()
            loop.call_later(grace, task.cancel)
        else:
            log.warning("Signal %s again: cancelling now", signal.Signals(signum).name)
            task.cancel()

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, handle, signum)
