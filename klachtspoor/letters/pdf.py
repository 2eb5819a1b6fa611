"""A letter as PDF (fpdf2): A4, the organisation's letterhead (name, postal address, phone, e-mail,
website from its tenant entry), the address block of a letter on paper, date, reference and subject, the
letter's text as the plain-text mail has it, and below the line the reference, the confidant and the
crisis lines in small print; on every page the page number.

The same letter gives the same bytes: the text is the rendered mail's (itself made from the case's
events), and the document's creation date is the letter's date (:func:`klachtspoor.pdfstyle.reproducible`).
The style is reporting's (:mod:`klachtspoor.pdfstyle`). The text is broken into lines by
:mod:`klachtspoor.letters.wrap`, into the same lines as fpdf2's ``multi_cell`` at a fraction of its cost.
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from klachtspoor.calendar.notation_nl import dutch_date
from klachtspoor.letters.render import MailContext, RenderedMail
from klachtspoor.letters.wrap import plain, wrapped
from klachtspoor.pdfstyle import ACCENT, FONT, INK, MUTED, latin1, reproducible

FOOTER_RULE = "\n---\n"
"""Where the plain-text mail's letter ends and its small print begins (``_layout.txt.j2``)."""

WIDTHS: dict[tuple[str, str, float, float, str], float] = {}
"""The width of each word measured, by core font family, style, size and unit: kept for the process,
not per letter, since letters are the same templates over and over (a letter repeats about half of its
words itself; the next letter nearly all), and measuring a word is most of what breaking lines costs.
The key determines the width: a core font's widths are fpdf2's fixed tables (a font from a file, whose
widths are its own, is measured each time). Emptied when it holds :data:`WIDTHS_KEPT`, so text people
typed cannot grow it without bound; the worst a race between threads does is measure a word twice."""
WIDTHS_KEPT = 20_000


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

    def width_of(self, word: str) -> float:
        """``word``'s width in the current font (:data:`WIDTHS`)."""
        if self.is_ttf_font:
            return self.get_string_width(word)
        key = (self.font_family, self.font_style, self.font_size_pt, self.k, word)
        width = WIDTHS.get(key)
        if width is None:
            if len(WIDTHS) >= WIDTHS_KEPT:
                WIDTHS.clear()
            width = WIDTHS[key] = self.get_string_width(word)
        return width

    def lines(self, height: float, text: str) -> None:
        """``text`` left-aligned from the current position to the right margin, as
        ``multi_cell(0, height, text, new_x=LMARGIN, new_y=NEXT, align=L)`` writes it: the same lines,
        each a cell that breaks the page when it no longer fits, the next line starting where the first
        did, and after the last at the left margin. Text :func:`~klachtspoor.letters.wrap.wrapped`
        does not break as fpdf2 does (a soft hyphen), or a font that is spaced, stretched or shaped
        (which words measured one by one do not add up to), goes to ``multi_cell`` itself."""
        if not plain(text) or self.text_shaping or self.char_spacing or self.font_stretching != 100:
            self.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.L)
            return
        room = self.w - self.r_margin - self.x - self.c_margin - self.c_margin
        text = self.normalize_text(text)
        result = wrapped(text, room, self.width_of)
        for index, line in enumerate(result.lines):
            last = index == len(result.lines) - 1
            new_x = XPos.LMARGIN if last else XPos.LEFT
            self.cell(0, height, line, new_x=new_x, new_y=YPos.NEXT, align=Align.L)
        if result.trailing_newline:
            self.ln()

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
    pdf.lines(7, latin1(name))
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
        pdf.lines(5, latin1(value))
    pdf.ln(6)


def _text(pdf: LetterPdf, text: str, *, size: float, colour: tuple[int, int, int]) -> None:
    pdf.set_text_color(*colour)
    pdf.set_font(FONT, size=size)
    height = size * 0.5
    for paragraph in text.strip().split("\n\n"):
        pdf.lines(height, latin1(paragraph.strip()))
        pdf.ln(height * 0.6)
