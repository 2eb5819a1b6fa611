"""PostgreSQL access log (asyncpg), in its own schema ``accesslog``, append-only by triggers.

Its migrations are the SQL files in ``sql/``, applied at start by the shared runner
(:mod:`klachtspoor.migrations`) and recorded in ``accesslog.applied_migrations``. Triggers refuse UPDATE,
DELETE and TRUNCATE on ``accesslog.records`` for every user, the application's own included.

A write is one ``INSERT … ON CONFLICT (record_id) DO NOTHING``: a retry of a stored record inserts
nothing, and only then is the stored row read and compared, so the common path is one statement.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any
from uuid import UUID

import asyncpg

from klachtspoor.accesslog.errors import AccessLogError, AccessLogUnavailable, AccessRecordConflict
from klachtspoor.accesslog.port import AccessLog
from klachtspoor.accesslog.record import AccessRecord
from klachtspoor.migrations import Connection, MigrationSet, apply_migrations
from klachtspoor.pgconnect import Timeouts, create_prepared_pool, translated

ACCESSLOG_SCHEMA = MigrationSet(
    package="klachtspoor.accesslog",
    schema="accesslog",
    files=(
        "001_schema_accesslog.sql",
        "002_table_records.sql",
        "003_index_records_case.sql",
        "004_index_records_subject.sql",
        "005_function_refuse_change.sql",
        "006_trigger_records_refuse_update_delete.sql",
        "007_trigger_records_refuse_truncate.sql",
        "008_records_role_optional.sql",
    ),
    functions=("refuse_change",),
)

_COLUMNS = "record_id, tenant, case_id, subject, role, shown, at, channel, outcome, status"


def _translated(operation: str) -> AbstractAsyncContextManager[None]:
    """Driver errors become port errors that name the operation (never a record's content)."""
    return translated(
        operation, component="Access log", unavailable=AccessLogUnavailable, failed=AccessLogError
    )


async def migrate(conn: Connection) -> list[str]:
    """Apply the pending migrations in one transaction; return the names applied now."""
    async with _translated("migration"):
        return await apply_migrations(conn, ACCESSLOG_SCHEMA)


class PostgresAccessLog(AccessLog):
    def __init__(self, pool: asyncpg.Pool, timeouts: Timeouts | None = None) -> None:
        self._pool = pool
        self._timeouts = timeouts or Timeouts()

    @classmethod
    async def open(
        cls, database_url: str, *, min_size: int = 1, max_size: int = 4, timeouts: Timeouts | None = None
    ) -> PostgresAccessLog:
        """Connect, apply pending migrations, and return a ready log."""
        limits = timeouts or Timeouts.of()
        async with _translated("connect"):
            pool = await create_prepared_pool(
                database_url, migrate, min_size=min_size, max_size=max_size, timeouts=limits
            )
        return cls(pool, limits)

    async def _append(self, entry: AccessRecord) -> None:
        async with _translated(f"record {entry.record_id}"):
            inserted = await self._pool.fetchval(
                f"INSERT INTO accesslog.records ({_COLUMNS})"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                " ON CONFLICT (record_id) DO NOTHING RETURNING position",
                entry.record_id,
                entry.tenant,
                entry.case_id,
                entry.subject,
                None if entry.role is None else entry.role.value,
                list(entry.shown),
                entry.at,
                entry.channel,
                entry.outcome.value,
                entry.status,
                timeout=self._timeouts.command,
            )
            if inserted is not None:
                return
            row = await self._pool.fetchrow(
                f"SELECT {_COLUMNS} FROM accesslog.records WHERE record_id = $1", entry.record_id
            )
        if row is None or _record(row) != entry:
            raise AccessRecordConflict(entry.record_id)

    async def for_case(self, tenant: str, case_id: UUID) -> list[AccessRecord]:
        where = "tenant = $1 AND case_id = $2"
        return await self._select(f"records of case {case_id}", where, tenant, case_id)

    async def for_subject(self, tenant: str, subject: str) -> list[AccessRecord]:
        return await self._select("records of a subject", "tenant = $1 AND subject = $2", tenant, subject)

    async def _select(self, what: str, where: str, *args: Any) -> list[AccessRecord]:
        async with _translated(f"read {what}"):
            rows = await self._pool.fetch(
                f"SELECT {_COLUMNS} FROM accesslog.records WHERE {where} ORDER BY position", *args
            )
        return [_record(row) for row in rows]

    async def close(self) -> None:
        await self._pool.close()


def _record(row: asyncpg.Record) -> AccessRecord:
    """A stored row as a record; stored rows were validated on the way in."""
    return AccessRecord.model_validate({**dict(row), "shown": tuple(row["shown"])})
