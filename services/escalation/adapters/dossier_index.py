"""The dossier's index: receipt code (the case reference) to case, per tenant
(``escalation.dossier_references``).

The complainant opens the dossier with the reference the receipt showed, not the case id; intake keeps
its references in its own schema, which escalation never reads (services share no tables). So escalation
keeps its own index from the event store: a projection of ``CaseReferenceAssigned`` that commits each row
with its checkpoint. It lags the append by the subscription's delay (milliseconds; a dossier opened in
that moment answers as an unknown code). A cache: ``klachtspoor projections rebuild escalation-dossier-index``
builds it again from the log (:class:`DossierIndexFold`, registered in the root ``pyproject.toml``).
"""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

import asyncpg

from klachtspoor import pgconnect
from klachtspoor.eventstore.errors import EventStoreError, StoreUnavailable
from klachtspoor.eventstore.port import LogFilter, RecordedEvent
from klachtspoor.eventstore.streams import StreamName
from klachtspoor.projections import RebuildableProjection
from klachtspoor.settings import Settings
from klachtspoor.subscriptions import Projection
from services.escalation.adapters.schema import apply_schema

PROJECTION_NAME = "escalation-dossier-index"
TABLES = ("escalation.dossier_references",)
FILTER = LogFilter(
    stream_prefixes=(StreamName.prefix("case"),), event_types=frozenset({"CaseReferenceAssigned"})
)


def index_row(recorded: RecordedEvent) -> tuple[str, str, UUID]:
    """(tenant, reference, case id) of a ``CaseReferenceAssigned``; raises on a stream id that is no UUID
    or an event without a reference (the live projection parks such an event, the rebuild as well)."""
    return recorded.tenant, str(recorded.data["reference"]), UUID(recorded.stream.rsplit(":", 1)[1])


def dossier_index_projection(*, batch_size: int = 100) -> Projection:
    async def handle(conn: asyncpg.Connection, recorded: RecordedEvent) -> None:
        await conn.execute(
            "INSERT INTO escalation.dossier_references (tenant, reference, case_id) VALUES ($1, $2, $3)"
            " ON CONFLICT (tenant, reference) DO NOTHING",
            *index_row(recorded),
        )

    return Projection(PROJECTION_NAME, handle, filter=FILTER, batch_size=batch_size)


class DossierIndexFold:
    """The index from the log in memory, written with COPY. A reference is assigned once per case and
    never changes, so rows are final when fed; the first case to carry a reference keeps it, as the live
    ``ON CONFLICT DO NOTHING`` keeps it."""

    def __init__(self) -> None:
        self._seen: set[tuple[str, str]] = set()
        self._pending: list[tuple[str, str, UUID]] = []

    def feed(self, event: RecordedEvent) -> None:
        row = index_row(event)
        if row[:2] not in self._seen:
            self._seen.add(row[:2])
            self._pending.append(row)

    async def write(self, conn: asyncpg.Connection, tables: Mapping[str, str], *, complete: bool) -> None:
        if not self._pending:
            return
        schema, _, name = tables[TABLES[0]].partition(".")
        await conn.copy_records_to_table(
            name, schema_name=schema, columns=["tenant", "reference", "case_id"], records=self._pending
        )
        self._pending = []


def dossier_index_rebuild(settings: Settings) -> RebuildableProjection:
    """``klachtspoor.projections`` entry ``escalation-dossier-index``."""
    if not settings.database_url:
        raise ValueError("KLACHTSPOOR_DATABASE_URL is not set: the dossier's index lives there")
    return RebuildableProjection(
        name=PROJECTION_NAME,
        tables=TABLES,
        filter=FILTER,
        prepare=apply_schema,
        fold=DossierIndexFold,
        description="escalation: the dossier's index of receipt codes (case references) to cases",
        database_url=settings.database_url,
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
        """Raises :class:`StoreUnavailable` (a 503) while PostgreSQL is away or starting up, never the
        driver's own error (which would answer 500)."""
        async with (
            pgconnect.translated(
                f"look up a receipt code of {tenant!r}",
                component="Dossier references",
                unavailable=StoreUnavailable,
                failed=EventStoreError,
            ),
            pgconnect.acquire(self.pool) as conn,
        ):
            found = await conn.fetchval(
                "SELECT case_id FROM escalation.dossier_references WHERE tenant = $1 AND reference = $2",
                tenant,
                reference,
            )
        return found if isinstance(found, UUID) else None
