"""The dossier's index through ``klachtspoor projections rebuild escalation-dossier-index``: the fold gives
exactly the rows the live projection gives, a reference two cases carry stays with the first, and the
checkpoint ends past the last reference."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from contracts.events import CaseReferenceAssigned
from klachtspoor.bootstrap import Infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.eventstore.port import AppendResult
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.projections import rebuild_projection
from klachtspoor.settings import Settings
from klachtspoor.subscriptions import SubscriptionRunner, load_checkpoint
from services.escalation.adapters.dossier_index import dossier_index_projection, dossier_index_rebuild
from services.escalation.adapters.schema import apply_schema
from tests.services.escalation.timer.timer_given import Case, append, signal


async def file(repository: CaseRepository, tenant: str, reference: str) -> tuple[UUID, AppendResult]:
    case_id = uuid4()
    case = Case(tenant, case_id, case_stream(tenant, str(case_id)))
    return case_id, await append(repository, case, signal(), CaseReferenceAssigned(reference=reference))


async def index_rows(conn: asyncpg.Connection) -> list[tuple[Any, ...]]:
    rows = await conn.fetch(
        "SELECT tenant, reference, case_id FROM escalation.dossier_references ORDER BY 1, 2"
    )
    return [tuple(row.values()) for row in rows]


async def test_the_rebuild_gives_the_live_index_and_the_first_case_keeps_a_reference(
    repository: CaseRepository, infrastructure: Infrastructure, settings: Settings, tenant: str
) -> None:
    first, _ = await file(repository, tenant, "KS-2026-000001")
    second, _ = await file(repository, tenant, "KS-2026-000002")
    await file(repository, tenant, "KS-2026-000001")  # the same code again: the first case keeps it
    other_tenant = f"{tenant}-b"
    elsewhere, last = await file(repository, other_tenant, "KS-2026-000001")

    conn = await asyncpg.connect(settings.database_url)
    try:
        await apply_schema(conn)
        runner = SubscriptionRunner(
            infrastructure.store, settings.database_url, dossier_index_projection(), retry_poll_interval=0.1
        )
        task = asyncio.create_task(runner.run())
        try:
            await asyncio.wait_for(runner.wait_until(last.position), 30)
        finally:
            runner.stop()
            await asyncio.wait_for(task, 30)
        live = await index_rows(conn)
        await conn.execute("DELETE FROM escalation.dossier_references")  # what follows is the fold's alone
        result = await rebuild_projection(
            infrastructure.store, conn, dossier_index_rebuild(settings), page=2, write_every=1
        )
        rebuilt = await index_rows(conn)
        checkpoint = await load_checkpoint(conn, "escalation-dossier-index")
    finally:
        await conn.close()

    assert live == [
        (tenant, "KS-2026-000001", first),
        (tenant, "KS-2026-000002", second),
        (other_tenant, "KS-2026-000001", elsewhere),
    ]
    assert rebuilt == live
    assert result.parked == 0 and checkpoint == result.checkpoint >= last.position
