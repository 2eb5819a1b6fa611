"""Network-wide tables: an organisation with too few cases is never shown on its own."""

from __future__ import annotations

import pytest

from klachtspoor.disclosure import OTHERS, network_table

COLUMNS = ("bejegening", "procedureel")


def test_small_organisations_are_merged_into_the_others_row() -> None:
    table = network_table(COLUMNS, {"Zorg C": (1, 2), "Zorg A": (10, 12), "Zorg B": (2, 0), "Zorg D": (9, 8)})
    assert table.rows == ("Zorg A", "Zorg D", OTHERS)
    # Zorg B (2) and Zorg C (3) together: 3 and 2 in the cells, each still under 5 and so hidden.
    assert [c.suppressed for c in table.cells[2]] == [True, True]
    assert table.row_totals[2].value == 5
    assert table.total.value == 44


def test_a_single_small_organisation_takes_the_smallest_other_with_it() -> None:
    table = network_table(COLUMNS, {"Zorg A": (10, 12), "Zorg B": (3, 0), "Zorg D": (9, 8), "Zorg E": (9, 8)})
    # Zorg D and Zorg E tie at 17; the first label joins Zorg B, so Zorg B is never the row on its own.
    assert table.rows == ("Zorg A", "Zorg E", OTHERS)
    assert table.row_totals[2].value == 20
    assert table.cells[2][1].value == 8


def test_an_organisation_without_cases_keeps_its_row_of_zeros() -> None:
    table = network_table(COLUMNS, {"Zorg A": (10, 12), "Zorg Z": (0, 0), "Zorg B": (7, 6)})
    assert table.rows == ("Zorg A", "Zorg B", "Zorg Z")
    assert [c.value for c in table.cells[2]] == [0, 0]


def test_a_network_of_one_small_organisation_publishes_no_count() -> None:
    table = network_table(COLUMNS, {"Zorg B": (3, 1)})
    assert table.rows == (OTHERS,)
    assert table.total.suppressed
    assert all(c.suppressed for line in table.grid() for c in line)


def test_the_others_label_is_reserved() -> None:
    with pytest.raises(ValueError, match="overige organisaties"):
        network_table(COLUMNS, {OTHERS: (10, 10)})
