"""The network-wide table of one dimension: one row per organisation, one column per value, protected
against the organisations' own tables.

Each organisation's row is the row totals of its own table of that dimension and period (the same
figures), so the network table is linked to every organisation's table: it hides whatever they hide and
finds its own secondary suppressions among figures they do not show (``LinkedTable.published``: the
organisations' tables stay exactly as their own endpoint serves them). An organisation with 1 to
``threshold - 1`` cases in the period is not named: it joins the row :data:`OTHERS`, whose figures are
the sums of its members' (the audit knows them as sums). A lone small organisation makes that row alone;
all of its figures are then under the threshold and hidden, so the row shows no more than that there
were few cases elsewhere. Unlike :func:`klachtspoor.disclosure.network_table`, no larger organisation is
merged in to pad it: that one's own table shows its figures, and the row would give the small one away.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Final

from klachtspoor.disclosure import LinkedTable, Position, ProtectedTable, Table, protect_linked
from services.reporting.domain.figures import Figures
from services.reporting.domain.tables import (
    Period,
    PublishedDimension,
    dimension_table,
    protected_dimension_table,
)

OTHERS: Final = "overige organisaties"
TOTAL: Final = "total"


def network_dimension_table(
    by_tenant: Mapping[str, Figures], dimension: PublishedDimension, period: Period, threshold: int
) -> ProtectedTable:
    """The organisations (tenant slugs, in order, then :data:`OTHERS`) by the dimension's values."""
    if OTHERS in by_tenant:
        raise ValueError(f"no tenant may be called {OTHERS!r}")
    year = Period(period.year, None)
    column = None if period.quarter is None else str(period)
    own = {tenant: dimension_table(figures, dimension, year) for tenant, figures in sorted(by_tenant.items())}
    values = _values(own.values())
    count = {tenant: _row(table, values, column) for tenant, table in own.items()}
    merged = sorted(tenant for tenant, counts in count.items() if 0 < sum(counts) < threshold)
    named = [tenant for tenant in own if tenant not in merged]
    rows = [count[tenant] for tenant in named]
    links: dict[Position, Hashable] = {}
    for tenant in named:
        links |= {(tenant, value): (tenant, value) for value in values} | {(tenant, None): (tenant, TOTAL)}
    sums: dict[Hashable, list[Hashable]] = {}
    if merged:
        rows.append(tuple(sum(column) for column in zip(*(count[t] for t in merged), strict=True)))
        links |= {(OTHERS, value): (OTHERS, value) for value in values} | {(OTHERS, None): (OTHERS, TOTAL)}
        sums = {
            (OTHERS, key): [(t, key) for t in merged if key == TOTAL or key in own[t].rows]
            for key in (*values, TOTAL)
        }
    network = Table(rows=(*named, *([OTHERS] if merged else [])), columns=values, counts=tuple(rows))
    organisations = [
        LinkedTable(
            table,
            {(value, column): (tenant, value) for value in table.rows} | {(None, column): (tenant, TOTAL)},
            published=protected_dimension_table(by_tenant[tenant], dimension, year, threshold),
        )
        for tenant, table in own.items()
    ]
    return protect_linked([LinkedTable(network, links), *organisations], threshold=threshold, sums=sums)[0]


def _values(tables: Iterable[Table]) -> tuple[str, ...]:
    """Every value any organisation's table has, in the order of their rows (the vocabulary first)."""
    seen: dict[str, None] = {}
    for table in tables:
        seen |= dict.fromkeys(table.rows)
    return tuple(seen)


def _row(table: Table, values: tuple[str, ...], column: str | None) -> tuple[int, ...]:
    """The organisation's figure of each value in the period: a row total, or a cell of the quarter."""
    if column is None:
        totals = dict(zip(table.rows, table.row_totals, strict=True))
    else:
        j = table.columns.index(column)
        totals = {value: counts[j] for value, counts in zip(table.rows, table.counts, strict=True)}
    return tuple(totals.get(value, 0) for value in values)
