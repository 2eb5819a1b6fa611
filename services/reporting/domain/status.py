"""The small status vocabulary of the case list, derived from events (never stored by a producer).

A status moves forward along ``open → acknowledged → in_progress → mediation → formal → judged``; the
exceptions are explicit: a concluded mediation returns to ``in_progress``, a withdrawal or a closure ends
the case, and reopening returns it to ``in_progress``.
"""

from __future__ import annotations

from enum import StrEnum


class CaseStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    MEDIATION = "mediation"
    FORMAL = "formal"
    JUDGED = "judged"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"

    @property
    def ended(self) -> bool:
        return self in (CaseStatus.WITHDRAWN, CaseStatus.CLOSED)


_FORWARD = (
    CaseStatus.OPEN,
    CaseStatus.ACKNOWLEDGED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.MEDIATION,
    CaseStatus.FORMAL,
    CaseStatus.JUDGED,
)

STATUS_LABELS: dict[CaseStatus, str] = {
    CaseStatus.OPEN: "nieuw",
    CaseStatus.ACKNOWLEDGED: "ontvangst bevestigd",
    CaseStatus.IN_PROGRESS: "in behandeling",
    CaseStatus.MEDIATION: "in bemiddeling",
    CaseStatus.FORMAL: "formele klachtbehandeling",
    CaseStatus.JUDGED: "oordeel gegeven",
    CaseStatus.WITHDRAWN: "ingetrokken",
    CaseStatus.CLOSED: "afgesloten",
}


def forward(current: CaseStatus, reached: CaseStatus) -> CaseStatus:
    """``reached`` when it lies further along the way than ``current``; an ended case stays ended."""
    if current.ended or reached.ended:
        return current
    return reached if _FORWARD.index(reached) > _FORWARD.index(current) else current
