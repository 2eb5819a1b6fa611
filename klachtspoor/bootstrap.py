"""The infrastructure every service process opens the same way: event store, key store, codec.

A service's own ``bootstrap()`` calls :func:`open_infrastructure` (tests pass other parts in), so the
wiring lives in one place and nothing connects at import time.
"""

from __future__ import annotations

from dataclasses import dataclass

from klachtspoor.codec import EventCodec
from klachtspoor.crypto.keyring import Keyring
from klachtspoor.crypto.keystore import KeyStore
from klachtspoor.crypto.postgres import PostgresKeyStore
from klachtspoor.eventstore.port import EventStore
from klachtspoor.integrity.chain import CHAIN_OVERHEAD
from klachtspoor.integrity.store import ChainedEventStore
from klachtspoor.pgconnect import Timeouts
from klachtspoor.settings import Settings


@dataclass(frozen=True)
class Infrastructure:
    settings: Settings
    store: EventStore
    keys: KeyStore
    codec: EventCodec

    async def close(self) -> None:
        await self.store.close()
        await self.keys.close()


async def open_event_store(settings: Settings, *, pool_size: int = 10) -> EventStore:
    """The event store every writer uses: the adapter behind :class:`ChainedEventStore`, which links each
    appended event into its stream's hash chain (docs/integrity.md).

    PostgreSQL by default; ``KLACHTSPOOR_EVENTSTORE_URL=esdb://…`` selects EventStoreDB (clusters). The
    adapter's payload limit is the configured one plus the chain link, so callers keep the configured limit.
    """
    return ChainedEventStore(await open_adapter(settings, pool_size=pool_size, extra_bytes=CHAIN_OVERHEAD))


async def open_adapter(settings: Settings, *, pool_size: int = 10, extra_bytes: int = 0) -> EventStore:
    """The bare adapter, without the chain: for reading what is stored (``klachtspoor verify``)."""
    max_event_bytes = settings.max_event_bytes + extra_bytes
    if settings.eventstore_url:
        from klachtspoor.eventstore.esdb import EsdbEventStore

        return await EsdbEventStore.connect(
            settings.eventstore_url,
            max_event_bytes=max_event_bytes,
            namespace=settings.eventstore_namespace,
        )
    if not settings.database_url:
        raise ValueError("KLACHTSPOOR_DATABASE_URL is not set (make dev sets it for the processes it starts)")
    from klachtspoor.eventstore.postgres import PostgresEventStore

    return await PostgresEventStore.connect(
        settings.database_url,
        max_event_bytes=max_event_bytes,
        notify=settings.notify_on_append,
        pool_size=pool_size,
        timeouts=Timeouts.of(settings),
    )


async def open_infrastructure(settings: Settings, *, pool_size: int = 10) -> Infrastructure:
    """Open the stores and check the master keys against the stored tenant keys before anything is served:
    a lost or wrong master key stops the process at start (:class:`MasterKeyCheckFailed`, naming key
    ids), never at the first read of a case."""
    store = await open_event_store(settings, pool_size=pool_size)
    try:
        keys = await PostgresKeyStore.open(settings.database_url, timeouts=Timeouts.of(settings))
    except BaseException:
        await store.close()
        raise
    try:
        keyring = Keyring.from_settings(keys, settings)
        await keyring.check_master_keys()
    except BaseException:
        await keys.close()
        await store.close()
        raise
    return Infrastructure(settings, store, keys, EventCodec(keyring))
