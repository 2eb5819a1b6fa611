"""The Streams service of the test server, on the servicer class esdbclient ships.

esdbclient's asyncio client appends through ``BatchAppend`` (one request with ``is_final``) and reads
through ``Read``; those are the RPCs answered here, with EventStoreDB's wire conventions: the ``type``,
``content-type`` and ``created`` metadata keys, ``stream_not_found`` for a missing stream, and a
``WrongExpectedVersion`` packed in a ``google.rpc.Status`` for a refused append.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence

import grpc
from esdbclient.protos.Grpc import code_pb2, shared_pb2, status_pb2, streams_pb2, streams_pb2_grpc
from google.protobuf import empty_pb2

from .filtering import matches
from .log import Appended, Expected, Log, Proposed, Recorded, WrongExpected
from .subscriptions import read_event, subscribe

StreamsReq = streams_pb2.ReadReq
Options = streams_pb2.ReadReq.Options


class StreamsServicer(streams_pb2_grpc.StreamsServicer):
    """Answers ``BatchAppend`` and ``Read`` (stream and ``$all`` reads, both directions) from a Log."""

    def __init__(self, log: Log) -> None:
        self.log = log

    async def BatchAppend(
        self, requests: AsyncIterator[streams_pb2.BatchAppendReq], context: grpc.aio.ServicerContext
    ) -> AsyncIterator[streams_pb2.BatchAppendResp]:
        """Collect each correlation id's messages until ``is_final``, then append them atomically."""
        pending: dict[str, tuple[streams_pb2.BatchAppendReq.Options, list[Proposed]]] = {}
        async for request in requests:
            key = request.correlation_id.string
            if request.HasField("options"):
                pending[key] = (request.options, [])
            if key not in pending:
                await context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"no options for correlation id {key}")
            options, proposed = pending[key]
            proposed.extend(_proposed(m) for m in request.proposed_messages)
            if request.is_final:
                del pending[key]
                response = _batch_response(request.correlation_id, options, proposed, self.log)
                async with self.log.changed:
                    self.log.changed.notify_all()
                yield response

    async def Read(
        self, request: streams_pb2.ReadReq, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[streams_pb2.ReadResp]:
        """Answer a bounded read (``$all`` with its server-side filter) or serve a catch-up subscription."""
        options = request.options
        if options.WhichOneof("count_option") == "subscription":
            async for response in subscribe(self.log, options):
                yield response
            return
        backwards = options.read_direction == Options.Backwards
        match options.WhichOneof("stream_option"):
            case "stream":
                name = options.stream.stream_identifier.stream_name.decode("utf8")
                records = self.log.streams.get(name)
                if records is None:
                    yield streams_pb2.ReadResp(
                        stream_not_found=streams_pb2.ReadResp.StreamNotFound(
                            stream_identifier=options.stream.stream_identifier
                        )
                    )
                    return
                selected = _from_revision(records, options.stream, backwards)
            case "all":
                selected = _from_position(self.log.all, options.all, backwards)
                if options.WhichOneof("filter_option") == "filter":
                    selected = [r for r in selected if matches(options.filter, r)]
            case other:
                await context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"unknown stream option {other!r}")
                return
        for record in selected[: options.count]:
            yield read_event(record)


def _proposed(message: streams_pb2.BatchAppendReq.ProposedMessage) -> Proposed:
    return Proposed(
        id=uuid.UUID(message.id.string),
        type=message.metadata["type"],
        content_type=message.metadata["content-type"],
        data=message.data,
        custom_metadata=message.custom_metadata,
    )


def _expected(options: streams_pb2.BatchAppendReq.Options) -> Expected | int:
    match options.WhichOneof("expected_stream_position"):
        case "stream_position":
            return int(options.stream_position)
        case "no_stream":
            return Expected.NO_STREAM
        case "stream_exists":
            return Expected.STREAM_EXISTS
        case "any":
            return Expected.ANY
        case other:
            raise ValueError(f"unknown expected stream position {other!r} in {options}")


def _batch_response(
    correlation_id: shared_pb2.UUID,
    options: streams_pb2.BatchAppendReq.Options,
    proposed: list[Proposed],
    log: Log,
) -> streams_pb2.BatchAppendResp:
    name = options.stream_identifier.stream_name.decode("utf8")
    expected = _expected(options)
    result = log.append(name, expected, proposed)
    response = streams_pb2.BatchAppendResp(
        correlation_id=correlation_id, stream_identifier=options.stream_identifier
    )
    match result:
        case Appended(revision=revision, retried=True):
            response.success.current_revision = revision
            response.success.no_position.SetInParent()
        case Appended(revision=revision, commit_position=position):
            response.success.current_revision = revision
            response.success.position.commit_position = position
            response.success.position.prepare_position = position
        case WrongExpected(current=current):
            wrong = shared_pb2.WrongExpectedVersion()
            if current is None:
                wrong.current_no_stream.CopyFrom(empty_pb2.Empty())
            else:
                wrong.current_stream_revision = current
            match expected:
                case int():
                    wrong.expected_stream_position = expected
                case Expected.ANY:
                    wrong.expected_any.CopyFrom(empty_pb2.Empty())
                case Expected.NO_STREAM:
                    wrong.expected_no_stream.CopyFrom(empty_pb2.Empty())
                case Expected.STREAM_EXISTS:
                    wrong.expected_stream_exists.CopyFrom(empty_pb2.Empty())
            status = status_pb2.Status(
                code=code_pb2.FAILED_PRECONDITION, message=f"Wrong expected version (Stream: {name})"
            )
            status.details.Pack(wrong)
            response.error.CopyFrom(status)
    return response


def _from_revision(
    records: Sequence[Recorded], options: Options.StreamOptions, backwards: bool
) -> list[Recorded]:
    match options.WhichOneof("revision_option"):
        case "start":
            start = 0 if not backwards else -1
        case "end":
            start = len(records) if not backwards else len(records) - 1
        case "revision":
            start = int(options.revision)
        case other:
            raise ValueError(f"unknown revision option {other!r}")
    if backwards:
        return list(reversed(records[: start + 1])) if start >= 0 else []
    return list(records[start:])


def _from_position(
    records: Sequence[Recorded], options: Options.AllOptions, backwards: bool
) -> list[Recorded]:
    """Forwards from a position includes the record at it; backwards from it excludes it."""
    match options.WhichOneof("all_option"):
        case "start":
            return [] if backwards else list(records)
        case "end":
            return list(reversed(records)) if backwards else []
        case "position":
            at = options.position.commit_position
            if backwards:
                return [r for r in reversed(records) if r.commit_position < at]
            return [r for r in records if r.commit_position >= at]
        case other:
            raise ValueError(f"unknown all option {other!r}")
