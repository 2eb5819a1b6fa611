"""The one place the confidant reports' tables are protected: all of a report's tables together, by
:func:`~klachtspoor.disclosure.protect_linked` (the yearly analysis is made of the statistics API's own
protected tables instead: :mod:`.composed`).

A report publishes some figures in more than one table (two tables that split the same contacts share
their column totals). Each such figure is named by one key in every table that holds it, so a
figure hidden in one table is hidden in all of them and one exact audit runs over every table's
equations. A :class:`~klachtspoor.disclosure.SuppressionError` means the report is not published.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from klachtspoor.disclosure import LinkedTable, Position, Table, protect_linked
from services.reporting.domain.reports.model import ReportTable


@dataclass(frozen=True, slots=True)
class Draft:
    """A report table before disclosure control: raw counts, never rendered."""

    key: str
    title: str
    table: Table
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    row_heading: str
    note: str | None = None
    links: Mapping[Position, Hashable] = field(default_factory=dict)
    """Figures this table shares with another of the report: position -> the figure's key."""


def protect_report(drafts: Sequence[Draft], threshold: int) -> dict[str, ReportTable]:
    """Every draft protected together, by key (see the module)."""
    keys = [draft.key for draft in drafts]
    if len(set(keys)) != len(keys):
        raise ValueError(f"report tables need distinct keys, got {keys}")
    protected = protect_linked([LinkedTable(d.table, d.links) for d in drafts], threshold=threshold)
    return {
        draft.key: ReportTable(
            key=draft.key,
            title=draft.title,
            table=table,
            row_labels=draft.row_labels,
            column_labels=draft.column_labels,
            row_heading=draft.row_heading,
            note=draft.note,
        )
        for draft, table in zip(drafts, protected, strict=True)
    }
