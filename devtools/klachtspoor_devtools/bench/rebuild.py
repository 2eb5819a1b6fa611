"""``klachtspoor bench rebuild``: every registered projection rebuilt from a log of N events.

One fresh database gets the log (:mod:`klachtspoor_devtools.bench.rebuild_log`); then each round
rebuilds every projection the installed services register (``klachtspoor.projections``), one after the
other, exactly as ``klachtspoor projections rebuild`` does (shadow tables, swap), and times each. Figures
are medians over rounds; the goal (DESIGN.md) is every projection under 60 s for a million events.

Beside the wall time, each rebuild's CPU time, of this process and of the share processes a per-stream
projection is folded in (``os.times``, children counted once they have ended): on a machine others share,
the wall time says as much about their load as about the code, the CPU time much less, so changes are
compared by it.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

from klachtspoor import pgconnect
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.pgtools import create_database, drop_database, scratch_name
from klachtspoor.projections import load_projection, rebuild_projection, registered
from klachtspoor.settings import Settings
from klachtspoor_devtools.bench.rebuild_log import write_log

_TIMEOUTS = pgconnect.Timeouts(command=3600.0, acquire=10.0)


async def run_rebuild_bench(
    server_url: str,
    events: int,
    rounds: int,
    on_round: Callable[[int], None] | None = None,
    *,
    processes: int = 1,
) -> dict[str, object]:
    name = scratch_name("ks_bench")
    url = await create_database(server_url, name)
    try:
        started = time.perf_counter()
        written = await write_log(url, events)
        seed_seconds = time.perf_counter() - started
        settings = Settings(database_url=url)
        projections = [load_projection(each, settings) for each in registered()]
        store = await PostgresEventStore.connect(url, pool_size=2, notify=False)
        seconds: dict[str, list[float]] = {p.name: [] for p in projections}
        cpu: dict[str, list[float]] = {p.name: [] for p in projections}
        read: dict[str, int] = {}
        used: dict[str, int] = {}
        try:
            for number in range(1, rounds + 1):
                for projection in projections:
                    conn = await pgconnect.connect(url, _TIMEOUTS)
                    try:
                        cpu_before = _cpu_seconds()
                        result = await rebuild_projection(
                            store, conn, projection, processes=processes, settings=settings
                        )
                        cpu[projection.name].append(_cpu_seconds() - cpu_before)
                    finally:
                        await conn.close()
                    # A projection reads the events its filter names (contacts: four event types); the
                    # same count every round, and never none of a log that holds its events.
                    if result.events == 0 or read.setdefault(projection.name, result.events) != result.events:
                        raise RuntimeError(f"{projection.name} read {result.events} of {written} events")
                    seconds[projection.name].append(result.seconds)
                    used[projection.name] = result.processes
                if on_round is not None:
                    on_round(number)
        finally:
            await store.close()
    finally:
        await drop_database(server_url, name)
    return {
        "events": written,
        "seed_seconds": round(seed_seconds, 1),
        "seed_events_per_s": round(written / seed_seconds),
        "rounds": rounds,
        "projections": {
            each: {
                "median_seconds": round(statistics.median(times), 2),
                "events_read": read[each],
                "processes": used[each],
                "events_per_s": round(read[each] / statistics.median(times)),
                "per_round_seconds": [round(t, 2) for t in times],
                "median_cpu_seconds": round(statistics.median(cpu[each]), 2),
                "per_round_cpu_seconds": [round(t, 2) for t in cpu[each]],
            }
            for each, times in seconds.items()
        },
    }


def _cpu_seconds() -> float:
    """User and system time of this process and of its children that have ended."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system
