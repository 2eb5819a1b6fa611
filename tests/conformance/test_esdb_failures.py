"""EventStoreDB adapter under the failures a cluster has: a leader change, a leader that dies, a missed
deadline whose write landed anyway. Retries use the same event ids, so nothing is lost or doubled."""

from __future__ import annotations

from eventstore_helpers import new_event, new_events

from klachtspoor.eventstore.esdb import EsdbEventStore
from klachtspoor.eventstore.port import StreamState
from tests.esdb_server import Fault, RunningServer, start_server


async def test_appends_go_on_through_a_leader_change_and_the_old_leader_dying(
    nodes: list[RunningServer],
) -> None:
    first, second, third = nodes
    store = await EsdbEventStore.connect(f"esdb://127.0.0.1:{third.port},127.0.0.1:{second.port}?Tls=false")
    written = new_events(30)
    try:
        for index, event in enumerate(written):
            if index == 10:
                first.cluster.leader = second.port  # the old leader is now a follower
            if index == 20:
                first.cluster.leader = third.port
                await second.stop()  # and now the leader dies
            await store.append("case:t1:a", [event], index - 1 if index else StreamState.NO_STREAM)
        recorded = await store.read_stream("case:t1:a")
    finally:
        await store.close()
    assert [e.event_id for e in recorded] == [e.event_id for e in written]
    assert [e.version for e in recorded] == list(range(30))


async def test_a_missed_deadline_whose_write_landed_is_retried_and_recorded_once() -> None:
    server = await start_server()
    store = await EsdbEventStore.connect(f"{server.url}&DefaultDeadline=1")
    try:
        event = new_event()
        # Three calls late by half a second, each written anyway after the client gave up: esdbclient's
        # own retry and the adapter's next attempt resend the same ids, which the server acknowledges.
        server.faults.inject("BatchAppend", Fault.slow(1.5), Fault.slow(1.5), Fault.slow(1.5))
        result = await store.append("case:t1:a", [event], StreamState.NO_STREAM)
        recorded = await store.read_stream("case:t1:a")
    finally:
        await store.close()
        await server.stop()
    assert not server.faults.queued["BatchAppend"], "every late call was made"
    assert [e.event_id for e in recorded] == [event.event_id]
    assert len(server.log.streams["case:t1:a"]) == 1
    assert (result.version, result.position) == (0, recorded[0].position)
