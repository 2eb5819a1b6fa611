"""One client span per port call, named and attributed like other database clients' spans.

Stream names carry no personal data (tenant, kind and a random id), so they may go on a span.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry import trace


@contextmanager
def client_span(
    tracer: trace.Tracer, operation: str, stream: str | None, **counts: int
) -> Iterator[trace.Span]:
    """The span records a raised error and marks itself failed (the SDK's defaults)."""
    attributes: dict[str, str | int] = {"db.system.name": "eventstoredb", "db.operation.name": operation}
    if stream is not None:
        attributes["db.collection.name"] = stream
    attributes.update({f"klachtspoor.eventstore.{name}": value for name, value in counts.items()})
    with tracer.start_as_current_span(
        f"{operation} {stream}" if stream else operation, kind=trace.SpanKind.CLIENT, attributes=attributes
    ) as span:
        yield span
