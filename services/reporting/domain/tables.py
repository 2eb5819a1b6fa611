"""The statistics as publishable tables: one dimension of one period, protected by disclosure control.

Shape (docs/statistics.md, "Statistics over HTTP"): one row per value of the dimension, one column per
quarter of the period (a year has four: ``2026-Q1`` … ``2026-Q4``; a quarter has one). Every case counts in
exactly one quarter, so a row total is the value's figure for the whole period. The rows are the
dimension's whole vocabulary (a value nobody is in counts 0, which exposes no one) plus any other value
the facts hold, so the same request always has the same shape, whatever the counts are.

Nothing here renders a raw count: :func:`dimension_table` gives a :class:`Table`, which only
:func:`klachtspoor.disclosure.protect` turns into something publishable. The handling time is published
only over a base of at least ``threshold`` ended cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Final, assert_never

from contracts.vocabulary import (
    AdmissibilityGround,
    Category,
    Channel,
    DeadlineKind,
    EscalationStep,
    Outcome,
    Resolution,
)
from klachtspoor.disclosure import LinkedTable, Position, ProtectedTable, Table, protect_linked
from services.reporting.domain.facts import INADMISSIBLE
from services.reporting.domain.figures import ALL, NONE, OPEN, UNKNOWN, Dimension, Figures
from services.reporting.domain.labels import vocabulary_label

PERIOD_PATTERN: Final = r"^[1-9][0-9]{3}(-Q[1-4])?$"
"""A year (``2026``) or a quarter (``2026-Q1``), as the projection counts them (years 1000 to 9999)."""

TAKEN, NOT_TAKEN = "taken", "not_taken"


if TYPE_CHECKING:
    # mypy cannot see the members of an enum built from a list; to it, the type is Dimension's.
    PublishedDimension = Dimension
else:
    PublishedDimension = StrEnum(
        "PublishedDimension",
        [(member.name, member.value) for member in Dimension if member is not Dimension.CASES],
        module=__name__,
        qualname="PublishedDimension",
    )
    PublishedDimension.__doc__ = "The dimensions a reader may ask for (the projection's, without ``cases``)."
"""The dimensions a reader may ask for: the projection's :class:`Dimension` without its base ``cases``,
derived from it so that a dimension the projection adds is published without repeating it here. Its
members equal Dimension's (both are ``str``), so code that takes a Dimension takes one of these too."""


OWN_LABELS: Final = {
    NONE: "geen categorie",
    UNKNOWN: "onbekend",
    OPEN: "lopend",
    TAKEN: "maatregelen aangekondigd",
    NOT_TAKEN: "geen maatregelen",
    INADMISSIBLE: "niet-ontvankelijk",
}
"""Dutch labels of the codes the projection adds to the vocabulary (docs/statistics.md)."""


@dataclass(frozen=True, slots=True)
class Period:
    year: int
    quarter: int | None

    @classmethod
    def parse(cls, text: str) -> Period:
        if re.fullmatch(PERIOD_PATTERN, text) is None:
            raise ValueError(f"period must be a year or a quarter like 2026 or 2026-Q1, got {text!r}")
        year, _, quarter = text.partition("-Q")
        return cls(int(year), int(quarter) if quarter else None)

    @property
    def columns(self) -> tuple[str, ...]:
        """The quarters the period covers, as the projection names them."""
        quarters = range(1, 5) if self.quarter is None else (self.quarter,)
        return tuple(f"{self.year}-Q{q}" for q in quarters)

    def __str__(self) -> str:
        return f"{self.year}" if self.quarter is None else f"{self.year}-Q{self.quarter}"

    @property
    def days(self) -> tuple[date, date]:
        """The period's first day and the first day after it."""
        if self.quarter is None:
            return date(self.year, 1, 1), date(self.year + 1, 1, 1)
        start = date(self.year, 3 * self.quarter - 2, 1)
        end = date(self.year + 1, 1, 1) if self.quarter == 4 else date(self.year, 3 * self.quarter + 1, 1)
        return start, end

    def starts_after(self, today: date) -> bool:
        """True when the period has not begun on ``today`` (a period in the future has no figures)."""
        month = 1 if self.quarter is None else 3 * self.quarter - 2
        return date(self.year, month, 1) > today


def known_values(dimension: Dimension) -> tuple[str, ...]:
    """Every value the dimension can take that is known without looking at the facts (a
    :class:`PublishedDimension` member matches its Dimension: value patterns compare with ``==``)."""
    match dimension:
        case Dimension.CASES:
            return (ALL,)
        case Dimension.CATEGORY:
            return (*(c.value for c in Category), NONE)
        case Dimension.CHANNEL:
            return (*(c.value for c in Channel), UNKNOWN)
        case Dimension.HIGHEST_STEP:
            return (*(s.value for s in EscalationStep), UNKNOWN)
        case Dimension.OUTCOME:
            return (OPEN,)
        case Dimension.TERM_MET | Dimension.TERM_BREACHED:
            return tuple(k.value for k in DeadlineKind)
        case Dimension.MEASURES:
            return (TAKEN, NOT_TAKEN)
        case _:
            assert_never(dimension)


