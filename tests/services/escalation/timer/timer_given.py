"""Helpers of the timer tests: cases with running terms in the real store, the index projection running,
a clock the test moves, and counting what the timer appended."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import asyncpg

from contracts.base import Actor
from contracts.events import AnyEvent, ProcedurePolicyPinned, SignalReceived, TermStarted
from contracts.values import Complainant, Term
from contracts.vocabulary import (
    Channel,
    ComplainantCapacity,
    DeadlineKind,
    NotificationChannel,
    Role,
    TermUnit,
)
from klachtspoor.calendar import add_term
from klachtspoor.cases import CaseRepository
from klachtspoor.codec import make_envelope
from klachtspoor.eventstore.port import AppendResult, EventStore, StreamState
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.policies import PolicyRegistry
from klachtspoor.subscriptions import SubscriptionRunner
from services.escalation.adapters.schema import apply_schema
from services.escalation.adapters.timer_index import IndexedDue, index_rows, timer_index_projection
from services.escalation.application.pending_erasures import PendingErasures
from services.escalation.application.timer import DeadlineTimer

REPO = Path(__file__).resolve().parents[4]
STAFF = Actor(id="kf-0001", role=Role.COMPLAINTS_OFFICER)
RECEIVED = date(2026, 3, 5)  # a Thursday
TWO_WORKING_DAYS = Term(amount=2, unit=TermUnit.WORKING_DAYS)
FIRST_CONTACT = DeadlineKind.FIRST_CONTACT
FIRST_CONTACT_DUE = date(2026, 3, 9)  # Monday: Friday and Monday are the two working days
FIRST_CONTACT_WARNING = date(2026, 3, 6)


def policies() -> PolicyRegistry:
    return PolicyRegistry.from_directory(REPO / "policies")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class Clock:
    """The injected clock: stands still until the test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True)
class Case:
    tenant: str
    case_id: UUID
    stream: str


def signal(received_on: date = RECEIVED) -> SignalReceived:
    return SignalReceived(
        channel=Channel.WEB_FORM,
        received_on=received_on,
        complainant=Complainant(
            capacity=ComplainantCapacity.LEGAL_REPRESENTATIVE,
            name="Voorbeeld Ouder",
            email="ouder@example.org",
            preferred_channel=NotificationChannel.EMAIL,
        ),
        description="Niemand belt terug.",
    )


def started(
    kind: DeadlineKind = FIRST_CONTACT, on: date = RECEIVED, term: Term = TWO_WORKING_DAYS
) -> TermStarted:
    return TermStarted(deadline=kind, started_on=on, term=term, due_on=add_term(on, term).on)


async def append(repository: CaseRepository, case: Case, *events: AnyEvent) -> AppendResult:
    envelopes = [
        make_envelope(
            event,
            event_id=uuid4(),
            tenant=case.tenant,
            stream=case.stream,
            case_id=case.case_id,
            actor=STAFF,
            occurred_at=at(RECEIVED),
            correlation_id=case.case_id,
        )
        for event in events
    ]
    return await repository.append(case.stream, envelopes, StreamState.ANY)


async def open_case(repository: CaseRepository, tenant: str, *events: AnyEvent) -> tuple[Case, AppendResult]:
    """A signal on a case pinned to the demo procedure, then ``events`` (by default a first-contact term)."""
    case_id = uuid4()
    case = Case(tenant, case_id, case_stream(tenant, str(case_id)))
    pinned = ProcedurePolicyPinned(policy_id="demo", policy_version=1)
    result = await append(repository, case, signal(), pinned, *(events or (started(),)))
    return case, result


class Index:
    """The due-date index projection, running in a task of the test."""

    def __init__(self, store: EventStore, database_url: str, registry: PolicyRegistry) -> None:
        self.store, self.database_url, self.registry = store, database_url, registry
        self.runner = SubscriptionRunner(
            store, database_url, timer_index_projection(store, registry), retry_poll_interval=0.1
        )

    async def caught_up(self, result: AppendResult) -> None:
        await asyncio.wait_for(self.runner.wait_until(result.position), 30)

    async def caught_up_with(self, stream: str) -> None:
        """Wait until the index has handled the stream's last event."""
        last = await self.store.read_stream(stream, backwards=True, limit=1)
        await asyncio.wait_for(self.runner.wait_until(last[0].position), 30)

    async def rows(self) -> list[IndexedDue]:
        conn = await asyncpg.connect(self.database_url)
        try:
            return await index_rows(conn)
        finally:
            await conn.close()


@asynccontextmanager
async def running_index(
    store: EventStore, database_url: str, registry: PolicyRegistry
) -> AsyncIterator[Index]:
    conn = await asyncpg.connect(database_url)
    try:
        await apply_schema(conn)
    finally:
        await conn.close()
    index = Index(store, database_url, registry)
    task = asyncio.create_task(index.runner.run())
    try:
        yield index
    finally:
        index.runner.stop()
        await asyncio.wait_for(task, 30)


def timer(
    repository: CaseRepository,
    database_url: str,
    registry: PolicyRegistry,
    clock: Clock,
    pending: PendingErasures,
) -> DeadlineTimer:
    return DeadlineTimer(repository, database_url, registry, clock, pending, interval=0.05, page=3)


async def timer_events(repository: CaseRepository, stream: str) -> list[tuple[str, DeadlineKind, date]]:
    """The warnings and breaches on a case: (type, term, due date), in stream order."""
    case = await repository.load(stream)
    return [
        (envelope.type, envelope.event.deadline, envelope.event.due_on)  # type: ignore[union-attr]
        for envelope in case.events
        if envelope.type in ("DeadlineWarningReached", "DeadlineBreached")
    ]


def both(kind: DeadlineKind, due_on: date) -> list[tuple[str, DeadlineKind, date]]:
    return [("DeadlineWarningReached", kind, due_on), ("DeadlineBreached", kind, due_on)]


def day_after(day: date) -> date:
    return day + timedelta(days=1)


def streams(rows: Sequence[IndexedDue]) -> set[str]:
    return {row.stream for row in rows}
