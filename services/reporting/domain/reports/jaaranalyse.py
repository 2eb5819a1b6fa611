"""``jaaranalyse``: the yearly complaints analysis of an organisation.

SO! Trainingsbureau's director has the complaints analysed at least once a year and takes improvement
measures on that basis; SAVE analyses them by its five categories with the trend against earlier years
and watches whether the terms are met (docs/reports.md). So: the cases of the year and the two before,
the categories over those years and over the year's quarters, the outcomes, the measures announced, the
terms met and breached per term, and the handling time (median and 90th percentile, only over at least
the threshold of ended cases).

Every table is the statistics API's or made of its figures (:mod:`.composed`): the year's category,
outcome and measures tables are the API's protected year tables, the trend's years are the API's year
totals of each category, and the cases per year and the terms are the API's totals. What the API hides,
the report hides, and the report publishes nothing the API's figures do not already give.
"""

from __future__ import annotations

from datetime import date

from contracts.vocabulary import DeadlineKind, Outcome, Resolution
from klachtspoor.disclosure import percentage
from services.reporting.domain.figures import ALL, OPEN, Figures
from services.reporting.domain.reports.composed import composed, reordered, row_total_of
from services.reporting.domain.reports.counting import rows_for
from services.reporting.domain.reports.model import Letterhead, Report, ReportName, ReportTable, Section
from services.reporting.domain.reports.periods import (
    column_label,
    period_label,
    years_before,
)
from services.reporting.domain.reports.texts import CATEGORIES, TITLES, days, disclosure, figure, percent
from services.reporting.domain.tables import (
    Period,
    PublishedDimension,
    PublishedHandlingTime,
    handling_time,
    protected_dimension_table,
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
    year = str(period)
    years = (*years_before(period, 2), year)
    tables = _tables(figures, period, years, threshold)
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


def _tables(
    figures: Figures, period: Period, years: tuple[str, ...], threshold: int
) -> dict[str, ReportTable]:
    """The report's tables, each made of the statistics API's protected year tables (:mod:`.composed`):
    the year's category, outcome and measures tables as the API publishes them, and the trend, the cases
    per year and the terms composed of their figures."""
    api = {
        (year, dimension): protected_dimension_table(figures, dimension, Period(int(year), None), threshold)
        for year in years
        for dimension in (PublishedDimension.CATEGORY, PublishedDimension.OUTCOME)
    }
    year = years[-1]
    for dimension in (
        PublishedDimension.MEASURES,
        PublishedDimension.TERM_MET,
        PublishedDimension.TERM_BREACHED,
    ):
        api[(year, dimension)] = protected_dimension_table(figures, dimension, period, threshold)
    base = api[(year, PublishedDimension.CATEGORY)].percentage_base
    quarters = api[(year, PublishedDimension.CATEGORY)].columns
    quarter_labels = tuple(column_label(q) for q in quarters)
    categories = tuple(dict.fromkeys(r for y in years for r in api[(y, PublishedDimension.CATEGORY)].rows))
    outcomes = rows_for(OUTCOMES, api[(year, PublishedDimension.OUTCOME)].rows)
    kinds = tuple(k.value for k in DeadlineKind)
    by_year = [api[(y, PublishedDimension.CATEGORY)] for y in years]
    totals = tuple(api[(y, PublishedDimension.OUTCOME)].total for y in years)
    cases = composed((ALL,), years, (totals,), totals, threshold=threshold, percentage_base=base)
    trend = composed(
        categories,
        years,
        tuple(tuple(row_total_of(t, c) for t in by_year) for c in categories),
        tuple(t.total for t in by_year),
        threshold=threshold,
        percentage_base=base,
    )
    met, breached = api[(year, PublishedDimension.TERM_MET)], api[(year, PublishedDimension.TERM_BREACHED)]
    terms = composed(
        kinds,
        (MET, BREACHED),
        tuple((row_total_of(met, k), row_total_of(breached, k)) for k in kinds),
        (met.total, breached.total),
        threshold=threshold,
        percentage_base=base,
    )
    category_labels = tuple(_label(PublishedDimension.CATEGORY, c) for c in categories)
    measures = api[(year, PublishedDimension.MEASURES)]
    made = (
        ReportTable("zaken", f"Zaken ontvangen, {years[0]} tot en met {year}", cases, ("zaken",), years, ""),
        ReportTable(
            "categorie_jaren",
            f"Klachten per categorie, {years[0]} tot en met {year}",
            trend,
            category_labels,
            years,
            "categorie",
        ),
        ReportTable(
            "categorie_kwartaal",
            f"Klachten per categorie per kwartaal, {year}",
            reordered(api[(year, PublishedDimension.CATEGORY)], categories),
            category_labels,
            quarter_labels,
            "categorie",
        ),
        ReportTable(
            "uitkomst",
            f"Uitkomst per kwartaal van ontvangst, {year}",
            reordered(api[(year, PublishedDimension.OUTCOME)], outcomes),
            tuple(_label(PublishedDimension.OUTCOME, o) for o in outcomes),
            quarter_labels,
            "uitkomst",
        ),
        ReportTable(
            "maatregelen",
            f"Maatregelen per kwartaal van ontvangst, {year}",
            measures,
            tuple(_label(PublishedDimension.MEASURES, m) for m in measures.rows),
            quarter_labels,
            "aankondiging",
        ),
        ReportTable(
            "termijnen",
            f"Termijnen gehaald en overschreden, {year}",
            terms,
            tuple(_label(PublishedDimension.TERM_MET, k) for k in kinds),
            ("gehaald", "overschreden"),
            "termijn",
        ),
    )
    return {table.key: table for table in made}


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
