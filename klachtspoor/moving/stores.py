"""Which stores a copy runs between: opened from their URLs, never the same one twice.

The source is PostgreSQL (``postgresql://``) or EventStoreDB; the target is EventStoreDB, the only
adapter that keeps another store's ``recorded_at`` (PostgreSQL stamps each event with its own commit).
Both are bare adapters: behind the hash chain's wrapper the links would be hidden from the copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from klachtspoor.eventstore.esdb import EsdbEventStore
from klachtspoor.eventstore.port import EventStore
from klachtspoor.integrity.chain import CHAIN_OVERHEAD

_ESDB_SCHEMES = ("esdb", "esdb+discover")
_POSTGRES_SCHEMES = ("postgresql", "postgres")
_DEFAULT_PORTS = {"esdb": 2113, "esdb+discover": 2113, "postgresql": 5432, "postgres": 5432}


class UnsuitableStores(ValueError):
    """The source and target named cannot be copied between (the same store, or a target that is not
    EventStoreDB): nothing was opened."""


@dataclass(frozen=True, slots=True)
class StoreAddress:
    url: str
    namespace: str = ""
    """EventStoreDB only: the deployment's namespace on the server (``KLACHTSPOOR_EVENTSTORE_NAMESPACE``)."""

    @property
    def scheme(self) -> str:
        return urlsplit(self.url).scheme.lower()

    @property
    def is_esdb(self) -> bool:
        return self.scheme in _ESDB_SCHEMES

    def identity(self) -> tuple[str, frozenset[str], str, str]:
        """What names the store: kind, servers (host:port), database (PostgreSQL) and namespace."""
        parts = urlsplit(self.url)
        kind = "esdb" if self.is_esdb else "postgresql"
        default = _DEFAULT_PORTS.get(self.scheme, 0)
        hosts = frozenset(_host(each, default) for each in parts.netloc.rpartition("@")[2].split(","))
        database = "" if self.is_esdb else parts.path.strip("/")
        return kind, hosts, database, self.namespace if self.is_esdb else ""

    def __str__(self) -> str:
        """The URL without credentials, for messages."""
        parts = urlsplit(self.url)
        where = parts.netloc.rpartition("@")[2]
        shown = f"{parts.scheme}://{where}{parts.path}"
        return f"{shown} (namespace {self.namespace})" if self.is_esdb and self.namespace else shown


def _host(netloc: str, default_port: int) -> str:
    host, _, port = netloc.strip().lower().rpartition(":")
    if not host or not port.isdigit():  # no port given
        return f"{netloc.strip().lower()}:{default_port}"
    return f"{host}:{port}"


def check_addresses(source: StoreAddress, target: StoreAddress) -> None:
    if source.scheme not in (*_ESDB_SCHEMES, *_POSTGRES_SCHEMES):
        raise UnsuitableStores(f"The source {source} is neither PostgreSQL nor EventStoreDB")
    if not target.is_esdb:
        raise UnsuitableStores(f"The target {target} is not EventStoreDB (esdb:// or esdb+discover://)")
    if source.identity() == target.identity():
        raise UnsuitableStores(f"The source and the target are the same store: {target}")


async def open_source(source: StoreAddress) -> EventStore:
    if source.is_esdb:
        return await EsdbEventStore.connect(source.url, namespace=source.namespace)
    from klachtspoor.eventstore.postgres import PostgresEventStore

    return await PostgresEventStore.connect(source.url, notify=False, pool_size=2)


async def open_target(target: StoreAddress, max_event_bytes: int) -> EsdbEventStore:
    """``max_event_bytes`` as configured for callers; the chain link's bytes come on top, as for writers."""
    return await EsdbEventStore.connect(
        target.url, max_event_bytes=max_event_bytes + CHAIN_OVERHEAD, namespace=target.namespace
    )
