"""Erasures begun and not yet recorded, in ``escalation.erasures_pending`` (PostgreSQL).

A row is the whole command as JSON with its kind (a privacy officer's ``request``, or the timer's
``retention``, which also names the term's due date), so the command that finishes it is the very one that
began it; ``begun_at`` is the command's ``now`` (the clock the timer that finishes it reads too). Driver
errors become :class:`~klachtspoor.eventstore.errors.StoreUnavailable` (a 503 and a
retry, as for the event store beside it) or :class:`~klachtspoor.eventstore.errors.EventStoreError`.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import datetime

import asyncpg

from klachtspoor import pgconnect
from klachtspoor.eventstore.errors import EventStoreError, StoreUnavailable
from services.escalation.adapters.schema import apply_schema
from services.escalation.application.pending_erasures import PendingErasures
from services.escalation.domain import EraseAtRetentionEnd, ErasureCommand


def _translated(operation: str) -> AbstractAsyncContextManager[None]:
    return pgconnect.translated(
        operation, component="Pending erasures", unavailable=StoreUnavailable, failed=EventStoreError
    )


def _kind(command: ErasureCommand) -> str:
    return "retention" if isinstance(command, EraseAtRetentionEnd) else "request"


def _command(kind: str, stored: str) -> ErasureCommand:
    match kind:
        case "retention":
            return EraseAtRetentionEnd.model_validate_json(stored)
        case "request":
            return ErasureCommand.model_validate_json(stored)
        case _:
            raise EventStoreError(f"Pending erasures: unknown kind {kind!r} in escalation.erasures_pending")


class PostgresPendingErasures(PendingErasures):
    def __init__(self, pool: asyncpg.Pool, timeouts: pgconnect.Timeouts | None = None) -> None:
        self._pool, self._timeouts = pool, timeouts

    @classmethod
    async def open(
        cls, database_url: str, *, timeouts: pgconnect.Timeouts | None = None
    ) -> PostgresPendingErasures:
        """Connect (a small pool: erasures are rare) and apply escalation's migrations."""
        async with _translated("connect"):
            pool = await pgconnect.create_prepared_pool(
                database_url, apply_schema, min_size=1, max_size=2, timeouts=timeouts
            )
        return cls(pool, timeouts)

    async def close(self) -> None:
        await self._pool.close()

    async def begin(self, command: ErasureCommand) -> None:
        async with _translated(f"begin erasure of case {command.case_id}"):
            await self._pool.execute(
                "INSERT INTO escalation.erasures_pending"
                " (tenant, case_id, command_id, kind, command, begun_at)"
                " VALUES ($1, $2, $3, $4, $5::jsonb, $6) ON CONFLICT DO NOTHING",
                command.tenant,
                command.case_id,
                command.command_id,
                _kind(command),
                command.model_dump_json(),
                command.now,
            )

    async def finished(self, command: ErasureCommand) -> None:
        async with _translated(f"finish erasure of case {command.case_id}"):
            await self._pool.execute(
                "DELETE FROM escalation.erasures_pending"
                " WHERE tenant = $1 AND case_id = $2 AND command_id = $3",
                command.tenant,
                command.case_id,
                command.command_id,
            )

    async def begun_before(self, moment: datetime, *, limit: int) -> list[ErasureCommand]:
        async with _translated("list pending erasures"):
            rows = await self._pool.fetch(
                "SELECT kind, command::text AS command FROM escalation.erasures_pending"
                " WHERE begun_at < $1 ORDER BY begun_at, command_id LIMIT $2",
                moment,
                limit,
            )
        return [_command(row["kind"], row["command"]) for row in rows]
