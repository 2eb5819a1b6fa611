"""What the checks read once the load is drained and the services are stopped: every case stream from
the store, the sink's deliveries, the access log's served reads, parked events, the chains (the check
``klachtspoor verify`` makes, :func:`klachtspoor.integrity.audit.check_log` over the bare adapter) and
each projection against a fresh rebuild (``klachtspoor projections rebuild``, as an operator runs it
while the services are down, its tables read before and after).

With the services stopped nothing writes any more, so the tables read before the rebuild are the live
projections' final state, and a difference after it is the live projection's doing. Columns the server's
clock fills in (a ``now()`` default, e.g. ``escalation.timer_cases.computed_at``) are left out of the
comparison: they say when a row was written, not what the events made of it, and a rebuild writes them
again at its own time.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import asyncpg

from klachtspoor.eventstore.port import START, Position
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.integrity.audit import check_log
from klachtspoor.projections.registry import load_projection, registered
from klachtspoor.settings import Settings
from klachtspoor.subscriptions import list_parked
from klachtspoor_devtools.chaos.checks import Cases, Event, Parked
from klachtspoor_devtools.devstack.errors import DevStackError
from klachtspoor_devtools.devstack.smtp import DELIVERIES_LOG
from klachtspoor_devtools.devstack.stack import klachtspoor_command

PAGE = 2000
COMMAND_TIMEOUT = 600.0


async def case_streams(database_url: str) -> dict[str, list[Event]]:
    """Every case stream's events (type and stored data), in stream order, from the whole global log."""
    store = await PostgresEventStore.connect(database_url, notify=False, pool_size=2)
    cases: dict[str, list[Event]] = {}
    try:
        after: Position = START
        while page := await store.read_all(after=after, limit=PAGE):
            for event in page:
                if event.stream.startswith("case:"):
                    cases.setdefault(event.stream, []).append(Event(event.type, dict(event.data)))
            after = page[-1].position
    finally:
        await store.close()
    return cases


def handovers(mail_dir: Path) -> dict[str, list[float]]:
    """Message-ID -> each time the sink accepted that mail (``accepted_at`` in its ``deliveries.log``)."""
    log = mail_dir / DELIVERIES_LOG
    found: dict[str, list[float]] = {}
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                found.setdefault(str(entry["message_id"]), []).append(float(entry["accepted_at"]))
    return found


def notifications_parked(cases: Cases) -> list[Parked]:
    return [
        Parked(
            "notify",
            None,
            f"{stream}: notification {e.data.get('notification_id')} parked ({e.data.get('reason')})",
        )
        for stream, events in cases.items()
        for e in events
        if e.type == "NotificationParked"
    ]


async def subscriptions_parked(database_url: str) -> list[Parked]:
    conn = await asyncpg.connect(database_url)
    try:
        parked = await list_parked(conn)
    finally:
        await conn.close()
    return [
        Parked(
            p.subscriber,
            str(p.event_id),
            f"{p.subscriber}: {p.type} {p.event_id} of {p.stream} ({p.error_type}: {p.error})",
        )
        for p in parked
    ]


async def served_reads(database_url: str) -> dict[tuple[str, str], int]:
    """Served access records per (case id, channel)."""
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "SELECT case_id::text AS case_id, channel, count(*) AS n FROM accesslog.records"
            " WHERE outcome = 'served' GROUP BY 1, 2"
        )
    finally:
        await conn.close()
    return {(row["case_id"], row["channel"]): int(row["n"]) for row in rows}


def _command(env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*klachtspoor_command(), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )


async def verify_chains(database_url: str) -> tuple[bool, str]:
    """``klachtspoor verify``'s check over the whole log: intact, and what it found."""
    store = await PostgresEventStore.connect(database_url, notify=False, pool_size=2)
    try:
        report = await check_log(store)
    finally:
        await store.close()
    if report.intact:
        return True, f"{report.streams} streams, {report.checked} events intact"
    return False, f"broken: {report.chain_break or report.anchor_break}"


async def _table_rows(database_url: str, tables: tuple[str, ...]) -> dict[str, Counter[str]]:
    conn = await asyncpg.connect(database_url)
    try:
        rows: dict[str, Counter[str]] = {}
        for table in tables:
            schema, name = table.split(".")
            clock = await conn.fetch(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = $1"
                " AND table_name = $2 AND (column_default ILIKE '%now()%' OR column_default ILIKE"
                " '%current_timestamp%' OR column_default ILIKE '%clock_timestamp()%')",
                schema,
                name,
            )
            dropped = "".join(f" - '{record['column_name']}'" for record in clock)
            found = await conn.fetch(f'SELECT (to_jsonb(t){dropped})::text AS row FROM "{schema}"."{name}" t')
            rows[table] = Counter(str(record["row"]) for record in found)
    finally:
        await conn.close()
    return rows


def projection_differences(env: Mapping[str, str], database_url: str) -> dict[str, list[str]]:
    """Per projection, how its tables differ from a fresh rebuild's (empty: equal)."""
    settings = Settings(database_url=database_url)
    projections = [load_projection(name, settings) for name in registered()]
    before = {p.name: asyncio.run(_table_rows(p.database_url, p.tables)) for p in projections}
    ran = _command(env, "projections", "rebuild", "--processes", "1")
    if ran.returncode != 0:
        raise DevStackError(
            f"projections rebuild failed (exit {ran.returncode}): {ran.stderr.strip()[-500:]}"
        )
    differences: dict[str, list[str]] = {}
    for projection in projections:
        after = asyncio.run(_table_rows(projection.database_url, projection.tables))
        found = []
        for table, live in before[projection.name].items():
            only_live, only_rebuilt = live - after[table], after[table] - live
            if only_live or only_rebuilt:
                live_rows, rebuilt_rows = sum(only_live.values()), sum(only_rebuilt.values())
                found.append(f"{table}: {live_rows} rows only live, {rebuilt_rows} only rebuilt")
        differences[projection.name] = found
    return differences
