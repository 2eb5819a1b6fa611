"""``jaaranalyse``: the yearly complaints analysis of an organisation.

SO! Trainingsbureau's director has the complaints analysed at least once a year and takes improvement
measures on that basis; SAVE analyses them by its five categories with the trend against earlier years
and watches whether the terms are met (docs/reports.md). So: the cases of the year and the two before,
the categories over those years and over the year's quarters, the outcomes, the measures announced, the
terms met and breached per term, and the handling time (median and 90th percentile, only over at least
the threshold of ended cases).

The quarterly category table's row totals are the trend table's cells of this year, and the outcome
table splits the same cases as the year column of the case table: those figures are linked, so a figure
hidden in one table is hidden in the other (:mod:`.assemble`).
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date

from contracts.vocabulary import Category, DeadlineKind, Outcome, Resolution
from klachtspoor.disclosure import Position, Table, percentage
from services.reporting.domain.figures import ALL, NONE, OPEN, Dimension, Figures
from services.reporting.domain.reports.assemble import Draft, protect_report
from services.reporting.domain.reports.counting import Counts, column_links, merged, rows_for, table
from services.reporting.domain.reports.model import Letterhead, Report, ReportName, ReportTable, Section
from services.reporting.domain.reports.periods import (
    column_label,
    period_label,
    quarters_so_far,
    years_before,
)
from services.reporting.domain.reports.texts import CATEGORIES, TITLES, days, disclosure, figure, percent
from services.reporting.domain.tables import (
    NOT_TAKEN,
    TAKEN,
    Period,
    PublishedDimension,
    PublishedHandlingTime,
    handling_time,
    value_label,
)

OUTCOMES = (
    *(o.value for o in Outcome),
    Resolution.WITHDRAWN.value,
    Resolution.RESOLVED_INFORMALLY.value,
    Resolution.MEDIATED.value,
    Resolution.REFERRED_EXTERNALLY.value,
    Resolution.DUPLICATE.value,
    OPEN,
)
"""The outcomes in the order a reader expects: the judgements first, still running last; a case found
inadmissible counts as ``inadmissible:<ground>`` and gets a row when there is one."""
MET, BREACHED = "met", "breached"


class NotAYear(ValueError):
    """The yearly analysis covers a whole year, not a quarter."""


def jaaranalyse(
    figures: Figures,
    *,
    tenant: str,
    letterhead: Letterhead,
    period: Period,
    threshold: int,
    made_on: date,
) -> Report:
    """The yearly analysis of ``period`` (a year) from one tenant's figures."""
    if period.quarter is not None:
        raise NotAYear(f"the yearly analysis covers a year, not the quarter {period}")
    counts = Counts(figures)
    year = str(period)
    years = (*years_before(period, 2), year)
    quarters = quarters_so_far(period)
    tables = protect_report(_drafts(counts, year, years, quarters), threshold)
    handled = handling_time(figures, period, threshold)
    sections = (
        Section(
            "Zaken per jaar",
            (_cases_text(tables["zaken"], years),),
            (tables["zaken"],),
        ),
        Section(
            "Klachten per categorie",
            (CATEGORIES, _shares_text(tables["categorie_kwartaal"], year)),
            (tables["categorie_jaren"], tables["categorie_kwartaal"]),
        ),
        Section(
            "Uitkomsten",
            ("Hoe de zaken van het jaar afliepen; een zaak die nog loopt staat bij lopend.",),
            (tables["uitkomst"],),
        ),
        Section(
            "Maatregelen",
            (
                "Zaken waarin de organisatie maatregelen aankondigde, of aankondigde geen maatregelen te "
                "nemen (de laatste aankondiging telt). Welke maatregelen het zijn staat in de zaken zelf.",
            ),
            (tables["maatregelen"],),
        ),
        Section(
            "Termijnen",
            (
                "Per termijn het aantal zaken waarin die termijn werd gehaald of overschreden. Een termijn "
                "die nog loopt, of die stopte voordat de stap kwam, telt niet mee.",
                _handling_text(handled, year, threshold),
            ),
            (tables["termijnen"],),
        ),
        Section("Over deze cijfers", (disclosure(threshold, "zaken"),)),
    )
    return Report(
        name=ReportName.JAARANALYSE,
        title=TITLES[ReportName.JAARANALYSE].format(year=year),
        tenant=tenant,
        letterhead=letterhead,
        period=year,
        period_label=period_label(period),
        made_on=made_on,
        threshold=threshold,
        sections=sections,
        handling_time=handled,
    )


