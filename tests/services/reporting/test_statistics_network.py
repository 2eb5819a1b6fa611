"""The network table: no organisation with few cases named, and nothing an organisation's own table hides
shown in the network's (so a reader with both learns nothing more)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klachtspoor.disclosure import ProtectedTable, SuppressionError
from services.reporting.domain.figures import Dimension, Figure, Figures
from services.reporting.domain.network import OTHERS, network_dimension_table
from services.reporting.domain.tables import Period, PublishedDimension, protected_dimension_table

YEAR = Period(2026, None)
CHANNELS = ("phone", "email", "letter")


def figures(tenant: str, by_channel_and_quarter: dict[tuple[str, int], int]) -> Figures:
    """The channels as given; every case at an unknown step and still open (the other partitions)."""
    counts = [
        Figure(tenant, f"2026-Q{quarter}", Dimension.CHANNEL, channel, n)
        for (channel, quarter), n in by_channel_and_quarter.items()
        if n
    ]
    per_quarter = {q: sum(n for (_, k), n in by_channel_and_quarter.items() if k == q) for q in range(1, 5)}
    for dimension, value in ((Dimension.HIGHEST_STEP, "unknown"), (Dimension.OUTCOME, "open")):
        counts += [Figure(tenant, f"2026-Q{q}", dimension, value, n) for q, n in per_quarter.items() if n]
    return Figures(counts=tuple(sorted(counts)), handling_times=())


def own_hidden(table: ProtectedTable, column: int | None) -> dict[str, bool]:
    """Which of the organisation's figures of the period its own table hides, by value and total."""
    if column is None:
        cells = dict(zip(table.rows, table.row_totals, strict=True)) | {"total": table.total}
    else:
        cells = {v: row[column] for v, row in zip(table.rows, table.cells, strict=True)}
        cells["total"] = table.column_totals[column]
    return {value: cell.suppressed for value, cell in cells.items()}


def check(by_tenant: dict[str, Figures], period: Period, threshold: int = 5) -> ProtectedTable:
    network = network_dimension_table(by_tenant, PublishedDimension.CHANNEL, period, threshold)
    column = None if period.quarter is None else period.quarter - 1
    for name, cells, total in zip(network.rows, network.cells, network.row_totals, strict=True):
        for cell in (*cells, total):
            assert cell.suppressed or cell.value == 0 or cell.value >= threshold, (name, cell)
        if name == OTHERS:
            continue
        own = protected_dimension_table(by_tenant[name], PublishedDimension.CHANNEL, YEAR, threshold)
        hidden = own_hidden(own, column)
        for value, cell in (*zip(network.columns, cells, strict=True), ("total", total)):
            if hidden.get(value):
                assert cell.suppressed, f"{name} {value}: hidden in its own table, shown in the network's"
    return network


def test_small_organisations_are_merged_and_nothing_hidden_at_home_is_shown() -> None:
    by_tenant = {
        "big": figures("big", {("phone", 1): 9, ("email", 1): 6, ("letter", 1): 2, ("phone", 2): 7}),
        "mid": figures("mid", {("phone", 1): 5, ("email", 2): 8}),
        "small-a": figures("small-a", {("phone", 1): 2}),
        "small-b": figures("small-b", {("email", 2): 3}),
        "none": figures("none", {}),
    }
    network = check(by_tenant, YEAR)
    assert network.rows == ("big", "mid", "none", OTHERS)
    rows = dict(zip(network.rows, network.row_totals, strict=True))
    assert rows["big"].value == 24 and rows["mid"].value == 13 and rows["none"].value == 0
    assert rows[OTHERS].value == 5, "two small organisations together are five cases"
    letter = network.columns.index("letter")
    assert network.cells[0][letter].suppressed, "2 letters at big"


def test_a_lone_small_organisation_is_a_row_of_its_own_with_every_figure_hidden() -> None:
    by_tenant = {
        "big": figures("big", {("phone", 1): 9, ("email", 1): 6, ("phone", 2): 7}),
        "mid": figures("mid", {("phone", 1): 5, ("email", 2): 8}),
        "small": figures("small", {("phone", 1): 3}),
    }
    network = check(by_tenant, YEAR)
    assert network.rows == ("big", "mid", OTHERS)
    others = network.cells[-1]
    assert all(cell.suppressed or cell.value == 0 for cell in others) and network.row_totals[-1].suppressed


def test_no_tenant_may_be_called_as_the_merged_row() -> None:
    with pytest.raises(ValueError, match=OTHERS):
        network_dimension_table({OTHERS: figures(OTHERS, {})}, PublishedDimension.CHANNEL, YEAR, 5)


organisation = st.dictionaries(
    st.tuples(st.sampled_from(CHANNELS), st.integers(min_value=1, max_value=4)),
    st.one_of(st.integers(min_value=0, max_value=4), st.integers(min_value=0, max_value=15)),
    max_size=6,
)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(organisation, min_size=1, max_size=4),
    st.sampled_from([None, 1, 2]),
    st.integers(min_value=2, max_value=6),
)
def test_random_networks_keep_every_organisations_secrets(
    organisations: list[dict[tuple[str, int], int]], quarter: int | None, threshold: int
) -> None:
    by_tenant = {f"org-{i}": figures(f"org-{i}", cells) for i, cells in enumerate(organisations)}
    try:
        network = check(by_tenant, Period(2026, quarter), threshold)
    except SuppressionError:
        return  # fails closed: nothing published
    for name in network.rows:
        if name != OTHERS:
            cells = organisations[int(name.removeprefix("org-"))]
            cases = sum(n for (_, q), n in cells.items() if quarter is None or q == quarter)
            assert not 0 < cases < threshold, f"{name} is named with {cases} cases"
