"""The load test of ``test_e2e_load.py`` on EventStoreDB: 100 signals (the stand-in server, Python, is the
slowest part of the stack), 16 at a time, retried with their Idempotency-Keys, with
``KLACHTSPOOR_EVENTSTORE_URL`` set for every process. A module (and stack) of its own, because the test
counts every case of its tenant."""

from __future__ import annotations

import pytest
from test_e2e_load import test_concurrent_signals_with_retries_are_each_one_case_one_mail_one_send

EVENTSTORE = "esdb"
SIGNALS = 100
TRACED = False
pytestmark = pytest.mark.slow

__all__ = ["test_concurrent_signals_with_retries_are_each_one_case_one_mail_one_send"]
