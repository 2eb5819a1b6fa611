"""Making a report: which reports an organisation has, the figures it is made from, and the report
itself (pure, in ``domain/reports/``). The HTTP route and ``klachtspoor report`` both come here, so they
make the same report from the same read model."""

from __future__ import annotations

from datetime import date
from typing import assert_never

import asyncpg

from klachtspoor.tenants import Tenant
from services.reporting.application.contacts import tenant_contact_figures
from services.reporting.application.statistics import tenant_figures
from services.reporting.domain.figures import Figures
from services.reporting.domain.reports.confidant import kwartaalrapportage, trendrapportage
from services.reporting.domain.reports.contacts import ContactFigures, from_contacts
from services.reporting.domain.reports.jaaranalyse import jaaranalyse
from services.reporting.domain.reports.model import Letterhead, Report, ReportName
from services.reporting.domain.tables import Period


class ReportNotForTenant(LookupError):
    """The report is about another kind of organisation (a provider has no confidant reports, a confidant
    organisation no yearly complaints analysis)."""

    def __init__(self, name: ReportName, tenant: Tenant) -> None:
        self.name, self.tenant = name, tenant
        super().__init__(f"{tenant.slug} ({tenant.kind.value}) has no {name.value}")


def check_report(name: ReportName, tenant: Tenant) -> None:
    if name.made_for() is not tenant.kind:
        raise ReportNotForTenant(name, tenant)


def letterhead(tenant: Tenant) -> Letterhead:
    contact = tenant.contact
    return Letterhead(tenant.display_name, contact.email, contact.phone, contact.website)


async def confidant_contacts(conn: asyncpg.Connection, tenant: str) -> ContactFigures:
    """The confidant organisation's contacts, counted by the contacts projection: those on no case and
    those on a case whose pinned policy names the organisation."""
    return from_contacts(await tenant_contact_figures(conn, tenant), tenant)


def build_report(
    name: ReportName,
    tenant: Tenant,
    period: Period,
    *,
    figures: Figures,
    contacts: ContactFigures,
    threshold: int,
    made_on: date,
) -> Report:
    """The report (its tables protected together); ``SuppressionError`` when it may not be published."""
    check_report(name, tenant)
    head = letterhead(tenant)
    match name:
        case ReportName.JAARANALYSE:
            return jaaranalyse(
                figures,
                tenant=tenant.slug,
                letterhead=head,
                period=period,
                threshold=threshold,
                made_on=made_on,
            )
        case ReportName.KWARTAALRAPPORTAGE:
            return kwartaalrapportage(
                contacts,
                tenant=tenant.slug,
                letterhead=head,
                period=period,
                threshold=threshold,
                made_on=made_on,
            )
        case ReportName.TRENDRAPPORTAGE:
            return trendrapportage(
                contacts,
                tenant=tenant.slug,
                letterhead=head,
                period=period,
                threshold=threshold,
                made_on=made_on,
            )
        case _:
            assert_never(name)


async def read_report(
    conn: asyncpg.Connection,
    name: ReportName,
    tenant: Tenant,
    period: Period,
    *,
    threshold: int,
    made_on: date,
) -> Report:
    """The report from the read model as it is now, read in one snapshot."""
    check_report(name, tenant)
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        figures = await tenant_figures(conn, tenant.slug)
        contacts = await confidant_contacts(conn, tenant.slug)
    return build_report(
        name, tenant, period, figures=figures, contacts=contacts, threshold=threshold, made_on=made_on
    )
