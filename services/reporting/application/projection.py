"""The reporting projection: one handler that keeps the case list and the timeline, fed by
:class:`klachtspoor.subscriptions.SubscriptionRunner` straight from the event store.

The runner commits the rows and its checkpoint in one transaction. The handler is also idempotent per
event on its own (timeline rows keyed by case and version, case rows guarded by their version), so a
rebuild from the start gives the same rows.
"""

from __future__ import annotations

import asyncpg

from klachtspoor.eventstore.port import LogFilter, RecordedEvent
from klachtspoor.eventstore.streams import StreamName
from klachtspoor.subscriptions import Projection, forget_projection
from klachtspoor.subscriptions.schema import apply_schema as apply_subscriptions_schema
from services.reporting.adapters import rows
from services.reporting.adapters.decoding import to_case_event
from services.reporting.adapters.schema import apply_schema
from services.reporting.domain.case import evolve
from services.reporting.domain.events import timeline_entry

PROJECTION_NAME = "reporting"
"""The subscriber name: its checkpoint and parked events in the ``subscriptions`` schema."""

TABLES = ("reporting.cases", "reporting.timeline")


def reporting_projection(*, batch_size: int = 100) -> Projection:
    return Projection(
        PROJECTION_NAME,
        handle,
        filter=LogFilter(stream_prefixes=(StreamName.prefix("case"),)),
        batch_size=batch_size,
    )


async def handle(conn: asyncpg.Connection, recorded: RecordedEvent) -> None:
    event = to_case_event(recorded)
    await rows.insert_timeline(conn, timeline_entry(event))
    before = await rows.load_case(conn, event.tenant, event.case_id)
    after = evolve(before, event)
    if after is not before:
        await rows.save_case(conn, after)


async def rebuild(conn: asyncpg.Connection) -> None:
    """Empty the read model and forget the checkpoint and parked events: the next run replays all.

    Run it while the projection is stopped (see :func:`klachtspoor.subscriptions.forget_projection`).
    """
    await apply_schema(conn)
    await apply_subscriptions_schema(conn)
    await forget_projection(conn, PROJECTION_NAME, TABLES)
