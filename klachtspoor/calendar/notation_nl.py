"""Dates as people read them in Dutch letters, reports and pages: ``2 maart 2026``."""

from __future__ import annotations

from datetime import date
from typing import Final

MONTHS: Final = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def dutch_date(value: date) -> str:
    """2 maart 2026."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
