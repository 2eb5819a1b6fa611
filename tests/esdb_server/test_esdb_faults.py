"""Injected faults reach esdbclient as EventStoreDB's would, and esdbclient's own retry is visible."""

from __future__ import annotations

import uuid

import pytest
from esdbclient import AsyncEventStoreDBClient, NewEvent, StreamState
from esdbclient.exceptions import DeadlineExceeded, NodeIsNotLeader, NotFound, ServiceUnavailable

from tests.esdb_server import Fault, RunningServer


def one() -> list[NewEvent]:
    return [NewEvent(type="A", data=b"{}")]


async def test_esdbclient_tries_an_unavailable_node_four_times_and_then_raises(
    server: RunningServer, client: AsyncEventStoreDBClient
) -> None:
    """Its ``retrygrpc`` (one retry on any gRPC error) wraps ``autoreconnect`` (one more on unavailable)."""
    retried, failed = f"case-{uuid.uuid4()}", f"case-{uuid.uuid4()}"
    server.faults.inject("BatchAppend", *[Fault.unavailable()] * 3)
    await client.append_to_stream(retried, current_version=StreamState.NO_STREAM, events=one())
    assert not server.faults.queued["BatchAppend"]
    server.faults.inject("BatchAppend", *[Fault.unavailable()] * 4)
    with pytest.raises(ServiceUnavailable):
        await client.append_to_stream(failed, current_version=StreamState.NO_STREAM, events=one())

    assert len(await client.get_stream(retried)) == 1
    with pytest.raises(NotFound):
        await client.get_stream(failed)


async def test_a_node_slower_than_the_deadline_gives_deadline_exceeded(
    server: RunningServer, client: AsyncEventStoreDBClient
) -> None:
    stream = f"case-{uuid.uuid4()}"
    await client.append_to_stream(stream, current_version=StreamState.NO_STREAM, events=one())
    server.faults.inject("Read", Fault.slow(5), Fault.slow(5))

    with pytest.raises(DeadlineExceeded):
        await client.get_stream(stream, timeout=0.2)
    assert not server.faults.queued["Read"], "esdbclient retries a missed deadline once"
    assert len(await client.get_stream(stream)) == 1


async def test_a_follower_names_its_leader(server: RunningServer, client: AsyncEventStoreDBClient) -> None:
    server.faults.inject("BatchAppend", Fault.not_leader("127.0.0.1", 2113))

    with pytest.raises(NodeIsNotLeader) as caught:
        await client.append_to_stream(f"case-{uuid.uuid4()}", current_version=StreamState.ANY, events=one())
    assert caught.value.leader_grpc_target == "127.0.0.1:2113"


async def test_an_answer_lost_after_the_write_is_resent_and_acknowledged_as_a_retry(
    server: RunningServer, client: AsyncEventStoreDBClient
) -> None:
    stream = f"case-{uuid.uuid4()}"
    server.faults.inject("BatchAppend", Fault.lost_answer())

    position = await client.append_to_stream(stream, current_version=StreamState.NO_STREAM, events=one())

    recorded = await client.get_stream(stream)
    assert not server.faults.queued["BatchAppend"]
    assert [e.commit_position for e in recorded] == [position]
