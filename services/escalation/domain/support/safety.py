"""Safety before everything: a concern is recorded at once with the crisis route to show, and
confidentiality is lifted only with a recorded justification by an accountable person.

The crisis route follows the published crisis page of a youth protection organisation (SAVE
Jeugdbescherming and Veilig Thuis Utrecht): acute danger to life goes to 112; a situation at home that
threatens to get out of hand (domestic violence, child abuse) goes to Veilig Thuis, 0800-2000, for whoever
is no client and for a client of Veilig Thuis ("dan bel je altijd met het hoofdnummer"); the
organisation's own (youth protection) clients call the worker assigned to them in office hours
(08:30-17:00 on Dutch working days) and the out-of-hours number of their province otherwise.
:func:`crisis_route` is pure: the moment comes in as an argument, the one the concern was raised at
(``raised_at``, e.g. a call logged a few minutes later) or else the command's ``now``.

A broken rule raises the decider's :class:`~services.escalation.domain.errors.CommandRejected` with a
:class:`SafetyRule`: nothing is appended.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import assert_never

from contracts.commands import LiftConfidentiality
from contracts.events import AnyEvent, ConfidentialityLifted, SafetyConcernRaised
from contracts.policy import Availability, CrisisContact, OfficeHours, ProcedurePolicy, Province
from contracts.vocabulary import CrisisRoute, Role
from klachtspoor.calendar import NETHERLANDS, is_working_day
from services.escalation.domain.case.guards import require_not_erased
from services.escalation.domain.case.state import CaseState
from services.escalation.domain.commands import CrisisClient, DangerKind, RaiseSafetyConcernCommand
from services.escalation.domain.errors import CommandRejected


class SafetyRule(StrEnum):
    LIFT_NEEDS_JUSTIFICATION = "lift_needs_justification"
    LIFT_NEEDS_ACCOUNTABLE_ACTOR = "lift_needs_accountable_actor"
    """Confidentiality is lifted by a named professional, never by the system or an anonymous submitter."""
    CONCERN_UNKNOWN = "concern_unknown"
    CONCERN_BEFORE_CASE = "concern_before_case"
    """A concern's ``raised_at`` is not before the day the case's signal or complaint was received."""


EMERGENCY_112 = CrisisContact(kind=CrisisRoute.EMERGENCY_112, label="Alarmnummer 112", phone="112")
VEILIG_THUIS = CrisisContact(kind=CrisisRoute.VEILIG_THUIS, label="Veilig Thuis", phone="0800-2000")
"""The national numbers, used when a policy does not list its own contact of that kind."""


def in_office_hours(hours: OfficeHours, now: datetime) -> bool:
    """From ``opens`` up to, not including, ``closes`` in Dutch local time (at 17:00 the out-of-hours
    number takes over), on a Dutch working day when ``working_days_only`` (weekends, public holidays and
    the days equated by decree are out of hours)."""
    if now.tzinfo is None:
        raise ValueError(f"now must be timezone-aware, got {now.isoformat()}")
    local = now.astimezone(NETHERLANDS)
    if hours.working_days_only and not is_working_day(local.date()):
        return False
    return hours.opens <= local.time() < hours.closes


def available(contact: CrisisContact, now: datetime) -> bool:
    match contact.availability:
        case Availability.ALWAYS:
            return True
        case Availability.OFFICE_HOURS:
            return contact.office_hours is not None and in_office_hours(contact.office_hours, now)
        case Availability.OUTSIDE_OFFICE_HOURS:
            return contact.office_hours is not None and not in_office_hours(contact.office_hours, now)
        case _:
            assert_never(contact.availability)


def crisis_route(
    kind: DangerKind,
    province: Province | None,
    client_of: CrisisClient,
    now: datetime,
    contacts: Sequence[CrisisContact],
) -> CrisisContact:
    """The contact to show for a safety concern; there is always one.

    Acute danger: 112. A youth protection organisation's own client: the policy's assigned worker or
    out-of-hours line available at ``now`` for the client's province (a line without a province serves
    every province), also about domestic violence or abuse, because the published page sends only
    non-clients to Veilig Thuis and the worker knows the family. A client of Veilig Thuis: always the
    Veilig Thuis main number, at any hour. Everyone else, and an own client for whom the policy lists
    nothing available: Veilig Thuis, which answers day and night, so a crisis is never refused for a
    missing contact.
    """
    if kind is DangerKind.ACUTE_DANGER:
        return _first(contacts, CrisisRoute.EMERGENCY_112) or EMERGENCY_112
    if client_of is CrisisClient.ORGANISATION:
        own = [
            c
            for c in contacts
            if c.kind in (CrisisRoute.ASSIGNED_WORKER, CrisisRoute.OUT_OF_HOURS_LINE) and available(c, now)
        ]
        chosen = next((c for c in own if province is not None and c.province is province), None)
        chosen = chosen or next((c for c in own if c.province is None), None)
        if chosen is not None:
            return chosen
    return _first(contacts, CrisisRoute.VEILIG_THUIS) or VEILIG_THUIS


def route_of(command: RaiseSafetyConcernCommand, policy: ProcedurePolicy | None) -> CrisisContact:
    """The contact :func:`crisis_route` gives for ``command`` under the case's pinned ``policy`` (or the
    national numbers without one), at the moment the concern was raised."""
    contacts = policy.crisis_contacts if policy is not None else ()
    return crisis_route(command.danger, command.province, command.client_of, command.moment, contacts)


def _first(contacts: Sequence[CrisisContact], kind: CrisisRoute) -> CrisisContact | None:
    return next((c for c in contacts if c.kind is kind), None)


def raise_safety_concern(
    command: RaiseSafetyConcernCommand, state: CaseState, policy: ProcedurePolicy | None
) -> list[AnyEvent]:
    """Record the concern at once, with the route :func:`crisis_route` gives; the same concern twice is
    recorded once. Neither a closed case nor a missing policy stops it: danger does not wait. A
    ``raised_at`` before the day the case was received is refused. The caller shows the contact by calling
    :func:`route_of` with the same command and policy."""
    require_not_erased(state, command.case_id)
    if command.concern_id in state.support.concerns:
        return []
    received_on = state.received_on
    if command.raised_at is not None and received_on is not None:
        raised_on = command.raised_at.astimezone(NETHERLANDS).date()
        if raised_on < received_on:
            raise CommandRejected(
                SafetyRule.CONCERN_BEFORE_CASE,
                f"raised_at {raised_on.isoformat()} is before the case was received on "
                f"{received_on.isoformat()} (Case: {command.case_id})",
            )
    contact = route_of(command, policy)
    return [
        SafetyConcernRaised(
            concern_id=command.concern_id,
            crisis_route=contact.kind,
            immediate_danger=command.danger is DangerKind.ACUTE_DANGER,
            description=command.description,
            raised_at=command.raised_at,
        )
    ]


ACCOUNTABLE_ROLES = frozenset(
    {
        Role.CARE_WORKER,
        Role.MANAGER,
        Role.CONFIDANT,
        Role.COMPLAINTS_OFFICER,
        Role.DIRECTOR,
        Role.COMPLAINTS_COMMITTEE,
        Role.MUNICIPAL_GENERALIST,
        Role.OFFICE_MANAGER,
    }
)
"""Who may lift confidentiality: professionals who answer for it, not complainants, auditors or the system."""


def lift_confidentiality(command: LiftConfidentiality, state: CaseState) -> list[AnyEvent]:
    """Share what was told in confidence because of danger: only with a justification, by a named
    professional, about a concern recorded on this case when one is named."""
    if not command.justification.strip():
        raise CommandRejected(
            SafetyRule.LIFT_NEEDS_JUSTIFICATION,
            f"justification is blank (Case: {command.case_id}, Actor: {command.actor.id})",
        )
    if command.actor.role not in ACCOUNTABLE_ROLES or command.actor.id == "anonymous":
        raise CommandRejected(
            SafetyRule.LIFT_NEEDS_ACCOUNTABLE_ACTOR,
            f"actor {command.actor.id} with role {command.actor.role.value} may not lift confidentiality "
            f"(Case: {command.case_id})",
        )
    if command.concern_id is not None and command.concern_id not in state.support.concerns:
        raise CommandRejected(
            SafetyRule.CONCERN_UNKNOWN,
            f"no safety concern {command.concern_id} was raised on case {command.case_id}",
        )
    require_not_erased(state, command.case_id)
    return [
        ConfidentialityLifted(
            ground=command.ground,
            disclosed_to=command.disclosed_to,
            discussed_with_client=command.discussed_with_client,
            justification=command.justification,
            concern_id=command.concern_id,
        )
    ]
