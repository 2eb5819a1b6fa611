"""Trace-context helpers: the W3C ``traceparent`` travels in event metadata, so a trace continues from an
HTTP request through the store, the bus and every reacting service. (The process's tracer provider is
set up by :func:`klachtspoor.observability.configure`.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opentelemetry import context
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_PROPAGATOR = TraceContextTextMapPropagator()


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
