"""A letter as PDF (fpdf2): A4, the organisation's letterhead (name, postal address, phone, e-mail,
website from its tenant entry), the address block of a letter on paper, date, reference and subject, the
letter's text as the plain-text mail has it, and below the line the reference, the confidant and the
crisis lines in small print; on every page the page number.

The same letter gives the same bytes: the text is the rendered mail's (itself made from the case's
events), and the document's creation date is the letter's date (:func:`klachtspoor.pdfstyle.reproducible`).
The style is reporting's (:mod:`klachtspoor.pdfstyle`).
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from klachtspoor.calendar.notation_nl import dutch_date
from klachtspoor.letters.render import MailContext, RenderedMail
from klachtspoor.pdfstyle import ACCENT, FONT, INK, MUTED, latin1, reproducible

FOOTER_RULE = "\n---\n"
"""Where the plain-text mail's letter ends and its small print begins (``_layout.txt.j2``)."""


class LetterPdf(FPDF):
    def __init__(self, mail: RenderedMail, context: MailContext) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.mail, self.context = mail, context
        self.set_margins(22, 18, 22)
        self.set_auto_page_break(auto=True, margin=20)
        reproducible(
            self,
            title=latin1(mail.subject),
            author=latin1(context.organisation),
            subject=f"Kenmerk {context.reference}",
            day=context.letter_date,
        )
        self.alias_nb_pages()

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"Kenmerk {self.context.reference}", align=Align.L)
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Pagina {self.page_no()} van {{nb}}", align=Align.R)


def letter_pdf(mail: RenderedMail, context: MailContext) -> bytes:
    """The PDF of ``mail``, rendered from ``context`` (the attachment of the mail, or the paper letter)."""
    pdf = LetterPdf(mail, context)
    pdf.add_page()
    _letterhead(pdf, context)
    _address_block(pdf, context)
    _heading(pdf, mail, context)
    letter, _, small_print = mail.text.partition(FOOTER_RULE)
    _text(pdf, letter, size=10.5, colour=INK)
    if small_print.strip():
        pdf.ln(4)
        pdf.set_draw_color(*MUTED)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(2)
        _text(pdf, small_print, size=8.5, colour=MUTED)
    return bytes(pdf.output())


def _letterhead(pdf: LetterPdf, context: MailContext) -> None:
    head = context.letterhead
    name = head.name if head is not None else context.organisation
    pdf.set_text_color(*ACCENT)
    pdf.set_font(FONT, style="B", size=14)
    pdf.multi_cell(0, 7, latin1(name), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.L)
    if head is not None:
        pdf.set_font(FONT, size=9)
        pdf.set_text_color(*MUTED)
        for line in (*head.address, *head.contact_lines()):
            pdf.cell(0, 4.5, latin1(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.L)
    pdf.ln(2)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.set_line_width(0.2)
    pdf.ln(8)


def _address_block(pdf: LetterPdf, context: MailContext) -> None:
    """The addressee of a letter on paper, where a window envelope shows it."""
    if not context.recipient_lines:
        return
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, size=10.5)
    for line in context.recipient_lines:
        pdf.cell(0, 5, latin1(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.L)
    pdf.ln(8)


def _heading(pdf: LetterPdf, mail: RenderedMail, context: MailContext) -> None:
    pdf.set_font(FONT, size=9.5)
    pdf.set_text_color(*MUTED)
    rows = [
        ("Datum", dutch_date(context.letter_date) if context.letter_date else None),
        ("Kenmerk", context.reference),
        ("Onderwerp", mail.subject),
    ]
    for caption, value in rows:
        if value is None:
            continue
        pdf.set_font(FONT, style="B", size=9.5)
        pdf.cell(24, 5, caption, new_x=XPos.RIGHT, new_y=YPos.TOP, align=Align.L)
        pdf.set_font(FONT, size=9.5)
        pdf.multi_cell(0, 5, latin1(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.L)
    pdf.ln(6)


def _text(pdf: LetterPdf, text: str, *, size: float, colour: tuple[int, int, int]) -> None:
    pdf.set_text_color(*colour)
    pdf.set_font(FONT, size=size)
    height = size * 0.5
    for paragraph in text.strip().split("\n\n"):
        pdf.multi_cell(
            0, height, latin1(paragraph.strip()), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.L
        )
        pdf.ln(height * 0.6)
