"""Rows of ``reporting.contact_facts`` and ``reporting.contact_case_policies``; callers own the
transactions. Categories are stored sorted, so equal facts give equal rows (a rebuild compares row by row).
"""

from __future__ import annotations

from uuid import UUID

import asyncpg

from contracts.vocabulary import Category, Channel, ContactKind
from services.reporting.domain.contacts import ContactBasis, ContactFacts

COLUMNS = "tenant, stream, contact_id, basis, contacted_on, kind, channel, categories, organisation_concerned"


def contact_record(facts: ContactFacts) -> tuple[object, ...]:
    """The row of a contact, in the order of :data:`COLUMNS`."""
    return (
        facts.tenant,
        facts.stream,
        facts.contact_id,
        facts.basis.value,
        facts.contacted_on,
        None if facts.kind is None else facts.kind.value,
        facts.channel.value,
        sorted(category.value for category in facts.categories),
        facts.organisation_concerned,
    )


async def save_contact(conn: asyncpg.Connection, facts: ContactFacts) -> None:
    """A contact is registered once: a second time (a replay, a rebuild over rows) changes nothing."""
    await conn.execute(
        f"""
        INSERT INTO reporting.contact_facts ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT (tenant, stream, contact_id) DO NOTHING
        """,
        *contact_record(facts),
    )


async def delete_contact(conn: asyncpg.Connection, tenant: str, stream: str, contact_id: UUID) -> None:
    """A withdrawn contact counts nowhere (its id is never registered again)."""
    await conn.execute(
        "DELETE FROM reporting.contact_facts WHERE tenant = $1 AND stream = $2 AND contact_id = $3",
        tenant,
        stream,
        contact_id,
    )


async def tenant_contacts(conn: asyncpg.Connection, tenant: str) -> list[ContactFacts]:
    """Every contact in ``tenant``'s figures, in key order."""
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM reporting.contact_facts WHERE tenant = $1 ORDER BY stream, contact_id", tenant
    )
    return [contact_from_row(row) for row in rows]


def contact_from_row(row: asyncpg.Record) -> ContactFacts:
    return ContactFacts(
        tenant=row["tenant"],
        stream=row["stream"],
        contact_id=row["contact_id"],
        basis=ContactBasis(row["basis"]),
        contacted_on=row["contacted_on"],
        kind=None if row["kind"] is None else ContactKind(row["kind"]),
        channel=Channel(row["channel"]),
        categories=frozenset(Category(c) for c in row["categories"]),
        organisation_concerned=row["organisation_concerned"],
    )


async def save_case_policy(
    conn: asyncpg.Connection, tenant: str, case_id: UUID, confidant_organisation: str | None
) -> None:
    await conn.execute(
        """
        INSERT INTO reporting.contact_case_policies (tenant, case_id, confidant_organisation)
        VALUES ($1, $2, $3)
        ON CONFLICT (tenant, case_id) DO UPDATE SET confidant_organisation = excluded.confidant_organisation
        """,
        tenant,
        case_id,
        confidant_organisation,
    )


async def case_confidant_organisation(conn: asyncpg.Connection, tenant: str, case_id: UUID) -> str | None:
    """The confidant organisation the case's pinned policy names; None when it names none (or no policy
    was pinned)."""
    found: str | None = await conn.fetchval(
        "SELECT confidant_organisation FROM reporting.contact_case_policies "
        "WHERE tenant = $1 AND case_id = $2",
        tenant,
        case_id,
    )
    return found
