"""The escalation consumer on real PostgreSQL and NATS JetStream, with the real relay in-process."""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import uuid4, uuid5

import asyncpg
import pytest
from escalation_helpers import (
    NOW,
    TRACEPARENT,
    install_spy,
    open_case,
    signal_received,
    wait_for_events,
)
from fastapi import FastAPI
from faststream.nats import NatsBroker
from nats.js import JetStreamContext

from contracts.events import NotificationRequested, TermStarted
from contracts.values import Term
from contracts.vocabulary import (
    DeadlineKind,
    EscalationStep,
    NotificationChannel,
    NotificationKind,
    Recipient,
    Role,
    TermUnit,
)
from klachtspoor.cases import CaseRepository
from klachtspoor.relay import STREAM_NAME, Relay, RelayedEvent
from klachtspoor.subscriptions import ParkedEvent, RetryOutcome, list_parked, request_retry, wait_for_retry


async def test_a_signal_gets_exactly_one_acknowledgement_and_the_first_contact_term_its_policy_sets(
    app: FastAPI, relay: Relay, repository: CaseRepository, tenant: str
) -> None:
    """Ik ben er ook!'s committee makes first contact "binnen twee werkdagen": a signal raised with it
    starts that term (the policy's, counted from its receipt)."""
    spy = install_spy(app)
    signal = signal_received(raised_with=EscalationStep.COMPLAINTS_COMMITTEE)
    case = await open_case(repository, tenant, signal, policy=("ik-ben-er-ook", 1))

    loaded = await wait_for_events(repository, case.stream, 5)
    await asyncio.wait_for(spy.settled.wait(), 30)

    assert [e.type for e in loaded.events] == [
        "SignalReceived",
        "CaseReferenceAssigned",
        "ProcedurePolicyPinned",
        "TermStarted",
        "NotificationRequested",
    ]
    signal_id = case.signal.event_id
    term, request = loaded.events[3], loaded.events[4]
    # Received Thursday 5 March 2026: the two working days are Friday 6 and Monday 9 March.
    assert term.event == TermStarted(
        deadline=DeadlineKind.FIRST_CONTACT,
        started_on=date(2026, 3, 5),
        term=Term(amount=2, unit=TermUnit.WORKING_DAYS),
        due_on=date(2026, 3, 9),
    )
    assert request.event == NotificationRequested(
        notification_id=uuid5(signal_id, "notification:acknowledgement"),
        kind=NotificationKind.ACKNOWLEDGEMENT,
        recipient=Recipient.COMPLAINANT,
        channel=NotificationChannel.EMAIL,
    )
    for envelope in (term, request):
        assert envelope.causation_id == signal_id
        assert envelope.correlation_id == case.case_id
        assert envelope.actor.id == "escalation" and envelope.actor.role is Role.SYSTEM
        assert envelope.occurred_at == NOW
        # The trace continues from the signal's traceparent (carried by the relay in the header).
        assert envelope.traceparent is not None
        assert envelope.traceparent.split("-")[1] == TRACEPARENT.split("-")[1]
        assert envelope.traceparent != TRACEPARENT
    assert term.event_id == uuid5(signal_id, "event:TermStarted:first_contact")
    assert [o.appended for o in spy.outcomes] == [("TermStarted", "NotificationRequested")]


@pytest.mark.parametrize(
    "policy", [("so-trainingsbureau", 1), ("save-veilig-thuis-utrecht", 1), ("ik-ben-er-ook", 1), None]
)
async def test_a_signal_whose_policy_sets_no_first_contact_term_here_starts_none(
    app: FastAPI, relay: Relay, repository: CaseRepository, tenant: str, policy: tuple[str, int] | None
) -> None:
    """Raised with the care worker: none of these procedures promises a first contact there (Ik ben er
    ook!'s two working days are its committee's), and a case without a policy promises nothing."""
    spy = install_spy(app)
    case = await open_case(repository, tenant, policy=policy)
    await asyncio.wait_for(spy.settled.wait(), 30)

    loaded = await repository.load(case.stream)
    assert [e.type for e in loaded.events][-1] == "NotificationRequested"
    assert "TermStarted" not in [e.type for e in loaded.events]
    assert [o.appended for o in spy.outcomes] == [("NotificationRequested",)]


