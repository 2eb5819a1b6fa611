"""The dossier's index: receipt code (the case reference) to case, per tenant
(``escalation.dossier_references``).

The complainant opens the dossier with the reference the receipt showed, not the case id; intake keeps
its references in its own schema, which escalation never reads (services share no tables). So escalation
keeps its own index from the event store: a projection of ``CaseReferenceAssigned`` that commits each row
with its checkpoint. It lags the append by the subscription's delay (milliseconds; a dossier opened in
that moment answers as an unknown code). A cache: :func:`rebuild` empties it and the log fills it again.
"""

from __future__ import annotations

from uuid import UUID

import asyncpg

from klachtspoor import pgconnect
from klachtspoor.eventstore.port import LogFilter, RecordedEvent
from klachtspoor.eventstore.streams import StreamName
from klachtspoor.subscriptions import Projection, forget_projection
from klachtspoor.subscriptions.schema import apply_schema as apply_subscriptions_schema
from services.escalation.adapters.schema import apply_schema

PROJECTION_NAME = "escalation-dossier-index"
TABLES = ("escalation.dossier_references",)


def dossier_index_projection(*, batch_size: int = 100) -> Projection:
    async def handle(conn: asyncpg.Connection, recorded: RecordedEvent) -> None:
        case_id = recorded.stream.rsplit(":", 1)[1]
        await conn.execute(
            "INSERT INTO escalation.dossier_references (tenant, reference, case_id) VALUES ($1, $2, $3)"
            " ON CONFLICT (tenant, reference) DO NOTHING",
            recorded.tenant,
            str(recorded.data["reference"]),
            UUID(case_id),
        )

    return Projection(
        PROJECTION_NAME,
        handle,
        filter=LogFilter(
            stream_prefixes=(StreamName.prefix("case"),), event_types=frozenset({"CaseReferenceAssigned"})
        ),
        batch_size=batch_size,
    )


class DossierReferences:
    """Looks a receipt code up; a small pool of its own, opened with the app."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    @classmethod
    async def open(cls, database_url: str, timeouts: pgconnect.Timeouts | None = None) -> DossierReferences:
        return cls(await pgconnect.create_pool(database_url, min_size=1, max_size=4, timeouts=timeouts))

    async def close(self) -> None:
        await self.pool.close()

    async def case_of(self, tenant: str, reference: str) -> UUID | None:
        async with pgconnect.acquire(self.pool) as conn:
            found = await conn.fetchval(
                "SELECT case_id FROM escalation.dossier_references WHERE tenant = $1 AND reference = $2",
                tenant,
                reference,
            )
        return found if isinstance(found, UUID) else None


async def rebuild(conn: asyncpg.Connection) -> None:
    """Empty the index and forget its checkpoint: the next run replays the log (run it while stopped)."""
    await apply_schema(conn)
    await apply_subscriptions_schema(conn)
    await forget_projection(conn, PROJECTION_NAME, TABLES)
