"""The tables disclosure control works on: the counts as counted, and the table as it may be published.

:class:`Table` holds every count; nothing renders it. :class:`ProtectedTable` is what :func:`protect`
returns and the only thing the renderers take. It holds no secret value at all: a suppressed cell is
``None`` in it, so no renderer, log line or serialisation of a protected table can leak what was hidden.
"""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator


class SuppressionError(Exception):
    """No safe suppression pattern was found, or a table claims a protection it does not have. Callers
    publish nothing: a statistics request fails closed."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


def _check_labels(field: str, labels: tuple[str, ...]) -> None:
    if not labels:
        raise ValueError(f"{field} must name at least one label")
    if any(not label.strip() for label in labels):
        raise ValueError(f"{field} has an empty label")
    if len(set(labels)) != len(labels):
        raise ValueError(f"{field} has a label twice")


class Table(_Frozen):
    """A two-way table of case counts: one row per label of ``rows``, one count per label of ``columns``.
    The totals are derived from the counts, so they can never disagree with them."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]

    @model_validator(mode="after")
    def _shape(self) -> Self:
        _check_labels("rows", self.rows)
        _check_labels("columns", self.columns)
        if len(self.counts) != len(self.rows):
            raise ValueError(f"counts has {len(self.counts)} rows, rows names {len(self.rows)}")
        for i, row in enumerate(self.counts):
            if len(row) != len(self.columns):
                raise ValueError(f"counts row {i} has {len(row)} cells, columns names {len(self.columns)}")
            if any(n < 0 for n in row):
                raise ValueError(f"counts row {i} has a negative count")
        return self

    @property
    def row_totals(self) -> tuple[int, ...]:
        return tuple(sum(row) for row in self.counts)

    @property
    def column_totals(self) -> tuple[int, ...]:
        return tuple(sum(column) for column in zip(*self.counts, strict=True))

    @property
    def total(self) -> int:
        return sum(self.row_totals)

    def grid(self) -> tuple[tuple[int, ...], ...]:
        """The counts with the totals added: row totals as the last column, column totals (and the grand
        total) as the last row. Disclosure control treats a total as one more cell of this grid."""
        body = tuple((*row, total) for row, total in zip(self.counts, self.row_totals, strict=True))
        return (*body, (*self.column_totals, self.total))


class Published(_Frozen):
    """One published cell: a count, or ``None`` with ``suppressed`` set (CBS: ``x``, a secret figure)."""

    value: int | None = Field(ge=0)
    suppressed: bool

    @model_validator(mode="after")
    def _either(self) -> Self:
        if (self.value is None) != self.suppressed:
            raise ValueError("value must be None exactly when the cell is suppressed")
        return self


class ProtectedTable(_Frozen):
    """A table safe to publish: every count from 1 to ``threshold - 1`` suppressed, and secondary
    suppressions so that no suppressed cell follows from the published cells and totals.

    Built by :func:`klachtspoor.disclosure.protect`, which proves the second property on the counts; this
    model checks what can be checked without them, so a hand-built instance cannot publish a small count or
    a lone suppressed cell in a row or column (which its total would give away)."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    threshold: int = Field(ge=2)
    percentage_base: int = Field(ge=1)
    cells: tuple[tuple[Published, ...], ...]
    row_totals: tuple[Published, ...]
    column_totals: tuple[Published, ...]
    total: Published

    @model_validator(mode="after")
    def _protected(self) -> Self:
        _check_labels("rows", self.rows)
        _check_labels("columns", self.columns)
        if len(self.cells) != len(self.rows) or len(self.row_totals) != len(self.rows):
            raise ValueError("cells and row_totals must have one entry per row")
        if len(self.column_totals) != len(self.columns) or any(
            len(r) != len(self.columns) for r in self.cells
        ):
            raise ValueError("cells rows and column_totals must have one entry per column")
        for i, line in enumerate(self.grid()):
            if any(c.value is not None and 0 < c.value < self.threshold for c in line):
                raise ValueError(f"grid row {i} publishes a count under the threshold")
        for name, lines in (("row", self.grid()), ("column", tuple(zip(*self.grid(), strict=True)))):
            for i, line in enumerate(lines):
                if sum(c.suppressed for c in line) == 1:
                    raise ValueError(f"grid {name} {i} has a single suppressed cell")
        return self

    def grid(self) -> tuple[tuple[Published, ...], ...]:
        """The cells with the totals added, laid out as :meth:`Table.grid`."""
        body = tuple((*row, total) for row, total in zip(self.cells, self.row_totals, strict=True))
        return (*body, (*self.column_totals, self.total))

    def column(self, label: str) -> ProtectedTable:
        """One column as a table of its own (a quarter out of its year): its cells are their own row
        totals and its total the column's. It publishes nothing this table does not, with the same
        suppressions, so a reader holding both learns nothing more than from this one."""
        if label not in self.columns:
            raise ValueError(f"no column {label!r} (columns: {self.columns})")
        j = self.columns.index(label)
        cells = tuple(row[j] for row in self.cells)
        return ProtectedTable(
            rows=self.rows,
            columns=(label,),
            threshold=self.threshold,
            percentage_base=self.percentage_base,
            cells=tuple((cell,) for cell in cells),
            row_totals=cells,
            column_totals=(self.column_totals[j],),
            total=self.column_totals[j],
        )
