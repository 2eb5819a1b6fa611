"""esdbclient's asyncio client against the test server: appends with expected versions and reads.

These pin the server's EventStoreDB behaviour that the adapter relies on, through the real client, so
a server that drifts from it fails here and not somewhere deep in the conformance suite.
"""

from __future__ import annotations

import itertools
import uuid

import pytest
from esdbclient import DEFAULT_EXCLUDE_FILTER, AsyncEventStoreDBClient, NewEvent, StreamState
from esdbclient.exceptions import NotFound, WrongCurrentVersion

from tests.esdb_server import RunningServer, start_server


def stream_name() -> str:
    return f"case-{uuid.uuid4()}"


def events(*types: str) -> list[NewEvent]:
    return [NewEvent(type=t, data=f'{{"n": "{t}"}}'.encode(), metadata=b'{"m": 1}') for t in types]


async def test_appended_events_read_back_in_order_with_growing_non_consecutive_positions(
    client: AsyncEventStoreDBClient,
) -> None:
    name = stream_name()
    written = events("Opened", "Noted", "Closed")
    await client.append_to_stream(name, current_version=StreamState.NO_STREAM, events=written)

    read = await client.get_stream(name)

    assert [(e.id, e.type, e.data, e.metadata, e.stream_position) for e in read] == [
        (w.id, w.type, w.data, w.metadata, n) for n, w in enumerate(written)
    ]
    positions = [e.commit_position for e in read]
    assert all(p is not None for p in positions)
    assert positions == sorted(positions) and len(set(positions)) == 3
    assert any(b - a != 1 for a, b in itertools.pairwise(positions))  # type: ignore[operator]
    assert all(e.recorded_at is not None for e in read)


async def test_expected_versions_are_enforced(client: AsyncEventStoreDBClient) -> None:
    name = stream_name()
    with pytest.raises(WrongCurrentVersion, match="does not exist"):
        await client.append_to_stream(name, current_version=StreamState.EXISTS, events=events("A"))
    with pytest.raises(WrongCurrentVersion, match="does not exist"):
        await client.append_to_stream(name, current_version=0, events=events("A"))
    await client.append_to_stream(name, current_version=StreamState.NO_STREAM, events=events("A"))
    with pytest.raises(WrongCurrentVersion, match="last event is 0 not 3"):
        await client.append_to_stream(name, current_version=3, events=events("B"))
    with pytest.raises(WrongCurrentVersion):
        await client.append_to_stream(name, current_version=StreamState.NO_STREAM, events=events("B"))
    await client.append_to_stream(name, current_version=0, events=events("B"))
    await client.append_to_stream(name, current_version=StreamState.EXISTS, events=events("C"))
    await client.append_to_stream(name, current_version=StreamState.ANY, events=events("D"))

    assert [e.type for e in await client.get_stream(name)] == ["A", "B", "C", "D"]
    assert await client.get_current_version(name) == 3


async def test_a_retry_with_the_same_event_ids_is_answered_with_the_first_position_and_writes_nothing(
    client: AsyncEventStoreDBClient,
) -> None:
    """As esdbclient's ``test_stream_append_event_with_current_version`` sees EventStoreDB answer: the
    retried batch's last commit position, for an exact revision, ``NO_STREAM`` and ``ANY`` alike; a batch
    that repeats some ids and adds others is a wrong version, not a retry."""
    name = stream_name()
    a, b, c = events("A"), events("B"), events("C")
    first_a = await client.append_to_stream(name, current_version=StreamState.NO_STREAM, events=a)
    first_b = await client.append_to_stream(name, current_version=0, events=b)
    first_c = await client.append_to_stream(name, current_version=1, events=c)

    assert await client.append_to_stream(name, current_version=StreamState.NO_STREAM, events=a) == first_a
    assert await client.append_to_stream(name, current_version=StreamState.NO_STREAM, events=a + b) == first_b
    assert await client.append_to_stream(name, current_version=0, events=b + c) == first_c
    assert await client.append_to_stream(name, current_version=StreamState.ANY, events=b) == first_b
    assert await client.append_to_stream(name, current_version=StreamState.EXISTS, events=c) == first_c
    with pytest.raises(WrongCurrentVersion, match="last event is 2"):
        await client.append_to_stream(name, current_version=0, events=b + c + events("D"))
    with pytest.raises(WrongCurrentVersion, match="last event is 2"):
        await client.append_to_stream(name, current_version=StreamState.ANY, events=b + events("D"))
    assert [e.type for e in await client.get_stream(name)] == ["A", "B", "C"]


