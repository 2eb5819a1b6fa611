import io
import json
import logging

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from klachtspoor.logs import JsonFormatter
from klachtspoor.telemetry import context_from_traceparent, current_traceparent


def _tracer() -> tuple[trace.Tracer, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider.get_tracer("test"), exporter


def test_traceparent_round_trip_continues_the_trace() -> None:
    tracer, exporter = _tracer()
    assert current_traceparent() is None
    with tracer.start_as_current_span("request") as parent:
        traceparent = current_traceparent()
    assert traceparent is not None
    assert traceparent.split("-")[1] == format(parent.get_span_context().trace_id, "032x")
    with tracer.start_as_current_span("reaction", context=context_from_traceparent(traceparent)):
        pass
    request, reaction = exporter.get_finished_spans()
    assert reaction.context.trace_id == request.context.trace_id
    assert reaction.parent is not None and reaction.parent.span_id == request.context.span_id


def test_json_log_lines_carry_trace_ids_and_extra_fields() -> None:
    tracer, _ = _tracer()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("test.json")
    logger.addHandler(handler)
    logger.propagate = False
    with tracer.start_as_current_span("work") as span:
        logger.warning("parked %s", "evt-1", extra={"ks_subscriber": "relay"})
    line = json.loads(stream.getvalue())
    assert line["message"] == "parked evt-1"
    assert line["subscriber"] == "relay"
    assert line["trace_id"] == format(span.get_span_context().trace_id, "032x")
