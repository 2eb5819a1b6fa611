"""The workflow on the PostgreSQL event store: conflicts with a concurrent writer are decided again."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from uuid import uuid4

import pytest
from escalation_helpers import INTAKE, NOW, open_case

from contracts.envelope import Envelope
from contracts.events import InformalConversationHeld
from contracts.vocabulary import ConversationResult, EscalationStep
from klachtspoor.cases import CaseRepository, ConcurrencyExhausted
from klachtspoor.codec import make_envelope
from klachtspoor.eventstore.errors import WrongExpectedVersion
from klachtspoor.eventstore.port import AppendResult, ExpectedVersion, StreamState
from klachtspoor.policies import PolicyRegistry
from services.escalation.adapters.policies import PinnedPolicies
from services.escalation.application.cases import CaseWorkflow
from services.escalation.domain import AcknowledgeSignal


class ConcurrentWriter(CaseRepository):
    """Before each of our first ``times`` appends, another writer appends to the same stream."""

    def __init__(self, inner: CaseRepository, times: int) -> None:
        super().__init__(inner.store, inner.codec)
        self.times, self.conflicts = times, 0

    async def append(
        self, stream: str, envelopes: Sequence[Envelope], expected: ExpectedVersion
    ) -> AppendResult:
        if self.times > 0:
            self.times -= 1
            await super().append(stream, [self._other(stream, envelopes[0])], StreamState.ANY)
        try:
            return await super().append(stream, envelopes, expected)
        except WrongExpectedVersion:
            self.conflicts += 1
            raise

    @staticmethod
    def _other(stream: str, ours: Envelope) -> Envelope:
        return make_envelope(
            InformalConversationHeld(
                step=EscalationStep.CARE_WORKER, held_on=NOW.date(), result=ConversationResult.UNRESOLVED
            ),
            event_id=uuid4(),
            tenant=ours.tenant,
            stream=stream,
            case_id=ours.case_id,
            actor=INTAKE,
            occurred_at=NOW,
            correlation_id=ours.correlation_id,
        )


POLICIES = PinnedPolicies(PolicyRegistry.from_directory(Path(__file__).resolve().parents[3] / "policies"))


def command(case_id: object, tenant: str, cause: object) -> AcknowledgeSignal:
    return AcknowledgeSignal.model_validate(
        {
            "tenant": tenant,
            "case_id": case_id,
            "causation_event_id": cause,
            "correlation_id": case_id,
            "now": NOW,
        }
    )


async def test_a_concurrent_writer_conflict_is_retried_on_fresh_state(
    repository: CaseRepository, tenant: str
) -> None:
    case = await open_case(repository, tenant)
    racing = ConcurrentWriter(repository, times=2)

    outcome = await CaseWorkflow(racing, POLICIES).handle(command(case.case_id, tenant, case.signal.event_id))

    assert racing.conflicts == 2
    assert outcome.appended == ("NotificationRequested",)
    assert outcome.result is not None and outcome.result.version == 4
    loaded = await repository.load(case.stream)
    assert [e.type for e in loaded.events] == [
        "SignalReceived",
        "CaseReferenceAssigned",
        "InformalConversationHeld",
        "InformalConversationHeld",
        "NotificationRequested",
    ]


async def test_handling_the_same_command_twice_appends_once(repository: CaseRepository, tenant: str) -> None:
    case = await open_case(repository, tenant)
    workflow = CaseWorkflow(repository, POLICIES)
    cmd = command(case.case_id, tenant, case.signal.event_id)

    first, second = await workflow.handle(cmd), await workflow.handle(cmd)

    assert first.appended == ("NotificationRequested",)
    assert second.appended == () and second.result is None
    assert len((await repository.load(case.stream)).events) == 3


async def test_endless_conflicts_give_up_with_the_stream_named(
    repository: CaseRepository, tenant: str
) -> None:
    case = await open_case(repository, tenant)
    racing = ConcurrentWriter(repository, times=100)

    with pytest.raises(ConcurrencyExhausted, match=case.stream):
        await CaseWorkflow(racing, POLICIES, attempts=3).handle(
            command(case.case_id, tenant, case.signal.event_id)
        )
    assert racing.conflicts == 3
