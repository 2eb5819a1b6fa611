"""Rows of ``reporting.case_facts`` to :class:`CaseFacts` and back; callers own the transactions.

Sets are stored sorted, so equal facts give equal rows (a rebuild can be compared row by row).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from uuid import UUID

import asyncpg

from contracts.vocabulary import Category, Channel, DeadlineKind, EscalationStep
from services.reporting.domain.facts import CaseFacts
from services.reporting.domain.figures import handling_days

COLUMNS = """
tenant, case_id, version, first_seen_on, received_on, categories, channel, highest_step, outcome, ended_on,
closed, measures_taken, terms_met, terms_breached, running_terms, pending_acknowledgements
"""
WRITTEN = (
    "tenant",
    "case_id",
    "version",
    "first_seen_on",
    "received_on",
    "categories",
    "channel",
    "highest_step",
    "outcome",
    "ended_on",
    "closed",
    "measures_taken",
    "terms_met",
    "terms_breached",
    "running_terms",
    "pending_acknowledgements",
    "handling_days",
)
"""The columns a row is written with, in the order of :func:`facts_record`."""


async def load_stored(
    conn: asyncpg.Connection, tenant: str, case_id: UUID
) -> tuple[CaseFacts, int | None] | None:
    """The case's facts with the handling days stored with them (None on a row written before 012)."""
    row = await conn.fetchrow(
        f"SELECT {COLUMNS}, handling_days FROM reporting.case_facts WHERE tenant = $1 AND case_id = $2",
        tenant,
        case_id,
    )
    return None if row is None else (facts_from_row(row), row["handling_days"])


async def tenant_facts(conn: asyncpg.Connection, tenant: str) -> list[CaseFacts]:
    """Every case of ``tenant``, in case-id order."""
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM reporting.case_facts WHERE tenant = $1 ORDER BY case_id", tenant
    )
    return [facts_from_row(row) for row in rows]


async def save_facts(conn: asyncpg.Connection, facts: CaseFacts) -> None:
    """Insert or overwrite the case's row (the projection computed ``facts`` from the old one)."""
    await conn.execute(
        f"""
        INSERT INTO reporting.case_facts ({", ".join(WRITTEN)})
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
        ON CONFLICT (tenant, case_id) DO UPDATE
        SET version = excluded.version, received_on = excluded.received_on,
            categories = excluded.categories, channel = excluded.channel,
            highest_step = excluded.highest_step, outcome = excluded.outcome, ended_on = excluded.ended_on,
            closed = excluded.closed, measures_taken = excluded.measures_taken,
            terms_met = excluded.terms_met, terms_breached = excluded.terms_breached,
            running_terms = excluded.running_terms,
            pending_acknowledgements = excluded.pending_acknowledgements,
            handling_days = excluded.handling_days
        """,
        *facts_record(facts),
    )


def facts_record(facts: CaseFacts) -> tuple[object, ...]:
    """The row of ``facts``, column by column as :data:`WRITTEN` names them (also for COPY)."""
    return (
        facts.tenant,
        facts.case_id,
        facts.version,
        facts.first_seen_on,
        facts.received_on,
        _codes(facts.categories),
        _code(facts.channel),
        _code(facts.highest_step),
        facts.outcome,
        facts.ended_on,
        facts.closed,
        facts.measures_taken,
        _codes(facts.terms_met),
        _codes(facts.terms_breached),
        _codes(facts.running_terms),
        sorted(facts.pending_acknowledgements),
        handling_days(facts),
    )


def facts_from_row(row: asyncpg.Record) -> CaseFacts:
    return CaseFacts(
        tenant=row["tenant"],
        case_id=row["case_id"],
        version=row["version"],
        first_seen_on=row["first_seen_on"],
        received_on=row["received_on"],
        categories=frozenset(Category(c) for c in row["categories"]),
        channel=None if row["channel"] is None else Channel(row["channel"]),
        highest_step=None if row["highest_step"] is None else EscalationStep(row["highest_step"]),
        outcome=row["outcome"],
        ended_on=row["ended_on"],
        closed=row["closed"],
        measures_taken=row["measures_taken"],
        terms_met=frozenset(DeadlineKind(k) for k in row["terms_met"]),
        terms_breached=frozenset(DeadlineKind(k) for k in row["terms_breached"]),
        running_terms=frozenset(DeadlineKind(k) for k in row["running_terms"]),
        pending_acknowledgements=frozenset(row["pending_acknowledgements"]),
    )


def _codes(members: Iterable[StrEnum]) -> list[str]:
    return sorted(member.value for member in members)


def _code(member: StrEnum | None) -> str | None:
    return None if member is None else member.value
