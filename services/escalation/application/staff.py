"""Runs a staff command against its case: load, fold, look up the pinned policy, decide, append.

Ids: the command's ``command_id`` is the cause of everything it decides (``causation_id`` and
``correlation_id`` of each envelope) and every event id derives from it (``domain/ids.py``). A request
retried with the same ``Idempotency-Key`` carries the same command id, so the workflow finds its earlier
events in the case and appends nothing: it answers with what was appended then (a replay). To tell a retry
from another request that reused the key, the command is decided once more on the case as it stood before
those events, at the time they were recorded; a different outcome is :class:`IdempotencyKeyReused`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypeAlias
from uuid import UUID

from contracts.envelope import Envelope
from contracts.events import AnyEvent
from contracts.policy import ProcedurePolicy
from klachtspoor.cases import CaseRepository, LoadedCase, decide_and_append
from klachtspoor.codec import make_envelope
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.telemetry import current_traceparent
from services.escalation.adapters.policies import PinnedPolicies
from services.escalation.domain import (
    CommandRejected,
    DossierCommand,
    ErasureCommand,
    LifecycleCommand,
    Rule,
    SupportCommand,
    decide,
    event_id,
    fold,
)

StaffCommand: TypeAlias = LifecycleCommand | SupportCommand | DossierCommand
"""What staff (and confidants) send over HTTP, and the complainant through the dossier: every command of the
decider except the bus reactions and the erasures."""


@dataclass(frozen=True, slots=True)
class StaffDecision:
    """What a staff command decided (on a replay: what it decided the first time). ``version`` is the
    case's version after it (on a replay: the version of its last earlier event); ``appended`` the types
    of the events it appended (empty: nothing to decide); ``decided_at`` and ``policy`` what it was
    decided with (on a replay: the time it was first decided)."""

    command_id: UUID
    appended: tuple[str, ...]
    version: int
    replayed: bool
    decided_at: datetime
    policy: ProcedurePolicy | None


class CaseNotFound(LookupError):
    """No stream for this case in this tenant (another tenant's case is not found either)."""

    def __init__(self, tenant: str, case_id: UUID) -> None:
        self.tenant, self.case_id = tenant, case_id
        super().__init__(f"No case {case_id} in tenant {tenant}")


class IdempotencyKeyReused(ValueError):
    """The command id (from an Idempotency-Key) was used before for a command that decided otherwise."""

    def __init__(self, command_id: UUID, stream: str) -> None:
        self.command_id = command_id
        super().__init__(
            f"Command {command_id} was handled before with another request (Stream: {stream}); "
            "use a new Idempotency-Key"
        )


class StaffWorkflow:
    def __init__(self, repository: CaseRepository, policies: PinnedPolicies, *, attempts: int = 8) -> None:
        self.repository, self.policies, self.attempts = repository, policies, attempts

    async def handle(self, command: StaffCommand) -> StaffDecision:
        """Raises :class:`CaseNotFound`, :class:`IdempotencyKeyReused`, the decider's
        :class:`CommandRejected` (``case_erased`` for an erased case, before any replay) and
        :class:`~services.escalation.adapters.policies.PinnedPolicyMissing`."""
        stream = case_stream(command.tenant, str(command.case_id))
        handled: list[StaffDecision] = []

        def decision(case: LoadedCase) -> Sequence[Envelope]:
            if case.version is None:
                raise CaseNotFound(command.tenant, command.case_id)
            state = fold(envelope.event for envelope in case.events)
            if state.erased:
                raise CommandRejected(
                    Rule.CASE_ERASED, f"case {command.case_id} was erased and takes no commands"
                )
            policy = self.policies.of(state, command.case_id)
            earlier = [
                i for i, envelope in enumerate(case.events) if envelope.causation_id == command.command_id
            ]
            if earlier:
                first = case.events[earlier[0]]
                self._check_replay(command, case, earlier)
                types = tuple(case.events[i].type for i in earlier)
                handled[:] = [
                    StaffDecision(command.command_id, types, earlier[-1], True, first.occurred_at, policy)
                ]
                return []
            envelopes = [command_envelope(command, stream, event) for event in decide(command, state, policy)]
            types = tuple(envelope.type for envelope in envelopes)
            handled[:] = [StaffDecision(command.command_id, types, case.version, False, command.now, policy)]
            return envelopes

        result = await decide_and_append(self.repository, stream, decision, attempts=self.attempts)
        outcome = handled[0]
        return outcome if result is None else replace(outcome, version=result.version)

    def _check_replay(self, command: StaffCommand, case: LoadedCase, earlier: list[int]) -> None:
        """The same request decides the same events on the case as it was, at the time it was handled."""
        before = fold(envelope.event for envelope in case.events[: earlier[0]])
        then = command.model_copy(update={"now": case.events[earlier[0]].occurred_at})
        recorded = [case.events[i].event for i in earlier]
        try:
            again = decide(then, before, self.policies.of(before, command.case_id))
        except CommandRejected as rejected:
            raise IdempotencyKeyReused(command.command_id, case.stream) from rejected
        if again != recorded:
            raise IdempotencyKeyReused(command.command_id, case.stream)


def command_envelope(command: StaffCommand | ErasureCommand, stream: str, event: AnyEvent) -> Envelope:
    """A decided event in its envelope: the id from the command's id, the command's actor and time, the
    command as correlation and cause (staff commands and erasures alike)."""
    return make_envelope(
        event,
        event_id=event_id(command.command_id, event),
        tenant=command.tenant,
        stream=stream,
        case_id=command.case_id,
        actor=command.actor,
        occurred_at=command.now,
        correlation_id=command.command_id,
        causation_id=command.command_id,
        traceparent=current_traceparent(),
    )
