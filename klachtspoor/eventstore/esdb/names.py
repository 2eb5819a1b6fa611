"""Where the port's streams live on an EventStoreDB server, and which records on it are ours.

A namespace puts every stream of one deployment under ``<namespace>/`` so that several deployments (an
acceptance and a training environment, or a test run against a shared server) can use one cluster
without seeing each other. Without one, streams keep their own names. Either way, id claims
(``eventid-<id>``, see the store) and system streams (``$…``) are the adapter's business: reads of the
global log never return them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from klachtspoor.eventstore.port import LogFilter

CLAIM_PREFIX = "eventid-"
"""Streams that claim an event id for one stream: EventStoreDB has no global unique event ids."""
_NAMESPACE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_INTERNAL = ["\\$.*", f"{CLAIM_PREFIX}.*"]


@dataclass(frozen=True)
class StreamNames:
    namespace: str = ""

    def __post_init__(self) -> None:
        if self.namespace and not _NAMESPACE.fullmatch(self.namespace):
            raise ValueError(
                f"EventStoreDB namespace {self.namespace!r} is not 1-64 letters, digits, '-' or '_'"
                " starting with a letter or digit"
            )

    @property
    def _prefix(self) -> str:
        return f"{self.namespace}/" if self.namespace else ""

    def wire(self, stream: str) -> str:
        """The server's name for the port's ``stream``."""
        return self._prefix + stream

    def claim(self, event_id: UUID) -> str:
        """The server's name of the stream that claims ``event_id``."""
        return self.wire(f"{CLAIM_PREFIX}{event_id}")

    def local(self, wire: str) -> str | None:
        """The port's name for the server's stream ``wire``; None for a stream that is not the caller's
        (a system stream, an id claim, another namespace's)."""
        if not wire.startswith(self._prefix):
            return None
        stream = wire[len(self._prefix) :]
        return None if stream.startswith(("$", CLAIM_PREFIX)) else stream

    def server_filter(self, filter: LogFilter | None) -> dict[str, Any]:
        """The most selective filter EventStoreDB can apply (one regex, on stream names or on event
        types); the adapter checks the rest. esdbclient joins several patterns as ``^a|b$``, which
        anchors only the first at the start: one ``(?:…)`` group keeps every alternative anchored."""
        if filter is not None and filter.stream_prefixes is not None:
            pattern = "|".join(re.escape(self.wire(p)) + ".*" for p in filter.stream_prefixes)
            return {"filter_include": [f"(?:{pattern})"], "filter_by_stream_name": True}
        if filter is not None and filter.event_types is not None:
            pattern = "|".join(re.escape(t) for t in sorted(filter.event_types))
            return {"filter_include": [f"(?:{pattern})"]}
        if self.namespace:
            return {"filter_include": [f"(?:{re.escape(self._prefix)}.*)"], "filter_by_stream_name": True}
        return {"filter_exclude": _INTERNAL, "filter_by_stream_name": True}
