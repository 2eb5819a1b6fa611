"""The look and the reproducibility of the PDFs klachtspoor makes (reporting's reports, the case letters):
one font, one set of colours, and a document whose metadata comes from what it is about, never from the
clock, so the same input gives the same bytes.

The core font Helvetica holds the Latin-1 characters Dutch needs (é, ë, ï) and needs no font file on the
machine. Reports refuse a character outside it; letters carry names and texts people typed, so
:func:`latin1` writes such a character as its closest Latin-1 form (``ş`` as ``s``, ``’`` as ``'``)
instead of refusing the letter.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF

FONT = "helvetica"
INK = (33, 37, 41)
MUTED = (100, 106, 115)
ACCENT = (0, 82, 147)
SHADE = (232, 238, 245)

_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2022": "-",
    }
)


def reproducible(pdf: FPDF, *, title: str, author: str, subject: str, day: date | None) -> None:
    """The document's metadata from its content: its creation date is ``day`` (the report's or the
    letter's date; the Unix epoch's when there is none), never the moment it was made."""
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_subject(subject)
    pdf.set_creator("klachtspoor")
    pdf.set_lang("nl-NL")
    made = day or date(1970, 1, 1)
    pdf.set_creation_date(datetime(made.year, made.month, made.day, tzinfo=UTC))


def latin1(text: str) -> str:
    """``text`` in the characters the core font holds: typographic punctuation as its plain form, a
    letter with a diacritic Latin-1 lacks without it, anything else as ``?``."""
    out = []
    for char in text.translate(_PUNCTUATION):
        if ord(char) < 256:
            out.append(char)
            continue
        base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
        out.append(base or "?")
    return "".join(out)
