"""``python -m services.escalation`` SIGKILLed while its workers acknowledge many signals at once: after
a restart every case has exactly one acknowledgement request, none twice (deterministic event ids and the
expected version of every append), whatever the kill cut off. The messages in hand at the kill come back
after the consumer's ack wait (shortened to :data:`ACK_WAIT` here), which is most of this test's time."""

from __future__ import annotations

import asyncio
import signal

import asyncpg
import pytest
from escalation_helpers import open_case, wait_for_events
from test_escalation_process import own_nats, own_relay, start_escalation

from klachtspoor.cases import CaseRepository
from klachtspoor.relay import Relay
from klachtspoor.settings import Settings

__all__ = ["own_nats", "own_relay"]  # the fixtures this test uses

pytestmark = pytest.mark.slow

CASES = 40
ACK_WAIT = 3.0
"""Seconds before JetStream hands the messages in hand at the kill to the restarted process."""


async def _requests(conn: asyncpg.Connection, tenant: str) -> int:
    return int(
        await conn.fetchval(
            "SELECT count(*) FROM eventstore.events WHERE tenant = $1 AND type = 'NotificationRequested'",
            tenant,
        )
    )


async def test_a_kill_among_many_acknowledgements_leaves_each_case_with_exactly_one(
    settings: Settings, own_nats: str, own_relay: Relay, repository: CaseRepository, tenant: str
) -> None:
    cases = [await open_case(repository, tenant) for _ in range(CASES)]
    conn = await asyncpg.connect(settings.database_url)
    try:
        first, _ = await start_escalation(settings, own_nats, ack_wait=ACK_WAIT)
        try:
            for _ in range(6000):  # at most a minute: killed as soon as the first case is acknowledged
                if await _requests(conn, tenant) > 0:
                    break
                await asyncio.sleep(0.01)
        finally:
            first.send_signal(signal.SIGKILL)
            await asyncio.wait_for(first.wait(), 30)
        at_kill = await _requests(conn, tenant)
        assert 0 < at_kill < CASES, f"the kill came {'before' if at_kill == 0 else 'after'} the work"

        second, _ = await start_escalation(settings, own_nats, ack_wait=ACK_WAIT)
        try:
            for case in cases:
                loaded = await wait_for_events(repository, case.stream, 3, within=60)
                assert [e.type for e in loaded.events][2:] == ["NotificationRequested"]
        finally:
            second.send_signal(signal.SIGTERM)
            await asyncio.wait_for(second.wait(), 30)
        assert await _requests(conn, tenant) == CASES
    finally:
        await conn.close()
