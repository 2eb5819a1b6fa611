"""The spans of the subscriptions: one per projection batch (in its first event's trace, linked to the
others'), one per event when a failed batch is handled event by event, one per event for a reactor."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import asyncpg
import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode
from subscription_helpers import conn as conn  # the fixture
from subscription_helpers import count_event, counts

from klachtspoor.eventstore.port import Position, RecordedEvent
from klachtspoor.subscriptions import Projection, Reactor, RetryPolicy, handling
from klachtspoor.subscriptions.handling import ProjectionHandling, ReactorHandling

FAST = RetryPolicy(attempts=1, backoff=0.0)
FIRST, SECOND = uuid4().hex, uuid4().hex  # two requests' traces


@pytest.fixture
def spans(monkeypatch: pytest.MonkeyPatch) -> InMemorySpanExporter:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(handling, "_tracer", provider.get_tracer("test"))
    return exporter


def _traceparent(trace_id: str) -> str:
    """The traceparent a request writes into all the events it appends: its trace, its span."""
    return f"00-{trace_id}-{trace_id[:16]}-01"


def _events(*traces: str | None) -> list[RecordedEvent]:
    """One event per entry, in the trace named there (None: an event appended outside any trace)."""
    now = datetime.now(UTC)
    return [
        RecordedEvent(
            stream=f"case:t1:{uuid4().hex[:8]}",
            version=0,
            position=Position(10**9 + n, n),
            event_id=uuid4(),
            type="SignaalOntvangen",
            tenant="t1",
            data={"n": n},
            metadata={} if trace_id is None else {"traceparent": _traceparent(trace_id)},
            schema_version=1,
            recorded_at=now,
        )
        for n, trace_id in enumerate(traces)
    ]


def _trace_of(span: ReadableSpan) -> str:
    return format(span.context.trace_id, "032x")


async def test_a_projection_batch_is_one_span_in_the_first_events_trace_linked_to_the_others(
    conn: asyncpg.Connection, spans: InMemorySpanExporter
) -> None:
    events = _events(FIRST, FIRST, None, SECOND, SECOND)
    name = "proj.spans"
    await ProjectionHandling(Projection(name, count_event), FAST, lambda _: None).handle(conn, events)

    assert await counts(conn) == {e.event_id: 1 for e in events}
    [batch] = spans.get_finished_spans()
    assert batch.name == f"{name} batch"
    assert batch.attributes is not None and batch.attributes["klachtspoor.events"] == 5
    assert _trace_of(batch) == FIRST
    assert batch.parent is not None and format(batch.parent.span_id, "016x") == FIRST[:16]
    linked = [format(link.context.trace_id, "032x") for link in batch.links]
    assert linked == [SECOND], "each other trace once; none for the first's or the untraced event"


async def test_a_failed_batch_is_handled_event_by_event_each_in_its_own_trace(
    conn: asyncpg.Connection, spans: InMemorySpanExporter
) -> None:
    events = _events(FIRST, SECOND)
    poison = events[1].event_id

    async def handle(c: asyncpg.Connection, event: RecordedEvent) -> None:
        await count_event(c, event)
        if event.event_id == poison:
            raise ValueError("cannot project this one")

    name = "proj.spans"
    await ProjectionHandling(Projection(name, handle), FAST, lambda _: None).handle(conn, events)

    batch, first, failed = spans.get_finished_spans()
    assert (batch.name, batch.status.status_code) == (f"{name} batch", StatusCode.ERROR)
    assert (first.name, _trace_of(first), first.status.status_code) == (
        f"{name} SignaalOntvangen",
        FIRST,
        StatusCode.UNSET,
    )
    assert (_trace_of(failed), failed.status.status_code) == (SECOND, StatusCode.ERROR)


async def test_a_reactor_handles_each_event_in_a_span_of_its_trace(
    conn: asyncpg.Connection, spans: InMemorySpanExporter
) -> None:
    seen: list[str] = []

    async def handle(event: RecordedEvent) -> None:
        seen.append(event.metadata["traceparent"])

    events = _events(FIRST, SECOND)
    name = "react.spans"
    await ReactorHandling(Reactor(name, handle), FAST, lambda _: None).handle(conn, events)

    assert len(seen) == 2
    assert [(s.name, _trace_of(s)) for s in spans.get_finished_spans()] == [
        (f"{name} SignaalOntvangen", FIRST),
        (f"{name} SignaalOntvangen", SECOND),
    ]
