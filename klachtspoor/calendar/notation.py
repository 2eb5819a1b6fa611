"""The short term notation of the command line and of explanations: ``2wd``, ``10d``, ``6w``, ``1m``, ``1y``,
``24h``."""

from __future__ import annotations

import re
from typing import Final, assert_never

from pydantic import ValidationError

from contracts.values import Term
from contracts.vocabulary import TermUnit

_SUFFIXES: Final = {
    "h": TermUnit.HOURS,
    "wd": TermUnit.WORKING_DAYS,
    "d": TermUnit.DAYS,
    "w": TermUnit.WEEKS,
    "m": TermUnit.MONTHS,
    "y": TermUnit.YEARS,
}
_NOTATION: Final = re.compile(r"(\d+)\s*(wd|h|d|w|m|y)")


class TermNotationError(ValueError):
    """Text that is not a term in the short notation; the message names the text and the valid forms."""


def parse_term(text: str) -> Term:
    """``"6w"`` → ``Term(amount=6, unit=weeks)``; raises :class:`TermNotationError` naming the text."""
    found = _NOTATION.fullmatch(text.strip().lower())
    if found is None:
        raise TermNotationError(
            f"Not a term: {text!r} (expected a number and one of wd, d, w, m, y, h, e.g. 2wd, 6w, 1m, 24h)"
        )
    amount = int(found.group(1))
    try:
        return Term(amount=amount, unit=_SUFFIXES[found.group(2)])
    except ValidationError as error:
        raise TermNotationError(
            f"Not a term: {text!r} (the amount must be 1 to 1000, got {amount})"
        ) from error


def format_term(term: Term) -> str:
    """A readable English form, e.g. ``6 weeks`` or ``1 working day``."""
    match term.unit:
        case TermUnit.HOURS:
            noun = "hour"
        case TermUnit.WORKING_DAYS:
            noun = "working day"
        case TermUnit.DAYS:
            noun = "day"
        case TermUnit.WEEKS:
            noun = "week"
        case TermUnit.MONTHS:
            noun = "month"
        case TermUnit.YEARS:
            noun = "year"
        case _:
            assert_never(term.unit)
    return f"{term.amount} {noun}{'' if term.amount == 1 else 's'}"
