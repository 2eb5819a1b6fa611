"""Given for the erasure tests: the privacy officer's command, the workflow on PostgreSQL, an event store that
fails the first appends (as if the process died after shredding), and the case's erasure events."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from escalation_helpers import NOW

from contracts.base import Actor
from contracts.commands import ErasePersonalData
from contracts.envelope import Envelope
from contracts.events import PersonalDataErased
from contracts.vocabulary import ErasureReason, Role
from klachtspoor.bootstrap import Infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.eventstore.errors import StoreUnavailable
from klachtspoor.eventstore.port import AppendResult, ExpectedVersion
from klachtspoor.policies import PolicyRegistry
from services.escalation.adapters.policies import PinnedPolicies
from services.escalation.application.erasure import ErasureWorkflow
from services.escalation.application.pending_erasures import PendingErasures

POLICIES = PinnedPolicies(PolicyRegistry.from_directory(Path(__file__).resolve().parents[3] / "policies"))
OFFICER = Actor(id="fg-0001", role=Role.PRIVACY_OFFICER)


class FailingAppends(CaseRepository):
    """The store refuses the first ``times`` appends, as if the process died after shredding the key."""

    def __init__(self, inner: CaseRepository, times: int) -> None:
        super().__init__(inner.store, inner.codec)
        self.times = times

    async def append(
        self, stream: str, envelopes: Sequence[Envelope], expected: ExpectedVersion
    ) -> AppendResult:
        if self.times > 0:
            self.times -= 1
            raise StoreUnavailable("the event store went away (test)")
        return await super().append(stream, envelopes, expected)


def erase(tenant: str, case_id: UUID, command_id: UUID | None = None, **fields: Any) -> ErasePersonalData:
    return ErasePersonalData.model_validate(
        {
            "command_id": command_id or uuid4(),
            "tenant": tenant,
            "case_id": case_id,
            "actor": OFFICER,
            "now": NOW,
            "reason": ErasureReason.ERASURE_REQUEST,
        }
        | fields
    )


def workflow(
    repository: CaseRepository, infrastructure: Infrastructure, pending: PendingErasures
) -> ErasureWorkflow:
    return ErasureWorkflow(repository, infrastructure.codec.keyring, POLICIES, pending)


async def erased_events(repository: CaseRepository, stream: str) -> list[Envelope]:
    case = await repository.load(stream)
    return [envelope for envelope in case.events if isinstance(envelope.event, PersonalDataErased)]
