"""Cross-field rules shared by an event and its command, so a bad command is refused with the same
message the event would give (the API answers 422 instead of the decider failing later)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import date
from uuid import UUID

from contracts.values import Complainant
from contracts.vocabulary import (
    AdmissibilityGround,
    ErasureReason,
    EscalationStep,
    HearingParty,
    Outcome,
    Resolution,
)


def anonymous_has_no_identity(anonymous: bool, complainant: Complainant | None) -> None:
    if anonymous and complainant is not None and complainant.identified:
        raise ValueError("an anonymous submission carries no name, e-mail, phone or address")


def distinct(values: Sequence[Hashable], field: str) -> None:
    if len(set(values)) != len(values):
        raise ValueError(f"{field} names a value more than once")


def anonymous_has_no_name(anonymous: bool, name: str | None) -> None:
    if anonymous and name is not None:
        raise ValueError("an anonymous contact carries no client_name")


def informal_step(step: EscalationStep) -> None:
    if step.is_formal:
        raise ValueError(f"step {step.value} is formal; record a judgement instead")


def ground_iff_inadmissible(admissible: bool, ground: AdmissibilityGround | None) -> None:
    if admissible and ground is not None:
        raise ValueError("an admissible complaint has no inadmissibility ground")
    if not admissible and ground is None:
        raise ValueError("an inadmissible complaint needs a ground")


def measures_iff_taken(taken: bool, measures: tuple[str, ...], due_on: date | None) -> None:
    if taken and (not measures or due_on is None):
        raise ValueError("measures taken need at least one measure and an implementation_due_on date")
    if not taken and (measures or due_on is not None):
        raise ValueError("no measures taken: leave measures and implementation_due_on empty")


def heard_or_declined(heard: tuple[HearingParty, ...], declined: tuple[HearingParty, ...]) -> None:
    """A party at a hearing was heard or refused to be heard, not both."""
    both = sorted(party.value for party in set(heard) & set(declined))
    if both:
        raise ValueError(f"parties_heard and declined_to_be_heard both name {', '.join(both)}")


def outcome_iff_judged(resolution: Resolution, outcome: Outcome | None) -> None:
    if (resolution is Resolution.JUDGED) != (outcome is not None):
        raise ValueError("a judged case has an outcome, any other resolution has none")


def consent_or_override(consent_id: UUID | None, safety_override: bool) -> None:
    if consent_id is None and not safety_override:
        raise ValueError(
            "the confidant contacts the organisation only with a consent_id or a safety override"
        )


def later(previous: date, new: date) -> None:
    if new <= previous:
        raise ValueError(f"new_due_on {new} is not after previous_due_on {previous}")


def not_before(start: date, due: date) -> None:
    if due < start:
        raise ValueError(f"due_on {due} is before started_on {start}")


def reference_only_for_a_request(reason: ErasureReason, reference: str | None) -> None:
    if reason is not ErasureReason.ERASURE_REQUEST and reference is not None:
        raise ValueError("only an erasure_request names a request_reference")
