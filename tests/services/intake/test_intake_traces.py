"""What intake traces: by default the request, and no PostgreSQL query, while the appended events still
carry the request's trace in their metadata (so relay, escalation and notify continue it); a span per
query only with ``trace_queries``, in the same trace."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from intake_helpers import Clock, Intake, signal_body
from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from klachtspoor.bootstrap import open_infrastructure
from services.intake.bootstrap import bootstrap
from services.intake.settings import IntakeSettings

ASYNCPG_SCOPE = "opentelemetry.instrumentation.asyncpg"


@asynccontextmanager
async def traced(
    settings: IntakeSettings, private_key: str
) -> AsyncIterator[tuple[Intake, InMemorySpanExporter]]:
    """Intake with telemetry wired by its bootstrap, the spans kept in memory."""
    instrumentor = AsyncPGInstrumentor()  # type: ignore[no-untyped-call]
    if instrumentor.is_instrumented_by_opentelemetry:  # left on by another test: start clean
        instrumentor.uninstrument()
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    infra = await open_infrastructure(settings, pool_size=2)
    app = bootstrap(settings, infrastructure=infra, clock=Clock(), tracer_provider=provider).app
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://intake.test") as client:
                yield Intake(app, client, infra, settings, private_key), exporter
    finally:
        await infra.close()
    assert not instrumentor.is_instrumented_by_opentelemetry, "undone when the app's life ends"


def _queries(spans: tuple[ReadableSpan, ...]) -> list[ReadableSpan]:
    return [s for s in spans if s.instrumentation_scope and s.instrumentation_scope.name == ASYNCPG_SCOPE]


async def _submit_traced(intake: Intake) -> tuple[str, str]:
    """Submit a signal under a caller's trace: (the trace id, the span id in the events' metadata)."""
    trace_id = uuid.uuid4().hex
    response = await intake.submit(signal_body(), headers={"traceparent": f"00-{trace_id}-{'2' * 16}-01"})
    assert response.status_code == 201
    case = await intake.load("demo", response.json()["case_id"])
    (traceparent,) = {e.traceparent for e in case.events}
    assert traceparent is not None
    _, event_trace, parent_span, _ = traceparent.split("-")
    assert event_trace == trace_id
    return trace_id, parent_span


async def test_by_default_no_query_is_traced_and_the_events_carry_the_requests_trace(
    intake_settings: IntakeSettings, jwt_keys: tuple[str, Path]
) -> None:
    assert intake_settings.trace_queries is False
    async with traced(intake_settings, jwt_keys[0]) as (intake, exporter):
        trace_id, parent_span = await _submit_traced(intake)
    spans = exporter.get_finished_spans()
    assert not _queries(spans), "no span per query unless KLACHTSPOOR_TRACE_QUERIES is on"
    [server] = [s for s in spans if s.kind is SpanKind.SERVER and s.context.trace_id == int(trace_id, 16)]
    assert format(server.context.span_id, "016x") == parent_span, "the events hang under the request span"


async def test_with_trace_queries_each_query_is_a_span_in_the_requests_trace(
    intake_settings: IntakeSettings, jwt_keys: tuple[str, Path]
) -> None:
    settings = intake_settings.model_copy(update={"trace_queries": True})
    async with traced(settings, jwt_keys[0]) as (intake, exporter):
        trace_id, _ = await _submit_traced(intake)
    in_trace = [s for s in exporter.get_finished_spans() if s.context.trace_id == int(trace_id, 16)]
    queries = _queries(tuple(in_trace))
    assert queries, "the request's queries are spans of its trace"
    span_ids = {s.context.span_id for s in in_trace}
    assert all(q.parent is not None and q.parent.span_id in span_ids for q in queries)
