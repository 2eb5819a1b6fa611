"""The work every event store benchmark does through the port, and how rounds become one result.

Shared by the PostgreSQL and the EventStoreDB benchmarks, so both measure the adapter with the same
events, the same stream shapes and the same writers, and summarise rounds the same way.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from klachtspoor.eventstore.port import START, EventStore, LogFilter, NewEvent, Position, StreamState
from klachtspoor_devtools.bench.stats import median_of_rounds

PAYLOAD = {"channel": "telefoon", "categories": ["bejegening"], "description": "enc:v1:bench:" + "x" * 200}
METADATA = {"correlation_id": str(uuid.UUID(int=1)), "actor": {"id": "bench", "role": "system"}}
STREAM_LENGTH = 10
"""Single-event appends go ten to a stream: the first with NO_STREAM, then exact versions."""


@dataclass(frozen=True)
class BenchConfig:
    events: int
    writers: int
    batch_size: int = 50
    rounds: int = 3


def new_event() -> NewEvent:
    return NewEvent(
        event_id=uuid.uuid4(), type="SignalReceived", tenant="bench", data=PAYLOAD, metadata=METADATA
    )


async def timed_writers(config: BenchConfig, writer: Callable[[int, int], Awaitable[None]]) -> float:
    """Events per second of ``config.writers`` concurrent writers sharing ``config.events``."""
    share, extra = divmod(config.events, config.writers)
    counts = [share + (1 if i < extra else 0) for i in range(config.writers)]
    started = time.perf_counter()
    await asyncio.gather(*(writer(i, n) for i, n in enumerate(counts)))
    return config.events / (time.perf_counter() - started)


async def store_appends(
    store: EventStore, config: BenchConfig, latencies: list[float], prefix: str = "case:bench:"
) -> float:
    """Single-event appends with the expected version checked on each; latencies in ms."""

    async def writer(index: int, count: int) -> None:
        for n in range(count):
            version = n % STREAM_LENGTH
            expected = StreamState.NO_STREAM if version == 0 else version - 1
            started = time.perf_counter()
            await store.append(f"{prefix}single-{index}-{n // STREAM_LENGTH}", [new_event()], expected)
            latencies.append((time.perf_counter() - started) * 1000)

    return await timed_writers(config, writer)


async def store_batched(store: EventStore, config: BenchConfig, prefix: str = "case:bench:") -> float:
    """Appends of ``config.batch_size`` events each, every batch to a new stream."""

    async def writer(index: int, count: int) -> None:
        for batch_no, start in enumerate(range(0, count, config.batch_size)):
            events = [new_event() for _ in range(min(config.batch_size, count - start))]
            await store.append(f"{prefix}batch-{index}-{batch_no}", events, StreamState.NO_STREAM)

    return await timed_writers(config, writer)


async def store_read(
    store: EventStore, after: Position = START, filter: LogFilter | None = None, page: int = 1000
) -> tuple[int, float]:
    """The global log after ``after`` in pages: (events read, events per second)."""
    count, position = 0, after
    started = time.perf_counter()
    while batch := await store.read_all(after=position, filter=filter, limit=page):
        count += len(batch)
        position = batch[-1].position
    return count, count / (time.perf_counter() - started)


async def store_catch_up(
    store: EventStore, total: int, after: Position = START, filter: LogFilter | None = None
) -> float:
    """Events per second of a subscription catching up on ``total`` events after ``after``."""
    count = 0
    started = time.perf_counter()
    subscription = store.subscribe(after=after, filter=filter, batch_size=1000)
    async for _ in subscription:
        count += 1
        if count >= total:
            break
    await subscription.aclose()  # type: ignore[attr-defined]
    return count / (time.perf_counter() - started)


async def run_rounds(
    one_round: Callable[[int], Awaitable[dict[str, float]]],
    config: BenchConfig,
    on_round: Callable[[int], None] | None = None,
) -> dict[str, object]:
    """Run ``config.rounds`` rounds (numbered from 1); medians over rounds, then every round's figures."""
    rounds = []
    for number in range(1, config.rounds + 1):
        rounds.append(await one_round(number))
        if on_round is not None:
            on_round(number)
    result: dict[str, object] = {key: round(value, 3) for key, value in median_of_rounds(rounds).items()}
    result.update(
        events=config.events, writers=config.writers, batch_size=config.batch_size, rounds=config.rounds
    )
    result["per_round"] = [{k: round(v, 3) for k, v in r.items()} for r in rounds]
    return result
