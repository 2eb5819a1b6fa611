"""Projections that can be rebuilt from the start of the log while their services run.

A service registers each of its projections under the ``klachtspoor.projections`` entry-point group
(``name = "package.module:factory"``; the factory takes the settings and returns a
:class:`RebuildableProjection`); ``klachtspoor projections list`` and ``klachtspoor projections rebuild``
look them up when they run, so this package imports no service. How a rebuild stays safe beside the
running subscriber is in :mod:`klachtspoor.projections.rebuild` and docs/projections.md.
"""

from klachtspoor.projections.model import BatchFold, RebuildableProjection
from klachtspoor.projections.rebuild import RebuildBusy, RebuildResult, rebuild_projection
from klachtspoor.projections.registry import PROJECTIONS_GROUP, UnknownProjection, load_projection, registered
from klachtspoor.projections.shares import ShareFailed, default_processes

__all__ = [
    "PROJECTIONS_GROUP",
    "BatchFold",
    "RebuildBusy",
    "RebuildResult",
    "RebuildableProjection",
    "ShareFailed",
    "UnknownProjection",
    "default_processes",
    "load_projection",
    "rebuild_projection",
    "registered",
]