def _drafts(counts: Counts, year: str, years: tuple[str, ...], quarters: tuple[str, ...]) -> list[Draft]:
    categories = rows_for(
        (*(c.value for c in Category), NONE), counts.values(Dimension.CATEGORY, (*years, *quarters))
    )
    category_labels = tuple(_label(PublishedDimension.CATEGORY, c) for c in categories)
    outcomes = rows_for(OUTCOMES, counts.values(Dimension.OUTCOME, quarters))
    trend_links: dict[Position, Hashable] = {(c, year): ("categorie", c, year) for c in categories}
    trend_links[(None, year)] = ("categorie", "totaal", year)
    quarter_links: dict[Position, Hashable] = {(c, None): ("categorie", c, year) for c in categories}
    quarter_links[(None, None)] = ("categorie", "totaal", year)
    return [
        Draft(
            "zaken",
            f"Zaken ontvangen, {years[0]} tot en met {year}",
            table(counts, Dimension.CASES, (ALL,), years),
            ("zaken",),
            years,
            "",
            links={(ALL, year): ("zaken", year)},
        ),
        Draft(
            "categorie_jaren",
            f"Klachten per categorie, {years[0]} tot en met {year}",
            table(counts, Dimension.CATEGORY, categories, years),
            category_labels,
            years,
            "categorie",
            links=trend_links,
        ),
        Draft(
            "categorie_kwartaal",
            f"Klachten per categorie per kwartaal, {year}",
            table(counts, Dimension.CATEGORY, categories, quarters),
            category_labels,
            tuple(column_label(q) for q in quarters),
            "categorie",
            links=quarter_links,
        ),
        Draft(
            "uitkomst",
            f"Uitkomst per kwartaal van ontvangst, {year}",
            table(counts, Dimension.OUTCOME, outcomes, quarters),
            tuple(_label(PublishedDimension.OUTCOME, o) for o in outcomes),
            tuple(column_label(q) for q in quarters),
            "uitkomst",
            links=merged(column_links(quarters, "zaken"), {(None, None): ("zaken", year)}),
        ),
        Draft(
            "maatregelen",
            f"Maatregelen per kwartaal van ontvangst, {year}",
            table(counts, Dimension.MEASURES, (TAKEN, NOT_TAKEN), quarters),
            (_label(PublishedDimension.MEASURES, TAKEN), _label(PublishedDimension.MEASURES, NOT_TAKEN)),
            tuple(column_label(q) for q in quarters),
            "aankondiging",
        ),
        Draft(
            "termijnen",
            f"Termijnen gehaald en overschreden, {year}",
            _terms(counts, year),
            tuple(_label(PublishedDimension.TERM_MET, k.value) for k in DeadlineKind),
            ("gehaald", "overschreden"),
            "termijn",
        ),
    ]


def _terms(counts: Counts, year: str) -> Table:
    kinds = tuple(k.value for k in DeadlineKind)
    return Table(
        rows=kinds,
        columns=(MET, BREACHED),
        counts=tuple(
            (counts.get(year, Dimension.TERM_MET, k), counts.get(year, Dimension.TERM_BREACHED, k))
            for k in kinds
        ),
    )


def _label(dimension: PublishedDimension, code: str) -> str:
    return value_label(dimension, code) or code


def _cases_text(cases: ReportTable, years: tuple[str, ...]) -> str:
    cells = dict(zip(cases.table.columns, cases.table.cells[0], strict=True))
    earlier = ", ".join(f"{y}: {figure(cells[y])}" for y in reversed(years[:-1]))
    return (
        f"In {years[-1]} zijn {figure(cells[years[-1]])} zaken ontvangen ({earlier}). Een zaak telt in "
        "het jaar en het kwartaal waarin de klacht of het signaal binnenkwam."
    )


def _shares_text(by_quarter: ReportTable, year: str) -> str:
    """Each category's share of the year's category counts, where the base allows a percentage."""
    protected = by_quarter.table
    shares = [
        f"{label} {percent(percentage(total, protected.total, protected.percentage_base))}"
        for label, total in zip(by_quarter.row_labels, protected.row_totals, strict=True)
        if total.value != 0
    ]
    if not shares:
        return f"In {year} is geen klacht in een categorie geteld."
    return (
        f"Aandeel van elke categorie in {year}: {'; '.join(shares)} (x: geen percentage, omdat het cijfer "
        f"geheim is of de basis kleiner is dan {protected.percentage_base})."
    )


def _handling_text(handled: PublishedHandlingTime, year: str, threshold: int) -> str:
    if handled.cases_ended == 0:
        return f"Doorlooptijd: in {year} is geen zaak afgerond."
    if handled.suppressed or handled.median is None or handled.p90 is None:
        return (
            f"Doorlooptijd: te weinig zaken van {year} afgerond (minder dan {threshold}) om een "
            "doorlooptijd te geven."
        )
    return (
        f"Doorlooptijd over de {handled.cases_ended} afgeronde zaken van {year}: de helft was binnen "
        f"{days(handled.median)} werkdagen afgerond (mediaan), 90% binnen {handled.p90} werkdagen. "
        "Werkdagen na de dag van ontvangst tot en met het oordeel, de intrekking of de sluiting."
    )
