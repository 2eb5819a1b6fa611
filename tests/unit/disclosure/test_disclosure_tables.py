"""Disclosure control on hand-checked tables: primary and secondary suppression, rendering, percentages."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from klachtspoor import disclosure
from klachtspoor.disclosure import (
    ProtectedTable,
    Published,
    SuppressionError,
    Table,
    column_percentages,
    protect,
    row_percentages,
    to_csv,
    to_json,
)


def table(*counts: tuple[int, ...]) -> Table:
    return Table(
        rows=tuple(f"r{i}" for i in range(len(counts))),
        columns=tuple(f"k{j}" for j in range(len(counts[0]))),
        counts=counts,
    )


def pattern(protected: ProtectedTable) -> list[str]:
    """The grid as text, one line per row: the figure or x."""
    return [" ".join("x" if c.suppressed else str(c.value) for c in line) for line in protected.grid()]


def test_a_row_with_one_small_cell_hides_the_cheapest_rectangle() -> None:
    # The 3 alone could be read from its row total; of every rectangle through it, 10 + 8 + 9 hides least.
    protected = protect(table((3, 10, 12), (8, 9, 20), (15, 6, 7)))
    assert pattern(protected) == ["x x 12 25", "x x 20 37", "15 6 7 28", "26 25 39 90"]


def test_a_small_column_total_is_suppressed_with_its_cells() -> None:
    protected = protect(table((1, 10, 9), (2, 12, 8), (0, 15, 11)))
    assert protected.column_totals[0].suppressed
    assert [row[0].suppressed for row in protected.cells] == [True, True, False]
    assert protected.cells[2][0] == Published(value=0, suppressed=False)
    # 9 + 8 is the cheapest partner pair for the 1 and the 2; 28 then hides the column total 3.
    assert pattern(protected) == ["x 10 x 20", "x 12 x 22", "0 15 11 26", "x 37 x 68"]


def test_a_small_grand_total_hides_every_count_but_publishes_the_zeros() -> None:
    protected = protect(table((1, 1), (1, 0)))
    assert pattern(protected) == ["x x x", "x 0 x", "x x x"]


def test_a_zero_is_published_and_never_used_to_hide_a_small_count() -> None:
    protected = protect(table((0, 3, 9), (6, 7, 8)))
    # The rectangle through the 0 would be cheapest (0 + 6 + 7) but a hidden 0 can only go up.
    assert pattern(protected) == ["0 x x 12", "6 x x 21", "6 10 17 33"]


def test_a_table_without_small_counts_is_published_whole() -> None:
    protected = protect(table((5, 0), (7, 12)))
    assert pattern(protected) == ["5 0 5", "7 12 19", "12 12 24"]


def test_a_single_cell_under_the_threshold_is_hidden_everywhere() -> None:
    assert pattern(protect(table((3,)))) == ["x x", "x x"]


def test_the_threshold_is_the_least_count_shown() -> None:
    assert pattern(protect(table((2, 9), (9, 9)), threshold=2)) == ["2 9 11", "9 9 18", "11 18 29"]
    assert pattern(protect(table((2, 9), (9, 9)), threshold=3)) == ["x x 11", "x x 18", "11 18 29"]
    assert "x" in pattern(protect(table((5, 9), (9, 9)), threshold=6))[0]
    with pytest.raises(ValueError, match="threshold"):
        protect(table((5,)), threshold=1)


def test_the_audit_failing_publishes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without its rectangle the 3 would follow from its row total: the audit must refuse, not publish.
    monkeypatch.setattr(
        disclosure.suppress, "_cheapest_rectangle", lambda grid, suppressed, cell, kept: (cell,)
    )
    with pytest.raises(SuppressionError, match=r"grid cell \(0, 0\)"):
        protect(table((3, 10), (8, 9)))


def test_an_audit_that_cannot_be_solved_publishes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(grid: object, suppressed: object) -> object:
        raise ValueError("the equations have no nonnegative solution")

    monkeypatch.setattr(disclosure.suppress, "all_bounds", broken)
    with pytest.raises(SuppressionError, match="could not be solved"):
        protect(table((3, 10), (8, 9)))


@pytest.mark.parametrize(
    ("rows", "columns", "counts", "message"),
    [
        (("a",), ("k",), ((1, 2),), "counts row 0 has 2 cells"),
        (("a", "b"), ("k",), ((1,),), "counts has 1 rows"),
        (("a",), ("k",), ((-1,),), "negative"),
        (("a", "a"), ("k",), ((1,), (2,)), "rows has a label twice"),
        ((), ("k",), (), "rows must name"),
        (("a",), (" ",), ((1,),), "columns has an empty label"),
    ],
)
def test_a_malformed_table_is_refused(
    rows: tuple[str, ...], columns: tuple[str, ...], counts: tuple[tuple[int, ...], ...], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        Table(rows=rows, columns=columns, counts=counts)


def shown(n: int | None) -> Published:
    return Published(value=n, suppressed=n is None)


def test_a_hand_built_protected_table_cannot_publish_a_small_count_or_a_lone_secret() -> None:
    def build(cell: int | None, row_total: int | None) -> ProtectedTable:
        return ProtectedTable(
            rows=("a",),
            columns=("k", "l"),
            threshold=5,
            percentage_base=10,
            cells=((shown(cell), shown(7)),),
            row_totals=(shown(row_total),),
            column_totals=(shown(cell), shown(7)),
            total=shown(row_total),
        )

    with pytest.raises(ValidationError, match="under the threshold"):
        build(3, 10)
    with pytest.raises(ValidationError, match="single suppressed cell"):
        build(None, 10)
    assert build(5, 12).total.value == 12
    with pytest.raises(ValidationError, match="value must be None exactly"):
        Published(value=None, suppressed=False)


def test_csv_shows_a_secret_figure_as_x() -> None:
    labels = {"rows": ("Zorg A", "=B"), "columns": ("bejegening", "procedureel")}
    protected = protect(Table(**labels, counts=((3, 10), (8, 9))))
    assert to_csv(protected).splitlines() == [
        ",bejegening,procedureel,Totaal",
        "Zorg A,x,x,13",
        "'=B,x,x,17",
        "Totaal,11,19,30",
    ]


def test_json_gives_null_and_suppressed_for_a_secret_figure() -> None:
    body = to_json(protect(table((3, 10), (8, 9))))
    assert body["cells"] == [
        [{"value": None, "suppressed": True}, {"value": None, "suppressed": True}],
        [{"value": None, "suppressed": True}, {"value": None, "suppressed": True}],
    ]
    assert body["row_totals"] == [{"value": 13, "suppressed": False}, {"value": 17, "suppressed": False}]
    assert body["total"] == {"value": 30, "suppressed": False}
    assert (body["rows"], body["columns"], body["threshold"]) == (["r0", "r1"], ["k0", "k1"], 5)


def test_no_percentage_on_a_base_under_ten_or_of_a_secret_figure() -> None:
    protected = protect(table((3, 10, 0), (5, 4, 0), (6, 7, 0)))
    assert pattern(protected)[0] == "x x 0 13"
    assert row_percentages(protected) == ((None, None, 0.0), (None, None, None), (46.2, 53.8, 0.0))
    assert column_percentages(protected)[2] == (42.9, 33.3, None)
