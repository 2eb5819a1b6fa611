"""Soft deletes and tombstones of the test server, through esdbclient's asyncio client.

Each case is one esdbclient's own test suite (tests/test_client.py) sees EventStoreDB answer: a
soft-deleted stream keeps its last revision for expected-version checks, reads as not found, and is
recreated by an append at that revision or with ``NO_STREAM``, its revisions continuing.
"""

from __future__ import annotations

import json
import uuid

import pytest
from esdbclient import AsyncEventStoreDBClient, NewEvent, StreamState
from esdbclient.exceptions import NotFound, StreamIsDeleted, WrongCurrentVersion


def two() -> list[NewEvent]:
    return [NewEvent(type="A", data=b"{}"), NewEvent(type="B", data=b"{}")]


def case() -> str:
    return f"case-{uuid.uuid4()}"


async def test_a_soft_deleted_stream_is_not_found_and_keeps_its_last_revision_for_checks(
    client: AsyncEventStoreDBClient,
) -> None:
    """``test_stream_delete_with_current_version`` and ``test_stream_delete_with_any_current_version``."""
    stream = case()
    await client.append_to_stream(stream, current_version=StreamState.NO_STREAM, events=two())

    with pytest.raises(WrongCurrentVersion):
        await client.delete_stream(stream, current_version=0)
    await client.delete_stream(stream, current_version=1)

    with pytest.raises(NotFound):
        await client.get_stream(stream)
    assert await client.get_current_version(stream) is StreamState.NO_STREAM
    await client.delete_stream(stream, current_version=1)  # deleting again at its last revision
    await client.delete_stream(stream, current_version=StreamState.ANY)
    with pytest.raises(WrongCurrentVersion, match="Actual version: 1"):
        await client.delete_stream(stream, current_version=0)
    with pytest.raises(StreamIsDeleted):
        await client.delete_stream(stream, current_version=StreamState.EXISTS)
    with pytest.raises(WrongCurrentVersion, match="last event is 1 not 0"):
        await client.append_to_stream(stream, current_version=0, events=two())
    with pytest.raises(StreamIsDeleted):
        await client.append_to_stream(stream, current_version=StreamState.EXISTS, events=two())


@pytest.mark.parametrize("recreate_at", [1, StreamState.NO_STREAM, StreamState.ANY])
async def test_an_append_at_the_last_revision_or_with_no_stream_recreates_a_soft_deleted_stream(
    client: AsyncEventStoreDBClient, recreate_at: int | StreamState
) -> None:
    stream = case()
    await client.append_to_stream(stream, current_version=StreamState.NO_STREAM, events=two())
    await client.delete_stream(stream, current_version=1)

    await client.append_to_stream(stream, current_version=recreate_at, events=two())

    assert [e.stream_position for e in await client.get_stream(stream)] == [2, 3]
    assert await client.get_current_version(stream) == 3
    await client.delete_stream(stream, current_version=3)
    with pytest.raises(NotFound):
        await client.get_stream(stream)


async def test_soft_deletion_and_recreation_are_metadata_events_and_the_events_stay_in_the_log(
    client: AsyncEventStoreDBClient,
) -> None:
    """``test_stream_metadata_get_and_set``: a soft-deleted stream's metadata has ``$tb`` = max long."""
    stream = case()
    await client.append_to_stream(stream, current_version=StreamState.NO_STREAM, events=two())
    await client.delete_stream(stream, current_version=StreamState.EXISTS)

    deleted, _ = await client.get_stream_metadata(stream)
    await client.append_to_stream(stream, current_version=StreamState.NO_STREAM, events=two())
    recreated, _ = await client.get_stream_metadata(stream)

    assert deleted["$tb"] == 2**63 - 1
    assert recreated["$tb"] == 2
    assert [e.stream_position async for e in await client.read_all()] == [0, 1, 2, 3]
    metadata = [e async for e in await client.read_all(filter_exclude=()) if e.stream_name == f"$${stream}"]
    assert [(e.type, json.loads(e.data)) for e in metadata] == [
        ("$metadata", {"$tb": 2**63 - 1}),
        ("$metadata", {"$tb": 2}),
    ]


@pytest.mark.parametrize("expected", [StreamState.ANY, StreamState.NO_STREAM, 0])
async def test_soft_deleting_a_stream_that_never_existed_is_refused(
    client: AsyncEventStoreDBClient, expected: int | StreamState
) -> None:
    """``test_stream_delete_with_any_current_version``: "Can't delete stream that doesn't exist"."""
    with pytest.raises(NotFound):
        await client.delete_stream(case(), current_version=expected)


async def test_a_deletion_checks_the_expected_version(client: AsyncEventStoreDBClient) -> None:
    stream = case()
    await client.append_to_stream(stream, current_version=StreamState.NO_STREAM, events=two())
    with pytest.raises(WrongCurrentVersion, match="Actual version: 1"):
        await client.delete_stream(stream, current_version=0)
    with pytest.raises(WrongCurrentVersion, match="Actual version: 1"):
        await client.tombstone_stream(stream, current_version=StreamState.NO_STREAM)

    assert len(await client.get_stream(stream)) == 2


async def test_a_tombstoned_stream_refuses_reads_and_writes_and_leaves_a_system_event(
    client: AsyncEventStoreDBClient,
) -> None:
    stream = case()
    await client.append_to_stream(stream, current_version=StreamState.NO_STREAM, events=two())

    await client.tombstone_stream(stream, current_version=StreamState.EXISTS)

    with pytest.raises(StreamIsDeleted):
        await client.get_stream(stream)
    with pytest.raises(StreamIsDeleted):
        await client.append_to_stream(stream, current_version=StreamState.ANY, events=two())
    with pytest.raises(StreamIsDeleted):
        await client.tombstone_stream(stream, current_version=StreamState.ANY)
    assert [e.type async for e in await client.read_all()] == ["A", "B"]
    ours = [e async for e in await client.read_all(filter_exclude=()) if e.stream_name == stream]
    assert [(e.type, e.stream_position) for e in ours] == [("A", 0), ("B", 1), ("$streamDeleted", 2**63 - 1)]


async def test_a_stream_that_never_existed_can_be_tombstoned(client: AsyncEventStoreDBClient) -> None:
    """``test_tombstone_stream_with_any_current_version``: and it can never be written."""
    stream = case()
    await client.tombstone_stream(stream, current_version=StreamState.ANY)
    with pytest.raises(StreamIsDeleted):
        await client.append_to_stream(stream, current_version=StreamState.NO_STREAM, events=two())
