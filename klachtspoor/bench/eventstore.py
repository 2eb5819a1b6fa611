"""``klachtspoor bench eventstore``: the event store against raw asyncpg on the same server, same run.

Each round runs, in one fresh database: raw single-row inserts into an equivalent table (the reference),
single-event appends through the store, batched appends, a raw read of the reference rows, a global-log
read through the store, and a catch-up subscription. W writers each use their own connection. The
figures are medians over rounds; ratios are computed per round first.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import asyncpg

from klachtspoor.bench.stats import median_of_rounds, percentile
from klachtspoor.eventstore.port import START, EventStore, NewEvent, StreamState
from klachtspoor.pgtools import create_database, drop_database, scratch_name

StoreFactory = Callable[[str, int], Awaitable[EventStore]]

_PAYLOAD = {"channel": "telefoon", "categories": ["bejegening"], "description": "enc:v1:bench:" + "x" * 200}
_METADATA = {"correlation_id": str(uuid.UUID(int=1)), "actor": {"id": "bench", "role": "system"}}
_RAW_TABLE = """
CREATE TABLE bench_raw (
    global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id uuid NOT NULL UNIQUE,
    stream_name text NOT NULL,
    stream_version bigint NOT NULL,
    tenant text NOT NULL,
    type text NOT NULL,
    schema_version int NOT NULL,
    data jsonb NOT NULL,
    metadata jsonb NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (stream_name, stream_version)
)"""
_RAW_INSERT = (
    "INSERT INTO bench_raw (event_id, stream_name, stream_version, tenant, type, schema_version,"
    " data, metadata) VALUES ($1, $2, $3, $4, $5, 1, $6::jsonb, $7::jsonb)"
)


@dataclass(frozen=True)
class BenchConfig:
    events: int
    writers: int
    batch_size: int = 50
    rounds: int = 3


def _event() -> NewEvent:
    return NewEvent(
        event_id=uuid.uuid4(), type="SignalReceived", tenant="bench", data=_PAYLOAD, metadata=_METADATA
    )


async def _raw_inserts(url: str, config: BenchConfig) -> float:
    data, metadata = json.dumps(_PAYLOAD), json.dumps(_METADATA)

    async def writer(index: int, count: int) -> None:
        conn = await asyncpg.connect(url)
        try:
            stmt = await conn.prepare(_RAW_INSERT)
            for version in range(count):
                stream = f"case:bench:raw-{index}-{version // 10}"
                await stmt.fetch(
                    uuid.uuid4(), stream, version % 10, "bench", "SignalReceived", data, metadata
                )
        finally:
            await conn.close()

    return await _timed_writers(config, writer)


async def _appends(store: EventStore, config: BenchConfig, latencies: list[float]) -> float:
    async def writer(index: int, count: int) -> None:
        for version in range(count):
            stream = f"case:bench:single-{index}-{version // 10}"
            expected = StreamState.NO_STREAM if version % 10 == 0 else version % 10 - 1
            started = time.perf_counter()
            await store.append(stream, [_event()], expected)
            latencies.append((time.perf_counter() - started) * 1000)

    return await _timed_writers(config, writer)


async def _batched(store: EventStore, config: BenchConfig) -> float:
    async def writer(index: int, count: int) -> None:
        for batch_no, start in enumerate(range(0, count, config.batch_size)):
            size = min(config.batch_size, count - start)
            events = [_event() for _ in range(size)]
            await store.append(f"case:bench:batch-{index}-{batch_no}", events, StreamState.NO_STREAM)

    return await _timed_writers(config, writer)


async def _timed_writers(config: BenchConfig, writer: Callable[[int, int], Awaitable[None]]) -> float:
    share, extra = divmod(config.events, config.writers)
    counts = [share + (1 if i < extra else 0) for i in range(config.writers)]
    started = time.perf_counter()
    await asyncio.gather(*(writer(i, n) for i, n in enumerate(counts)))
    return config.events / (time.perf_counter() - started)


async def _raw_read(url: str, page: int = 1000) -> tuple[int, float]:
    conn = await asyncpg.connect(url)
    try:
        stmt = await conn.prepare(
            "SELECT * FROM bench_raw WHERE global_position > $1 ORDER BY global_position LIMIT $2"
        )
        count, last = 0, 0
        started = time.perf_counter()
        while rows := await stmt.fetch(last, page):
            count += len(rows)
            last = rows[-1]["global_position"]
        return count, count / (time.perf_counter() - started)
    finally:
        await conn.close()


async def _store_read(store: EventStore, page: int = 1000) -> tuple[int, float]:
    count, position = 0, START
    started = time.perf_counter()
    while batch := await store.read_all(after=position, limit=page):
        count += len(batch)
        position = batch[-1].position
    return count, count / (time.perf_counter() - started)


async def _catch_up(store: EventStore, total: int) -> float:
    count = 0
    started = time.perf_counter()
    subscription = store.subscribe(after=START, batch_size=1000)
    async for _ in subscription:
        count += 1
        if count >= total:
            break
    await subscription.aclose()  # type: ignore[attr-defined]
    return count / (time.perf_counter() - started)


async def run_round(server_url: str, open_store: StoreFactory, config: BenchConfig) -> dict[str, float]:
    """One round in a database of its own, dropped afterwards."""
    name = scratch_name("ks_bench")
    url = await create_database(server_url, name)
    try:
        setup = await asyncpg.connect(url)
        try:
            await setup.execute(_RAW_TABLE)
        finally:
            await setup.close()
        store = await open_store(url, config.writers)
        try:
            raw_per_s = await _raw_inserts(url, config)
            latencies: list[float] = []
            appends_per_s = await _appends(store, config, latencies)
            batched_per_s = await _batched(store, config)
            _, raw_read_per_s = await _raw_read(url)
            stored, read_per_s = await _store_read(store)
            catchup_per_s = await _catch_up(store, stored)
        finally:
            await store.close()
    finally:
        await drop_database(server_url, name)
    return {
        "appends_per_s": appends_per_s,
        "batched_events_per_s": batched_per_s,
        "read_events_per_s": read_per_s,
        "catchup_events_per_s": catchup_per_s,
        "append_p50_ms": percentile(latencies, 0.50),
        "append_p99_ms": percentile(latencies, 0.99),
        "raw_insert_per_s": raw_per_s,
        "raw_read_per_s": raw_read_per_s,
        "append_ratio": appends_per_s / raw_per_s,
        "read_ratio": read_per_s / raw_read_per_s,
        "catchup_ratio": catchup_per_s / raw_read_per_s,
    }


async def run_bench(
    server_url: str,
    open_store: StoreFactory,
    config: BenchConfig,
    on_round: Callable[[int], None] | None = None,
) -> dict[str, object]:
    rounds = []
    for index in range(config.rounds):
        rounds.append(await run_round(server_url, open_store, config))
        if on_round is not None:
            on_round(index + 1)
    result: dict[str, object] = {key: round(value, 3) for key, value in median_of_rounds(rounds).items()}
    result.update(
        events=config.events, writers=config.writers, batch_size=config.batch_size, rounds=config.rounds
    )
    result["per_round"] = [{k: round(v, 3) for k, v in r.items()} for r in rounds]
    return result
