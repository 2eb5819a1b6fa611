"""``klachtspoor bench eventstore --eventstore-url esdb://…``: the EventStoreDB adapter against raw
esdbclient calls on the same server, in the same run.

A server keeps what it is given, so nothing is dropped between rounds: each round writes to streams of
its own (a random run id and the round number in every name) and reads and catches up only from the log
position at which the round started, filtered on its stream prefix. Per round, in order: single-event
appends (``NO_STREAM``, then exact versions, ten to a stream) raw and through the adapter, batched
appends raw and through the adapter, a ``read_all`` of the round's raw events and one through the adapter
of its events, then the same two as catch-up subscriptions. The W writers share one client, as the
adapter does in a process (one per process). The adapter's appends cost more round trips than raw ones:
it first claims every event id in an ``eventid-<id>`` stream of its own. Medians are over rounds; ratios
are computed per round first.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable

import esdbclient

from klachtspoor.eventstore.esdb import EsdbEventStore
from klachtspoor.eventstore.esdb.codec import to_new_event
from klachtspoor.eventstore.port import START, LogFilter, Position, encode_payload
from klachtspoor_devtools.bench.stats import percentile
from klachtspoor_devtools.bench.workload import (
    STREAM_LENGTH,
    BenchConfig,
    new_event,
    run_rounds,
    store_appends,
    store_batched,
    store_catch_up,
    store_read,
    timed_writers,
)

_PAGE = 1000


class BenchCountMismatch(RuntimeError):
    """A phase read back another number of events than the round wrote: its figure would be meaningless."""


def _raw_bytes() -> tuple[bytes, bytes]:
    """Data and metadata exactly as the adapter writes them, so both sides move the same bytes."""
    event = new_event()
    record = to_new_event(event, *encode_payload(event))
    return record.data, record.metadata


def _include(prefix: str) -> list[str]:
    """EventStoreDB's server-side stream-name filter on a prefix, as the adapter builds it."""
    return [f"(?:{re.escape(prefix)}.*)"]


async def _raw_singles(
    client: esdbclient.AsyncEventStoreDBClient, config: BenchConfig, prefix: str, latencies: list[float]
) -> float:
    data, metadata = _raw_bytes()

    async def writer(index: int, count: int) -> None:
        for n in range(count):
            version = n % STREAM_LENGTH
            current = esdbclient.StreamState.NO_STREAM if version == 0 else version - 1
            event = esdbclient.NewEvent(type="SignalReceived", data=data, metadata=metadata, id=uuid.uuid4())
            started = time.perf_counter()
            await client.append_to_stream(
                f"{prefix}single-{index}-{n // STREAM_LENGTH}", current_version=current, events=[event]
            )
            latencies.append((time.perf_counter() - started) * 1000)

    return await timed_writers(config, writer)


async def _raw_batched(client: esdbclient.AsyncEventStoreDBClient, config: BenchConfig, prefix: str) -> float:
    data, metadata = _raw_bytes()

    async def writer(index: int, count: int) -> None:
        for batch_no, start in enumerate(range(0, count, config.batch_size)):
            events = [
                esdbclient.NewEvent(type="SignalReceived", data=data, metadata=metadata, id=uuid.uuid4())
                for _ in range(min(config.batch_size, count - start))
            ]
            await client.append_to_stream(
                f"{prefix}batch-{index}-{batch_no}",
                current_version=esdbclient.StreamState.NO_STREAM,
                events=events,
            )

    return await timed_writers(config, writer)


async def _head(client: esdbclient.AsyncEventStoreDBClient) -> int | None:
    """Commit position of the last record in the log (system ones included); None when it is empty."""
    async for record in await client.read_all(backwards=True, limit=1, filter_exclude=()):
        return record.commit_position
    return None


