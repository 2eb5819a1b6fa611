"""The report builders, pure: figures in, a report of protected tables out. No figure of 1 to 4 is ever
published, a figure two tables share is hidden in both or in neither, and the text says no more than the
tables do."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from report_examples import LETTERHEAD, MADE_ON, TENANT, YEAR, contact_figures, provider_figures

from klachtspoor.disclosure import Published, Table
from services.reporting.domain.reports import assemble
from services.reporting.domain.reports.assemble import Draft, protect_report
from services.reporting.domain.reports.confidant import kwartaalrapportage, trendrapportage
from services.reporting.domain.reports.contacts import ContactCount, ContactDimension, ContactFigures
from services.reporting.domain.reports.jaaranalyse import NotAYear, jaaranalyse
from services.reporting.domain.reports.model import Report, ReportTable
from services.reporting.domain.tables import Period, PublishedDimension, protected_dimension_table


def yearly(threshold: int = 5) -> Report:
    return jaaranalyse(
        provider_figures(),
        tenant=TENANT,
        letterhead=LETTERHEAD,
        period=YEAR,
        threshold=threshold,
        made_on=MADE_ON,
    )


def every_figure(table: ReportTable) -> Iterator[Published]:
    for line in table.table.grid():
        yield from line


def cell(table: ReportTable, row: str | None, column: str | None) -> Published:
    protected = table.table
    i = len(protected.rows) if row is None else protected.rows.index(row)
    j = len(protected.columns) if column is None else protected.columns.index(column)
    return protected.grid()[i][j]


def test_the_yearly_analysis_has_its_sections_and_tables_in_order() -> None:
    report = yearly()
    assert report.title == "Jaaranalyse klachten 2026"
    assert report.period_label == "1 januari tot en met 31 december 2026"
    assert [s.heading for s in report.sections] == [
        "Zaken per jaar",
        "Klachten per categorie",
        "Uitkomsten",
        "Maatregelen",
        "Termijnen",
        "Over deze cijfers",
    ]
    assert [t.key for t in report.tables] == [
        "zaken",
        "categorie_jaren",
        "categorie_kwartaal",
        "uitkomst",
        "maatregelen",
        "termijnen",
    ]
    trend = report.tables[1]
    assert trend.table.columns == ("2024", "2025", "2026")
    assert trend.row_labels[:5] == (
        "bejegening",
        "rapportage",
        "informatieverstrekking",
        "procedureel",
        "klachtenafhandeling",
    )
    assert cell(trend, "procedure", "2026") == Published(value=16, suppressed=False)
    terms = report.tables[5]
    assert cell(terms, "judgement", "breached").suppressed, "3 breaches: a small count"
    assert cell(terms, "judgement", "met") == Published(value=22, suppressed=False)
    assert cell(terms, "judgement", None).suppressed, "met plus breached would give the breaches away"
    assert cell(terms, "acknowledgement", "met") == Published(value=0, suppressed=False)


@pytest.mark.parametrize("threshold", [2, 5, 8])
def test_no_report_publishes_a_count_under_the_threshold(threshold: int) -> None:
    kwargs = {"tenant": TENANT, "letterhead": LETTERHEAD, "threshold": threshold, "made_on": MADE_ON}
    reports = (
        yearly(threshold),
        kwartaalrapportage(contact_figures(), period=Period(2026, 2), **kwargs),  # type: ignore[arg-type]
        trendrapportage(contact_figures(), period=Period(2026, None), **kwargs),  # type: ignore[arg-type]
    )
    for report in reports:
        for table in report.tables:
            for figure in every_figure(table):
                assert figure.suppressed or figure.value == 0 or figure.value >= threshold, (
                    table.key,
                    figure,
                )


def test_a_figure_two_tables_share_is_hidden_in_both() -> None:
    """2026-Q1 procedureel is 4: hidden in the quarterly table with its rectangle. Every category's year
    total there is the trend table's 2026 cell: each is hidden in both tables or published in both."""
    report = yearly()
    trend, quarters = report.tables[1], report.tables[2]
    assert cell(quarters, "procedure", "2026-Q1").suppressed
    for category in trend.table.rows:
        assert cell(trend, category, "2026") == cell(quarters, category, None), category
    assert cell(trend, None, "2026") == cell(quarters, None, None)
    cases, outcomes = report.tables[0], report.tables[3]
    assert cell(cases, "all", "2026") == cell(outcomes, None, None)


