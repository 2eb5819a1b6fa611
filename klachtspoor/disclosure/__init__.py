"""Disclosure control for statistics, after Statistics Netherlands (CBS) and τ-Argus: counts under a
threshold are suppressed, secondary suppression keeps them from following from the published totals, and
an exact audit proves it. Pure: no I/O. See docs/statistics.md.

Build a :class:`Table`, :func:`protect` it, and render only the :class:`ProtectedTable` (:func:`to_json`,
:func:`to_csv`); :func:`network_table` combines organisations; :func:`protect_linked` protects tables
that share figures together. A :class:`SuppressionError` means that nothing may be published.
"""

from klachtspoor.disclosure.linked import LinkedTable, Position, protect_linked
from klachtspoor.disclosure.network import OTHERS, network_table
from klachtspoor.disclosure.render import (
    SECRET,
    column_percentages,
    percentage,
    row_percentages,
    to_csv,
    to_json,
)
from klachtspoor.disclosure.suppress import all_bounds, bounds, is_protected, protect, suppression_pattern
from klachtspoor.disclosure.table import ProtectedTable, Published, SuppressionError, Table

__all__ = [
    "OTHERS",
    "SECRET",
    "LinkedTable",
    "Position",
    "ProtectedTable",
    "Published",
    "SuppressionError",
    "Table",
    "all_bounds",
    "bounds",
    "column_percentages",
    "is_protected",
    "network_table",
    "percentage",
    "protect",
    "protect_linked",
    "row_percentages",
    "suppression_pattern",
    "to_csv",
    "to_json",
]
