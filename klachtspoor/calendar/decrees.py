"""Days equated with public holidays by decree (Algemene termijnenwet art. 3(3)).

The government fixes these days once every three years in a *Besluit gelijkstelling*; they are data, not
rules, because no rule predicts them reliably (the Friday after Ascension is usual, bridge days depend on
the weekday). A new decree is one :class:`Decree` line for the years it covers plus one
:class:`DecreeDay` line per equated day. For a year no decree covers, the calendar uses the statutory days
only and every computed due date says so (:func:`decree_covers`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Decree:
    """One *Besluit gelijkstelling* and the calendar years it settles."""

    title: str
    first_year: int
    last_year: int


@dataclass(frozen=True, slots=True)
class DecreeDay:
    """A day the decree equates with a public holiday, with what it bridges (shown in explanations)."""

    day: date
    description: str
    decree: Decree


DECREE_2026_2028 = Decree("Besluit gelijkstelling 2026–2028", 2026, 2028)

DECREES: tuple[Decree, ...] = (DECREE_2026_2028,)

DECREE_DAYS: tuple[DecreeDay, ...] = (
    DecreeDay(date(2026, 1, 2), "vrijdag na Nieuwjaarsdag", DECREE_2026_2028),
    DecreeDay(date(2026, 5, 15), "vrijdag na Hemelvaartsdag", DECREE_2026_2028),
    DecreeDay(date(2027, 5, 7), "vrijdag na Hemelvaartsdag", DECREE_2026_2028),
    DecreeDay(date(2028, 4, 28), "vrijdag na Koningsdag", DECREE_2026_2028),
    DecreeDay(date(2028, 5, 26), "vrijdag na Hemelvaartsdag", DECREE_2026_2028),
)


def decree_covers(year: int) -> bool:
    """Whether a decree settles the equated days of ``year``; when not, only statutory days are known."""
    return any(decree.first_year <= year <= decree.last_year for decree in DECREES)


def decree_days(year: int) -> dict[date, str]:
    """The equated days of ``year`` with a label naming the decree."""
    return {
        d.day: f"gelijkgestelde dag ({d.description}, {d.decree.title})"
        for d in DECREE_DAYS
        if d.day.year == year
    }
