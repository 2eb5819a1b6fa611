"""PostgreSQL adapter specifics: the snapshot horizon, the per-stream order guard, migrations, failures."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterator
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from eventstore_helpers import Collector, new_event, new_events, read_everything

from klachtspoor.eventstore.errors import StoreUnavailable, WrongExpectedVersion
from klachtspoor.eventstore.port import StreamState
from klachtspoor.eventstore.postgres import (
    MigrationError,
    PostgresEventStore,
    RetryTransaction,
    append_in_transaction,
    migrate,
)
from klachtspoor.eventstore.postgres.schema import SCHEMA


@pytest.fixture
async def pg_store(database_url: str) -> AsyncIterator[PostgresEventStore]:
    store = await PostgresEventStore.connect(database_url, pool_size=4, poll_interval=0.2)
    yield store
    await store.close()


async def test_late_commit_is_held_back_never_skipped(
    database_url: str, pg_store: PostgresEventStore
) -> None:
    collector = Collector(pg_store)
    older = await asyncpg.connect(database_url)
    try:
        transaction = older.transaction()
        await transaction.start()
        older_xid = await older.fetchval("SELECT pg_current_xact_id()")
        younger = new_event()
        result = await pg_store.append("case:t1:b", [younger], StreamState.NO_STREAM)
        assert result.position.commit > older_xid
        assert younger.event_id not in {e.event_id for e in await pg_store.read_all()}
        late = new_event()
        await append_in_transaction(older, pg_store, "case:t1:a", [late], StreamState.NO_STREAM)
        await transaction.commit()
        seen = await collector.wait_for(2)
    finally:
        await collector.stop()
        await older.close()
    log = await read_everything(pg_store)
    assert [e.event_id for e in log] == [late.event_id, younger.event_id]
    assert seen == log


async def test_order_guard_refuses_an_older_transaction_on_a_younger_head(
    database_url: str, pg_store: PostgresEventStore
) -> None:
    older = await asyncpg.connect(database_url)
    try:
        transaction = older.transaction()
        await transaction.start()
        await older.execute("SELECT pg_current_xact_id()")
        await pg_store.append("case:t1:s", [new_event()], StreamState.NO_STREAM)
        with pytest.raises(RetryTransaction, match="younger"):
            await append_in_transaction(older, pg_store, "case:t1:s", [new_event()], StreamState.ANY)
        # Another stream is not affected: the guard is per stream.
        await append_in_transaction(older, pg_store, "case:t1:other", [new_event()], StreamState.NO_STREAM)
        await transaction.rollback()
        async with older.transaction():
            retried = await append_in_transaction(
                older, pg_store, "case:t1:s", [new_event()], StreamState.ANY
            )
        assert retried.version == 1
    finally:
        await older.close()
    log = await read_everything(pg_store)
    assert [(e.stream, e.version) for e in log] == [("case:t1:s", 0), ("case:t1:s", 1)]


class _Abandon(Exception):
    pass


async def test_append_in_transaction_keeps_the_transaction_usable_and_rolls_back_with_it(
    database_url: str, pg_store: PostgresEventStore
) -> None:
    await pg_store.append("case:t1:s", new_events(2), StreamState.NO_STREAM)
    conn = await asyncpg.connect(database_url)
    try:
        async with conn.transaction():
            with pytest.raises(WrongExpectedVersion):
                await append_in_transaction(conn, pg_store, "case:t1:s", [new_event()], StreamState.NO_STREAM)
            with pytest.raises(WrongExpectedVersion):
                await append_in_transaction(conn, pg_store, "case:t1:s", [new_event()], 0)
            await append_in_transaction(conn, pg_store, "case:t1:s", [new_event()], 1)
        with pytest.raises(_Abandon):
            async with conn.transaction():
                await append_in_transaction(conn, pg_store, "case:t1:s", [new_event()], 2)
                raise _Abandon
    finally:
        await conn.close()
    assert [e.version for e in await pg_store.read_stream("case:t1:s")] == [0, 1, 2]
    assert [e.version for e in await read_everything(pg_store)] == [0, 1, 2]


async def test_migrations_apply_once_under_concurrency(database_url: str) -> None:
    applied = await asyncio.gather(*(migrate(database_url) for _ in range(4)))
    versions = list(range(1, len(SCHEMA.files) + 1))
    assert sorted(v for run in applied for v in run) == versions
    assert await migrate(database_url) == []
    conn = await asyncpg.connect(database_url)
    try:
        assert await migrate(conn) == []
        rows = await conn.fetch("SELECT name FROM eventstore.applied_migrations ORDER BY name")
        assert [r["name"] for r in rows] == sorted([*SCHEMA.files, *SCHEMA.function_files])
        assert [int(name[:3]) for name in SCHEMA.files] == versions
        await conn.execute(
            "UPDATE eventstore.applied_migrations SET checksum = 'edited' WHERE name = '002_events_table.sql'"
        )
        with pytest.raises(MigrationError, match=r"002_events_table\.sql changed"):
            await migrate(conn)
    finally:
        await conn.close()


async def test_unreachable_server_is_unavailable_naming_host_and_operation() -> None:
    with pytest.raises(StoreUnavailable, match=r"127\.0\.0\.1:9/nowhere .*connect"):
        await PostgresEventStore.connect("postgresql://postgres@127.0.0.1:9/nowhere")


class _Proxy:
    """A TCP relay in front of the server, so a test can take the server away from the store."""

    def __init__(self, target: tuple[str, int]) -> None:
        self._target = target
        self._writers: list[asyncio.StreamWriter] = []
        self._server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(*self._target)
        self._writers += [writer, upstream_writer]
        await asyncio.gather(_pipe(reader, upstream_writer), _pipe(upstream_reader, writer))

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in self._writers:
            writer.close()
        await self._server.wait_closed()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.close()


async def test_lost_server_is_unavailable_naming_host_and_operation(database_url: str) -> None:
    parts = urlsplit(database_url)
    proxy = _Proxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    await proxy.start()
    via_proxy = urlunsplit(parts._replace(netloc=f"{parts.username}@127.0.0.1:{proxy.port}"))
    store = await PostgresEventStore.connect(via_proxy, pool_size=2, poll_interval=0.1)
    try:
        await store.append("case:t1:a", [new_event()], StreamState.NO_STREAM)
        subscription = store.subscribe()
        assert (await anext(subscription)).stream == "case:t1:a"
        await proxy.stop()
        with pytest.raises(StoreUnavailable, match=rf"127\.0\.0\.1:{proxy.port}/.*append to case:t1:a"):
            await store.append("case:t1:a", [new_event()], StreamState.ANY)
        with pytest.raises(StoreUnavailable, match="read_stream case:t1:a"):
            await store.read_stream("case:t1:a")
        with pytest.raises(StoreUnavailable, match="read_all"):
            await anext(subscription)
    finally:
        await store.close()
    assert [row["version"] for row in await _fresh_read(database_url)] == [0]


async def _fresh_read(url: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(url)
    try:
        return list(await conn.fetch("SELECT version FROM eventstore.events"))
    finally:
        await conn.close()


async def test_notification_wakes_a_subscriber_of_another_store(database_url: str) -> None:
    """The reader polls once a minute, beyond the hang guard: only the notification can wake it."""
    writer = await PostgresEventStore.connect(database_url, pool_size=2, notify=True)
    reader = await PostgresEventStore.connect(database_url, pool_size=2, poll_interval=60)
    collector = Collector(reader)
    try:
        await asyncio.sleep(0.2)  # let the reader reach its wait
        event = new_event()
        await writer.append("case:t1:a", [event], StreamState.NO_STREAM)
        seen = await collector.wait_for(1, seconds=20)
    finally:
        await collector.stop()
        await writer.close()
        await reader.close()
    assert [e.event_id for e in seen] == [event.event_id]


async def _migrate_as_before(conn: asyncpg.Connection) -> None:
    """What versions before the shared runner did: files 001 to 010, each recorded by number in
    ``eventstore.schema_migrations`` with the checksum of its text."""
    await conn.execute(
        """
        CREATE SCHEMA IF NOT EXISTS eventstore;
        CREATE TABLE IF NOT EXISTS eventstore.schema_migrations (
            version    integer     PRIMARY KEY,
            name       text        NOT NULL,
            checksum   text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        );
        """
    )
    for name in SCHEMA.files[:10]:
        sql = SCHEMA.read(name)
        async with conn.transaction():
            await conn.execute(sql)
            await conn.execute(
                "INSERT INTO eventstore.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                int(name[:3]),
                name[4:].removesuffix(".sql"),
                hashlib.sha256(sql.encode()).hexdigest(),
            )


async def test_a_database_migrated_by_the_earlier_runner_is_recognised(database_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        await _migrate_as_before(conn)
        applied_then = await conn.fetch("SELECT version, applied_at FROM eventstore.schema_migrations")
        assert await migrate(conn) == [11]
        rows = await conn.fetch("SELECT name, applied_at FROM eventstore.applied_migrations")
        recorded = {r["name"]: r["applied_at"] for r in rows}
        assert set(recorded) == {*SCHEMA.files, *SCHEMA.function_files}
        for row in applied_then:
            assert recorded[SCHEMA.files[row["version"] - 1]] == row["applied_at"]
        assert await conn.fetchval("SELECT to_regclass('eventstore.schema_migrations')") is None
        assert await migrate(conn) == []
    finally:
        await conn.close()
    store = await PostgresEventStore.connect(database_url, pool_size=1)
    try:
        await store.append("case:t1:s", [new_event()], StreamState.NO_STREAM)
        assert [e.version for e in await store.read_stream("case:t1:s")] == [0]
    finally:
        await store.close()
