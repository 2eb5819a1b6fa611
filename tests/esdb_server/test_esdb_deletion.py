"""Soft deletes and tombstones of the test server, through esdbclient's asyncio client."""

from __future__ import annotations

import uuid

import pytest
from esdbclient import AsyncEventStoreDBClient, NewEvent, StreamState
from esdbclient.exceptions import NotFound, StreamIsDeleted, WrongCurrentVersion


def two() -> list[NewEvent]:
    return [NewEvent(type="A", data=b"{}"), NewEvent(type="B", data=b"{}")]


async def test_a_soft_deleted_stream_is_not_found_keeps_its_events_in_the_log_and_can_be_recreated(
    client: AsyncEventStoreDBClient,
) -> None:
    stream = f"case-{uuid.uuid4()}"
    await client.append_to_stream(stream, current_version=StreamState.NO_STREAM, events=two())

    await client.delete_stream(stream, current_version=1)

    with pytest.raises(NotFound):
        await client.get_stream(stream)
    assert [e.stream_position async for e in await client.read_all()] == [0, 1]
    await client.append_to_stream(stream, current_version=StreamState.NO_STREAM, events=two())
    assert [e.stream_position for e in await client.get_stream(stream)] == [2, 3]


async def test_a_deletion_checks_the_expected_version(client: AsyncEventStoreDBClient) -> None:
    stream = f"case-{uuid.uuid4()}"
    with pytest.raises(NotFound):
        await client.delete_stream(stream, current_version=0)
    await client.append_to_stream(stream, current_version=StreamState.NO_STREAM, events=two())
    with pytest.raises(WrongCurrentVersion, match="Actual version: 1"):
        await client.delete_stream(stream, current_version=0)
    with pytest.raises(WrongCurrentVersion, match="Actual version: 1"):
        await client.tombstone_stream(stream, current_version=StreamState.NO_STREAM)

    assert len(await client.get_stream(stream)) == 2


async def test_a_tombstoned_stream_refuses_reads_and_writes_and_leaves_a_system_event(
    client: AsyncEventStoreDBClient,
) -> None:
    stream = f"case-{uuid.uuid4()}"
    await client.append_to_stream(stream, current_version=StreamState.NO_STREAM, events=two())

    await client.tombstone_stream(stream, current_version=StreamState.EXISTS)

    with pytest.raises(StreamIsDeleted):
        await client.get_stream(stream)
    with pytest.raises(StreamIsDeleted):
        await client.append_to_stream(stream, current_version=StreamState.ANY, events=two())
    with pytest.raises(StreamIsDeleted):
        await client.tombstone_stream(stream, current_version=StreamState.ANY)
    assert [e.type async for e in await client.read_all()] == ["A", "B"]
    assert [e.type async for e in await client.read_all(filter_exclude=())] == ["A", "B", "$streamDeleted"]