def dimension_table(figures: Figures, dimension: PublishedDimension, period: Period) -> Table:
    """The raw counts of ``dimension`` in ``period``: values by quarters (see the module)."""
    columns = period.columns
    wanted = Dimension(dimension.value)
    counted = {
        (f.value, f.period): f.cases for f in figures.counts if f.dimension is wanted and f.period in columns
    }
    known = known_values(dimension)
    extra = sorted({value for value, _ in counted} - set(known))
    rows = (*known, *extra)
    counts = tuple(tuple(counted.get((value, column), 0) for column in columns) for value in rows)
    return Table(rows=rows, columns=columns, counts=counts)


def value_label(dimension: PublishedDimension, code: str) -> str | None:
    """The Dutch label of a value's code, or None when there is none."""
    if code in OWN_LABELS:
        return OWN_LABELS[code]
    vocabularies: dict[PublishedDimension, tuple[type[StrEnum], ...]] = {
        PublishedDimension.CATEGORY: (Category,),
        PublishedDimension.CHANNEL: (Channel,),
        PublishedDimension.HIGHEST_STEP: (EscalationStep,),
        PublishedDimension.TERM_MET: (DeadlineKind,),
        PublishedDimension.TERM_BREACHED: (DeadlineKind,),
    }
    if dimension == Dimension.OUTCOME:
        return _outcome_label(code)
    for vocabulary in vocabularies.get(dimension, ()):
        if code in vocabulary._value2member_map_:
            return vocabulary_label(vocabulary(code))
    return None


def _outcome_label(code: str) -> str | None:
    prefix, _, ground = code.partition(":")
    if prefix == INADMISSIBLE and ground in AdmissibilityGround._value2member_map_:
        return f"{OWN_LABELS[INADMISSIBLE]}: {vocabulary_label(AdmissibilityGround(ground))}"
    for vocabulary in (Outcome, Resolution):
        if code in vocabulary._value2member_map_:
            return vocabulary_label(vocabulary(code))
    return None


@dataclass(frozen=True, slots=True)
class PublishedHandlingTime:
    """The period's handling time, or nothing but ``suppressed`` when too few cases ended in it."""

    cases_ended: int | None
    median: float | None
    p90: int | None

    @property
    def suppressed(self) -> bool:
        return self.cases_ended is None


def handling_time(figures: Figures, period: Period, threshold: int) -> PublishedHandlingTime:
    """Median and p90 in working days over the period's ended cases, when they are at least
    ``threshold``; with fewer (1 to ``threshold - 1``) every figure is suppressed. No ended case: 0, no
    median."""
    found = next((h for h in figures.handling_times if h.period == str(period)), None)
    if found is None:
        return PublishedHandlingTime(cases_ended=0, median=None, p90=None)
    if found.cases < threshold:
        return PublishedHandlingTime(cases_ended=None, median=None, p90=None)
    return PublishedHandlingTime(cases_ended=found.cases, median=found.median, p90=found.p90)


PARTITIONS: Final = (PublishedDimension.CHANNEL, PublishedDimension.HIGHEST_STEP, PublishedDimension.OUTCOME)
"""The dimensions in which every case has exactly one value: their column totals are the cases of each
quarter and their grand total the cases of the year, the same figures in each of these tables."""


def protected_dimension_table(
    figures: Figures, dimension: PublishedDimension, period: Period, threshold: int
) -> ProtectedTable:
    """``dimension`` in ``period``, protected together with every table it shares figures with.

    Always protected as the whole year (a quarter is its column of the year's table), and a partition
    together with the other partitions of that year: so a request for a quarter, the year, or another
    dimension of it can never publish a figure another request hides (docs/statistics.md, "Linked tables").
    Raises :class:`~klachtspoor.disclosure.SuppressionError` when no safe pattern is found.
    """
    year = Period(period.year, None)
    linked = PARTITIONS if dimension in PARTITIONS else (dimension,)
    tables = [
        LinkedTable(dimension_table(figures, each, year), _case_links(year) if each in PARTITIONS else {})
        for each in linked
    ]
    protected = dict(zip(linked, protect_linked(tables, threshold=threshold), strict=True))[dimension]
    return protected if period.quarter is None else protected.column(str(period))


def _case_links(year: Period) -> dict[Position, str]:
    """The figures every partition of ``year`` shares: the cases of each quarter and of the year."""
    return {(None, column): f"cases {column}" for column in year.columns} | {(None, None): f"cases {year}"}
