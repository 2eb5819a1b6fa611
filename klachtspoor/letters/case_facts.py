"""The facts of a case a letter communicates, as the events recorded them: the admissibility decision and
its ground, a term's extension with its reason, the hearing, the judgement with its reasoning, the
measures, how the case ended. Folded by :mod:`klachtspoor.letters.state`; the letter's wording is in the
templates, these hold only what happened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from contracts.vocabulary import (
    AdmissibilityGround,
    ExternalBody,
    HearingForm,
    Judge,
    Outcome,
    Resolution,
    Role,
)


@dataclass(frozen=True, slots=True)
class AdmissibilityFacts:
    admissible: bool
    ground: AdmissibilityGround | None = None
    explanation: str | None = None
    may_turn_to: ExternalBody | None = None


@dataclass(frozen=True, slots=True)
class ExtensionFacts:
    previous_due_on: date
    new_due_on: date
    reason: str


@dataclass(frozen=True, slots=True)
class HearingFacts:
    scheduled_for: datetime
    form: HearingForm


@dataclass(frozen=True, slots=True)
class JudgementFacts:
    judge: Judge
    outcome: Outcome
    reasoning: str
    recommendations: tuple[str, ...]
    given_on: date


@dataclass(frozen=True, slots=True)
class MeasuresFacts:
    taken: bool
    measures: tuple[str, ...]
    implementation_due_on: date | None
    explanation: str | None


@dataclass(frozen=True, slots=True)
class ClosureFacts:
    resolution: Resolution
    outcome: Outcome | None


@dataclass(frozen=True, slots=True)
class ComplainedAboutFacts:
    """Whom the complaint is about: the role, and the person's own name for the letter addressed to
    them (never shown in a letter to anyone else)."""

    role: Role
    name: str | None = None
