"""OpenTelemetry set-up and trace-context helpers.

The exporter follows the standard variables: ``OTEL_TRACES_EXPORTER`` = ``none`` (default), ``console`` or
``otlp`` (then ``OTEL_EXPORTER_OTLP_ENDPOINT`` and friends apply). The W3C ``traceparent`` travels in event
metadata, so a trace continues from an HTTP request through the store, the bus and every reacting service.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from opentelemetry import context, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_PROPAGATOR = TraceContextTextMapPropagator()


def configure_telemetry(service_name: str, exporter: SpanExporter | None = None) -> TracerProvider:
    """Install a tracer provider for this process; call once from a bootstrap, never at import time.

    Without an exporter nothing is recorded (``ALWAYS_OFF``): recording spans that nobody exports cost
    the services a quarter to a third of their CPU (docs/benchmarks.md). Spans are still made, without
    attributes, so trace ids still travel in event metadata and appear in the logs.
    """
    resource = Resource.create({"service.name": service_name})
    chosen = exporter or _exporter_from_environment()
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


def current_traceparent() -> str | None:
    """The W3C traceparent of the active span, for event metadata; None outside a trace."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get("traceparent")


def context_from_traceparent(traceparent: str | None) -> context.Context:
    """A context whose parent is the span named by ``traceparent`` (the current one when None)."""
    if not traceparent:
        return context.get_current()
    return _PROPAGATOR.extract({"traceparent": traceparent})


def traceparent_from_metadata(metadata: Mapping[str, Any]) -> str | None:
    value = metadata.get("traceparent")
    return value if isinstance(value, str) and value else None
