"""Opening a case: allocate its reference, decide, append the case's first events in one append.

The order makes retries safe. The case id comes from the Idempotency-Key (or is new), the reference is
allocated by case id (a retry gets the same one), the event ids derive from the case id, and the append
expects no stream: a retry that finds the case open decides nothing, one that races the first append is
an idempotent retry in the store. A crash at any point leaves either nothing, a reference without a
case (a retry with the key completes it), or the whole case.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from contracts.base import Actor
from contracts.envelope import Envelope
from contracts.events.intake import SignalReceived
from klachtspoor.cases import CaseRepository, LoadedCase, decide_and_append
from klachtspoor.codec import make_envelope
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.telemetry import current_traceparent
from klachtspoor.tenants import Tenant
from services.intake.adapters.references import ReferenceAllocator
from services.intake.domain.commands import OpenCase, PolicyPin
from services.intake.domain.decider import decide, fold
from services.intake.domain.rules import case_id_for_key, derived_id, format_reference, registration_year

PolicyLookup = Callable[[Tenant], PolicyPin | None]
"""The current version of the tenant's procedure policy, pinned on every new case (None: no policy)."""


def no_policies(tenant: Tenant) -> PolicyPin | None:
    """No policies loaded (the bootstrap wires `latest_policy_pins`): a tenant naming one cannot be served."""
    if tenant.policy is not None:
        raise LookupError(f"Tenant {tenant.slug} names policy {tenant.policy!r} but no policies are loaded")
    return None


@dataclass(frozen=True, slots=True)
class Submission:
    """A validated signal, as the HTTP entrypoint turned it into intake's terms."""

    tenant: Tenant
    actor: Actor
    signal: SignalReceived
    request_hash: str
    idempotency_key: str | None
    now: datetime


@dataclass(frozen=True, slots=True)
class OpenedCase:
    case_id: UUID
    reference: str
    replayed: bool
    """True when an earlier submission with the same Idempotency-Key already opened this case."""


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before for another submission (other body or other submitter)."""

    def __init__(self, tenant: str, key: str, case_id: UUID) -> None:
        self.tenant, self.key, self.case_id = tenant, key, case_id
        super().__init__(
            f"Idempotency-Key {key!r} of tenant {tenant} was first used for another request (case {case_id})"
        )


class IntakeService:
    def __init__(
        self,
        repository: CaseRepository,
        references: ReferenceAllocator,
        *,
        policies: PolicyLookup = no_policies,
        new_case_id: Callable[[], UUID] = uuid4,
    ) -> None:
        self.repository, self.references = repository, references
        self.policies, self.new_case_id = policies, new_case_id

    async def open_case(self, submission: Submission) -> OpenedCase:
        tenant = submission.tenant.slug
        key = submission.idempotency_key
        case_id = case_id_for_key(tenant, key) if key is not None else self.new_case_id()
        allocation = await self.references.allocate(
            tenant, case_id, registration_year(submission.now), submission.request_hash
        )
        if allocation.request_hash != submission.request_hash:
            raise IdempotencyConflict(tenant, key or "", case_id)
        command = OpenCase(
            command_id=derived_id(case_id, "open-case"),
            tenant=tenant,
            case_id=case_id,
            actor=submission.actor,
            now=submission.now,
            signal=submission.signal,
            reference=format_reference(allocation.year, allocation.number),
            policy=self.policies(submission.tenant),
        )
        stream = case_stream(tenant, str(case_id))
        traceparent = current_traceparent()

        def decision(case: LoadedCase) -> Sequence[Envelope]:
            state = fold(tuple(envelope.event for envelope in case.events))
            return [
                make_envelope(
                    event,
                    event_id=derived_id(case_id, f"open-case/{event.event_type}"),
                    tenant=tenant,
                    stream=stream,
                    case_id=case_id,
                    actor=command.actor,
                    occurred_at=command.now,
                    correlation_id=command.command_id,
                    causation_id=command.command_id,
                    traceparent=traceparent,
                )
                for event in decide(command, state)
            ]

        await decide_and_append(self.repository, stream, decision)
        return OpenedCase(case_id, command.reference, replayed=not allocation.created)
