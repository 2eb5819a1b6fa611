"""The intake decider: ``decide(command, state) -> events`` and ``evolve(state, event) -> state``.

State holds only what intake decides on: whether the case is open and under which reference. Opening
an open case again decides nothing, so a retried or concurrent submission with the same case id appends
nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import assert_never
from uuid import UUID

from contracts.events import AnyEvent
from contracts.events.dossier import DossierSecretIssued
from contracts.events.intake import CaseReferenceAssigned, ProcedurePolicyPinned, SignalReceived
from services.intake.domain.commands import IntakeCommand, OpenCase
from services.intake.domain.rules import check_signal


@dataclass(frozen=True, slots=True)
class IntakeState:
    opened: bool = False
    reference: str | None = None


initial_state = IntakeState()


class CaseAlreadyOpen(Exception):
    """The case was opened under another reference: two submissions claim the same case id."""

    def __init__(self, case_id: UUID, existing: str | None, requested: str) -> None:
        self.case_id, self.existing, self.requested = case_id, existing, requested
        super().__init__(f"Case {case_id} is already open as {existing}; cannot open it again as {requested}")


def evolve(state: IntakeState, event: AnyEvent) -> IntakeState:
    match event:
        case SignalReceived():
            return replace(state, opened=True)
        case CaseReferenceAssigned(reference=reference):
            return replace(state, reference=reference)
        case _:
            return state


def fold(events: list[AnyEvent] | tuple[AnyEvent, ...]) -> IntakeState:
    state = initial_state
    for event in events:
        state = evolve(state, event)
    return state


def decide(command: IntakeCommand, state: IntakeState) -> list[AnyEvent]:
    match command:
        case OpenCase():
            return open_case(command, state)
        case _:
            assert_never(command)


def open_case(command: OpenCase, state: IntakeState) -> list[AnyEvent]:
    """The case's birth: the signal, its reference, (when the tenant has one) the pinned policy and (filed
    through the public way in) the hash of the dossier's secret. A
    signal the policy does not let open a case raises :class:`InvalidSignal` (``check_signal``)."""
    if state.opened:
        if state.reference == command.reference:
            return []
        raise CaseAlreadyOpen(command.case_id, state.reference, command.reference)
    check_signal(command.signal, command.policy)
    events: list[AnyEvent] = [command.signal, CaseReferenceAssigned(reference=command.reference)]
    if command.policy is not None:
        events.append(
            ProcedurePolicyPinned(policy_id=command.policy.id, policy_version=command.policy.version)
        )
    if command.dossier_secret_hash is not None:
        events.append(DossierSecretIssued(secret_hash=command.dossier_secret_hash))
    return events
