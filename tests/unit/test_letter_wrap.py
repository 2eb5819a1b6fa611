"""The letter's own line breaking gives the lines fpdf2's ``multi_cell`` gives (its dry run, which returns
the lines it would write, is the oracle): for every letter template's paragraphs, and for made-up ones with
long words, runs of short words and of spaces, newlines and Latin-1 accents, in each font the letter uses
and from an indented start; and a text over several pages comes out as the same PDF, byte for byte."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from fpdf.enums import Align, XPos, YPos

from klachtspoor.letters import pdf as letters_pdf
from klachtspoor.letters.pdf import FOOTER_RULE, WIDTHS, LetterPdf
from klachtspoor.letters.render import TEMPLATES, MailContext, MailRenderer, RenderedMail
from klachtspoor.letters.wrap import TooNarrow, plain, wrapped
from klachtspoor.pdfstyle import FONT, latin1

CONTEXT = MailContext(
    recipient_name="Voorbeeld Ouder",
    reference="KS-2026-000042",
    organisation="Demo Jeugdhulp",
    received_on=date(2026, 3, 5),
    letter_date=date(2026, 4, 20),
)
FONTS = [("", 10.5), ("", 8.5), ("", 9.5), ("B", 14)]
"""The letter's text and small print, the heading's values, the letterhead's name."""

WORDS = ["de", "het", "uw", "klacht", "wordt", "behandeld", "door", "één", "van", "Zuid-Holland"]
MADE_UP = [
    "",
    " ",
    "kort",
    " ".join(WORDS * 9),
    " ".join(WORDS[i % len(WORDS)][: 1 + i % 4] for i in range(300)),
    "Zie https://www.voorbeeld-jeugdhulp.example/klachten/regeling/" + "x" * 150 + " voor de regeling.",
    "a" * 400,
    "W" * 120 + " " + "i" * 500,
    "Beste mevrouw Çelik-Ñúñez,\nuw brief over de zorg van ÿvonne Æbelø is ontvangen.\nMet groet",
    "regel één\n\nregel drie\n",
    "met   drie spaties  en twee " * 12,
    "  begint met spaties en eindigt met spaties   ",
    "spatie voor de regel \nen daarna " + "woorden " * 40 + "\n" + "einde " * 30,
    "\n",
    "\n\nna twee regels",
    "tab\tin\teen\tregel " * 20,
    "op 14\u00a0mei\u00a02026 om 14.30\u00a0uur " * 12,
    "r\u00e9gle\r\nmet CR LF\r\n",
]


def blank() -> LetterPdf:
    pdf = LetterPdf(RenderedMail("Onderwerp", "Tekst", ""), CONTEXT)
    pdf.add_page()
    return pdf


def template_paragraphs() -> list[str]:
    renderer = MailRenderer()
    paragraphs = []
    for path in sorted(TEMPLATES.glob("[!_]*.j2")):
        text = renderer.render(path.name.removesuffix(".j2"), CONTEXT).text
        for part in text.partition(FOOTER_RULE)[::2]:
            paragraphs.extend(latin1(p.strip()) for p in part.strip().split("\n\n"))
    return paragraphs


def multi_cells(pdf: LetterPdf, text: str) -> list[str]:
    lines: list[str] = pdf.multi_cell(0, 5, text, align=Align.L, dry_run=True, output="LINES")
    return lines


def room(pdf: LetterPdf) -> float:
    return pdf.w - pdf.r_margin - pdf.x - 2 * pdf.c_margin


@pytest.mark.parametrize(("style", "size"), FONTS)
@pytest.mark.parametrize("indent", [0, 24])
def test_the_letters_and_made_up_paragraphs_break_where_multi_cell_breaks_them(
    style: str, size: float, indent: float
) -> None:
    pdf = blank()
    pdf.set_font(FONT, style=style, size=size)
    pdf.set_x(pdf.l_margin + indent)
    paragraphs = [*template_paragraphs(), *MADE_UP]
    assert len(paragraphs) > 100
    for text in paragraphs:
        assert plain(text)
        assert list(wrapped(text, room(pdf), pdf.width_of).lines) == multi_cells(pdf, text), text


def test_a_text_ending_in_a_newline_says_so() -> None:
    pdf = blank()
    pdf.set_font(FONT, size=10.5)
    assert wrapped("een\ntwee\n", room(pdf), pdf.width_of).trailing_newline
    assert not wrapped("een\ntwee", room(pdf), pdf.width_of).trailing_newline


def test_a_character_wider_than_the_line_is_refused() -> None:
    with pytest.raises(TooNarrow):
        wrapped("ab", 1.0, lambda word: 2.0 * len(word))


def test_a_soft_hyphen_or_a_form_feed_is_left_to_multi_cell() -> None:
    assert not plain("zorg\u00adverlener")
    assert not plain("pagina\fpagina")
    assert plain("14\u00a0mei\tom 14.30 uur")


def test_the_widths_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(letters_pdf, "WIDTHS_KEPT", 50)
    pdf = blank()
    pdf.set_font(FONT, size=10.5)
    for number in range(120):
        assert pdf.width_of(str(number)) == pdf.get_string_width(str(number))
        assert len(WIDTHS) <= 50


def written(write: Callable[[LetterPdf, str], None]) -> tuple[int, bytes]:
    """Paragraphs and a heading over several pages, each paragraph written by ``write``."""
    pdf = blank()
    for index, text in enumerate(template_paragraphs() * 4 + MADE_UP + ["laatste\u00adregel"]):
        pdf.set_font(FONT, style="B" if index % 7 == 0 else "", size=FONTS[index % 3][1])
        if index % 5 == 0:
            pdf.cell(24, 5, "Kenmerk", new_x=XPos.RIGHT, new_y=YPos.TOP, align=Align.L)
        write(pdf, text)
        pdf.ln(3)
    return pdf.page, bytes(pdf.output())


def test_a_long_text_comes_out_as_the_same_pages() -> None:
    pages, pdf = written(lambda pdf, text: pdf.lines(5, text))
    assert pages >= 5
    kept = written(
        lambda pdf, text: pdf.multi_cell(0, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.L)
    )
    assert (pages, pdf) == kept
