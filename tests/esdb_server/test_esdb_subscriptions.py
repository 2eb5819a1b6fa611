"""Catch-up subscriptions of the test server through esdbclient: boundaries, order and checkpoints."""

from __future__ import annotations

import asyncio
import uuid

from esdbclient import AsyncEventStoreDBClient, NewEvent, RecordedEvent, StreamState
from esdbclient.streams import AsyncCatchupSubscription


def one(event_type: str) -> list[NewEvent]:
    return [NewEvent(type=event_type, data=b"{}")]


async def take(subscription: AsyncCatchupSubscription, count: int) -> list[RecordedEvent]:
    """The next ``count`` items; the timeout only turns a server that never answers into a failure."""
    taken: list[RecordedEvent] = []
    async with asyncio.timeout(10):
        while len(taken) < count:
            taken.append(await subscription.__anext__())
    return taken


async def test_a_subscription_from_a_position_excludes_it_catches_up_and_then_stays_live(
    client: AsyncEventStoreDBClient,
) -> None:
    stream = f"case-{uuid.uuid4()}"
    for event_type in ("A", "B", "C"):
        await client.append_to_stream(stream, current_version=StreamState.ANY, events=one(event_type))
    first = (await client.get_stream(stream))[0]

    subscription = await client.subscribe_to_all(
        commit_position=first.commit_position, include_caught_up=True
    )
    try:
        history = await take(subscription, 3)
        await client.append_to_stream(stream, current_version=2, events=one("D"))
        live = await take(subscription, 1)
    finally:
        await subscription.stop()

    assert [e.type for e in history[:2]] == ["B", "C"]
    assert history[2].is_caught_up
    assert [(e.type, e.stream_position) for e in live] == [("D", 3)]


async def test_a_filtered_subscription_sends_checkpoints_at_scanned_positions(
    client: AsyncEventStoreDBClient,
) -> None:
    for n in range(5):
        await client.append_to_stream(f"mail-{n}", current_version=StreamState.NO_STREAM, events=one("Sent"))
    await client.append_to_stream("case-1", current_version=StreamState.NO_STREAM, events=one("Opened"))
    scanned = [e.commit_position async for e in await client.read_all(filter_exclude=())]
    assert len(scanned) == 12  # the server's six system events come first, as on a new node

    subscription = await client.subscribe_to_all(
        filter_include=["case-.*"],
        filter_by_stream_name=True,
        include_checkpoints=True,
        window_size=2,
        checkpoint_interval_multiplier=1,
    )
    try:
        received = await take(subscription, 7)
    finally:
        await subscription.stop()

    # Two scanned events per checkpoint, system events included; case-1 is sent before its checkpoint.
    assert [(e.is_checkpoint, e.stream_name, e.commit_position) for e in received] == [
        *[(True, "", scanned[n]) for n in (1, 3, 5, 7, 9)],
        (False, "case-1", scanned[11]),
        (True, "", scanned[11]),
    ]


async def test_a_stream_subscription_from_a_revision_excludes_it(client: AsyncEventStoreDBClient) -> None:
    stream = f"case-{uuid.uuid4()}"
    await client.append_to_stream(stream, current_version=StreamState.NO_STREAM, events=one("A"))
    await client.append_to_stream(stream, current_version=0, events=one("B"))

    subscription = await client.subscribe_to_stream(stream, stream_position=0)
    try:
        await client.append_to_stream(stream, current_version=1, events=one("C"))
        received = await take(subscription, 2)
    finally:
        await subscription.stop()

    assert [(e.type, e.stream_position) for e in received] == [("B", 1), ("C", 2)]
