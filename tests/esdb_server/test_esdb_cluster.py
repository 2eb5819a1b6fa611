"""A test cluster through esdbclient: discovery by gossip, followers refusing writes, a leader change."""

from __future__ import annotations

import uuid

from esdbclient import AsyncEventStoreDBClient, NewEvent, StreamState

from tests.esdb_server import RunningServer


def one() -> list[NewEvent]:
    return [NewEvent(type="A", data=b"{}")]


async def test_the_client_discovers_the_leader_and_follows_a_leader_change(
    nodes: list[RunningServer],
) -> None:
    first, second, third = nodes
    stream = f"case-{uuid.uuid4()}"
    client = AsyncEventStoreDBClient(f"esdb://127.0.0.1:{third.port},127.0.0.1:{second.port}?Tls=false")
    await client.connect()
    try:
        assert client.connection_target == f"127.0.0.1:{first.port}"
        await client.append_to_stream(stream, current_version=StreamState.NO_STREAM, events=one())

        first.cluster.leader = second.port
        await client.append_to_stream(stream, current_version=0, events=one())

        assert client.connection_target == f"127.0.0.1:{second.port}"
        assert [e.stream_position for e in await client.get_stream(stream)] == [0, 1]
    finally:
        await client.close()


async def test_discovery_by_dns_name_scheme_finds_the_leader(nodes: list[RunningServer]) -> None:
    first, second, _ = nodes
    first.cluster.leader = second.port
    client = AsyncEventStoreDBClient(f"esdb+discover://127.0.0.1:{first.port}?Tls=false")
    await client.connect()
    try:
        await client.append_to_stream(f"case-{uuid.uuid4()}", current_version=StreamState.ANY, events=one())
        assert client.connection_target == f"127.0.0.1:{second.port}"
    finally:
        await client.close()
