"""The one retry helper: outages are retried for as long as they last, other failures a few times."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from faststream.exceptions import NackMessage, RejectMessage

from klachtspoor.crypto.errors import KeyStoreUnavailable
from klachtspoor.eventstore.errors import StoreUnavailable
from klachtspoor.retry import Backoff, RetryPolicy, is_transient

FAST = RetryPolicy(attempts=3, backoff=0.0, max_backoff=0.0)


@pytest.mark.parametrize(
    "error",
    [StoreUnavailable("x"), KeyStoreUnavailable("x"), ConnectionRefusedError(), TimeoutError()],
)
def test_outages_are_transient(error: BaseException) -> None:
    assert is_transient(error)


def test_an_outage_behind_another_error_is_transient_and_a_bug_is_not() -> None:
    try:
        try:
            raise ConnectionResetError("reset")
        except OSError as cause:
            raise RuntimeError("handler failed") from cause
    except RuntimeError as wrapped:
        assert is_transient(wrapped)
    assert not is_transient(ValueError("invalid payload"))
    assert not is_transient(KeyError("case_id"))
    assert not is_transient(FileNotFoundError("policies/so/v1.yaml"))


def test_an_error_raised_while_handling_an_outage_is_judged_by_itself() -> None:
    try:
        try:
            raise ConnectionResetError("reset")
        except OSError:
            raise ValueError("a bug in the handler") from None
    except ValueError as bug:
        assert not is_transient(bug)


async def test_an_outage_outlasting_many_times_the_attempts_is_waited_out() -> None:
    calls = itertools.count(1)

    async def flaky() -> int:
        n = next(calls)
        if n <= 10 * FAST.attempts:
            raise StoreUnavailable("down")
        return n

    assert await FAST.call(flaky) == 10 * FAST.attempts + 1


async def test_a_failure_of_the_thing_itself_gives_up_after_the_attempts() -> None:
    calls = itertools.count(1)

    async def broken() -> None:
        next(calls)
        raise ValueError("always")

    with pytest.raises(ValueError, match="always"):
        await FAST.call(broken)
    assert next(calls) == FAST.attempts + 1


async def test_a_cancelled_call_is_not_retried() -> None:
    started = asyncio.Event()

    async def stuck() -> None:
        started.set()
        await asyncio.Event().wait()

    task = asyncio.create_task(FAST.call(stuck))
    await asyncio.wait_for(started.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 5)


async def test_an_iterator_s_end_reaches_the_caller_and_is_not_retried() -> None:
    """``__anext__`` under retry: its StopAsyncIteration is the caller's, not the retry loop's end."""
    calls = 0

    async def ended() -> int:
        nonlocal calls
        calls += 1
        raise StopAsyncIteration

    with pytest.raises(StopAsyncIteration):
        await Backoff(0.0, 0.0).call(ended, lambda error: True)
    with pytest.raises(StopAsyncIteration):
        await RetryPolicy(attempts=3, backoff=0.0).call(ended)
    assert calls == 2


def test_the_backoff_doubles_up_to_its_maximum() -> None:
    curve = Backoff(initial=0.5, maximum=30.0)
    assert [curve.delay(n) for n in (1, 2, 3, 7, 50)] == [0.5, 1.0, 2.0, 30.0, 30.0]


class _Workflow:
    def __init__(self, error: Exception) -> None:
        self.error = error

    async def handle(self, command: object) -> object:
        raise self.error


class _Parking:
    def __init__(self) -> None:
        self.parked: list[object] = []

    async def park(self, event: object, error: BaseException, attempts: int) -> None:
        self.parked.append(event)


def _consumer(error: Exception) -> tuple[object, _Parking]:
    from datetime import UTC, datetime

    from services.escalation.entrypoints.consumer import CaseEventConsumer

    parking = _Parking()
    consumer = CaseEventConsumer(
        _Workflow(error),  # type: ignore[arg-type]
        parking,
        lambda: datetime(2026, 3, 5, tzinfo=UTC),
        name="escalation",
        max_deliver=5,
        retry=FAST,
    )
    return consumer, parking


def _signal() -> object:
    from datetime import UTC, datetime
    from uuid import uuid4

    from klachtspoor.relay import RelayedEvent

    return RelayedEvent(
        event_id=uuid4(),
        type="SignalReceived",
        schema_version=1,
        tenant="t",
        stream="case:t:x",
        version=0,
        position="1/0",
        metadata={"case_id": str(uuid4()), "correlation_id": str(uuid4())},
        recorded_at=datetime(2026, 3, 5, tzinfo=UTC),
        data={},
    )


async def test_escalation_naks_an_outage_on_any_delivery_and_never_parks_it() -> None:
    consumer, parking = _consumer(StoreUnavailable("PostgreSQL at db:5432/x is unavailable"))
    with pytest.raises(NackMessage):
        await consumer.consume(_signal(), 500)  # type: ignore[attr-defined]
    assert parking.parked == []


async def test_escalation_parks_a_failure_of_the_event_itself_at_max_deliver() -> None:
    consumer, parking = _consumer(ValueError("bug"))
    with pytest.raises(NackMessage):
        await consumer.consume(_signal(), 4)  # type: ignore[attr-defined]
    with pytest.raises(RejectMessage):
        await consumer.consume(_signal(), 5)  # type: ignore[attr-defined]
    assert len(parking.parked) == 1
