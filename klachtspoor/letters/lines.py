"""What a template may state about a case beyond its terms, as ready Dutch values: the organisation's
letterhead, the admissibility decision and its ground, an extension and its reason, the hearing, the
judgement and its reasoning, the measures, the routes onwards with their terms, how the case ended.

Built by :mod:`klachtspoor.letters.facts` from the case's own events and pinned policy; the templates hold
only the wording around them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from contracts.vocabulary import DeadlineKind


@dataclass(frozen=True, slots=True)
class Letterhead:
    """The organisation's own published facts (``config/tenants.yaml``): never a person's."""

    name: str
    address: tuple[str, ...] = ()
    phone: str | None = None
    email: str | None = None
    website: str | None = None

    def contact_lines(self) -> tuple[str, ...]:
        return tuple(
            line
            for line in (
                f"Telefoon {self.phone}" if self.phone else None,
                f"E-mail {self.email}" if self.email else None,
                self.website,
            )
            if line
        )


@dataclass(frozen=True, slots=True)
class AdmissibilityLine:
    admissible: bool
    ground: str | None = None
    """The Dutch label of the ground (``contracts.labels``) when the complaint is not handled."""
    explanation: str | None = None
    may_turn_to: str | None = None
    """The body the complainant can go to instead (the Awb's ombudsman), by its Dutch name."""


@dataclass(frozen=True, slots=True)
class ExtensionLine:
    kind: DeadlineKind
    previous_due_on: date
    new_due_on: date
    reason: str


@dataclass(frozen=True, slots=True)
class HearingLine:
    on: date
    at: str
    """The local time, as ``14.30 uur``."""
    oral: bool


@dataclass(frozen=True, slots=True)
class JudgementLine:
    judge: str
    """Who judged, as the letter names them (``de klachtencommissie``, ``de directeur``)."""
    outcome: str
    """gegrond, deels gegrond, ongegrond."""
    reasoning: str
    recommendations: tuple[str, ...]
    given_on: date


@dataclass(frozen=True, slots=True)
class MeasuresLine:
    taken: bool
    measures: tuple[str, ...]
    implementation_due_on: date | None
    explanation: str | None


@dataclass(frozen=True, slots=True)
class RouteLine:
    """Where the complainant can go next, and the term for it: a date when the case's own term runs,
    else the policy's term as the procedure words it, else none (the procedure names no term)."""

    body: str
    """Which body (an ``ExternalBody`` value, or ``complaints_committee`` for the procedure's own next
    step): the template ``_routes.j2`` says what it does."""
    name: str
    due_on: date | None = None
    within: str | None = None
    website: str | None = None


@dataclass(frozen=True, slots=True)
class ClosureLine:
    resolution: str
    outcome: str | None = None