def test_a_hidden_shared_figure_is_hidden_everywhere_it_is_published() -> None:
    """bejegening 2025 is 3: the trend table hides it and its rectangle takes the 2026 cell of a row the
    quarterly table also totals; whatever the rectangle takes, the two tables agree."""
    report = yearly()
    trend, quarters = report.tables[1], report.tables[2]
    assert cell(trend, "treatment", "2025").suppressed
    hidden_2026 = [c for c in trend.table.rows if cell(trend, c, "2026").suppressed]
    for category in hidden_2026:
        assert cell(quarters, category, None).suppressed


def test_the_yearly_tables_are_the_statistics_apis_own() -> None:
    """What the API publishes for the year, the report publishes, hidden where the API hides it: a reader
    holding both learns nothing from combining them. The trend's years are the API's year totals."""
    report = yearly()
    figures = provider_figures()
    tables = {t.key: t for t in report.tables}
    for key, dimension in (
        ("categorie_kwartaal", PublishedDimension.CATEGORY),
        ("uitkomst", PublishedDimension.OUTCOME),
        ("maatregelen", PublishedDimension.MEASURES),
    ):
        api = protected_dimension_table(figures, dimension, YEAR, 5)
        mine = tables[key].table
        for row in api.rows:
            i, j = api.rows.index(row), mine.rows.index(row)
            assert (api.cells[i], api.row_totals[i]) == (mine.cells[j], mine.row_totals[j]), (key, row)
        assert (api.column_totals, api.total) == (mine.column_totals, mine.total)
    trend = tables["categorie_jaren"]
    for year in ("2024", "2025", "2026"):
        api = protected_dimension_table(figures, PublishedDimension.CATEGORY, Period(int(year), None), 5)
        for row in api.rows:
            assert cell(trend, row, year) == api.row_totals[api.rows.index(row)], (year, row)
        assert cell(trend, None, year) == api.total


