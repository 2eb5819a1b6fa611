"""The exact solver behind the audit, on systems whose optimum is known by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest

from klachtspoor.disclosure import bounds, is_protected
from klachtspoor.disclosure.exact import Unbounded, minimise

F = Fraction


def test_minimise_finds_the_optimum_of_a_small_system() -> None:
    # x + y = 4, y + z = 3, x, y, z >= 0: the least x is 1 (y = 3), the greatest 4 (y = 0, z = 3).
    equations = [[F(1), F(1), F(0)], [F(0), F(1), F(1)]]
    assert minimise(equations, [F(4), F(3)], [F(1), F(0), F(0)]) == 1
    assert -minimise(equations, [F(4), F(3)], [F(-1), F(0), F(0)]) == 4


def test_minimise_handles_negative_right_hand_sides_and_dependent_equations() -> None:
    equations = [[F(-1), F(-1)], [F(2), F(2)], [F(1), F(-1)]]
    assert minimise(equations, [F(-6), F(12), F(2)], [F(0), F(1)]) == 2


def test_minimise_reports_infeasible_and_unbounded_systems() -> None:
    with pytest.raises(ValueError, match="no nonnegative solution"):
        minimise([[F(1), F(1)]], [F(-1)], [F(1), F(0)])
    with pytest.raises(Unbounded):
        minimise([[F(1), F(-1)]], [F(0)], [F(-1), F(0)])


def test_a_lone_suppressed_cell_follows_from_its_row_total() -> None:
    grid = ((3, 10, 13), (8, 9, 17), (11, 19, 30))
    assert bounds(grid, {(0, 0)}, (0, 0)) == (3, 3)
    assert not is_protected(grid, {(0, 0)}, (0, 0))


def test_a_suppressed_rectangle_leaves_each_corner_open() -> None:
    grid = ((3, 10, 13), (8, 9, 17), (11, 19, 30))
    rectangle = {(0, 0), (0, 1), (1, 0), (1, 1)}
    # x00 + x01 = 13 and x00 + x10 = 11 with x11 = 17 - x10 >= 0: x00 runs from 0 to 11.
    assert bounds(grid, rectangle, (0, 0)) == (0, 11)
    assert all(is_protected(grid, rectangle, cell) for cell in rectangle)


def test_a_cell_whose_every_total_is_hidden_has_no_upper_bound() -> None:
    assert bounds(((3, 3), (3, 3)), {(0, 0), (0, 1), (1, 0), (1, 1)}, (1, 1)) == (0, None)
    with pytest.raises(ValueError, match="not suppressed"):
        bounds(((3, 3), (3, 3)), {(0, 0)}, (1, 1))
