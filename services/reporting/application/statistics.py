"""The statistics projection: one row of case facts per case and the counts the figures are read from
(changed by each case's new facts in the same transaction), fed by its own subscriber (``statistics``)
straight from the event store.

It is a projection of its own beside ``reporting`` (own checkpoint, own parked events, own table), so
rebuilding one leaves the other untouched. The runner commits the row and the checkpoint in one
transaction, and the handler is idempotent on its own (a row only moves for an event of a higher stream
version), so a rebuild from the start gives the same rows and therefore the same figures.
"""

from __future__ import annotations

import asyncpg

from klachtspoor.eventstore.port import LogFilter, RecordedEvent
from klachtspoor.eventstore.streams import StreamName
from klachtspoor.subscriptions import Projection, forget_projection
from klachtspoor.subscriptions.schema import apply_schema as apply_subscriptions_schema
from services.reporting.adapters import counts
from services.reporting.adapters import facts as rows
from services.reporting.adapters.decoding import to_case_event
from services.reporting.adapters.schema import apply_schema
from services.reporting.domain.facts import evolve_facts
from services.reporting.domain.figures import Figures, change, figures

PROJECTION_NAME = "statistics"
"""The subscriber name: its checkpoint and parked events in the ``subscriptions`` schema."""

TABLES = ("reporting.case_facts", counts.FIGURE_COUNTS, counts.HANDLING_COUNTS)


def statistics_projection(*, batch_size: int = 100) -> Projection:
    return Projection(
        PROJECTION_NAME,
        handle,
        filter=LogFilter(stream_prefixes=(StreamName.prefix("case"),)),
        batch_size=batch_size,
    )


async def handle(conn: asyncpg.Connection, recorded: RecordedEvent) -> None:
    event = to_case_event(recorded)
    stored = await rows.load_stored(conn, event.tenant, event.case_id)
    before, days_before = (None, None) if stored is None else stored
    after = evolve_facts(before, event)
    if after is not before:
        await rows.save_facts(conn, after)
        await counts.add_change(conn, event.tenant, change(before, after, days_before=days_before))


async def tenant_figures(conn: asyncpg.Connection, tenant: str) -> Figures:
    """The tenant's figures, every period and dimension, from the rows as they are now."""
    return figures(await rows.tenant_facts(conn, tenant))


async def rebuild(conn: asyncpg.Connection) -> None:
    """Empty the case facts and forget the checkpoint and parked events: the next run replays all.

    Run it while the statistics projection is stopped; the ``reporting`` projection is not touched.
    """
    await apply_schema(conn)
    await apply_subscriptions_schema(conn)
    await forget_projection(conn, PROJECTION_NAME, TABLES)
