"""Catch-up subscriptions of the test server, with EventStoreDB's message order and boundaries.

Order: ``confirmation``, the historical events, ``caught_up`` once at the head, then live events.
A subscription from a position or revision excludes it (unlike a read, which includes it). Filtered
``$all`` subscriptions get a ``checkpoint`` after every ``max * checkpointIntervalMultiplier`` scanned
events, at the last scanned position, so a subscriber resuming after it misses nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable

from esdbclient.protos.Grpc import shared_pb2, streams_pb2

from .filtering import matches
from .log import Log, Recorded

Options = streams_pb2.ReadReq.Options


async def subscribe(log: Log, options: Options) -> AsyncIterator[streams_pb2.ReadResp]:
    """Serve one subscription until the client cancels it (which cancels this generator)."""
    source, index, accept = _start(log, options)
    filtered = (
        options.WhichOneof("stream_option") == "all" and options.WhichOneof("filter_option") == "filter"
    )
    interval = options.filter.max * options.filter.checkpointIntervalMultiplier if filtered else 0
    yield streams_pb2.ReadResp(
        confirmation=streams_pb2.ReadResp.SubscriptionConfirmation(subscription_id=str(uuid.uuid4()))
    )
    scanned = 0
    caught_up = False
    while True:
        records = source()
        while index < len(records):
            record = records[index]
            index += 1
            scanned += 1
            if accept(record):
                yield read_event(record)
            if interval and scanned % interval == 0:
                yield streams_pb2.ReadResp(
                    checkpoint=streams_pb2.ReadResp.Checkpoint(
                        commit_position=record.commit_position, prepare_position=record.commit_position
                    )
                )
        if not caught_up:
            caught_up = True
            yield streams_pb2.ReadResp(caught_up=streams_pb2.ReadResp.CaughtUp())
        async with log.changed:
            while index >= len(source()):
                await log.changed.wait()


def _start(
    log: Log, options: Options
) -> tuple[Callable[[], list[Recorded]], int, Callable[[Recorded], bool]]:
    """The records to follow, the index of the first one to send, and which ones to send."""
    match options.WhichOneof("stream_option"):
        case "all":
            accept: Callable[[Recorded], bool] = lambda _: True  # noqa: E731
            if options.WhichOneof("filter_option") == "filter":
                accept = lambda r: matches(options.filter, r)  # noqa: E731
            match options.all.WhichOneof("all_option"):
                case "start":
                    index = 0
                case "end":
                    index = len(log.all)
                case "position":
                    at = options.all.position.commit_position
                    index = next((n for n, r in enumerate(log.all) if r.commit_position > at), len(log.all))
                case other:
                    raise ValueError(f"unknown all option {other!r}")
            return lambda: log.all, index, accept
        case "stream":
            name = options.stream.stream_identifier.stream_name.decode("utf8")
            match options.stream.WhichOneof("revision_option"):
                case "start":
                    index = 0
                case "end":
                    index = len(log.streams.get(name, []))
                case "revision":
                    index = int(options.stream.revision) + 1
                case other:
                    raise ValueError(f"unknown revision option {other!r}")
            return lambda: log.streams.get(name, []), index, lambda _: True
        case other:
            raise ValueError(f"unknown stream option {other!r}")


def read_event(record: Recorded) -> streams_pb2.ReadResp:
    event = streams_pb2.ReadResp.ReadEvent.RecordedEvent(
        id=shared_pb2.UUID(string=str(record.proposed.id)),
        stream_identifier=shared_pb2.StreamIdentifier(stream_name=record.stream.encode("utf8")),
        stream_revision=record.revision,
        prepare_position=record.commit_position,
        commit_position=record.commit_position,
        metadata={
            "type": record.proposed.type,
            "content-type": record.proposed.content_type,
            "created": str(record.created_ticks),
        },
        custom_metadata=record.proposed.custom_metadata,
        data=record.proposed.data,
    )
    return streams_pb2.ReadResp(
        event=streams_pb2.ReadResp.ReadEvent(event=event, commit_position=record.commit_position)
    )
