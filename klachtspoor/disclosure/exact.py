"""An exact linear-programming solver for the audit: how far can an attacker pin a suppressed cell down?

The attacker knows the published cells and totals and that every count is nonnegative; each row and each
column of the table (totals included) is an equation. The smallest and the largest value a suppressed cell
can take under those equations are two linear programmes over the suppressed cells. They are solved here
in rational arithmetic (:class:`fractions.Fraction`), so "the maximum equals the minimum" is a fact, not a
floating-point accident. The two-phase simplex method with Bland's rule cannot cycle; the tables are small
(a few dozen suppressed cells at most), so its worst case does not matter. The equations of a two-way
table form a totally unimodular system, so these bounds are also the integer bounds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction


class Unbounded(Exception):
    """The objective has no finite optimum: the cell can grow without limit (nothing pins it down)."""


def minimise(
    equations: Sequence[Sequence[Fraction]], rhs: Sequence[Fraction], cost: Sequence[Fraction]
) -> Fraction:
    """The least ``cost · x`` subject to ``equations · x = rhs`` and ``x ≥ 0``.

    Raises :class:`Unbounded` when there is no least value and ``ValueError`` when no ``x`` satisfies the
    equations (the audit passes the true table, so that means the caller built the system wrongly).
    """
    return minimiser(equations, rhs, len(cost))(cost)


def minimiser(
    equations: Sequence[Sequence[Fraction]], rhs: Sequence[Fraction], width: int
) -> Callable[[Sequence[Fraction]], Fraction]:
    """:func:`minimise` for many costs over the same equations: the feasible start (phase one) is found
    once, each cost then only runs phase two from a copy of it."""
    rows = [
        [Fraction(v) for v in row] if b >= 0 else [-Fraction(v) for v in row]
        for row, b in zip(equations, rhs, strict=True)
    ]
    tableau = [
        [*row, *(Fraction(int(k == i)) for k in range(len(rows))), abs(Fraction(b))]
        for i, (row, b) in enumerate(zip(rows, rhs, strict=True))
    ]
    for row in tableau:
        if len(row) != width + len(rows) + 1:
            raise ValueError(f"every equation must have {width} coefficients")
    basis = [width + i for i in range(len(rows))]
    artificial_cost = [Fraction(0)] * width + [Fraction(1)] * len(rows)
    _iterate(tableau, basis, artificial_cost, allowed=width + len(rows))
    if _objective(tableau, basis, artificial_cost) != 0:
        raise ValueError("the equations have no nonnegative solution")
    _drive_out_artificials(tableau, basis, width)

    def phase_two(cost: Sequence[Fraction]) -> Fraction:
        if len(cost) != width:
            raise ValueError(f"cost must have {width} coefficients, got {len(cost)}")
        own_tableau, own_basis = [list(row) for row in tableau], list(basis)
        full_cost = [Fraction(c) for c in cost] + [Fraction(0)] * len(rows)
        _iterate(own_tableau, own_basis, full_cost, allowed=width)
        return _objective(own_tableau, own_basis, full_cost)

    return phase_two


def _objective(tableau: list[list[Fraction]], basis: list[int], cost: Sequence[Fraction]) -> Fraction:
    return sum((cost[b] * row[-1] for b, row in zip(basis, tableau, strict=True)), Fraction(0))


def _iterate(tableau: list[list[Fraction]], basis: list[int], cost: Sequence[Fraction], allowed: int) -> None:
    """Pivot until no column below ``allowed`` has a negative reduced cost (Bland: lowest index first)."""
    while True:
        entering = next(
            (
                j
                for j in range(allowed)
                if j not in basis
                and cost[j]
                - sum((cost[b] * row[j] for b, row in zip(basis, tableau, strict=True)), Fraction(0))
                < 0
            ),
            None,
        )
        if entering is None:
            return
        candidates = [
            (row[-1] / row[entering], basis[i], i) for i, row in enumerate(tableau) if row[entering] > 0
        ]
        if not candidates:
            raise Unbounded
        _, _, leaving = min(candidates)
        _pivot(tableau, basis, leaving, entering)


def _reduced_cost(
    tableau: list[list[Fraction]], basis: list[int], cost: Sequence[Fraction], j: int
) -> Fraction:
    return cost[j] - sum((cost[b] * row[j] for b, row in zip(basis, tableau, strict=True)), Fraction(0))


def _drive_out_artificials(tableau: list[list[Fraction]], basis: list[int], width: int) -> None:
    """After phase one, swap every artificial variable still basic (at zero) for a real one, or drop its
    row: the rows and columns of a table are linearly dependent (both sum to the grand total)."""
    i = 0
    while i < len(tableau):
        if basis[i] < width:
            i += 1
            continue
        column = next((j for j in range(width) if tableau[i][j] != 0), None)
        if column is None:
            del tableau[i]
            del basis[i]
            continue
        _pivot(tableau, basis, i, column)
        i += 1


def _pivot(tableau: list[list[Fraction]], basis: list[int], row: int, column: int) -> None:
    pivot = tableau[row][column]
    tableau[row] = [v / pivot for v in tableau[row]]
    for i, other in enumerate(tableau):
        factor = other[column]
        if i != row and factor != 0:
            tableau[i] = [a - factor * b for a, b in zip(other, tableau[row], strict=True)]
    basis[row] = column