def test_protect_report_is_the_one_place_confidant_tables_are_protected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every table of a confidant report goes through protect_linked in one call, with its links."""
    calls: list[int] = []
    real = assemble.protect_linked

    def counting(tables, threshold=5, percentage_base=10):  # type: ignore[no-untyped-def]
        calls.append(len(tables))
        return real(tables, threshold=threshold, percentage_base=percentage_base)

    monkeypatch.setattr(assemble, "protect_linked", counting)
    kwartaalrapportage(
        contact_figures(),
        tenant="lsr",
        letterhead=LETTERHEAD,
        period=Period(2026, 2),
        threshold=5,
        made_on=MADE_ON,
    )
    assert calls == [3]


def test_tables_that_disagree_on_a_shared_figure_are_not_protected() -> None:
    """Two tables naming the same figure must count it the same, or nothing of them is made."""
    a = Draft(
        "a",
        "A",
        Table(rows=("r",), columns=("c",), counts=((6,),)),
        ("r",),
        ("c",),
        "",
        links={("r", "c"): "k"},
    )
    b = Draft(
        "b",
        "B",
        Table(rows=("r",), columns=("c",), counts=((7,),)),
        ("r",),
        ("c",),
        "",
        links={("r", "c"): "k"},
    )
    with pytest.raises(ValueError, match="is 6 in table 0 and 7 in table 1"):
        protect_report([a, b], 5)
    with pytest.raises(ValueError, match="distinct keys"):
        protect_report([a, a], 5)


def test_the_text_says_no_more_than_the_tables() -> None:
    report = yearly()
    text = " ".join(p for s in report.sections for p in s.paragraphs)
    assert "In 2026 zijn 30 zaken ontvangen (2025: x, 2024: 12)." in text
    assert "bejegening 46,7%" in text and "procedureel 53,3%" in text
    assert "mediaan" in text and "12,5 werkdagen" in text and "90% binnen 30 werkdagen" in text
    assert "Cijfers van 1 tot en met 4 zaken" in text


def test_the_handling_time_needs_the_threshold_of_ended_cases() -> None:
    report = yearly(threshold=26)
    assert report.handling_time is not None and report.handling_time.suppressed
    text = " ".join(report.sections[4].paragraphs)
    assert "te weinig zaken van 2026 afgerond (minder dan 26)" in text
    assert "12,5" not in text


def test_the_yearly_analysis_covers_a_year() -> None:
    with pytest.raises(NotAYear):
        jaaranalyse(
            provider_figures(),
            tenant=TENANT,
            letterhead=LETTERHEAD,
            period=Period(2026, 1),
            threshold=5,
            made_on=MADE_ON,
        )


def test_the_quarterly_report_counts_contacts_by_category_channel_and_kind() -> None:
    report = kwartaalrapportage(
        contact_figures(),
        tenant="akj-zorgbelang-drenthe",
        letterhead=LETTERHEAD,
        period=Period(2026, 2),
        threshold=5,
        made_on=MADE_ON,
    )
    assert report.title == "Kwartaalrapportage vertrouwenswerk 2e kwartaal 2026"
    category, channel, kind = report.tables
    assert category.table.columns == channel.table.columns == ("2026-Q1", "2026-Q2")
    assert channel.column_labels == ("1e kwartaal 2026", "2e kwartaal 2026")
    assert cell(category, "treatment", "2026-Q1") == Published(value=9, suppressed=False)
    assert cell(channel, "email", "2026-Q1").suppressed
    assert cell(kind, "advice", "2026-Q1") == Published(value=7, suppressed=False)
    assert channel.table.column_totals == kind.table.column_totals, "the same contacts, the same totals"
    assert channel.table.total == kind.table.total
    assert (
        "In het 2e kwartaal van 2026 registreerden de vertrouwenspersonen 6 contacten."
        in report.sections[0].paragraphs
    )


def test_the_trend_report_has_two_years_and_this_years_quarters() -> None:
    report = trendrapportage(
        contact_figures(),
        tenant="lsr",
        letterhead=LETTERHEAD,
        period=Period(2026, None),
        threshold=5,
        made_on=MADE_ON,
    )
    category, kind = report.tables
    assert category.table.columns == ("2024", "2025", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
    assert cell(category, "treatment", "2025") == Published(value=8, suppressed=False)
    assert cell(kind, "support", "2025") == Published(value=8, suppressed=False)
    # 2026-Q1 informatieverstrekking is 3: its rectangle hides 2026-Q2's 6, so nothing is named there.
    assert report.sections[0].paragraphs[1] == (
        "In het 2e kwartaal van 2026 is geen categorie vaak genoeg genoemd om hier te noemen."
    )
    plenty = ContactFigures.of(
        [
            ContactCount("2026-Q1", ContactDimension.CATEGORY, "treatment", 9),
            ContactCount("2026-Q1", ContactDimension.CATEGORY, "information", 6),
        ]
    )
    named = trendrapportage(
        plenty, tenant="lsr", letterhead=LETTERHEAD, period=Period(2026, 1), threshold=5, made_on=MADE_ON
    )
    assert named.sections[0].paragraphs[1] == (
        "Het meest genoemd in het 1e kwartaal van 2026: bejegening (9), informatieverstrekking (6)."
    )


@pytest.mark.parametrize("build", [kwartaalrapportage, trendrapportage])
def test_the_confidant_reports_work_without_any_contact(build) -> None:  # type: ignore[no-untyped-def]
    report = build(
        ContactFigures(),
        tenant="lsr",
        letterhead=LETTERHEAD,
        period=Period(2026, 1),
        threshold=5,
        made_on=MADE_ON,
    )
    for table in report.tables:
        assert all(f == Published(value=0, suppressed=False) for f in every_figure(table))
    assert report.disclosure_note == "x = geheim (minder dan 5 contacten)"
    assert "geen contacten geregistreerd" in report.sections[0].paragraphs[1]
    assert [r for r, _ in ContactFigures().kinds] == ["information", "advice", "support"]


def test_contact_figures_refuse_what_is_not_a_count() -> None:
    with pytest.raises(ValueError, match="quarter"):
        ContactCount("2026", ContactDimension.CHANNEL, "phone", 3)
    with pytest.raises(ValueError, match="negative"):
        ContactCount("2026-Q1", ContactDimension.CHANNEL, "phone", -1)
    twice = ContactCount("2026-Q1", ContactDimension.CHANNEL, "phone", 3)
    with pytest.raises(ValueError, match="twice"):
        ContactFigures((twice, twice))


def test_the_same_figures_give_the_same_report() -> None:
    assert yearly() == yearly()
