"""Reporting's projections as :class:`~klachtspoor.projections.RebuildableProjection`: the case list
(subscriber ``reporting``), the statistics' case facts (``statistics``) and the confidant contacts
(``contacts``), each with a fold that rebuilds its tables in bulk.

Registered in the root ``pyproject.toml`` under ``klachtspoor.projections``. Each fold runs the live
handler's own pure functions (:func:`~services.reporting.adapters.decoding.to_case_event`,
:func:`~services.reporting.domain.case.evolve`, :func:`~services.reporting.domain.facts.evolve_facts`)
over every event, keeping the row of every case in a dict, and writes rows with COPY: the same events
give the same rows as the handler, one round trip per batch instead of several per event.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from uuid import UUID

import asyncpg

from contracts.events import AdviceContactWithdrawn, ProcedurePolicyPinned
from klachtspoor.eventstore.port import LogFilter, RecordedEvent
from klachtspoor.eventstore.streams import StreamName
from klachtspoor.policies import PolicyRegistry
from klachtspoor.projections import RebuildableProjection
from klachtspoor.settings import Settings
from services.reporting.adapters import bulk, counts, facts, rows
from services.reporting.adapters import contacts as contact_rows
from services.reporting.adapters.decoding import to_case_event
from services.reporting.adapters.schema import apply_schema
from services.reporting.application import contacts, projection, statistics
from services.reporting.domain.case import CaseView, evolve
from services.reporting.domain.contacts import ContactFacts, contact_facts
from services.reporting.domain.facts import CaseFacts, evolve_facts

CASES, TIMELINE = projection.TABLES
CASE_FACTS, FIGURE_COUNTS, HANDLING_COUNTS = statistics.TABLES
_FILTER = LogFilter(stream_prefixes=(StreamName.prefix("case"),))

CaseKey = tuple[str, UUID]


class CaseListFold:
    """The case rows by case and the timeline rows not written yet."""

    def __init__(self) -> None:
        self._views: dict[CaseKey, CaseView] = {}
        self._versions: dict[CaseKey, set[int]] = {}
        """The timeline's keys per case: an entry once per (case, version), as ON CONFLICT DO NOTHING."""
        self._timeline: list[tuple[object, ...]] = []
        self._dirty: set[CaseKey] = set()
        self._written: set[CaseKey] = set()

    def feed(self, event: RecordedEvent) -> None:
        decoded = to_case_event(event)
        key = (decoded.tenant, decoded.case_id)
        before = self._views.get(key)
        after = evolve(before, decoded)
        versions = self._versions.get(key)
        if versions is None:
            versions = self._versions[key] = set()
        if decoded.version not in versions:
            versions.add(decoded.version)
            self._timeline.append(rows.timeline_record(decoded))
        if after is not before:
            self._views[key] = after
            self._dirty.add(key)

    async def write(self, conn: asyncpg.Connection, tables: Mapping[str, str], *, complete: bool) -> None:
        if self._timeline:
            await bulk.copy_rows(conn, tables[TIMELINE], rows.TIMELINE_WRITTEN, self._timeline)
            self._timeline = []
        if complete and self._dirty:
            dirty = sorted(self._dirty)
            records = [rows.case_record(self._views[key]) for key in dirty]
            replaced = [key for key in dirty if key in self._written]
            await bulk.replace_case_rows(conn, tables[CASES], rows.CASE_WRITTEN, records, replaced)
            self._written.update(dirty)
            self._dirty = set()


class CaseFactsFold:
    """The case facts by case, and at the end the counts of all of them."""

    def __init__(self) -> None:
        self._facts: dict[CaseKey, CaseFacts] = {}
        self._dirty: set[CaseKey] = set()
        self._written: set[CaseKey] = set()

    def feed(self, event: RecordedEvent) -> None:
        decoded = to_case_event(event)
        key = (decoded.tenant, decoded.case_id)
        before = self._facts.get(key)
        after = evolve_facts(before, decoded)
        if after is not before:
            self._facts[key] = after
            self._dirty.add(key)

    async def write(self, conn: asyncpg.Connection, tables: Mapping[str, str], *, complete: bool) -> None:
        if complete and self._dirty:
            dirty = sorted(self._dirty)
            records = [facts.facts_record(self._facts[key]) for key in dirty]
            replaced = [key for key in dirty if key in self._written]
            await bulk.replace_case_rows(conn, tables[CASE_FACTS], facts.WRITTEN, records, replaced)
            self._written.update(dirty)
            self._dirty = set()
            await self._write_counts(conn, tables)

    async def _write_counts(self, conn: asyncpg.Connection, tables: Mapping[str, str]) -> None:
        """Every count again from every case's facts (a complete write can come more than once)."""
        cells, days = counts.count_records(self._facts.values())
        for table, records, columns in (
            (tables[FIGURE_COUNTS], cells, counts.FIGURE_COLUMNS),
            (tables[HANDLING_COUNTS], days, counts.HANDLING_COLUMNS),
        ):
            await conn.execute(f"DELETE FROM {table}")
            await bulk.copy_rows(conn, table, columns, records)


