"""The life of a case as a whole: withdrawn, reopened, duplicate, closed."""

from __future__ import annotations

from typing import ClassVar, Self

from pydantic import model_validator

from contracts import invariants
from contracts.base import CaseId, Event
from contracts.personal import PersonalText
from contracts.vocabulary import Outcome, Resolution


class ComplaintWithdrawn(Event):
    """The complainant withdrew the signal or complaint (allowed at any moment)."""

    event_type: ClassVar[str] = "ComplaintWithdrawn"
    schema_version: ClassVar[int] = 1

    reason: PersonalText | None = None


class CaseReopened(Event):
    """A closed case was opened again."""

    event_type: ClassVar[str] = "CaseReopened"
    schema_version: ClassVar[int] = 1

    reason: PersonalText


class CaseLinkedAsDuplicate(Event):
    """This case duplicates another case of the same tenant; handling continues there."""

    event_type: ClassVar[str] = "CaseLinkedAsDuplicate"
    schema_version: ClassVar[int] = 1

    original_case_id: CaseId


class CaseClosed(Event):
    """The case ended; ``outcome`` is the judgement's when it was judged."""

    event_type: ClassVar[str] = "CaseClosed"
    schema_version: ClassVar[int] = 1

    resolution: Resolution
    outcome: Outcome | None = None
    summary: PersonalText | None = None

    @model_validator(mode="after")
    def _outcome_iff_judged(self) -> Self:
        invariants.outcome_iff_judged(self.resolution, self.outcome)
        return self
