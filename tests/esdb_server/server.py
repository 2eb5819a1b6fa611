"""Starting and stopping the test server on a free local port."""

from __future__ import annotations

from dataclasses import dataclass

import grpc
from esdbclient.protos.Grpc import streams_pb2_grpc

from .faults import Faults
from .log import Log
from .streams import StreamsServicer


@dataclass(frozen=True)
class RunningServer:
    """A started server: ``url`` is what esdbclient connects to; ``log`` is its state, for assertions;
    ``faults`` takes faults to inject into its next calls."""

    server: grpc.aio.Server
    port: int
    log: Log
    faults: Faults

    @property
    def url(self) -> str:
        return f"esdb://127.0.0.1:{self.port}?Tls=false"

    async def stop(self) -> None:
        await self.server.stop(grace=None)


async def start_server(log: Log | None = None) -> RunningServer:
    """Serve ``log`` (a new, empty one by default) on 127.0.0.1 at a port the system picks.

    Servers given the same log act as nodes of one cluster, for tests of a leader change.
    """
    log = Log() if log is None else log
    faults = Faults()
    server = grpc.aio.server()
    streams_pb2_grpc.add_StreamsServicer_to_server(StreamsServicer(log, faults), server)
    port = server.add_insecure_port("127.0.0.1:0")
    if port == 0:
        raise RuntimeError("the test EventStoreDB server could not bind a port on 127.0.0.1")
    await server.start()
    return RunningServer(server, port, log, faults)
