"""The renderers: the PDF read back with pypdf (and its first page as PNG with poppler's pdftoppm, kept
under .dev/test-artifacts/reports/), the XLSX with openpyxl, the CSV with the csv module. Every
suppressed figure is x, and two renders of the same report are the same bytes."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from report_examples import LETTERHEAD, MADE_ON, TENANT, YEAR, provider_figures

from services.reporting.adapters.reports.formats import ReportFormat, render
from services.reporting.domain.reports.jaaranalyse import jaaranalyse
from services.reporting.domain.reports.model import Report

ARTIFACTS = Path(__file__).resolve().parents[3] / ".dev" / "test-artifacts" / "reports"


@pytest.fixture(scope="module")
def report() -> Report:
    return jaaranalyse(
        provider_figures(), tenant=TENANT, letterhead=LETTERHEAD, period=YEAR, threshold=5, made_on=MADE_ON
    )


@pytest.mark.parametrize("format", list(ReportFormat))
def test_the_same_report_renders_to_the_same_bytes(report: Report, format: ReportFormat) -> None:
    assert render(report, format) == render(report, format)


def test_the_pdf_holds_the_dutch_headings_the_figures_and_x(report: Report) -> None:
    pdf = render(report, ReportFormat.PDF)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for heading in (
        "SO! Trainingsbureau",
        "Jaaranalyse klachten 2026",
        "Klachten per categorie",
        "Uitkomsten",
        "Termijnen",
    ):
        assert heading in text, heading
    assert "Periode: 1 januari tot en met 31 december 2026" in text
    assert "info@sotrainingsbureau.nl" in text
    assert "Opgemaakt op 15 januari 2027" in text
    assert "x = geheim (minder dan 5 zaken)" in text
    assert "informatieverstrekking" in text and "categorieën" in text
    lines = text.splitlines()
    assert any(line.split() == ["bejegening", "12", "x", "14", "x"] for line in lines), "2025 is hidden"
    assert any(line.split() == ["procedureel", "0", "0", "16", "16"] for line in lines), lines
    assert reader.metadata is not None and reader.metadata.title == "Jaaranalyse klachten 2026"
    assert reader.metadata.creation_date is not None and reader.metadata.creation_date.date() == MADE_ON


def test_the_first_page_renders_as_an_image(report: Report) -> None:
    """Kept for a person to look at; needs poppler's pdftoppm (Debian poppler-utils)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "jaaranalyse.pdf"
    pdf.write_bytes(render(report, ReportFormat.PDF))
    assert shutil.which("pdftoppm"), "pdftoppm is missing: `make test` installs Debian's poppler-utils"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(ARTIFACTS / "jaaranalyse"),
        ],
        check=True,
        timeout=60,
    )
    png = (ARTIFACTS / "jaaranalyse.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_the_xlsx_has_a_sheet_per_table_and_x_for_a_hidden_figure(report: Report) -> None:
    book = openpyxl.load_workbook(io.BytesIO(render(report, ReportFormat.XLSX)))
    assert book.sheetnames == [t.title[:31].strip() for t in report.tables]
    trend = book[book.sheetnames[1]]
    rows = [[c for c in row] for row in trend.iter_rows(values_only=True)]
    assert rows[0][0] == "Jaaranalyse klachten 2026"
    assert list(rows[5][:2]) == ["Geheimhouding", "x = geheim (minder dan 5 zaken)"]
    head = next(row for row in rows if row[0] == "categorie")
    assert list(head[:5]) == ["categorie", "2024", "2025", "2026", "Totaal"]
    body = {row[0]: list(row[1:5]) for row in rows if row[0] in ("bejegening", "procedureel", "Totaal")}
    assert body["bejegening"] == [12, "x", 14, "x"]
    assert body["procedureel"] == [0, 0, 16, 16]
    assert body["Totaal"] == [12, "x", 30, "x"]
    assert book.properties.creator == "SO! Trainingsbureau"


def test_the_csv_has_a_block_per_table_with_x(report: Report) -> None:
    text = render(report, ReportFormat.CSV).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Jaaranalyse klachten 2026"]
    assert ["Organisatie", "SO! Trainingsbureau"] in rows
    titles = [rows[i + 1][0] for i, row in enumerate(rows) if row == [] and i + 1 < len(rows)]
    assert titles == [t.title for t in report.tables]
    assert ["bejegening", "12", "x", "14", "x"] in rows
    assert ["procedureel", "x", "0", "7", "x", "16"] in rows, "2026-Q1 procedureel is 4: hidden, with Q4"
    for row in rows:
        for value in row[1:]:
            assert (
                not value.isdigit()
                or int(value) == 0
                or int(value) >= 5
                or row[0] in ("Periode", "Opgemaakt op")
            ), row
