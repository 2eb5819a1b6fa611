"""Outages are not poison: PostgreSQL stopped, or the SMTP server answering 451, for longer than the retry
budgets that used to park or drop a message; afterwards every mail goes out exactly once and nothing is
parked. Real servers throughout: a PostgreSQL of this module's own (stopping it harms no other test), the
shared NATS JetStream, the SMTP sink, the escalation app and notify in-process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest
from faststream.nats import NatsBroker
from nats.js import JetStreamContext
from notify_helpers import (
    Opened,
    Requested,
    StartNotify,
    open_signal,
    outcomes,
    request_notification,
    wait_for,
)

from klachtspoor.bootstrap import Infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.crypto import MasterKey
from klachtspoor.eventstore.port import RecordedEvent
from klachtspoor.relay import STREAM_NAME, Relay, RelayedEvent
from klachtspoor.relay.message import headers_for, subject_for
from klachtspoor.retry import RetryPolicy
from klachtspoor.settings import Settings
from klachtspoor.subscriptions import list_parked
from klachtspoor_devtools.devstack.postgres import EmbeddedPostgres
from klachtspoor_devtools.devstack.process import free_port
from klachtspoor_devtools.devstack.smtp import MailSink
from services.escalation.bootstrap import bootstrap as escalation_app
from services.escalation.settings import EscalationSettings

OLD_NOTIFY_POISON_AFTER = 2
"""Before: parked after this many failed deliveries, and dropped by JetStream after this + 16."""
OLD_ESCALATION_MAX_DELIVER = 2
"""Before: parked after this many failed deliveries."""
FAST = {"retry_initial": 0.05, "retry_max": 0.2}


@pytest.fixture(scope="module")
def own_postgres(devstack_run_dir: Path) -> Iterator[EmbeddedPostgres]:
    server = EmbeddedPostgres(devstack_run_dir / "outage-postgres", durable=False, port=free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def master_key() -> str:
    """One master key for the module's server: its key store keeps the tenant keys of every test, and a
    process checks at start that its master key opens every one of them."""
    return MasterKey.generate_base64()


@pytest.fixture
def settings(own_postgres: EmbeddedPostgres, nats_url: str, master_key: str) -> Settings:
    """Every PostgreSQL client of these tests (store, key store, parking, relay) on the server we stop."""
    return Settings(
        database_url=own_postgres.url,
        nats_url=nats_url,
        master_key=master_key,
        database_command_timeout=2.0,
        database_acquire_timeout=2.0,
        **FAST,
    )


@asynccontextmanager
async def relaying(infrastructure: Infrastructure, settings: Settings, nats_url: str) -> AsyncIterator[Relay]:
    broker = NatsBroker(nats_url)
    await broker.connect()
    relay = Relay(infrastructure.store, settings.database_url, broker, batch_size=16)
    task = asyncio.create_task(relay.run())
    try:
        yield relay
    finally:
        relay.stop()
        await asyncio.wait_for(task, 30)
        await broker.stop()


async def publish_as_the_relay(js: JetStreamContext, events: list[RecordedEvent]) -> None:
    """What the relay had published before the database went away: the messages wait in JetStream."""
    for event in events:
        await js.publish(
            subject_for(event),
            RelayedEvent.of(event).model_dump_json().encode(),
            stream=STREAM_NAME,
            headers=headers_for(event),
        )


async def deliveries(js: JetStreamContext, durable: str) -> int:
    return (await js.consumer_info(STREAM_NAME, durable)).delivered.consumer_seq


async def test_postgres_down_longer_than_the_old_budgets_loses_and_parks_nothing(
    own_postgres: EmbeddedPostgres,
    settings: Settings,
    infrastructure: Infrastructure,
    repository: CaseRepository,
    start_notify: StartNotify,
    smtp_sink: MailSink,
    js: JetStreamContext,
    nats_url: str,
    tenant: str,
) -> None:
    signals: list[Opened] = [await open_signal(repository, tenant) for _ in range(2)]
    requests: list[Requested] = [await request_notification(repository, tenant) for _ in range(2)]
    waiting = [
        event
        for case in [*signals, *requests]
        for event in await infrastructure.store.read_stream(case.stream)
        if event.type in {"SignalReceived", "NotificationRequested"}
    ]
    durable = f"escalation-{tenant}"
    app = escalation_app(
        EscalationSettings(**settings.model_dump()),
        infrastructure=infrastructure,
        durable=durable,
        tenant=tenant,
        max_deliver=OLD_ESCALATION_MAX_DELIVER,
        retry=RetryPolicy(attempts=OLD_ESCALATION_MAX_DELIVER, backoff=0.05, max_backoff=0.2),
        retry_poll_interval=0.2,
    ).app
    async with app.router.lifespan_context(app):
        await start_notify(notify_poison_after=OLD_NOTIFY_POISON_AFTER, notify_ack_wait=1.0, **FAST)
        own_postgres.stop()
        await publish_as_the_relay(js, waiting)

        # Outlast the old budgets: every waiting message failed more often than it used to be allowed to.
        old_drop = OLD_NOTIFY_POISON_AFTER + 16
        notify_durable = f"notify-{tenant}"

        async def outlasted() -> bool:
            return (
                await deliveries(js, notify_durable) > len(requests) * old_drop
                and await deliveries(js, durable) > len(signals) * OLD_ESCALATION_MAX_DELIVER * 3
            )

        await wait_for(outlasted, within=60, what="deliveries beyond the old budgets during the outage")
        assert smtp_sink.mails() == []
        own_postgres.start()

        async with relaying(infrastructure, settings, nats_url):  # relays what escalation appends now

            async def all_sent() -> bool:
                return len(smtp_sink.deliveries()) == len(signals) + len(requests)

            await wait_for(all_sent, within=60, what="a mail for every signal and request")
            await asyncio.sleep(1.0)  # time for a second handover, were there one

    assert sorted(smtp_sink.deliveries().values()) == [1] * 4
    for case in [*signals, *requests]:
        assert [e.type for e in await outcomes(repository, case.stream)] == ["NotificationSent"]
    conn = await asyncpg.connect(settings.database_url)
    try:
        assert await list_parked(conn, durable) == []
    finally:
        await conn.close()
    await js.delete_consumer(STREAM_NAME, durable)


async def test_smtp_answering_451_longer_than_the_old_schedule_sends_once_when_it_recovers(
    repository: CaseRepository,
    start_notify: StartNotify,
    smtp_sink: MailSink,
    infrastructure: Infrastructure,
    settings: Settings,
    nats_url: str,
    tenant: str,
) -> None:
    delays = (0.05, 0.1)  # the old schedule parked after attempt len(delays) + 1
    smtp_sink.reject_with = "451 4.3.0 Probeer het later opnieuw"
    async with relaying(infrastructure, settings, nats_url):
        await start_notify(notify_retry_delays=delays, **FAST)
        requested = await request_notification(repository, tenant)

        async def refused_past_the_old_schedule() -> bool:
            return len(await outcomes(repository, requested.stream)) > 2 * (len(delays) + 1)

        await wait_for(refused_past_the_old_schedule, within=30, what="failures past the old schedule")
        smtp_sink.reject_with = None

        async def sent() -> bool:
            return any(e.type == "NotificationSent" for e in await outcomes(repository, requested.stream))

        await wait_for(sent, within=30, what="NotificationSent")
    recorded = [e.type for e in await outcomes(repository, requested.stream)]
    assert "NotificationParked" not in recorded
    assert recorded[-1] == "NotificationSent" and recorded.count("NotificationSent") == 1
    assert set(recorded[:-1]) == {"NotificationFailed"}
    assert smtp_sink.deliveries() == {requested.message_id: 1}
