"""Rows of the ``reporting`` tables to domain values and back; callers own the transactions."""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID

import asyncpg

from contracts.vocabulary import Category, DeadlineKind
from services.reporting.domain.case import CaseView, OpenTerm
from services.reporting.domain.events import CaseEvent, TimelineEntry
from services.reporting.domain.status import CaseStatus

CASE_COLUMNS = """
tenant, case_id, stream, version, reference, status, categories, opened_at, received_on, terms,
pending_acknowledgements, last_event_at
"""


async def load_case(conn: asyncpg.Connection, tenant: str, case_id: UUID) -> CaseView | None:
    row = await conn.fetchrow(
        f"SELECT {CASE_COLUMNS} FROM reporting.cases WHERE tenant = $1 AND case_id = $2", tenant, case_id
    )
    return None if row is None else case_from_row(row)


CASE_WRITTEN = (
    "tenant",
    "case_id",
    "stream",
    "version",
    "reference",
    "status",
    "categories",
    "opened_at",
    "received_on",
    "next_deadline_kind",
    "next_deadline_due_on",
    "terms",
    "pending_acknowledgements",
    "last_event_at",
)
"""The columns a case row is written with, in the order of :func:`case_record`."""
TIMELINE_WRITTEN = (
    "tenant",
    "case_id",
    "version",
    "event_id",
    "type",
    "actor_id",
    "actor_role",
    "occurred_at",
    "recorded_at",
)
"""The columns of a timeline row, in the order of :func:`timeline_record`."""


async def save_case(conn: asyncpg.Connection, view: CaseView) -> None:
    """Insert or overwrite the case's row with ``view`` (the projection computed it from the old row)."""
    await conn.execute(
        """
        INSERT INTO reporting.cases AS c (tenant, case_id, stream, version, reference, status, categories,
            opened_at, received_on, next_deadline_kind, next_deadline_due_on, terms, pending_acknowledgements,
            last_event_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14)
        ON CONFLICT (tenant, case_id) DO UPDATE
        SET version = excluded.version, reference = excluded.reference, status = excluded.status,
            categories = excluded.categories, received_on = excluded.received_on,
            next_deadline_kind = excluded.next_deadline_kind,
            next_deadline_due_on = excluded.next_deadline_due_on, terms = excluded.terms,
            pending_acknowledgements = excluded.pending_acknowledgements,
            last_event_at = excluded.last_event_at
        """,
        *case_record(view),
    )


def case_record(view: CaseView) -> tuple[object, ...]:
    """The case's row, column by column as :data:`CASE_WRITTEN` names them (also for COPY)."""
    deadline = view.next_deadline
    return (
        view.tenant,
        view.case_id,
        view.stream,
        view.version,
        view.reference,
        view.status.value,
        [c.value for c in view.categories],
        view.opened_at,
        view.received_on,
        None if deadline is None else deadline.deadline.value,
        None if deadline is None else deadline.due_on,
        json.dumps([_term_json(term) for term in view.terms]),
        sorted(view.pending_acknowledgements),
        view.last_event_at,
    )


def timeline_record(entry: TimelineEntry | CaseEvent) -> tuple[object, ...]:
    """The timeline row, column by column as :data:`TIMELINE_WRITTEN` names them (also for COPY).

    Of an event, the row of its :func:`~services.reporting.domain.events.timeline_entry` (the fields that
    entry copies), without building the entry: a rebuild writes a row for each of a million events."""
    return (
        entry.tenant,
        entry.case_id,
        entry.version,
        entry.event_id,
        entry.type,
        entry.actor.id,
        entry.actor.role.value,
        entry.occurred_at,
        entry.recorded_at,
    )


async def insert_timeline(conn: asyncpg.Connection, entry: TimelineEntry) -> None:
    """Add the entry; one already there (same case and version) stays as it is."""
    await conn.execute(
        """
        INSERT INTO reporting.timeline (tenant, case_id, version, event_id, type, actor_id, actor_role,
            occurred_at, recorded_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT DO NOTHING
        """,
        *timeline_record(entry),
    )


def case_from_row(row: asyncpg.Record) -> CaseView:
    return CaseView(
        tenant=row["tenant"],
        case_id=row["case_id"],
        stream=row["stream"],
        version=row["version"],
        opened_at=row["opened_at"],
        last_event_at=row["last_event_at"],
        status=CaseStatus(row["status"]),
        reference=row["reference"],
        received_on=row["received_on"],
        categories=tuple(Category(c) for c in row["categories"]),
        terms=tuple(_term(item) for item in json.loads(row["terms"])),
        pending_acknowledgements=frozenset(row["pending_acknowledgements"]),
    )


def _term_json(term: OpenTerm) -> dict[str, object]:
    return {"deadline": term.deadline.value, "due_on": term.due_on.isoformat(), "suspended": term.suspended}


def _term(item: dict[str, object]) -> OpenTerm:
    return OpenTerm(
        deadline=DeadlineKind(str(item["deadline"])),
        due_on=date.fromisoformat(str(item["due_on"])),
        suspended=bool(item["suspended"]),
    )
