"""Small statistics helpers for the benchmarks."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1) of unsorted values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def median_of_rounds(rounds: Sequence[dict[str, float]]) -> dict[str, float]:
    """Per key, the median over rounds: one noisy round does not move the figure."""
    keys = rounds[0].keys()
    return {key: statistics.median(r[key] for r in rounds) for key in keys}
