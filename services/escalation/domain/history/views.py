"""The answer of a replay: the case as the events recorded by a moment showed it.

Frozen pydantic models, so the HTTP endpoint and ``klachtspoor replay --json`` dump the very same model
and a program reading one reads the other. Nothing here holds a personal value unless the reveal rule
(:mod:`.reveal`) let it through: a withheld field keeps its name (in ``withheld``) and loses its value.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict

from contracts.base import Actor
from contracts.values import Term
from contracts.vocabulary import (
    ConversationResult,
    DeadlineKind,
    EscalationStep,
    ExternalBody,
    Judge,
    Outcome,
    Resolution,
)

WITHHELD = "[afgeschermd]"
"""What a withheld personal value reads as in a timeline payload (its path is listed in ``withheld``)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)


class PinnedPolicyView(_Frozen):
    policy_id: str
    policy_version: int


class ComplaintView(_Frozen):
    filed_with: EscalationStep
    received_on: date


class CaseStateView(_Frozen):
    """The case's state folded from the events recorded by the moment: codes and facts, no content."""

    opened: bool
    received_on: date | None
    reference: str | None
    step: EscalationStep | None
    complaint: ComplaintView | None
    admissible: bool | None
    officer_id: str | None
    mediation_running: bool
    mediation_result: ConversationResult | None
    judge: Judge | None
    judgement: Outcome | None
    hearings_scheduled: int
    hearings_held: int
    measures_taken: bool | None
    referrals: tuple[ExternalBody, ...]
    closed: bool
    resolution: Resolution | None
    erased: bool


class TermView(_Frozen):
    """One term as the moment saw it: its due date after the extensions and suspensions recorded by then."""

    kind: DeadlineKind
    started_on: date
    term: Term
    due_on: date
    warning_on: date
    follows_atw: bool
    suspended: bool
    extended: bool
    met: bool
    stopped: bool
    running: bool
    overdue: bool
    """Running, not suspended, and the moment's Dutch calendar day is after its due date."""


class TimelineEntry(_Frozen):
    """One event: what, who in which role, when it happened and when the store recorded it."""

    version: int
    event_id: UUID
    type: str
    label: str | None
    """Dutch label of the type (None for a type without one)."""
    actor: Actor
    occurred_at: AwareDatetime
    recorded_at: AwareDatetime
    recorded_late: bool
    """It is about a moment before an event recorded earlier (``occurred_at`` before the latest
    ``recorded_at`` of the events before it): a replay between the two did not show it."""
    payload: dict[str, Any]
    """The event's fields as JSON; a withheld personal value reads as :data:`WITHHELD`."""
    withheld: tuple[str, ...]
    """Dotted paths of the personal values withheld (``complainant.name``, ``notes.0``)."""
    revealed: tuple[str, ...] = ()
    """Dotted paths of the personal values shown, as the reveal rule allowed (none by default)."""


class ChainStatus(StrEnum):
    INTACT = "intact"
    BROKEN = "broken"
    NOT_CHECKED = "not_checked"
    """Nothing to check against: no event of the stream carries a link (written before the chain)."""


class ChainBreakView(_Frozen):
    stream: str
    version: int
    event_id: UUID
    problem: str
    expected: str
    found: str


class ChainCheck(_Frozen):
    """The hash chain of the case's stream as stored now (every event, also those after the moment)."""

    status: ChainStatus
    checked: int
    """How many stored events the verification read."""
    first_break: ChainBreakView | None = None
    detail: str | None = None


class CaseHistory(_Frozen):
    case_id: UUID
    tenant: str
    as_of: AwareDatetime
    policy: PinnedPolicyView | None
    """The policy version the case pinned, as far as recorded by the moment."""
    state: CaseStateView
    terms: tuple[TermView, ...]
    timeline: tuple[TimelineEntry, ...]
    """In recorded order (the stream's)."""
    recorded_after: int
    """How many events of the case were recorded after the moment (not in this replay)."""
    chain: ChainCheck

    def shown(self) -> tuple[str, ...]:
        """What this answer shows, for the access log: its sections and every personal field revealed
        (``timeline.<event type>.<field>``), by name, never by value."""
        revealed = {
            f"timeline.{_snake(entry.type)}.{_name(path)}"
            for entry in self.timeline
            for path in entry.revealed
        }
        return ("state", "terms", "timeline", "chain", *sorted(revealed))


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))


def _name(path: str) -> str:
    return ".".join(part for part in path.split(".") if not part.isdigit())
