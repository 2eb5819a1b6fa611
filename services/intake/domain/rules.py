"""Pure rules of intake: the date a signal counts as received, whether the policy lets it open a case, case
references, deterministic ids.

Time always comes in as an argument; the Dutch calendar day of an instant is taken in Europe/Amsterdam,
because that is the day on the letter and the day terms start counting from.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID, uuid5

from contracts.events.intake import SignalReceived
from contracts.policy import ProcedurePolicy
from contracts.policy_rules import age_refusal, move_refusal
from klachtspoor.calendar import local_date, year_covered

REFERENCE_PREFIX = "KS"


class InvalidSignal(ValueError):
    """A submission breaks an intake rule; ``field`` names the request field, like a validation error,
    and ``rule`` names the rule, so a client (and the API contract test) can tell a rule that depends on
    the day or the calendar from a constraint the schema documents. The message never holds the value."""

    def __init__(self, field: str, rule: str, message: str) -> None:
        self.field, self.rule, self.message = field, rule, message
        super().__init__(f"{field}: {message} ({rule})")


def received_on(requested: date | None, now: datetime) -> date:
    """The day of receipt: the one given (a signal taken in by phone yesterday), else today.

    A day after today cannot be a receipt date: terms would start counting in the future. Nor can a day
    the working-day calendar does not cover: every term of the case counts from it, and escalation would
    refuse to compute them. The year after it must be covered too, since terms run on into it.
    """
    today = local_date(now)
    if requested is None:
        return today
    if requested > today:
        raise InvalidSignal("received_on", "not_after_today", f"is after today ({today.isoformat()})")
    if not (year_covered(requested.year) and year_covered(requested.year + 1)):
        raise InvalidSignal(
            "received_on", "within_calendar", "is outside the years the working-day calendar covers"
        )
    return requested


def check_signal(signal: SignalReceived, policy: ProcedurePolicy | None) -> None:
    """The signal may open a case under the tenant's policy: the step it was raised with is one a new case
    may start at (under ``one_by_one`` the first step, unless every step before it may be passed by, and
    a signal gives no reason to pass one), and a client raises it alone only from the policy's minimum age.

    The rules are the policy's own (:mod:`contracts.policy_rules`), the ones escalation applies to every
    later move and complaint, so the front door cannot open a case where the ladder would not let it go.
    """
    if policy is None:
        return
    refusal = move_refusal(policy, None, signal.raised_with, None)
    if refusal is not None:
        raise InvalidSignal("raised_with", refusal.rule.value, refusal.detail)
    complainant = signal.complainant
    refusal = age_refusal(policy, complainant.capacity, complainant.client_age_band)
    if refusal is not None:
        raise InvalidSignal("complainant.client_age_band", refusal.rule.value, refusal.detail)


def registration_year(now: datetime) -> int:
    """References count per year of registration (the register of complaints is kept per year)."""
    return local_date(now).year


def format_reference(year: int, number: int) -> str:
    """``KS-2026-000123``: the tenant's ``number``-th case registered in ``year``."""
    if number < 1:
        raise ValueError(f"reference numbers start at 1, got {number} (year {year})")
    return f"{REFERENCE_PREFIX}-{year}-{number:06d}"


def derived_id(case_id: UUID, purpose: str) -> UUID:
    """A deterministic id for something the opening of ``case_id`` produces (an event, the command)."""
    return uuid5(case_id, purpose)
