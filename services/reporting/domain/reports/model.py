"""What a report is, whatever it is rendered as: a title, the organisation's letterhead, the period,
and sections of Dutch text with protected tables.

A report holds no raw count: every table in it is a :class:`~klachtspoor.disclosure.ProtectedTable`
(built by :mod:`.assemble`), and the text is written from those published figures only. So a renderer
can show anything a report holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import assert_never

from contracts.vocabulary import TenantKind
from klachtspoor.disclosure import ProtectedTable
from services.reporting.domain.tables import PublishedHandlingTime


class ReportName(StrEnum):
    """The reports, by the name the HTTP path and the command line use."""

    JAARANALYSE = "jaaranalyse"
    """The yearly complaints analysis of an organisation (SO! Trainingsbureau, SAVE)."""
    KWARTAALRAPPORTAGE = "kwartaalrapportage"
    """A confidant organisation's quarterly anonymised report to the organisations it works for (AKJ)."""
    TRENDRAPPORTAGE = "trendrapportage"
    """A confidant organisation's periodic report of trends and structural bottlenecks (LSR)."""

    def made_for(self) -> TenantKind:
        """The kind of organisation the report is about: a provider's complaints, or a confidant
        organisation's contacts."""
        match self:
            case ReportName.JAARANALYSE:
                return TenantKind.PROVIDER
            case ReportName.KWARTAALRAPPORTAGE | ReportName.TRENDRAPPORTAGE:
                return TenantKind.CONFIDANT_ORG
            case _:
                assert_never(self)


@dataclass(frozen=True, slots=True)
class Letterhead:
    """The organisation's own published facts (config/tenants.yaml): never a person's."""

    name: str
    email: str | None = None
    phone: str | None = None
    website: str | None = None

    def lines(self) -> tuple[str, ...]:
        return tuple(line for line in (self.email, self.phone, self.website) if line)


@dataclass(frozen=True, slots=True)
class ReportTable:
    """A protected table with the Dutch labels people read: ``row_labels`` and ``column_labels`` match
    the table's rows and columns (which hold the codes, for JSON readers)."""

    key: str
    title: str
    table: ProtectedTable
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    row_heading: str
    note: str | None = None

    def __post_init__(self) -> None:
        if len(self.row_labels) != len(self.table.rows):
            raise ValueError(
                f"table {self.key}: {len(self.row_labels)} row labels for {len(self.table.rows)}"
            )
        if len(self.column_labels) != len(self.table.columns):
            raise ValueError(f"table {self.key}: column labels do not match the columns")


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[ReportTable, ...] = ()


@dataclass(frozen=True, slots=True)
class Report:
    name: ReportName
    title: str
    tenant: str
    letterhead: Letterhead
    period: str
    period_label: str
    made_on: date
    """The day the report was made (Dutch calendar): its footer and its files' creation date, so the same
    events on the same day give the same bytes."""
    threshold: int
    sections: tuple[Section, ...]
    unit: str = "zaken"
    """What the report counts, in the disclosure note: ``zaken`` (cases) or ``contacten``."""
    handling_time: PublishedHandlingTime | None = None
    """The yearly analysis's handling time (published only over at least the threshold of ended cases)."""

    @property
    def tables(self) -> tuple[ReportTable, ...]:
        return tuple(table for section in self.sections for table in section.tables)

    @property
    def disclosure_note(self) -> str:
        return f"x = geheim (minder dan {self.threshold} {self.unit})"
