"""Reading: one stream by version, and the global log in (xid, global_position) order.

The global log delivers only rows whose transaction id is below the ``xmin`` of the reading statement's
own snapshot. Every transaction below that horizon has ended, so no row can ever appear behind a
position already delivered: a transaction that commits late holds the horizon back (readers wait), it
is never skipped. The horizon is computed in the same statement that reads, so both see one snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from klachtspoor.eventstore.jsondoc import JsonObject
from klachtspoor.eventstore.port import LogFilter, Position, RecordedEvent

_COLUMNS = (
    "e.xid, e.global_position, e.stream_name, e.version, e.event_id, e.type, e.tenant,"
    " e.data, e.metadata, e.schema_version, e.recorded_at"
)
STREAM_FORWARDS_SQL = (
    f"SELECT {_COLUMNS} FROM eventstore.events AS e"
    " WHERE e.stream_name = $1 AND e.version >= $2 ORDER BY e.version LIMIT $3"
)
STREAM_BACKWARDS_SQL = (
    f"SELECT {_COLUMNS} FROM eventstore.events AS e"
    " WHERE e.stream_name = $1 AND e.version <= $2 ORDER BY e.version DESC LIMIT $3"
)
# $1, $2: the position read after; $3 tenants, $4 LIKE patterns of stream prefixes, $5 types (NULL: any);
# $6 the page size. One row per event, or one row of NULLs carrying only the horizon when none is due.
# held_back: committed rows exist at or above the horizon, waiting for an older transaction to end
# (max() is one backward index probe; an EXISTS with >= here made the planner scan the whole table).
LOG_SQL = f"""
SELECT h.horizon, p.held_back, {_COLUMNS}
  FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon) AS h
 CROSS JOIN LATERAL (
        SELECT COALESCE((SELECT max(w.xid) FROM eventstore.events AS w) >= h.horizon, false) AS held_back
       ) AS p
  LEFT JOIN LATERAL (
        SELECT * FROM eventstore.events AS x
         WHERE (x.xid, x.global_position) > ($1::xid8, $2::bigint)
           AND x.xid < h.horizon
           AND ($3::text[] IS NULL OR x.tenant = ANY($3::text[]))
           AND ($4::text[] IS NULL OR x.stream_name LIKE ANY($4::text[]))
           AND ($5::text[] IS NULL OR x.type = ANY($5::text[]))
         ORDER BY x.xid, x.global_position
         LIMIT $6
       ) AS e ON true
"""


@dataclass(frozen=True, slots=True)
class LogPage:
    events: list[RecordedEvent]
    horizon: Position
    """Every matching event before this position has been delivered (up to the page size)."""
    held_back: bool
    """Committed events wait behind an open transaction: worth looking again soon."""


def decode(row: asyncpg.Record, offset: int = 0) -> RecordedEvent:
    """One row (columns of ``_COLUMNS`` from ``offset`` on) as an event; JSON is parsed on first use.

    Positional access and lazy JSON: this runs once per event on every read, the hot path of catch-up.
    """
    xid, position, stream, version, event_id, type_, tenant, data, metadata, schema_version, recorded_at = (
        row[offset : offset + 11]
    )
    return RecordedEvent(
        stream,
        version,
        Position(xid, position),
        event_id,
        type_,
        tenant,
        JsonObject(data),
        JsonObject(metadata),
        schema_version,
        recorded_at,
    )


def log_args(after: Position, filter: LogFilter | None, limit: int) -> tuple[object, ...]:
    # xid8 has no negative values: START (-1, -1) becomes (0, -1), before every real transaction id.
    position = (max(after.commit, 0), after.sequence)
    if filter is None:
        return (*position, None, None, None, limit)
    return (
        *position,
        None if filter.tenants is None else sorted(filter.tenants),
        None if filter.stream_prefixes is None else [_like_prefix(p) for p in filter.stream_prefixes],
        None if filter.event_types is None else sorted(filter.event_types),
        limit,
    )


def decode_page(rows: list[asyncpg.Record]) -> LogPage:
    head = rows[0]
    events = [decode(row, 2) for row in rows if row[3] is not None]  # 2: horizon, held_back
    return LogPage(events, Position(head["horizon"], -1), head["held_back"])


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"
