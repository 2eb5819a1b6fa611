"""History as of a moment (bitemporal replay): :func:`~.replay.history` over a case's stored events.

:mod:`.views` holds the answer's models (the endpoint and ``klachtspoor replay --json`` dump the same),
:mod:`.reveal` the one rule on which personal values a reader sees, :mod:`.replay` the fold itself.
"""

from services.escalation.domain.history.replay import (
    NOT_CHECKED,
    AsOfBeforeCase,
    AsOfNotAware,
    HistoryError,
    NoEvents,
    PolicyNotPinned,
    history,
    recorded_by,
)
from services.escalation.domain.history.reveal import Reveal, masked_payload, reveals, reveals_any
from services.escalation.domain.history.views import (
    WITHHELD,
    CaseHistory,
    ChainBreakView,
    ChainCheck,
    ChainStatus,
    TimelineEntry,
)

__all__ = [
    "NOT_CHECKED",
    "WITHHELD",
    "AsOfBeforeCase",
    "AsOfNotAware",
    "CaseHistory",
    "ChainBreakView",
    "ChainCheck",
    "ChainStatus",
    "HistoryError",
    "NoEvents",
    "PolicyNotPinned",
    "Reveal",
    "TimelineEntry",
    "history",
    "masked_payload",
    "recorded_by",
    "reveals",
    "reveals_any",
]
