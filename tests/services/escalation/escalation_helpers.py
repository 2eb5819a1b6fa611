"""Helpers of the escalation tests: case events to start from, waiting for the consumer, a workflow spy."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from fastapi import FastAPI

from contracts.base import Actor
from contracts.envelope import Envelope
from contracts.events import AnyEvent, CaseReferenceAssigned, ProcedurePolicyPinned, SignalReceived
from contracts.values import Complainant
from contracts.vocabulary import Channel, ComplainantCapacity, EscalationStep, NotificationChannel, Role
from klachtspoor.cases import CaseRepository, LoadedCase
from klachtspoor.codec import make_envelope
from klachtspoor.eventstore.port import StreamState
from klachtspoor.eventstore.streams import case_stream
from services.escalation.application.cases import Appended, CaseWorkflow
from services.escalation.bootstrap import Runtime
from services.escalation.domain import Command

NOW = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
THURSDAY = date(2026, 3, 5)
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
INTAKE = Actor(id="anonymous", role=Role.CLIENT)


@dataclass(frozen=True)
class OpenedCase:
    tenant: str
    case_id: UUID
    stream: str
    signal: Envelope


def signal_received(
    email: str | None = "ouder@example.org", raised_with: EscalationStep = EscalationStep.CARE_WORKER
) -> SignalReceived:
    return SignalReceived(
        channel=Channel.WEB_FORM,
        received_on=THURSDAY,
        raised_with=raised_with,
        complainant=Complainant(
            capacity=ComplainantCapacity.LEGAL_REPRESENTATIVE,
            name="Voorbeeld Ouder",
            email=email,
            preferred_channel=NotificationChannel.EMAIL,
        ),
        description="Niemand luistert naar mijn kind.",
    )


def intake_envelope(event: AnyEvent, tenant: str, case_id: UUID) -> Envelope:
    """``event`` as intake writes it into ``case_id``'s stream: by the anonymous client, at NOW, traced."""
    return make_envelope(
        event,
        event_id=uuid4(),
        tenant=tenant,
        stream=case_stream(tenant, str(case_id)),
        case_id=case_id,
        actor=INTAKE,
        occurred_at=NOW,
        correlation_id=case_id,
        traceparent=TRACEPARENT,
    )


async def open_case(
    repository: CaseRepository,
    tenant: str,
    signal: SignalReceived | None = None,
    policy: tuple[str, int] | None = None,
) -> OpenedCase:
    """What intake appends at a case's birth, in one append: the signal, the reference and (when given)
    the pinned policy."""
    case_id = uuid4()
    stream = case_stream(tenant, str(case_id))
    events: list[AnyEvent] = [signal or signal_received(), CaseReferenceAssigned(reference="KS-2026-000001")]
    if policy is not None:
        events.append(ProcedurePolicyPinned(policy_id=policy[0], policy_version=policy[1]))
    envelopes = [intake_envelope(event, tenant, case_id) for event in events]
    await repository.append(stream, envelopes, StreamState.NO_STREAM)
    return OpenedCase(tenant, case_id, stream, envelopes[0])


async def wait_for_events(
    repository: CaseRepository, stream: str, count: int, within: float = 30
) -> LoadedCase:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        case = await repository.load(stream)
        if len(case.events) >= count or loop.time() > deadline:
            return case
        await asyncio.sleep(0.05)


def runtime_of(app: FastAPI) -> Runtime:
    runtime = app.state.escalation
    assert isinstance(runtime, Runtime)
    return runtime


@dataclass
class WorkflowSpy:
    """Wraps the real workflow: records each outcome; ``fail_after`` raises after the first n handlings
    (after their append), ``fail_always`` before anything is appended."""

    inner: CaseWorkflow
    fail_after: int | None = None
    fail_always: bool = False
    outcomes: list[Appended] = field(default_factory=list)
    calls: int = 0
    settled: asyncio.Event = field(default_factory=asyncio.Event)
    expected_calls: int = 1

    async def handle(self, command: Command) -> Appended:
        self.calls += 1
        try:
            if self.fail_always:
                raise RuntimeError(f"handling failed on purpose (call {self.calls})")
            outcome = await self.inner.handle(command)
            self.outcomes.append(outcome)
            if self.fail_after is not None and self.calls <= self.fail_after:
                raise RuntimeError(f"crash after the append on purpose (call {self.calls})")
            return outcome
        finally:
            if self.calls >= self.expected_calls:
                self.settled.set()


def install_spy(app: FastAPI, **options: object) -> WorkflowSpy:
    consumer = runtime_of(app).current_consumer()
    spy = WorkflowSpy(consumer.workflow, **options)  # type: ignore[arg-type]
    consumer.workflow = spy  # type: ignore[assignment]
    return spy
