"""The due-date index: a projection over the case streams that keeps, per case and deadline kind, the next
moment the timer has something to record (``escalation.timer_due``).

On any event of a case the handler reads the whole case from the event store, derives its deadlines with
:func:`~services.escalation.domain.running_deadlines` under the pinned policy, and replaces the case's rows.
The rows are a cache of that derivation, never the truth: :func:`rebuild` empties them and the next run
replays the log. ``escalation.timer_cases`` remembers the stream version the rows were computed through, so
the later events of a case the same read already covered (a batch, a rebuild) cost one row lookup.

The runner commits the rows and its checkpoint in one transaction. The case row is locked first
(``FOR UPDATE``), so two instances running the projection at once serialise per case instead of writing
over each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from contracts.vocabulary import DeadlineKind
from klachtspoor.eventstore.port import EventStore, LogFilter, RecordedEvent
from klachtspoor.eventstore.streams import StreamName
from klachtspoor.migrations import Connection
from klachtspoor.policies import PolicyRegistry
from klachtspoor.subscriptions import Projection, forget_projection
from klachtspoor.subscriptions.schema import apply_schema as apply_subscriptions_schema
from services.escalation.adapters.schema import apply_schema
from services.escalation.adapters.timer_rows import DueRow, due_rows, masked_events, pinned_policy
from services.escalation.domain import fold

PROJECTION_NAME = "escalation-timer-index"
"""The subscriber name: its checkpoint and parked events in the ``subscriptions`` schema."""

TABLES = ("escalation.timer_due", "escalation.timer_cases")
_PAGE = 500


def timer_index_projection(
    store: EventStore, policies: PolicyRegistry, *, batch_size: int = 100
) -> Projection:
    """The projection, for a :class:`~klachtspoor.subscriptions.SubscriptionRunner` on escalation's
    database."""

    async def handle(conn: asyncpg.Connection, recorded: RecordedEvent) -> None:
        await index_case(conn, store, policies, recorded)

    return Projection(
        PROJECTION_NAME,
        handle,
        filter=LogFilter(stream_prefixes=(StreamName.prefix("case"),)),
        batch_size=batch_size,
    )


async def index_case(
    conn: asyncpg.Connection, store: EventStore, policies: PolicyRegistry, recorded: RecordedEvent
) -> None:
    """Bring the rows of ``recorded``'s case up to the case's head, in the caller's transaction."""
    case_id = case_id_of(recorded)
    await conn.execute(
        "INSERT INTO escalation.timer_cases (stream, tenant, case_id, version) VALUES ($1, $2, $3, -1) "
        "ON CONFLICT (stream) DO NOTHING",
        recorded.stream,
        recorded.tenant,
        case_id,
    )
    covered = await conn.fetchval(
        "SELECT version FROM escalation.timer_cases WHERE stream = $1 FOR UPDATE", recorded.stream
    )
    if covered >= recorded.version:
        return
    records = await read_case(store, recorded.stream)
    events = masked_events(records)
    rows = due_rows(events, pinned_policy(fold(events), policies))
    await conn.execute("DELETE FROM escalation.timer_due WHERE stream = $1", recorded.stream)
    await conn.executemany(
        "INSERT INTO escalation.timer_due (stream, deadline, tenant, case_id, due_on, warning_on, "
        "warning_at, breach_at, next_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        [
            (
                recorded.stream,
                row.deadline.value,
                recorded.tenant,
                case_id,
                row.due_on,
                row.warning_on,
                row.warning_at,
                row.breach_at,
                row.next_at,
            )
            for row in rows
        ],
    )
    head = max(recorded.version, records[-1].version if records else -1)
    await conn.execute(
        "UPDATE escalation.timer_cases SET version = $2, computed_at = now() WHERE stream = $1",
        recorded.stream,
        head,
    )


async def read_case(store: EventStore, stream: str) -> list[RecordedEvent]:
    records: list[RecordedEvent] = []
    while page := await store.read_stream(stream, from_version=len(records), limit=_PAGE):
        records.extend(page)
        if len(page) < _PAGE:
            break
    return records


async def rebuild(conn: asyncpg.Connection) -> None:
    """Empty the index and forget the checkpoint and parked events: the next run replays the whole log.

    Run it while the projection is stopped (see :func:`klachtspoor.subscriptions.forget_projection`).
    """
    await apply_schema(conn)
    await apply_subscriptions_schema(conn)
    await forget_projection(conn, PROJECTION_NAME, TABLES)


_SELECT = (
    "SELECT stream, deadline, tenant, case_id, due_on, warning_on, warning_at, breach_at "
    "FROM escalation.timer_due"
)


@dataclass(frozen=True, slots=True)
class IndexedDue:
    """A row of ``escalation.timer_due``: a case's term and what is still to record for it."""

    stream: str
    tenant: str
    case_id: UUID
    row: DueRow

    @classmethod
    def of(cls, record: asyncpg.Record) -> IndexedDue:
        row = DueRow(
            deadline=DeadlineKind(record["deadline"]),
            due_on=record["due_on"],
            warning_on=record["warning_on"],
            warning_at=record["warning_at"],
            breach_at=record["breach_at"],
        )
        return cls(record["stream"], record["tenant"], record["case_id"], row)

    @property
    def key(self) -> tuple[datetime, str, str]:
        """The row's place in the timer's order: (next_at, stream, deadline)."""
        return (self.row.next_at, self.stream, self.row.deadline.value)


async def due_at(
    conn: Connection, now: datetime, *, after: tuple[datetime, str, str] | None = None, limit: int = 100
) -> list[IndexedDue]:
    """Rows with something due at ``now``, oldest first; ``after`` is the key of the previous page's last
    row, so paging never returns a row twice, even while the projection rewrites rows."""
    if after is None:
        rows = await conn.fetch(
            f"{_SELECT} WHERE next_at <= $1 ORDER BY next_at, stream, deadline LIMIT $2", now, limit
        )
    else:
        rows = await conn.fetch(
            f"{_SELECT} WHERE next_at <= $1 AND (next_at, stream, deadline) > ($2, $3, $4) "
            "ORDER BY next_at, stream, deadline LIMIT $5",
            now,
            *after,
            limit,
        )
    return [IndexedDue.of(row) for row in rows]


async def index_rows(conn: Connection) -> list[IndexedDue]:
    """Every row of the index in a stable order (a rebuild gives the same list)."""
    return [IndexedDue.of(row) for row in await conn.fetch(f"{_SELECT} ORDER BY stream, deadline")]


def case_id_of(recorded: RecordedEvent) -> UUID:
    """The case id a case stream's name carries; a ValueError (the event is parked) when it is no UUID."""
    name = StreamName.parse(recorded.stream)
    try:
        return UUID(name.id)
    except ValueError:
        raise ValueError(
            f"Case stream id {name.id!r} is not a UUID "
            f"(Stream: {recorded.stream}, Event: {recorded.event_id})"
        ) from None
