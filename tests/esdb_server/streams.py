"""The Streams service of the test server, on the servicer class esdbclient ships.

esdbclient's asyncio client appends through ``BatchAppend`` (one request with ``is_final``) and reads
through ``Read``; those are the RPCs answered here, with EventStoreDB's wire conventions: the ``type``,
``content-type`` and ``created`` metadata keys, ``stream_not_found`` for a missing (or soft-deleted)
stream, a ``WrongExpectedVersion`` packed in a ``google.rpc.Status`` for a refused append, and for an
idempotent retry the original batch's last revision and commit position (esdbclient's test suite,
``test_stream_append_event_with_current_version``: "Idempotent write of event1" returns
``commit_position1``), or no position when the log is told to answer as older servers did.
"""

from __future__ import annotations

import bisect
import itertools
import uuid
from collections.abc import AsyncIterator, Iterable, Sequence

import grpc
from esdbclient.protos.Grpc import code_pb2, shared_pb2, status_pb2, streams_pb2, streams_pb2_grpc
from google.protobuf import empty_pb2

from .cluster import Cluster
from .faults import Faults
from .filtering import matches
from .log import Appended, Expected, Log, Proposed, Recorded, StreamDeleted, WrongExpected
from .subscriptions import read_event, subscribe

StreamsReq = streams_pb2.ReadReq
Options = streams_pb2.ReadReq.Options


class StreamsServicer(streams_pb2_grpc.StreamsServicer):
    """Answers ``BatchAppend`` and ``Read`` (stream and ``$all`` reads, both directions) from a Log."""

    def __init__(self, cluster: Cluster, faults: Faults) -> None:
        self.cluster = cluster
        self.log = cluster.log
        self.faults = faults
        self.port = 0
        """This node's port, known once the server is bound."""

    async def BatchAppend(
        self, requests: AsyncIterator[streams_pb2.BatchAppendReq], context: grpc.aio.ServicerContext
    ) -> AsyncIterator[streams_pb2.BatchAppendResp]:
        """Collect each correlation id's messages until ``is_final``, then append them atomically.

        Faults and the leader check come after the first request has been read: a bidi call that the
        server ends before the client has sent its request can reach the client as grpc's INTERNAL
        ("Internal error from Core") instead of the status given, on a busy machine now and then."""
        pending: dict[str, tuple[streams_pb2.BatchAppendReq.Options, list[Proposed]]] = {}
        first = True
        async for request in requests:
            if first:
                first = False
                await self.faults.apply("BatchAppend", context)
                await self.cluster.require_leader(self.port, context)
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
                await self.faults.apply("BatchAppend", context, written=True)
                yield response

    async def Delete(
        self, request: streams_pb2.DeleteReq, context: grpc.aio.ServicerContext
    ) -> streams_pb2.DeleteResp:
        """Soft-delete a stream: reads no longer find it, a later append recreates it."""
        await self.faults.apply("Delete", context)
        await self.cluster.require_leader(self.port, context)
        position = await self._delete(request.options, context, tombstone=False)
        response = streams_pb2.DeleteResp()
        response.position.commit_position = response.position.prepare_position = position
        return response

    async def Tombstone(
        self, request: streams_pb2.TombstoneReq, context: grpc.aio.ServicerContext
    ) -> streams_pb2.TombstoneResp:
        """Delete a stream for good: every later read or append of it fails."""
        await self.faults.apply("Tombstone", context)
        await self.cluster.require_leader(self.port, context)
        position = await self._delete(request.options, context, tombstone=True)
        response = streams_pb2.TombstoneResp()
        response.position.commit_position = response.position.prepare_position = position
        return response

    async def _delete(
        self,
        options: streams_pb2.DeleteReq.Options | streams_pb2.TombstoneReq.Options,
        context: grpc.aio.ServicerContext,
        *,
        tombstone: bool,
    ) -> int:
        """Errors as EventStoreDB words them: esdbclient recognises them by these phrases."""
        name = options.stream_identifier.stream_name.decode("utf8")
        expected = _expected(options, "expected_stream_revision", "revision")
        result = self.log.delete(name, expected, tombstone=tombstone)
        match result:
            case int():
                async with self.log.changed:
                    self.log.changed.notify_all()
                return result
            case StreamDeleted():
                await context.abort(grpc.StatusCode.FAILED_PRECONDITION, f"Event stream '{name}' is deleted.")
            case WrongExpected(current=current):
                shown = -1 if current is None else current
                await context.abort(
                    grpc.StatusCode.FAILED_PRECONDITION,
                    f"Append failed due to WrongExpectedVersion. Stream: {name}, "
                    f"Expected version: {expected}, Actual version: {shown}",
                )
        raise AssertionError(f"unreachable after aborting the deletion of {name}")

    async def Read(
        self, request: streams_pb2.ReadReq, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[streams_pb2.ReadResp]:
        """Answer a bounded read (``$all`` with its server-side filter) or serve a catch-up subscription."""
        await self.faults.apply("Read", context)
        options = request.options
        if options.WhichOneof("count_option") == "subscription":
            async for response in subscribe(self.log, options):
                yield response
            return
        backwards = options.read_direction == Options.Backwards
        match options.WhichOneof("stream_option"):
            case "stream":
                name = options.stream.stream_identifier.stream_name.decode("utf8")
                records = self.log.visible(name)
                if isinstance(records, StreamDeleted):
                    await context.abort(
                        grpc.StatusCode.FAILED_PRECONDITION, f"Event stream '{name}' is deleted."
                    )
                    return
                if records is None:
                    yield streams_pb2.ReadResp(
                        stream_not_found=streams_pb2.ReadResp.StreamNotFound(
                            stream_identifier=options.stream.stream_identifier
                        )
                    )
                    return
                selected: Iterable[Recorded] = _from_revision(records, options.stream, backwards)
            case "all":
                selected = _from_position(self.log.all, options.all, backwards)
                if options.WhichOneof("filter_option") == "filter":
                    selected = (r for r in selected if matches(options.filter, r))
            case other:
                await context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"unknown stream option {other!r}")
                return
        # Taken lazily: a page of a filtered read stops scanning at its last match, not at the log's end.
        for record in list(itertools.islice(selected, options.count)):
            yield read_event(record)


