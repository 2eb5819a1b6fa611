"""Raw counts for a report's drafts, looked up in the figures; only :mod:`.assemble` makes them
publishable."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

from klachtspoor.disclosure import Position, Table
from services.reporting.domain.figures import Dimension, Figures


class Counts:
    """One tenant's figures by (period, dimension, value)."""

    def __init__(self, figures: Figures) -> None:
        self._counts = {(f.period, f.dimension, f.value): f.cases for f in figures.counts}

    def get(self, period: str, dimension: Dimension, value: str) -> int:
        return self._counts.get((period, dimension, value), 0)

    def values(self, dimension: Dimension, periods: Iterable[str]) -> set[str]:
        wanted = set(periods)
        return {v for (p, d, v) in self._counts if d is dimension and p in wanted}


def rows_for(known: Sequence[str], found: Iterable[str]) -> tuple[str, ...]:
    """The known values in their order, then any other value counted (sorted): a fixed shape."""
    return (*known, *sorted(set(found) - set(known)))


def table(counts: Counts, dimension: Dimension, rows: Sequence[str], columns: Sequence[str]) -> Table:
    """Values by periods: ``rows`` of the dimension, one column per period."""
    return Table(
        rows=tuple(rows),
        columns=tuple(columns),
        counts=tuple(tuple(counts.get(column, dimension, row) for column in columns) for row in rows),
    )


def column_links(columns: Sequence[str], name: str) -> dict[Position, Hashable]:
    """The column totals and the grand total as the figures ``(name, column)`` and ``(name, total)``:
    what every table that splits the same cases by another dimension publishes too."""
    links: dict[Position, Hashable] = {(None, column): (name, column) for column in columns}
    links[(None, None)] = (name, "+".join(columns))
    return links


def merged(*parts: Mapping[Position, Hashable]) -> dict[Position, Hashable]:
    out: dict[Position, Hashable] = {}
    for part in parts:
        out.update(part)
    return out