def case_list(settings: Settings) -> RebuildableProjection:
    """``klachtspoor.projections`` entry ``reporting``."""
    return RebuildableProjection(
        name=projection.PROJECTION_NAME,
        tables=projection.TABLES,
        filter=_FILTER,
        prepare=apply_schema,
        fold=CaseListFold,
        description="reporting: the case list and every case's timeline",
        database_url=_url(settings),
        per_stream=True,
    )


def case_facts(settings: Settings) -> RebuildableProjection:
    """``klachtspoor.projections`` entry ``statistics``."""
    return RebuildableProjection(
        name=statistics.PROJECTION_NAME,
        tables=statistics.TABLES,
        filter=_FILTER,
        prepare=apply_schema,
        fold=CaseFactsFold,
        description="reporting: the statistics' case facts, one row per case",
        database_url=_url(settings),
    )


def _url(settings: Settings) -> str:
    if not settings.database_url:
        raise ValueError("KLACHTSPOOR_DATABASE_URL is not set: reporting's projections live there")
    return settings.database_url


ContactKey = tuple[str, str, UUID]


class ContactsFold:
    """The contact rows and the confidant organisation of each case, as the live handler
    (:func:`services.reporting.application.contacts.handle`) would leave them. Contacts are few: every row
    stays in memory and each complete write replaces what an earlier one wrote."""

    def __init__(self, policies: PolicyRegistry) -> None:
        self._policies = policies
        self._organisations: dict[CaseKey, str | None] = {}
        self._contacts: dict[ContactKey, ContactFacts] = {}
        self._written = False

    def feed(self, event: RecordedEvent) -> None:
        decoded = to_case_event(event)
        case = (decoded.tenant, decoded.case_id)
        if isinstance(decoded.payload, ProcedurePolicyPinned):
            self._organisations[case] = contacts.confidant_organisation(self._policies, decoded.payload)
            return
        if isinstance(decoded.payload, AdviceContactWithdrawn):
            self._contacts.pop((decoded.tenant, decoded.stream, decoded.payload.contact_id), None)
            return
        on_case = StreamName.parse(decoded.stream).category == "case"
        found = contact_facts(decoded, self._organisations.get(case) if on_case else None)
        if found is not None:
            self._contacts.setdefault((found.tenant, found.stream, found.contact_id), found)

    async def write(self, conn: asyncpg.Connection, tables: Mapping[str, str], *, complete: bool) -> None:
        if not complete:
            return
        facts_table, policies_table = (tables[table] for table in contacts.TABLES)
        if self._written:
            await conn.execute(f"DELETE FROM {facts_table}")
            await conn.execute(f"DELETE FROM {policies_table}")
        records = [contact_rows.contact_record(self._contacts[key]) for key in sorted(self._contacts)]
        await bulk.copy_rows(conn, facts_table, contact_rows.COLUMNS.split(", "), records)
        cases = [(*key, organisation) for key, organisation in sorted(self._organisations.items())]
        await bulk.copy_rows(conn, policies_table, ("tenant", "case_id", "confidant_organisation"), cases)
        self._written = True


def contact_list(settings: Settings) -> RebuildableProjection:
    """``klachtspoor.projections`` entry ``contacts``."""
    policies = PolicyRegistry.from_settings(settings)
    return RebuildableProjection(
        name=contacts.PROJECTION_NAME,
        tables=contacts.TABLES,
        filter=contacts.contacts_projection(policies).filter,
        prepare=apply_schema,
        fold=partial(ContactsFold, policies),
        description="reporting: the confidant contacts, with and without a case",
        database_url=_url(settings),
    )
