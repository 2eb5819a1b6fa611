"""A report as PDF (fpdf2): A4, the organisation's letterhead, the title and period, each section's
text and tables, and on every page a footer with the report's date, the disclosure note ("x = geheim
(minder dan N zaken)") and the page number.

Reproducible: the document's creation date is the report's date (not the clock), and nothing else in it
varies, so the same report gives the same bytes. The core font Helvetica holds the Latin-1 characters
Dutch needs (é, ë, ï); a character outside it is refused rather than dropped.
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import Align, TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace

from klachtspoor.pdfstyle import ACCENT, FONT, INK, MUTED, SHADE, reproducible
from services.reporting.adapters.reports.labelled import TOTAL, figure, lines, made_on
from services.reporting.domain.reports.model import Report, ReportTable

LABEL_WIDTH = 52.0
ROW_HEIGHT = 6.5
"""Millimetres a table row takes, about (a heading of two lines takes two)."""
TABLE_MIN_SPACE = 45.0
"""Millimetres a table needs below it to start on this page (its title, headings and a few rows)."""


class ReportPdf(FPDF):
    def __init__(self, report: Report) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report = report
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(auto=True, margin=22)
        reproducible(
            self,
            title=report.title,
            author=report.letterhead.name,
            subject=f"{report.title}, {report.period_label}",
            day=report.made_on,
        )
        self.alias_nb_pages()

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self.report.letterhead.name}  |  {self.report.title}", align=Align.L)
        self.ln(9)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_draw_color(*MUTED)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.5)
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        left = f"Opgemaakt op {made_on(self.report)}  |  {self.report.disclosure_note}"
        self.cell(0, 5, left, align=Align.L)
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Pagina {self.page_no()} van {{nb}}", align=Align.R)


def render_pdf(report: Report) -> bytes:
    pdf = ReportPdf(report)
    pdf.add_page()
    _letterhead(pdf, report)
    for section in report.sections:
        keep = _height(section.tables[0]) + 14 if section.tables and not section.paragraphs else 30.0
        _heading(pdf, section.heading, keep)
        for paragraph in section.paragraphs:
            _paragraph(pdf, paragraph)
        for table in section.tables:
            _table(pdf, table)
    return bytes(pdf.output())


def _letterhead(pdf: ReportPdf, report: Report) -> None:
    pdf.set_text_color(*ACCENT)
    pdf.set_font(FONT, style="B", size=15)
    pdf.multi_cell(0, 7, report.letterhead.name, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.L)
    pdf.set_font(FONT, size=9)
    pdf.set_text_color(*MUTED)
    contact = "  |  ".join(report.letterhead.lines())
    if contact:
        pdf.cell(0, 5, contact, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.L)
    pdf.ln(2)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.set_line_width(0.2)
    pdf.ln(8)
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, style="B", size=20)
    pdf.multi_cell(0, 9, report.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.L)
    pdf.set_font(FONT, size=11)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        0, 6, f"Periode: {report.period_label}", new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.L
    )
    pdf.ln(4)


def _heading(pdf: ReportPdf, text: str, keep: float) -> None:
    """A section heading, on a new page when what must follow it (``keep`` mm) does not fit."""
    usable = pdf.h - pdf.t_margin - pdf.b_margin - 10
    if pdf.get_y() > pdf.h - pdf.b_margin - min(keep, usable):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_text_color(*ACCENT)
    pdf.set_font(FONT, style="B", size=13)
    pdf.multi_cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.L)
    pdf.ln(1)


def _height(table: ReportTable) -> float:
    """About how many millimetres the table takes with its title."""
    return ROW_HEIGHT * (len(lines(table)[1]) + 2) + 8


def _paragraph(pdf: ReportPdf, text: str) -> None:
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, size=10)
    pdf.multi_cell(0, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.L)
    pdf.ln(2)


def _table(pdf: ReportPdf, table: ReportTable) -> None:
    head, body = lines(table)
    needed = _height(table)
    room = pdf.h - pdf.b_margin - pdf.get_y()
    if room < TABLE_MIN_SPACE or (room < needed < pdf.h - pdf.t_margin - pdf.b_margin - 10):
        pdf.add_page()  # a table that fits on a page is not split
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, style="B", size=10)
    pdf.multi_cell(0, 5, table.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.L)
    pdf.ln(1)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    figures = len(head) - 1
    label = min(LABEL_WIDTH, width / 2)
    widths = (label, *([(width - label) / figures] * figures))
    pdf.set_font(FONT, size=9)
    pdf.set_draw_color(*MUTED)
    with pdf.table(
        col_widths=widths,
        width=width,
        text_align=(Align.L, *([Align.R] * figures)),
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        headings_style=FontFace(emphasis="BOLD", color=INK, fill_color=SHADE),
        line_height=5,
        padding=(1, 1.5),
    ) as rows:
        rows.row(head)
        for i, (name, cells) in enumerate(body):
            last = i == len(body) - 1 and name == TOTAL
            style = FontFace(emphasis="BOLD") if last else None
            row = rows.row(style=style)
            row.cell(name)
            for cell in cells:
                row.cell(figure(cell))
    if table.note:
        pdf.set_font(FONT, style="I", size=8)
        pdf.set_text_color(*MUTED)
        pdf.multi_cell(0, 4, table.note, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.L)
    pdf.ln(4)
