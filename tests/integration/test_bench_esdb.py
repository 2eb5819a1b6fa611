"""``klachtspoor bench eventstore --eventstore-url``: tiny numbers on the in-process EventStoreDB test server.

The figures are not judged (tests never assert on time); what is checked is that the benchmark did the
work it reports: every event in the server's log, in the round's own streams, read back and caught up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator

import pytest
from esdbclient import AsyncEventStoreDBClient, NewEvent, StreamState

from klachtspoor_devtools.bench.esdb import run_esdb_bench
from klachtspoor_devtools.bench.workload import BenchConfig
from tests.esdb_server import RunningServer, start_server

CONFIG = BenchConfig(events=23, writers=3, batch_size=4, rounds=2)


@pytest.fixture
async def server() -> AsyncIterator[RunningServer]:
    running = await start_server()
    yield running
    await running.stop()


async def test_each_round_writes_reads_and_catches_up_its_own_events(server: RunningServer) -> None:
    """An event written before the run stays outside every read, as another run's would."""
    earlier = AsyncEventStoreDBClient(server.url)
    await earlier.connect()
    try:
        await earlier.append_to_stream(
            "case:bench:earlier-run", current_version=StreamState.NO_STREAM, events=[NewEvent("X", b"{}")]
        )
    finally:
        await earlier.close()
    rounds_seen: list[int] = []

    result = await run_esdb_bench(server.url, CONFIG, rounds_seen.append)

    assert rounds_seen == [1, 2]
    prefix = result["stream_prefix"]
    assert isinstance(prefix, str) and prefix.startswith("case:bench:")
    # The server's own system streams ("$…") are not the bench's.
    per_stream_kind = Counter(_kind(r.stream, prefix) for r in server.log.all if not r.stream.startswith("$"))
    events = CONFIG.events * CONFIG.rounds
    assert per_stream_kind == {
        "earlier": 1,
        "raw-single": events,
        "raw-batch": events,
        "store-single": events,
        "store-batch": events,
        "claim": 2 * events,
    }
    claims = {r.proposed.id for r in server.log.all if _kind(r.stream, prefix) == "claim"}
    assert len(claims) == 2 * events
    per_round = result["per_round"]
    assert isinstance(per_round, list) and len(per_round) == CONFIG.rounds
    for figures in per_round:
        assert figures["read_events"] == figures["raw_read_events"] == 2 * CONFIG.events
        for name in ("append", "batched", "read", "catchup"):
            assert figures[f"{name}_ratio"] > 0
        assert figures["append_p99_ms"] >= figures["append_p50_ms"] > 0
    assert result["events"] == CONFIG.events and result["writers"] == CONFIG.writers


async def test_single_appends_fill_streams_of_ten_with_exact_versions(server: RunningServer) -> None:
    result = await run_esdb_bench(server.url, BenchConfig(events=25, writers=1, batch_size=10, rounds=1))

    prefix = f"{result['stream_prefix']}r1-"
    lengths = {
        name[len(prefix) :]: len(records)
        for name, records in server.log.streams.items()
        if name.startswith(prefix)
    }
    assert lengths == {
        "raw-single-0-0": 10,
        "raw-single-0-1": 10,
        "raw-single-0-2": 5,
        "store-single-0-0": 10,
        "store-single-0-1": 10,
        "store-single-0-2": 5,
        "raw-batch-0-0": 10,
        "raw-batch-0-1": 10,
        "raw-batch-0-2": 5,
        "store-batch-0-0": 10,
        "store-batch-0-1": 10,
        "store-batch-0-2": 5,
    }


def _kind(stream: str, prefix: str) -> str:
    if stream.startswith("eventid-"):
        return "claim"
    if not stream.startswith(prefix):
        return "earlier"
    _, kind, shape, *_ = stream[len(prefix) :].split("-")
    return f"{kind}-{shape}"
