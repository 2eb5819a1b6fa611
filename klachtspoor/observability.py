"""Logs and traces, set up one way for every process: the four services and the relay.

``configure(service_name)`` is called by each ``__main__`` (with ``log_level``: JSON lines on stderr)
and again by each bootstrap; it installs the process's tracer provider once and returns it, so a second
call, or a second app in the same process (tests), shares it. A caller that brings its own provider
(tests that keep their spans local) gets that one back and nothing global is installed. Logging is set
only when asked for: a bootstrap never replaces the handlers of the process it runs in (a test's log
capture, say).

The exporter follows the standard variables: ``OTEL_TRACES_EXPORTER`` = ``none`` (default), ``console`` or
``otlp`` (then ``OTEL_EXPORTER_OTLP_ENDPOINT`` and friends apply). The libraries are instrumented here
too: :func:`instrument_app` for a FastAPI app, :func:`instrumented_asyncpg` for the life of an app (asyncpg
instrumentation is process-wide, so it is undone when that life ends).

What is traced by default (docs/observability.md): each HTTP request, each message a consumer handles, each
event the relay publishes, each reactor's event, each projection batch, each SMTP handover. A span per
PostgreSQL query only with ``KLACHTSPOOR_TRACE_QUERIES=true``: the queries are most of the spans a request
makes, and making them (even unrecorded) cost the services a large share of their CPU (docs/benchmarks.md).
The trace from request to mail does not need them: it travels as the ``traceparent`` in event metadata.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF

from klachtspoor.logs import JsonFormatter


def configure(
    service_name: str, *, tracer_provider: TracerProvider | None = None, log_level: str | None = None
) -> TracerProvider:
    """The tracer provider this process's ``service_name`` reports with (installed on the first call).

    ``log_level``: also send the process's logs as JSON lines to stderr (the ``__main__`` modules do);
    fields passed as ``extra={"ks_field": value}`` appear as ``field``.
    """
    if log_level is not None:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root = logging.getLogger()
        root.handlers[:] = [handler]
        root.setLevel(log_level)
    if tracer_provider is not None:
        return tracer_provider
    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):
        return current
    return _install(service_name)


def instrument_app(app: FastAPI, tracer_provider: TracerProvider) -> None:
    """A span for every request the app serves."""
    FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider)


@contextmanager
def instrumented_asyncpg(tracer_provider: TracerProvider | None, *, enabled: bool) -> Iterator[None]:
    """A span for every asyncpg query while the block runs; undone after it, unless it was already on.

    ``enabled`` is the setting ``trace_queries`` (off by default: see the module's docstring). ``None``:
    telemetry is off (tests that instrument what they look at themselves). The instrumentation is
    process-wide: one app that turns it on also traces the queries of another app in the same process.
    """
    instrumentor = AsyncPGInstrumentor()  # type: ignore[no-untyped-call]
    if not enabled or tracer_provider is None or instrumentor.is_instrumented_by_opentelemetry:
        yield
        return
    instrumentor.instrument(tracer_provider=tracer_provider)
    try:
        yield
    finally:
        instrumentor.uninstrument()


def _install(service_name: str) -> TracerProvider:
    """Install the process's tracer provider.

    Without an exporter nothing is recorded (``ALWAYS_OFF``): recording spans that nobody exports cost
    the services a quarter to a third of their CPU (docs/benchmarks.md). Spans are still made, without
    attributes, so trace ids still travel in event metadata and appear in the logs.
    """
    resource = Resource.create({"service.name": service_name})
    chosen = _exporter_from_environment()
    if chosen is None:
        provider = TracerProvider(resource=resource, sampler=ALWAYS_OFF)
    else:
        provider = TracerProvider(resource=resource)
        provider.add_span_processor(BatchSpanProcessor(chosen))
    trace.set_tracer_provider(provider)
    return provider


def _exporter_from_environment() -> SpanExporter | None:
    kind = os.environ.get("OTEL_TRACES_EXPORTER", "none").strip().lower()
    match kind:
        case "none" | "":
            return None
        case "console":
            return ConsoleSpanExporter()
        case "otlp":
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            return OTLPSpanExporter()
        case _:
            raise ValueError(f"OTEL_TRACES_EXPORTER={kind!r} is not supported (use none, console or otlp)")
