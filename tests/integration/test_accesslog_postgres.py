"""The PostgreSQL access log as an operator deploys it (docs/privacy.md, "Append-only"): a role of its
own owns the schema, and the application's user may only read and insert. The port itself is tested per
adapter in tests/conformance/test_accesslog.py."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from klachtspoor.accesslog import AccessLogUnavailable
from klachtspoor.accesslog.postgres import ACCESSLOG_SCHEMA, PostgresAccessLog, migrate
from klachtspoor.pgconnect import Timeouts
from tests.accesslog_examples import CASE, TENANT, record

OWNERSHIP = """
ALTER SCHEMA accesslog OWNER TO {owner};
ALTER TABLE accesslog.records OWNER TO {owner};
ALTER TABLE accesslog.applied_migrations OWNER TO {owner};
ALTER FUNCTION accesslog.refuse_change() OWNER TO {owner};
GRANT USAGE ON SCHEMA accesslog TO {app};
GRANT SELECT, INSERT ON accesslog.records TO {app};
GRANT SELECT ON accesslog.applied_migrations TO {app};
"""


@pytest.fixture
async def app_url(database_url: str) -> AsyncIterator[str]:
    """The log migrated, then handed to a NOLOGIN owner; the URL of an application user with the
    documented grants only. Both roles are dropped afterwards (roles outlive the test's database)."""
    suffix = uuid.uuid4().hex[:12]
    owner, app = f"ks_accesslog_owner_{suffix}", f"ks_accesslog_app_{suffix}"
    conn = await asyncpg.connect(database_url)
    try:
        await migrate(conn)
        await conn.execute(f"CREATE ROLE {owner} NOLOGIN; CREATE ROLE {app} LOGIN")
        await conn.execute(OWNERSHIP.format(owner=owner, app=app))
        yield _as_user(database_url, app)
        await conn.execute(f"REASSIGN OWNED BY {owner} TO CURRENT_USER; DROP OWNED BY {owner}, {app}")
        await conn.execute(f"DROP ROLE {owner}; DROP ROLE {app}")
    finally:
        await conn.close()


async def test_migrations_apply_once(database_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        assert await migrate(conn) == [*ACCESSLOG_SCHEMA.files, *ACCESSLOG_SCHEMA.function_files]
        assert await migrate(conn) == []
    finally:
        await conn.close()


async def test_the_application_user_records_and_reads_but_cannot_alter_or_unprotect(app_url: str) -> None:
    log = await PostgresAccessLog.open(app_url)
    entry = record()
    try:
        await log.record(entry)
        await log.record(entry)
        assert await log.for_case(TENANT, CASE) == [entry]
    finally:
        await log.close()
    conn = await asyncpg.connect(app_url)
    try:
        for statement in (
            "UPDATE accesslog.records SET subject = 'someone-else'",
            "DELETE FROM accesslog.records",
            "TRUNCATE accesslog.records",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
                await conn.execute(statement)
        for statement in (
            "ALTER TABLE accesslog.records DISABLE TRIGGER records_refuse_update_delete",
            "DROP TRIGGER records_refuse_truncate ON accesslog.records",
            "DROP TABLE accesslog.records",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="must be owner"):
                await conn.execute(statement)
    finally:
        await conn.close()


async def test_a_write_that_times_out_is_unavailable_and_leaves_nothing(database_url: str) -> None:
    """A log held up (here by a lock; in life a partition or a stuck server) refuses within the command
    timeout, so the read it guards is refused rather than served unlogged or left hanging."""
    log = await PostgresAccessLog.open(database_url, timeouts=Timeouts(command=0.5, acquire=2.0))
    blocker = await asyncpg.connect(database_url)
    try:
        async with blocker.transaction():
            await blocker.execute("LOCK TABLE accesslog.records IN ACCESS EXCLUSIVE MODE")
            with pytest.raises(AccessLogUnavailable, match="unavailable during record"):
                await log.record(record())
        assert await log.for_case(TENANT, CASE) == []
    finally:
        await blocker.close()
        await log.close()


def _as_user(url: str, user: str) -> str:
    """``url`` with ``user`` and no password (the test servers trust local connections)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}"))
