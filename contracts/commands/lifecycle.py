"""Commands on the case as a whole."""

from __future__ import annotations

from typing import Self

from pydantic import model_validator

from contracts import invariants
from contracts.base import CaseId, Command
from contracts.personal import PersonalText
from contracts.vocabulary import Outcome, Resolution


class Withdraw(Command):
    reason: PersonalText | None = None


class Reopen(Command):
    reason: PersonalText


class LinkAsDuplicate(Command):
    original_case_id: CaseId


class Close(Command):
    resolution: Resolution
    outcome: Outcome | None = None
    summary: PersonalText | None = None

    @model_validator(mode="after")
    def _outcome_iff_judged(self) -> Self:
        invariants.outcome_iff_judged(self.resolution, self.outcome)
        return self
