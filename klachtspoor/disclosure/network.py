"""Network-wide tables: one row per organisation, and no organisation with too few cases on its own.

An organisation with fewer than ``threshold`` cases (but more than none) is not shown by name: it joins
the row :data:`OTHERS`. That row must hold at least two organisations with cases, or it would be the one
organisation under another name; with a single small one, the smallest other organisation (then the first
by label) joins it. The combined table then goes through :func:`protect` like any other, which suppresses
the row's cells, or its total, where they are still under the threshold. An organisation without cases
keeps its row of zeros: a 0 exposes no one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from klachtspoor.disclosure.suppress import protect
from klachtspoor.disclosure.table import ProtectedTable, Table

OTHERS: Final = "overige organisaties"


def network_table(
    columns: Sequence[str],
    counts_by_organisation: Mapping[str, Sequence[int]],
    threshold: int = 5,
    percentage_base: int = 10,
) -> ProtectedTable:
    """The protected network table of ``counts_by_organisation`` (an organisation's label to its counts,
    one per column): organisations in label order, then :data:`OTHERS` when some were merged."""
    if OTHERS in counts_by_organisation:
        raise ValueError(f"counts_by_organisation may not use the label {OTHERS!r}")
    totals = {label: sum(counts) for label, counts in counts_by_organisation.items()}
    merged = {label for label, total in totals.items() if 0 < total < threshold}
    if len(merged) == 1:
        others = [label for label, total in totals.items() if total > 0 and label not in merged]
        if others:
            merged.add(min(others, key=lambda label: (totals[label], label)))
    shown = sorted(label for label in counts_by_organisation if label not in merged)
    rows = [tuple(counts_by_organisation[label]) for label in shown]
    if merged:
        group = [counts_by_organisation[label] for label in sorted(merged)]
        rows.append(tuple(sum(column) for column in zip(*group, strict=True)))
        shown.append(OTHERS)
    table = Table(rows=tuple(shown), columns=tuple(columns), counts=tuple(rows))
    return protect(table, threshold=threshold, percentage_base=percentage_base)
