"""The confidant organisation's reports, over its :class:`~.contacts.ContactFigures`.

``kwartaalrapportage`` (AKJ): the confidants register every contact and report per quarter, briefly and
anonymised, to the organisation they work for: contacts by category, channel and kind of support, for
the quarters of the year up to the period's last. ``trendrapportage`` (LSR): the periodic report of the
trends within the organisation, from all contacts (information and advice that never became a complaint
included): categories and kinds of support over the two years before and the quarters of this one.

Every column is a period of its own (no contact counts in two), so no figure is the sum of others;
the channel and kind tables split the same contacts and share their column totals, which
:mod:`.assemble` protects together.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import date

from contracts.vocabulary import Category, Channel
from klachtspoor.disclosure import Position, Table
from services.reporting.domain.figures import NONE
from services.reporting.domain.reports.assemble import Draft, protect_report
from services.reporting.domain.reports.contacts import ContactDimension, ContactFigures
from services.reporting.domain.reports.model import Letterhead, Report, ReportName, ReportTable, Section
from services.reporting.domain.reports.periods import (
    column_label,
    in_period,
    period_label,
    quarter_label,
    quarters_so_far,
    years_before,
)
from services.reporting.domain.reports.texts import TITLES, disclosure, figure
from services.reporting.domain.tables import Period, PublishedDimension, value_label

ANONYMISED = (
    "Deze rapportage is beknopt en geanonimiseerd: zij telt de contacten die de vertrouwenspersonen "
    "registreerden en noemt geen cliënt, medewerker of zaak. Geeft de aard van de contacten daartoe "
    "aanleiding, dan neemt de vertrouwenspersoon tussentijds contact op met de organisatie."
)
TRENDS = (
    "Dit rapport geeft de tendensen weer in alle contacten met de vertrouwenspersonen, ook informatie "
    "en advies die geen klacht werden, zodat de organisatie haar beleid kan bijsturen. Het wordt besproken "
    "met de organisatie of de gemeente."
)


def kwartaalrapportage(
    contacts: ContactFigures,
    *,
    tenant: str,
    letterhead: Letterhead,
    period: Period,
    threshold: int,
    made_on: date,
) -> Report:
    quarters = quarters_so_far(period)
    labels = tuple(quarter_label(q) for q in quarters)
    shared = _contact_totals(quarters)
    drafts = [
        _draft(contacts, "categorie", ContactDimension.CATEGORY, quarters, labels, "Contacten per categorie"),
        _draft(
            contacts, "kanaal", ContactDimension.CHANNEL, quarters, labels, "Contacten per kanaal", shared
        ),
        _draft(
            contacts, "soort", ContactDimension.KIND, quarters, labels, "Contacten per soort steun", shared
        ),
    ]
    tables = protect_report(drafts, threshold)
    return Report(
        name=ReportName.KWARTAALRAPPORTAGE,
        title=TITLES[ReportName.KWARTAALRAPPORTAGE].format(period=_short(period)),
        tenant=tenant,
        letterhead=letterhead,
        period=str(period),
        period_label=period_label(period),
        made_on=made_on,
        threshold=threshold,
        unit="contacten",
        sections=(
            Section("Contacten", (ANONYMISED, _total_text(tables["kanaal"], period))),
            Section("Waarover", (), (tables["categorie"],)),
            Section("Hoe en welke steun", (), (tables["kanaal"], tables["soort"])),
            Section("Over deze cijfers", (disclosure(threshold, "contacten"),)),
        ),
    )


def trendrapportage(
    contacts: ContactFigures,
    *,
    tenant: str,
    letterhead: Letterhead,
    period: Period,
    threshold: int,
    made_on: date,
) -> Report:
    years = years_before(period, 2)
    quarters = quarters_so_far(period)
    columns = (*years, *quarters)
    labels = tuple(column_label(c) for c in columns)
    title = f"per jaar ({years[0]} en {years[1]}) en per kwartaal van {period.year}"
    drafts = [
        _draft(
            contacts,
            "categorie",
            ContactDimension.CATEGORY,
            columns,
            labels,
            f"Contacten per categorie {title}",
        ),
        _draft(
            contacts, "soort", ContactDimension.KIND, columns, labels, f"Contacten per soort steun {title}"
        ),
    ]
    tables = protect_report(drafts, threshold)
    return Report(
        name=ReportName.TRENDRAPPORTAGE,
        title=TITLES[ReportName.TRENDRAPPORTAGE].format(period=_short(period)),
        tenant=tenant,
        letterhead=letterhead,
        period=str(period),
        period_label=period_label(period),
        made_on=made_on,
        threshold=threshold,
        unit="contacten",
        sections=(
            Section("Tendensen", (TRENDS, _most_named(tables["categorie"]))),
            Section("Knelpunten per categorie", (), (tables["categorie"],)),
            Section("Soort steun", (), (tables["soort"],)),
            Section("Over deze cijfers", (disclosure(threshold, "contacten"),)),
        ),
    )


def _draft(
    contacts: ContactFigures,
    key: str,
    dimension: ContactDimension,
    columns: Sequence[str],
    column_labels: tuple[str, ...],
    title: str,
    links: dict[Position, Hashable] | None = None,
) -> Draft:
    rows, labels, heading = _rows(contacts, dimension, _quarters_of(columns))
    counts = tuple(tuple(_count(contacts, column, dimension, row) for column in columns) for row in rows)
    return Draft(
        key,
        title,
        Table(rows=rows, columns=tuple(columns), counts=counts),
        labels,
        column_labels,
        heading,
        links=links or {},
    )


def _rows(
    contacts: ContactFigures, dimension: ContactDimension, quarters: Sequence[str]
) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """The rows of a dimension (its whole vocabulary, then any other value counted), their labels and
    the heading of the label column."""
    found = contacts.values(dimension, quarters)
    match dimension:
        case ContactDimension.CATEGORY:
            known = (*(c.value for c in Category), NONE)
            rows = (*known, *sorted(found - set(known)))
            return rows, tuple(value_label(PublishedDimension.CATEGORY, r) or r for r in rows), "categorie"
        case ContactDimension.CHANNEL:
            known = tuple(c.value for c in Channel)
            rows = (*known, *sorted(found - set(known)))
            return rows, tuple(value_label(PublishedDimension.CHANNEL, r) or r for r in rows), "kanaal"
        case ContactDimension.KIND:
            named = dict(contacts.kinds)
            rows = (*named, *sorted(found - set(named)))
            return rows, tuple(named.get(r, r) for r in rows), "soort steun"


def _count(contacts: ContactFigures, column: str, dimension: ContactDimension, value: str) -> int:
    """A quarter's count, or a year's as the sum of its quarters."""
    quarters = (column,) if "-Q" in column else tuple(f"{column}-Q{q}" for q in range(1, 5))
    return sum(contacts.get(q, dimension, value) for q in quarters)


def _quarters_of(columns: Sequence[str]) -> tuple[str, ...]:
    return tuple(q for c in columns for q in ((c,) if "-Q" in c else tuple(f"{c}-Q{n}" for n in range(1, 5))))


def _contact_totals(columns: Sequence[str]) -> dict[Position, Hashable]:
    """Every contact counts once by channel and once by kind: both tables publish the same totals."""
    links: dict[Position, Hashable] = {(None, c): ("contacten", c) for c in columns}
    links[(None, None)] = ("contacten", "totaal")
    return links


def _short(period: Period) -> str:
    return str(period) if period.quarter is None else quarter_label(str(period))


def _total_text(by_channel: ReportTable, period: Period) -> str:
    protected = by_channel.table
    total = protected.total if period.quarter is None else protected.column_totals[-1]
    if total.value == 0:
        return f"{in_period(str(period)).capitalize()} zijn geen contacten geregistreerd."
    when = in_period(str(period)).capitalize()
    return f"{when} registreerden de vertrouwenspersonen {figure(total)} contacten."


def _most_named(by_category: ReportTable) -> str:
    """The categories named most in the latest column with contacts, from its published cells only."""
    protected = by_category.table
    filled = [j for j, total in enumerate(protected.column_totals) if total.value != 0]
    if not filled:
        return "In deze periode zijn geen contacten geregistreerd."
    j = filled[-1]
    latest = in_period(protected.columns[j])
    published = [
        (value, label)
        for label, row in zip(by_category.row_labels, protected.cells, strict=True)
        if (value := row[j].value)
    ]
    if not published:
        return f"{latest.capitalize()} is geen categorie vaak genoeg genoemd om hier te noemen."
    ranked = sorted(published, key=lambda item: (-item[0], item[1]))[:3]
    return f"Het meest genoemd {latest}: " + ", ".join(f"{label} ({n})" for n, label in ranked) + "."
