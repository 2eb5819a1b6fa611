"""The fault run's server faults on embedded servers of the test's own: PostgreSQL shut down immediately
and started again keeps what was committed, on the same URL; NATS stopped and started again comes back
on the same URL with its JetStream store."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import nats

from klachtspoor_devtools.devstack.nats import EmbeddedNats
from klachtspoor_devtools.devstack.postgres import EmbeddedPostgres


async def test_an_immediate_restart_recovers_what_was_committed_on_the_same_url(tmp_path: Path) -> None:
    postgres = EmbeddedPostgres(tmp_path / "postgres", durable=True)
    url = postgres.start()
    try:
        conn = await asyncpg.connect(url)
        await conn.execute("CREATE TABLE kept (n int); INSERT INTO kept VALUES (1), (2)")
        first_pid = postgres.pid
        assert postgres.restart_immediately() == url
        assert postgres.pid != first_pid
        assert conn.is_closed() or await _broken(conn)
        again = await asyncpg.connect(url)
        try:
            assert await again.fetchval("SELECT sum(n) FROM kept") == 3
        finally:
            await again.close()
        log = postgres.log_path.read_text()
        assert "immediate shutdown request" in log
        assert "database system was not properly shut down; automatic recovery in progress" in log
    finally:
        postgres.stop()


async def _broken(conn: asyncpg.Connection) -> bool:
    """The old connection no longer works (the backend it talked to is gone)."""
    try:
        await conn.fetchval("SELECT 1")
    except (asyncpg.PostgresError, OSError, asyncpg.InterfaceError):
        return True
    finally:
        conn.terminate()
    return False


async def test_nats_stopped_and_started_again_keeps_its_url_and_stream(tmp_path: Path) -> None:
    server = EmbeddedNats(tmp_path / "nats")
    url = server.start()
    try:
        client = await nats.connect(url)
        stream = client.jetstream()
        await stream.add_stream(name="KEPT", subjects=["kept.>"])
        await stream.publish("kept.one", b"1")
        await client.close()
        server.stop()
        assert server.start() == url
        client = await nats.connect(url)
        info = await client.jetstream().stream_info("KEPT")
        assert info.state.messages == 1
        await client.close()
    finally:
        server.stop()