async def test_a_retry_is_answered_without_a_position_when_told_to_answer_as_older_servers(
    server: RunningServer, client: AsyncEventStoreDBClient
) -> None:
    server.log.retry_positions = False
    name = stream_name()
    batch = events("A", "B")
    first = await client.append_to_stream(name, current_version=StreamState.NO_STREAM, events=batch)

    again = await client.append_to_stream(name, current_version=StreamState.NO_STREAM, events=batch)

    assert first > 0 and again == 0  # esdbclient reports a missing position as 0
    assert [e.type for e in await client.get_stream(name)] == ["A", "B"]


async def test_streams_read_backwards_from_a_revision_and_missing_streams_are_not_found(
    client: AsyncEventStoreDBClient,
) -> None:
    name = stream_name()
    await client.append_to_stream(name, current_version=StreamState.NO_STREAM, events=events("A", "B", "C"))

    assert [e.type for e in await client.get_stream(name, backwards=True)] == ["C", "B", "A"]
    assert [e.type for e in await client.get_stream(name, stream_position=1, backwards=True)] == ["B", "A"]
    assert [e.type for e in await client.get_stream(name, stream_position=1, limit=1)] == ["B"]
    with pytest.raises(NotFound):
        await client.get_stream(stream_name())


async def test_the_global_log_reads_from_a_commit_position_inclusively(
    client: AsyncEventStoreDBClient,
) -> None:
    name = stream_name()
    await client.append_to_stream(name, current_version=StreamState.NO_STREAM, events=events("A", "B", "C"))
    second = (await client.get_stream(name))[1]
    assert second.commit_position is not None

    forwards = [e async for e in await client.read_all(commit_position=second.commit_position)]
    backwards = [e async for e in await client.read_all(backwards=True, limit=2)]

    assert [(e.stream_name, e.type) for e in forwards] == [(name, "B"), (name, "C")]
    assert [(e.stream_name, e.type) for e in backwards] == [(name, "C"), (name, "B")]


async def test_the_global_log_is_filtered_by_the_server_on_stream_name_or_event_type(
    client: AsyncEventStoreDBClient,
) -> None:
    await client.append_to_stream("case-t1-a", current_version=StreamState.NO_STREAM, events=events("A", "B"))
    await client.append_to_stream("case-t2-a", current_version=StreamState.NO_STREAM, events=events("A"))
    await client.append_to_stream("mail-t1-a", current_version=StreamState.NO_STREAM, events=events("B"))

    by_stream = await client.read_all(filter_include=[r"case-t1-.*"], filter_by_stream_name=True)
    by_type = await client.read_all(filter_include=["B"])
    excluded = await client.read_all(filter_exclude=["A", *DEFAULT_EXCLUDE_FILTER], limit=1)

    assert [(e.stream_name, e.type) async for e in by_stream] == [("case-t1-a", "A"), ("case-t1-a", "B")]
    assert [(e.stream_name, e.type) async for e in by_type] == [("case-t1-a", "B"), ("mail-t1-a", "B")]
    assert [(e.stream_name, e.type) async for e in excluded] == [("case-t1-a", "B")]


async def test_a_second_server_on_a_taken_port_fails_instead_of_sharing_it() -> None:
    first = await start_server()
    try:
        with pytest.raises(RuntimeError, match=f"could not bind 127.0.0.1:{first.port}"):
            await start_server(port=first.port)
    finally:
        await first.stop()


async def test_the_global_log_starts_with_system_events_that_the_default_filter_skips(
    client: AsyncEventStoreDBClient,
) -> None:
    """As on a new EventStoreDB node: ``$``-streams with ``$``-typed events (and persistent subscription
    settings), which esdbclient's ``DEFAULT_EXCLUDE_FILTER`` leaves out."""
    name = stream_name()
    await client.append_to_stream(name, current_version=StreamState.NO_STREAM, events=events("A"))

    everything = [e async for e in await client.read_all(filter_exclude=())]
    by_default = [e async for e in await client.read_all()]

    system = everything[:-1]
    assert {e.stream_name for e in system} >= {"$epoch-information", "$settings", "$$$scavenges"}
    assert all(e.stream_name.startswith("$") for e in system)
    assert all(e.is_system_event for e in system if e.stream_name != "$persistentSubscriptionConfig")
    assert [(e.stream_name, e.type) for e in by_default] == [(name, "A")]
