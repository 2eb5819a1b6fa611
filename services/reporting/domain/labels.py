"""Dutch labels the read side shows next to codes, from contracts.labels (escalation's history shows
the same ones). A code without a label (an event type added later) is shown with ``None`` as its label,
never hidden.
"""

from __future__ import annotations

from enum import StrEnum

from contracts.labels import EVENT_TYPE_LABELS, LABELLED, label

__all__ = ["EVENT_TYPE_LABELS", "vocabulary_label"]


def vocabulary_label(value: StrEnum) -> str | None:
    """The contracts' Dutch label of a vocabulary value, or None."""
    return label(value) if type(value) in LABELLED else None
