"""The contacts projection feeds the confidant reports: a contact on no case counts in the AKJ's
kwartaalrapportage and the LSR's trendrapportage, with the contacts on a case beside it."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import asyncpg
from reporting_helpers import CaseWriter
from test_contacts_projection import AKJ, LSR, SO, case_with_contact, project, register

from contracts.vocabulary import Category, Channel, ContactKind
from klachtspoor.disclosure import Published
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.policies import PolicyRegistry
from klachtspoor.tenants import TenantRegistry
from services.reporting.application import contacts
from services.reporting.application.reports import read_report
from services.reporting.domain import contacts as counted
from services.reporting.domain.reports.contacts import ON_CASE_KIND, ContactDimension, from_contacts
from services.reporting.domain.reports.model import ReportName, ReportTable
from services.reporting.domain.tables import Period
from tests.services.escalation.http.staff_helpers import POLICIES, REPO

TENANTS = TenantRegistry.from_file(REPO / "config" / "tenants.yaml")


def cell(table: ReportTable, row: str, column: str) -> Published:
    protected = table.table
    return protected.grid()[protected.rows.index(row)][protected.columns.index(column)]


def test_the_reports_input_sums_both_bases_per_quarter_and_names_a_contact_on_a_case() -> None:
    def facts(tenant: str, basis: counted.ContactBasis, day: date) -> counted.ContactFacts:
        return counted.ContactFacts(
            tenant=tenant,
            stream=f"contact:{tenant}:{uuid4()}",
            contact_id=uuid4(),
            basis=basis,
            contacted_on=day,
            kind=None if basis is counted.ContactBasis.ON_CASE else ContactKind.ADVICE,
            channel=Channel.PHONE,
            categories=frozenset({Category.TREATMENT}),
            organisation_concerned=None,
        )

    without, on_case = counted.ContactBasis.WITHOUT_CASE, counted.ContactBasis.ON_CASE
    figures = counted.contact_figures(
        [
            facts(AKJ, without, date(2026, 2, 1)),
            facts(AKJ, without, date(2026, 2, 2)),
            facts(AKJ, on_case, date(2026, 2, 3)),
            facts(AKJ, without, date(2026, 5, 1)),
            facts(LSR, without, date(2026, 2, 1)),
        ]
    )
    report = from_contacts(figures, AKJ)
    assert report.get("2026-Q1", ContactDimension.CHANNEL, "phone") == 3
    assert report.get("2026-Q1", ContactDimension.CATEGORY, "treatment") == 3
    assert report.get("2026-Q1", ContactDimension.KIND, "advice") == 2
    assert report.get("2026-Q1", ContactDimension.KIND, ON_CASE_KIND) == 1
    assert report.get("2026-Q1", ContactDimension.KIND, "unknown") == 0
    assert report.get("2026-Q2", ContactDimension.KIND, "advice") == 1
    assert {count.quarter for count in report.counts} == {"2026-Q1", "2026-Q2"}, "no year, no other tenant"
    assert [code for code, _ in report.kinds] == [
        "information",
        "advice",
        "support",
        "mediation",
        ON_CASE_KIND,
    ]


async def test_a_contact_without_a_case_counts_in_the_confidant_reports(
    store: PostgresEventStore, writer: CaseWriter, database_url: str
) -> None:
    for day in range(2, 7):
        await register(writer, AKJ, contacted_on=date(2026, 3, day), categories=(Category.TREATMENT,))
    for day in range(9, 14):
        await register(writer, LSR, contacted_on=date(2026, 3, day), kind=ContactKind.INFORMATION)
    for day in range(2, 7):  # on SO! cases, whose policy names the AKJ
        await case_with_contact(writer, SO, SO, date(2026, 3, day))
    policies = PolicyRegistry.from_directory(POLICIES)
    await project(store, database_url, writer.last_position, contacts.contacts_projection(policies))
    conn = await asyncpg.connect(database_url)
    try:
        quarterly = await read_report(
            conn,
            ReportName.KWARTAALRAPPORTAGE,
            TENANTS.get(AKJ),
            Period(2026, 1),
            threshold=5,
            made_on=date(2026, 4, 1),
        )
        trend = await read_report(
            conn,
            ReportName.TRENDRAPPORTAGE,
            TENANTS.get(LSR),
            Period(2026, None),
            threshold=5,
            made_on=date(2026, 12, 1),
        )
    finally:
        await conn.close()
    category, channel, kind = quarterly.tables
    assert cell(kind, "advice", "2026-Q1") == Published(value=5, suppressed=False)
    assert cell(kind, ON_CASE_KIND, "2026-Q1") == Published(value=5, suppressed=False)
    assert cell(category, "treatment", "2026-Q1") == Published(value=10, suppressed=False)
    assert cell(channel, "phone", "2026-Q1") == Published(value=5, suppressed=False)
    assert cell(channel, "chat", "2026-Q1") == Published(value=5, suppressed=False)
    assert any("10 contacten" in paragraph for paragraph in quarterly.sections[0].paragraphs)
    trend_kind = trend.tables[1]
    assert cell(trend_kind, "information", "2026-Q1") == Published(value=5, suppressed=False)
