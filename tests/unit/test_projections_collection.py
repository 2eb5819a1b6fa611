"""The cyclic collector during a rebuild: seldom while the fold runs, as it was afterwards, error or not."""

from __future__ import annotations

import gc

import pytest

from klachtspoor.projections.folding import _BULK_GC_THRESHOLDS
from klachtspoor.projections.folding import bulk_collection as _bulk_collection


def test_collects_seldom_during_the_bulk_and_as_before_after_it() -> None:
    before = gc.get_threshold()
    with _bulk_collection():
        assert gc.get_threshold() == _BULK_GC_THRESHOLDS
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_an_error_puts_the_collector_back_as_well() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), _bulk_collection():
        raise RuntimeError("the fold failed")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
