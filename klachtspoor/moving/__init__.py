"""Moving house: copying the event store into another one (``klachtspoor eventstore copy``)."""

from klachtspoor.moving.check import Comparison, compare_stores
from klachtspoor.moving.copy import CopyConflict, CopyResult, CopyTarget, copy_store

__all__ = ["Comparison", "CopyConflict", "CopyResult", "CopyTarget", "compare_stores", "copy_store"]
