"""Left-aligned text broken into lines the way fpdf2's ``multi_cell(align="L")`` breaks it, a word at a
time instead of a character at a time.

``multi_cell`` adds a paragraph one character after another and measures the whole line again for every
character (the line's fragments, then each character through the font), so a letter spends most of its
PDF in line breaking. The rule it applies is simple, and :func:`wrapped` applies the same rule to words:

* a ``"\\n"`` ends a line; a text ending in ``"\\n"`` ends with its last line (the writer then moves down
  one line more, as ``multi_cell`` does);
* a space (or a tab, or a Unicode space: :data:`BREAKING`) that no longer fits ends the line and is
  dropped; one that fits stays, also at the end of a line before a ``"\\n"``;
* a word that no longer fits moves to the next line, which drops the one space before it (any more spaces
  before that one stay on the line);
* a no-break space is part of its word, and written as a space (as fpdf2 writes it);
* a word wider than a whole line is broken between characters, as many as fit on each line.

A line "fits" as fpdf2 decides it: its width may exceed the room by at most fpdf2's tolerance (1e-9 of
the unit). Widths are added a word at a time instead of measured for the whole line, which differs from
fpdf2's sum only by rounding far below that tolerance.

Text with a character whose rule is not repeated here (a soft hyphen, which may break a word and then
shows as a hyphen; a form feed) is left to ``multi_cell`` by the caller (:func:`plain`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

TOLERANCE = 1e-9
"""fpdf2's ``FloatTolerance.TOLERANCE``: how much wider than the room a line may measure and still fit."""

BREAKING = " \t\u200b\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000"
"""The characters fpdf2 breaks a line at (``BREAKING_SPACE_SYMBOLS``): the space, the tab and the Unicode
spaces. A line breaks at its last one and drops it."""
NO_BREAK_SPACE = "\u00a0"
_SPECIAL = frozenset("\u00ad\u000c")
_TOKENS = re.compile(f"[{BREAKING}]|[^{BREAKING}]+")


class TooNarrow(ValueError):
    """A single character is wider than the line (``multi_cell`` raises ``FPDFException`` for it)."""


@dataclass(frozen=True, slots=True)
class Wrapped:
    lines: tuple[str, ...]
    trailing_newline: bool
    """The text ended in ``"\\n"``: ``multi_cell`` moves down one more line after the last."""


def plain(text: str) -> bool:
    """Whether :func:`wrapped` breaks ``text`` as ``multi_cell`` does (no character it treats specially)."""
    return _SPECIAL.isdisjoint(text)


def wrapped(text: str, room: float, measure: Callable[[str], float]) -> Wrapped:
    """``text`` in lines no wider than ``room`` (the cell's width less its two inner margins), each word
    and each character that has to be split measured by ``measure`` (in the same unit as ``room``)."""
    text = text.replace("\r", "")
    segments = text.split("\n")
    trailing_newline = len(segments) > 1 and segments[-1] == ""
    if trailing_newline:
        segments.pop()
    lines: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1 and not trailing_newline
        lines.extend(_segment(segment, room, measure, keep_empty_tail=not last))
    return Wrapped(tuple(lines) or ("",), trailing_newline)


def _segment(
    segment: str, room: float, measure: Callable[[str], float], *, keep_empty_tail: bool
) -> list[str]:
    """The lines of one segment between newlines. Its last line is kept even when empty if a newline
    ends it (``multi_cell`` then writes an empty line); at the very end of the text an empty last line
    is not written."""
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for token in _TOKENS.findall(segment):
        width = measure(token)
        if token in BREAKING:
            if used + width - room > TOLERANCE:
                lines.append("".join(line))
                line, used = [], 0.0
            else:
                line.append(token)
                used += width
            continue
        if used + width - room <= TOLERANCE:
            line.append(token)
            used += width
            continue
        if line:  # a word comes at the start of a line or after a space: break at that space
            lines.append("".join(line[:-1]))
            line, used = [], 0.0
            if width - room <= TOLERANCE:
                line.append(token)
                used = width
                continue
        for char in token:  # wider than a whole line: as many characters as fit on each line
            char_width = measure(char)
            if used + char_width - room > TOLERANCE:
                if not line:
                    raise TooNarrow(f"{char!r} is wider than the line ({room:.2f})")
                lines.append("".join(line))
                line, used = [], 0.0
            line.append(char)
            used += char_width
    if line or keep_empty_tail:
        lines.append("".join(line))
    return [line.replace(NO_BREAK_SPACE, " ") for line in lines]
