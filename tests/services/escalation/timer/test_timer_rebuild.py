"""The due-date index through `klachtspoor projections rebuild`: the fast fold gives exactly the rows the
live projection gives (which reads every case from the store), while the live one keeps running."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import partial
from typing import Any

import asyncpg
import pytest
from timer_given import Index, append, open_case, started

from contracts.events import FirstContactMade, TermExtended, TermSuspended
from contracts.values import Term
from contracts.vocabulary import Channel, DeadlineKind, Role, SuspensionReason, TermUnit
from klachtspoor.bootstrap import Infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.policies import PolicyRegistry
from klachtspoor.projections import rebuild_projection
from klachtspoor.settings import Settings
from klachtspoor.subscriptions import load_checkpoint
from services.escalation.adapters.timer_fold import TimerIndexFold, timer_index_rebuild

SIX_WEEKS = Term(amount=6, unit=TermUnit.WEEKS)


async def index_tables(conn: asyncpg.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Both tables of the index (without the time a row was computed at)."""
    return {
        "cases": [
            tuple(r.values())
            for r in await conn.fetch(
                "SELECT stream, tenant, case_id, version FROM escalation.timer_cases ORDER BY stream"
            )
        ],
        "due": [
            tuple(r.values()) for r in await conn.fetch("SELECT * FROM escalation.timer_due ORDER BY 1, 2")
        ],
    }


@pytest.mark.parametrize("processes", [1, 2])
async def test_the_fast_rebuild_gives_the_live_index(
    processes: int,
    repository: CaseRepository,
    index: Index,
    tenant: str,
    infrastructure: Infrastructure,
    settings: Settings,
    registry: PolicyRegistry,
) -> None:
    await open_case(repository, tenant)
    extended, _ = await open_case(repository, tenant, started(DeadlineKind.JUDGEMENT, term=SIX_WEEKS))
    await append(
        repository,
        extended,
        TermExtended(
            deadline=DeadlineKind.JUDGEMENT,
            previous_due_on=date(2026, 4, 16),
            new_due_on=date(2026, 5, 7),
            reason="Later.",
        ),
    )
    suspended, _ = await open_case(repository, tenant)
    await append(
        repository,
        suspended,
        TermSuspended(
            deadline=DeadlineKind.FIRST_CONTACT,
            reason=SuspensionReason.AWAITING_COMPLAINANT,
            suspended_on=date(2026, 3, 3),
        ),
    )
    met, _ = await open_case(repository, tenant, started(), started(DeadlineKind.JUDGEMENT, term=SIX_WEEKS))
    last = await append(
        repository, met, FirstContactMade(by_role=Role.COMPLAINTS_OFFICER, channel=Channel.PHONE)
    )
    await index.caught_up(last)
    conn = await asyncpg.connect(settings.database_url)
    try:
        live = await index_tables(conn)
        projection = replace(timer_index_rebuild(settings), fold=partial(TimerIndexFold, registry))
        result = await rebuild_projection(
            infrastructure.store,
            conn,
            projection,
            page=2,
            write_every=3,
            processes=processes,
            settings=settings,
        )
        rebuilt = await index_tables(conn)
        checkpoint = await load_checkpoint(conn, projection.name)
    finally:
        await conn.close()
    assert rebuilt == live
    assert len(live["cases"]) == 4 and len(live["due"]) == 3  # suspended: none; met: the judgement only
    assert result.parked == 0 and checkpoint == result.checkpoint >= last.position
    assert result.processes == processes