def _proposed(message: streams_pb2.BatchAppendReq.ProposedMessage) -> Proposed:
    return Proposed(
        id=uuid.UUID(message.id.string),
        type=message.metadata["type"],
        content_type=message.metadata["content-type"],
        data=message.data,
        custom_metadata=message.custom_metadata,
    )


def _expected(
    options: streams_pb2.BatchAppendReq.Options
    | streams_pb2.DeleteReq.Options
    | streams_pb2.TombstoneReq.Options,
    group: str = "expected_stream_position",
    exact: str = "stream_position",
) -> Expected | int:
    """The expected revision; appends and deletions name the oneof and its exact field differently."""
    match options.WhichOneof(group):  # type: ignore[arg-type]
        case value if value == exact:
            return int(getattr(options, exact))
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
        case StreamDeleted():
            status = status_pb2.Status(code=code_pb2.FAILED_PRECONDITION, message=f"Stream {name} is deleted")
            status.details.Pack(shared_pb2.StreamDeleted(stream_identifier=options.stream_identifier))
            response.error.CopyFrom(status)
        case Appended(revision=revision, retried=True) if not log.retry_positions:
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
    """Forwards from a revision includes it and what follows; backwards includes it and what precedes."""
    match options.WhichOneof("revision_option"):
        case "start":
            return [] if backwards else list(records)
        case "end":
            return list(reversed(records)) if backwards else []
        case "revision":
            at = int(options.revision)
            if backwards:
                return [r for r in reversed(records) if r.revision <= at]
            return [r for r in records if r.revision >= at]
        case other:
            raise ValueError(f"unknown revision option {other!r}")


def _from_position(
    records: Sequence[Recorded], options: Options.AllOptions, backwards: bool
) -> Iterable[Recorded]:
    """Forwards from a position includes the record at it; backwards from it excludes it. The log is in
    commit-position order, so the start is found by bisection and the rest is walked lazily."""
    match options.WhichOneof("all_option"):
        case "start":
            return iter(()) if backwards else iter(records)
        case "end":
            return reversed(records) if backwards else iter(())
        case "position":
            index = bisect.bisect_left(records, options.position.commit_position, key=_commit_position)
            if backwards:
                return (records[i] for i in range(index - 1, -1, -1))
            return (records[i] for i in range(index, len(records)))
        case other:
            raise ValueError(f"unknown all option {other!r}")


def _commit_position(record: Recorded) -> int:
    return record.commit_position
