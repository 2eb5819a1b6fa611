"""Many signals at once, each retried with its Idempotency-Key (some retries racing the first attempt):
every signal is one case, one reference, one mail, one NotificationSent and one row in reporting."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest
from e2e_helpers import WAIT, Opened, opened, reporting_get, submit
from e2e_stack import Stack, eventually

from klachtspoor.eventstore.port import START, LogFilter
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor_devtools.devstack.smtp import mail_files, read_deliveries

pytestmark = pytest.mark.slow

SIGNALS = 200
"""How many signals the module files (a module that imports the test sets its own)."""
TRACED = False
"""No span export here (as in ``make dev``): the traces are the signal test's subject, not this one's."""
CONCURRENCY = 16
PAGE = 100
REFERENCE = re.compile(r"KS-\d{4}-(\d{6})")


async def file_with_retries(client: httpx.AsyncClient, stack: Stack, number: int) -> list[Opened]:
    """The first attempt and one or two retries with the same key: every fourth signal's retry races its
    first attempt, every fourth (another) is retried twice, the rest once, after the answer."""
    key = f"load-{number}"
    if number % 4 == 0:
        racing = await asyncio.gather(submit(client, stack, key), submit(client, stack, key))
        return [opened(response) for response in racing]
    attempts = [opened(await submit(client, stack, key))]
    for _ in range(2 if number % 4 == 1 else 1):
        attempts.append(opened(await submit(client, stack, key)))
    return attempts


async def count_of_type(store: PostgresEventStore, event_type: str) -> int:
    count, after = 0, START
    while page := await store.read_all(after=after, filter=LogFilter(event_types=frozenset({event_type}))):
        count, after = count + len(page), page[-1].position
    return count


async def test_concurrent_signals_with_retries_are_each_one_case_one_mail_one_send(
    stack: Stack, store: PostgresEventStore, request: pytest.FixtureRequest
) -> None:
    signals: int = request.module.SIGNALS
    gate = asyncio.Semaphore(CONCURRENCY)
    limits = httpx.Limits(max_connections=CONCURRENCY * 2)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:

        async def one(number: int) -> list[Opened]:
            async with gate:
                return await file_with_retries(client, stack, number)

        results = await asyncio.gather(*(one(number) for number in range(signals)))

        for attempts in results:
            assert len(set(attempts)) == 1, f"retries of one key answered differently: {attempts}"
        cases = [attempts[0] for attempts in results]
        assert len({case.case_id for case in cases}) == signals
        numbers = sorted(int(REFERENCE.fullmatch(case.reference)[1]) for case in cases)  # type: ignore[index]
        assert numbers == list(range(1, signals + 1))  # distinct, and no number used up by a retry

        async def all_sent() -> bool:
            return await count_of_type(store, "NotificationSent") >= signals

        await eventually(all_sent, stack, within=WAIT * 2, what=f"{signals} NotificationSent events")

        async def all_reported() -> bool:
            response = await reporting_get(client, stack, "/cases?limit=1")
            return response.status_code == 200 and response.json()["total"] >= signals

        await eventually(all_reported, stack, within=WAIT, what=f"{signals} cases in reporting")
        pages = [
            (await reporting_get(client, stack, f"/cases?limit={PAGE}&offset={offset}")).json()
            for offset in range(0, signals, PAGE)
        ]

    assert await count_of_type(store, "NotificationSent") == signals
    assert await count_of_type(store, "SignalReceived") == signals
    assert [page["total"] for page in pages] == [signals] * len(pages)
    listed = [item["case_id"] for page in pages for item in page["items"]]
    assert sorted(listed) == sorted(str(case.case_id) for case in cases)
    assert len(mail_files(stack.mail_dir)) == signals
    assert len(read_deliveries(stack.mail_dir)) == signals
