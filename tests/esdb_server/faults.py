"""Faults the test server can be told to inject, to test failure handling without a cluster.

Each RPC has a queue: its next calls take the queued faults in order, later calls are served normally.
The faults are the ones a client meets in production: a node that is unavailable, a follower that
names its leader (EventStoreDB's ``NOT_FOUND`` with "Leader info available" and the leader's endpoint
in the trailing metadata), a node too slow for the client's deadline, and an answer lost after the
write (the connection drops once the append is committed, so the client sends it again).
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field

import grpc


@dataclass(frozen=True)
class Fault:
    """Wait ``delay`` seconds, then fail with ``code`` (or, without a code, serve the call normally);
    ``after_write`` fails an append only once it is written."""

    code: grpc.StatusCode | None = None
    details: str = ""
    delay: float = 0.0
    leader: tuple[str, int] | None = None
    after_write: bool = False

    @classmethod
    def unavailable(cls) -> Fault:
        return cls(grpc.StatusCode.UNAVAILABLE, "Server Is Not Ready")

    @classmethod
    def not_leader(cls, host: str, port: int) -> Fault:
        return cls(grpc.StatusCode.NOT_FOUND, "Leader info available", leader=(host, port))

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        return cls(delay=seconds)

    @classmethod
    def lost_answer(cls) -> Fault:
        return cls(grpc.StatusCode.UNAVAILABLE, "Connection lost after the write", after_write=True)


@dataclass
class Faults:
    """The queued faults per RPC name (``BatchAppend``, ``Read``, ``Delete``, ``Tombstone``)."""

    queued: dict[str, deque[Fault]] = field(default_factory=dict)

    def inject(self, rpc: str, *faults: Fault) -> None:
        self.queued.setdefault(rpc, deque()).extend(faults)

    async def apply(self, rpc: str, context: grpc.aio.ServicerContext, *, written: bool = False) -> None:
        """Play the next queued fault of ``rpc``, if any and if it is one for this moment (before the call
        is served, or with ``written`` once an append is); aborting raises out of the servicer method."""
        queue = self.queued.get(rpc)
        if not queue or queue[0].after_write != written:
            return
        fault = queue.popleft()
        await asyncio.sleep(fault.delay)
        if fault.code is None:
            return
        if fault.leader is not None:
            host, port = fault.leader
            context.set_trailing_metadata(
                (("leader-endpoint-host", host), ("leader-endpoint-port", str(port)))
            )
        await context.abort(fault.code, fault.details)
