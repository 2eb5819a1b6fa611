"""``klachtspoor bench eventstore``: the event store against raw asyncpg on the same server, same run.

Each round runs, in one fresh database: raw single-row inserts into an equivalent table (the reference),
single-event appends through the store, batched appends, a raw read of the reference rows, a global-log
read through the store, and a catch-up subscription. W writers each use their own connection. The
figures are medians over rounds; ratios are computed per round first.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Awaitable, Callable

import asyncpg

from klachtspoor.eventstore.port import EventStore
from klachtspoor.pgtools import create_database, drop_database, scratch_name
from klachtspoor_devtools.bench.stats import percentile
from klachtspoor_devtools.bench.workload import (
    METADATA,
    PAYLOAD,
    BenchConfig,
    run_rounds,
    store_appends,
    store_batched,
    store_catch_up,
    store_read,
    timed_writers,
)

StoreFactory = Callable[[str, int], Awaitable[EventStore]]

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


async def _raw_inserts(url: str, config: BenchConfig) -> float:
    data, metadata = json.dumps(PAYLOAD), json.dumps(METADATA)

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

    return await timed_writers(config, writer)


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
            appends_per_s = await store_appends(store, config, latencies)
            batched_per_s = await store_batched(store, config)
            _, raw_read_per_s = await _raw_read(url)
            stored, read_per_s = await store_read(store)
            catchup_per_s = await store_catch_up(store, stored)
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
    return await run_rounds(lambda _: run_round(server_url, open_store, config), config, on_round)
