"""EventStoreDB's server-side filter on the global log."""

from __future__ import annotations

import re

from esdbclient.protos.Grpc import streams_pb2

from .log import Recorded


def matches(options: streams_pb2.ReadReq.Options.FilterOptions, record: Recorded) -> bool:
    """EventStoreDB's filter: a regex searched (not anchored by the server) or a list of prefixes."""
    match options.WhichOneof("filter"):
        case "stream_identifier":
            expression, subject = options.stream_identifier, record.stream
        case "event_type":
            expression, subject = options.event_type, record.proposed.type
        case other:
            raise ValueError(f"unknown filter {other!r} in {options}")
    if expression.prefix:
        return any(subject.startswith(p) for p in expression.prefix)
    return re.search(expression.regex, subject) is not None