async def test_a_redelivered_message_appends_nothing(
    app: FastAPI, relay: Relay, repository: CaseRepository, tenant: str, js: JetStreamContext
) -> None:
    """The first handling appends and then fails before the ack: JetStream delivers the message again."""
    spy = install_spy(app, fail_after=1, expected_calls=2)
    case = await open_case(repository, tenant)

    await asyncio.wait_for(spy.settled.wait(), 30)
    await _wait_until_acknowledged(js, f"escalation-{tenant}")

    loaded = await repository.load(case.stream)
    assert [e.type for e in loaded.events].count("NotificationRequested") == 1
    assert len(loaded.events) == 3
    assert [o.appended for o in spy.outcomes] == [("NotificationRequested",), ()]


async def test_a_republished_event_appends_nothing(
    app: FastAPI,
    relay: Relay,
    repository: CaseRepository,
    broker: NatsBroker,
    tenant: str,
    js: JetStreamContext,
) -> None:
    """The same event published again (e.g. a relay restart after the duplicate window) is a no-op."""
    spy = install_spy(app, expected_calls=2)
    case = await open_case(repository, tenant)
    await wait_for_events(repository, case.stream, 3)
    [stored] = await repository.store.read_stream(case.stream, limit=1)

    await broker.publish(
        RelayedEvent.of(stored),
        f"klachtspoor.{tenant}.SignalReceived",
        headers={"Nats-Msg-Id": str(uuid4())},
        stream=STREAM_NAME,
    )
    await asyncio.wait_for(spy.settled.wait(), 30)
    await _wait_until_acknowledged(js, f"escalation-{tenant}")

    assert len((await repository.load(case.stream)).events) == 3
    assert [o.appended for o in spy.outcomes] == [("NotificationRequested",), ()]


async def test_a_poison_event_is_parked_and_does_not_block_the_next(
    app: FastAPI,
    relay: Relay,
    repository: CaseRepository,
    broker: NatsBroker,
    tenant: str,
    database_url: str,
) -> None:
    case = await open_case(repository, tenant)
    await wait_for_events(repository, case.stream, 3)
    [stored] = await repository.store.read_stream(case.stream, limit=1)
    poison = RelayedEvent.of(stored).model_copy(update={"event_id": uuid4(), "metadata": {}})

    await broker.publish(
        poison,
        f"klachtspoor.{tenant}.SignalReceived",
        headers={"Nats-Msg-Id": str(poison.event_id)},
        stream=STREAM_NAME,
    )
    second = await open_case(repository, tenant)
    loaded = await wait_for_events(repository, second.stream, 3)
    assert [e.type for e in loaded.events] == [
        "SignalReceived",
        "CaseReferenceAssigned",
        "NotificationRequested",
    ]

    parked = await _wait_for_parked(database_url, f"escalation-{tenant}")
    assert [(p.event_id, p.attempts) for p in parked] == [(poison.event_id, 3)]
    assert "case_id" in parked[0].error and parked[0].error_type.endswith("UnexpectedEvent")


async def test_a_parked_event_is_handled_again_when_a_retry_is_requested(
    app: FastAPI, relay: Relay, repository: CaseRepository, tenant: str, database_url: str
) -> None:
    spy = install_spy(app, fail_always=True)
    case = await open_case(repository, tenant)
    [parked] = await _wait_for_parked(database_url, f"escalation-{tenant}")
    assert (parked.event_id, parked.attempts, parked.stream) == (case.signal.event_id, 3, case.stream)
    assert "failed on purpose" in parked.error
    assert len((await repository.load(case.stream)).events) == 2

    spy.fail_always = False
    conn = await asyncpg.connect(database_url)
    try:
        await request_retry(conn, f"escalation-{tenant}", case.signal.event_id)
        result = await wait_for_retry(conn, f"escalation-{tenant}", case.signal.event_id, within=30)
    finally:
        await conn.close()

    assert result.outcome is RetryOutcome.SUCCEEDED
    loaded = await repository.load(case.stream)
    assert [e.type for e in loaded.events][2:] == ["NotificationRequested"]


async def _wait_until_acknowledged(js: JetStreamContext, durable: str, within: float = 30) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        info = await js.consumer_info(STREAM_NAME, durable)
        if info.num_pending == 0 and info.num_ack_pending == 0:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"Consumer {durable} still has unacknowledged messages after {within} s: {info}")


async def _wait_for_parked(database_url: str, subscriber: str, within: float = 30) -> list[ParkedEvent]:
    conn = await asyncpg.connect(database_url)
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while loop.time() < deadline:
            parked = await list_parked(conn, subscriber)
            if parked:
                return parked
            await asyncio.sleep(0.05)
        raise AssertionError(f"Nothing parked for {subscriber} after {within} s")
    finally:
        await conn.close()