async def _raw_read(
    client: esdbclient.AsyncEventStoreDBClient, after: int | None, prefix: str
) -> tuple[int, float]:
    """Pages of ``read_all`` after ``after``. A read includes its start position: that record is asked
    for once more and skipped, as the adapter does, so both sides make the same number of calls."""
    count, position = 0, after
    started = time.perf_counter()
    while True:
        records = await client.read_all(
            commit_position=position,
            limit=_PAGE + (0 if position is None else 1),
            filter_include=_include(prefix),
            filter_by_stream_name=True,
        )
        page = [r async for r in records]
        fresh = [r for r in page if position is None or (r.commit_position or 0) > position]
        count += len(fresh)
        if not fresh:
            break
        position = fresh[-1].commit_position
    return count, count / (time.perf_counter() - started)


async def _raw_catch_up(
    client: esdbclient.AsyncEventStoreDBClient, total: int, after: int | None, prefix: str
) -> float:
    """A catch-up subscription excludes its start position, as the adapter's does."""
    count = 0
    started = time.perf_counter()
    subscription = await client.subscribe_to_all(
        commit_position=after, filter_include=_include(prefix), filter_by_stream_name=True
    )
    try:
        async for _ in subscription:
            count += 1
            if count >= total:
                break
    finally:
        await subscription.stop()
    return count / (time.perf_counter() - started)


def _check(what: str, found: int, written: int) -> None:
    if found != written:
        raise BenchCountMismatch(f"{what} found {found} of the {written} events this round wrote")


async def run_esdb_round(url: str, config: BenchConfig, prefix: str) -> dict[str, float]:
    """One round on streams named ``{prefix}raw-…`` (esdbclient) and ``{prefix}store-…`` (the adapter)."""
    client = esdbclient.AsyncEventStoreDBClient(uri=url)
    await client.connect()
    try:
        store = await EsdbEventStore.connect(url)
        try:
            return await _measure(client, store, config, prefix)
        finally:
            await store.close()
    finally:
        await client.close()


async def _measure(
    client: esdbclient.AsyncEventStoreDBClient, store: EsdbEventStore, config: BenchConfig, prefix: str
) -> dict[str, float]:
    raw, ours = f"{prefix}raw-", f"{prefix}store-"
    written = 2 * config.events
    head = await _head(client)
    raw_latencies: list[float] = []
    latencies: list[float] = []
    raw_single = await _raw_singles(client, config, raw, raw_latencies)
    single = await store_appends(store, config, latencies, ours)
    raw_batched = await _raw_batched(client, config, raw)
    batched = await store_batched(store, config, ours)
    raw_read_count, raw_read = await _raw_read(client, head, raw)
    _check("the raw read_all", raw_read_count, written)
    after, only_ours = START if head is None else Position(head, head), LogFilter(stream_prefixes=(ours,))
    read_count, read = await store_read(store, after, only_ours, _PAGE)
    _check("the adapter's read_all", read_count, written)
    raw_catchup = await _raw_catch_up(client, written, head, raw)
    catchup = await store_catch_up(store, written, after, only_ours)
    return {
        "appends_per_s": single,
        "raw_append_per_s": raw_single,
        "append_ratio": single / raw_single,
        "append_p50_ms": percentile(latencies, 0.50),
        "append_p99_ms": percentile(latencies, 0.99),
        "raw_append_p50_ms": percentile(raw_latencies, 0.50),
        "raw_append_p99_ms": percentile(raw_latencies, 0.99),
        "batched_events_per_s": batched,
        "raw_batched_events_per_s": raw_batched,
        "batched_ratio": batched / raw_batched,
        "read_events_per_s": read,
        "raw_read_per_s": raw_read,
        "read_ratio": read / raw_read,
        "catchup_events_per_s": catchup,
        "raw_catchup_per_s": raw_catchup,
        "catchup_ratio": catchup / raw_catchup,
        "read_events": read_count,
        "raw_read_events": raw_read_count,
    }


async def run_esdb_bench(
    url: str, config: BenchConfig, on_round: Callable[[int], None] | None = None
) -> dict[str, object]:
    """Every stream of this run starts with ``case:bench:<run id>-r<round>-``; the result names the run."""
    run = uuid.uuid4().hex[:10]
    result = await run_rounds(
        lambda number: run_esdb_round(url, config, f"case:bench:{run}-r{number}-"), config, on_round
    )
    result["stream_prefix"] = f"case:bench:{run}-"
    return result
