"""The one set-up of logs and traces: the process's provider is installed once and shared, a provider
the caller brings is used as it is, logging changes only when asked, asyncpg spans only when asked for
(``KLACHTSPOOR_TRACE_QUERIES``) and for a block."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
from opentelemetry.sdk.trace import TracerProvider

from klachtspoor import observability
from klachtspoor.logs import JsonFormatter
from klachtspoor.settings import Settings


@pytest.fixture
def root_logging() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield root
    root.handlers[:], root.level = handlers, level


def test_a_callers_provider_is_used_as_it_is() -> None:
    own = TracerProvider()
    assert observability.configure("intake", tracer_provider=own) is own


def test_the_process_provider_is_installed_once_and_shared() -> None:
    first = observability.configure("intake")
    assert isinstance(first, TracerProvider)
    assert observability.configure("escalation") is first


def test_logging_is_left_alone_unless_asked(root_logging: logging.Logger) -> None:
    before = root_logging.handlers[:]
    observability.configure("notify", tracer_provider=TracerProvider())
    assert root_logging.handlers == before
    observability.configure("notify", tracer_provider=TracerProvider(), log_level="WARNING")
    [handler] = root_logging.handlers
    assert isinstance(handler.formatter, JsonFormatter)
    assert root_logging.level == logging.WARNING


def test_asyncpg_is_instrumented_for_the_block_only() -> None:
    instrumentor = AsyncPGInstrumentor()  # type: ignore[no-untyped-call]
    if instrumentor.is_instrumented_by_opentelemetry:  # left on by another test's app
        instrumentor.uninstrument()
    with observability.instrumented_asyncpg(TracerProvider(), enabled=True):
        assert instrumentor.is_instrumented_by_opentelemetry
        with observability.instrumented_asyncpg(TracerProvider(), enabled=True):  # already on: left on
            pass
        assert instrumentor.is_instrumented_by_opentelemetry
    assert not instrumentor.is_instrumented_by_opentelemetry
    with observability.instrumented_asyncpg(None, enabled=True):  # telemetry off
        assert not instrumentor.is_instrumented_by_opentelemetry


def test_asyncpg_is_left_alone_unless_query_spans_are_asked_for() -> None:
    instrumentor = AsyncPGInstrumentor()  # type: ignore[no-untyped-call]
    if instrumentor.is_instrumented_by_opentelemetry:  # left on by another test's app
        instrumentor.uninstrument()
    assert Settings().trace_queries is False, "per-query spans are off by default"
    with observability.instrumented_asyncpg(TracerProvider(), enabled=False):
        assert not instrumentor.is_instrumented_by_opentelemetry


def test_query_spans_are_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KLACHTSPOOR_TRACE_QUERIES", "true")
    assert Settings().trace_queries is True
