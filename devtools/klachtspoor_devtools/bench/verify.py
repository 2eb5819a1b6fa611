"""``klachtspoor bench verify``: ``klachtspoor verify`` over the whole log, in events per second.

One fresh database is seeded once with N chained events (cases of ``STREAM_LENGTH`` events, each case one
batched append through :class:`ChainedEventStore`, W writers); then each round checks the whole log as
``klachtspoor verify`` does (every chain and the running anchor digest) and, for reference, reads the same
log through the bare adapter without checking. Figures are medians over rounds.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable

from klachtspoor.eventstore.port import START, NewEvent, StreamState
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.integrity.anchors import RunningDigest
from klachtspoor.integrity.audit import check_log
from klachtspoor.integrity.chain import recorded_hash
from klachtspoor.integrity.store import ChainedEventStore
from klachtspoor.pgtools import create_database, drop_database, scratch_name
from klachtspoor_devtools.bench.stats import median_of_rounds
from klachtspoor_devtools.bench.workload import METADATA, PAYLOAD

STREAM_LENGTH = 20
"""Events per case: one batched append each while seeding."""
_PAGE = 5000


async def _seed(store: ChainedEventStore, events: int, writers: int) -> float:
    """Events per second of seeding ``events`` chained events, ``writers`` appending at once."""
    cases = -(-events // STREAM_LENGTH)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for case in range(cases):
        queue.put_nowait(case)

    async def writer() -> None:
        while not queue.empty():
            case = queue.get_nowait()
            count = min(STREAM_LENGTH, events - case * STREAM_LENGTH)
            batch = [
                NewEvent(uuid.uuid4(), "SignalReceived", "bench", {**PAYLOAD, "n": n}, METADATA)
                for n in range(count)
            ]
            await store.append(case_stream("bench", f"c{case}"), batch, StreamState.NO_STREAM)

    started = time.perf_counter()
    await asyncio.gather(*(writer() for _ in range(writers)))
    return events / (time.perf_counter() - started)


async def _settle(store: PostgresEventStore, events: int) -> None:
    """Wait until the global log shows every seeded event (it holds back behind open transactions)."""
    async with asyncio.timeout(120):
        while True:
            if await _count(store) >= events:
                return
            await asyncio.sleep(0.1)


async def _count(store: PostgresEventStore) -> int:
    count, after = 0, START
    while page := await store.read_all(after=after, limit=_PAGE):
        count, after = count + len(page), page[-1].position
    return count


async def _timed_read(store: PostgresEventStore) -> tuple[int, float]:
    """Every event read (JSON left unparsed, as catch-up does), and the events per second."""
    started = time.perf_counter()
    count = await _count(store)
    return count, count / (time.perf_counter() - started)


async def _timed_hash(store: PostgresEventStore) -> float:
    """Events per second of reading and hashing every event (the anchors' work, without the chains)."""
    running, after = RunningDigest(), START
    started = time.perf_counter()
    while page := await store.read_all(after=after, limit=_PAGE):
        for event in page:
            running.add(recorded_hash(event), event.position)
        after = page[-1].position
    return running.count / (time.perf_counter() - started)


async def run_verify_bench(
    server_url: str, events: int, writers: int, rounds: int, on_round: Callable[[int], None] | None = None
) -> dict[str, object]:
    name = scratch_name("ks_bench")
    url = await create_database(server_url, name)
    try:
        inner = await PostgresEventStore.connect(url, pool_size=writers + 2, notify=False)
        store = ChainedEventStore(inner)
        try:
            seed_per_s = await _seed(store, events, writers)
            await _settle(inner, events)
            figures = []
            for number in range(1, rounds + 1):
                started = time.perf_counter()
                report = await check_log(inner)
                verify_per_s = report.checked / (time.perf_counter() - started)
                if not report.intact or report.checked != events:
                    raise RuntimeError(f"The seeded log did not verify: {report}")
                _, read_per_s = await _timed_read(inner)
                hash_per_s = await _timed_hash(inner)
                figures.append(
                    {
                        "verify_events_per_s": verify_per_s,
                        "hash_events_per_s": hash_per_s,
                        "read_events_per_s": read_per_s,
                        "verify_ratio_to_read": verify_per_s / read_per_s,
                        "verify_seconds": report.checked / verify_per_s,
                    }
                )
                if on_round is not None:
                    on_round(number)
        finally:
            await store.close()
    finally:
        await drop_database(server_url, name)
    result: dict[str, object] = {k: round(v, 3) for k, v in median_of_rounds(figures).items()}
    result.update(
        events=events,
        streams=-(-events // STREAM_LENGTH),
        seed_events_per_s=round(seed_per_s, 1),
        writers=writers,
        rounds=rounds,
        per_round=[{k: round(v, 3) for k, v in r.items()} for r in figures],
    )
    return result
