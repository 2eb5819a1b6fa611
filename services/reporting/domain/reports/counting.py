"""The rows of a report table: a fixed shape, whatever the counts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def rows_for(known: Sequence[str], found: Iterable[str]) -> tuple[str, ...]:
    """The known values in their order, then any other value counted (sorted)."""
    return (*known, *sorted(set(found) - set(known)))
