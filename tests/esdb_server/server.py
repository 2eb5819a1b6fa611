"""Starting and stopping the test server on a free local port."""

from __future__ import annotations

from dataclasses import dataclass

import grpc
from esdbclient.protos.Grpc import streams_pb2_grpc

from .log import Log
from .streams import StreamsServicer


@dataclass(frozen=True)
class RunningServer:
    """A started server: ``url`` is what esdbclient connects to; ``log`` is its state, for assertions."""

    server: grpc.aio.Server
    port: int
    log: Log

    @property
    def url(self) -> str:
        return f"esdb://127.0.0.1:{self.port}?Tls=false"

    async def stop(self) -> None:
        await self.server.stop(grace=None)


async def start_server() -> RunningServer:
    """Serve an empty log on 127.0.0.1 at a port the system picks."""
    log = Log()
    server = grpc.aio.server()
    streams_pb2_grpc.add_StreamsServicer_to_server(StreamsServicer(log), server)
    port = server.add_insecure_port("127.0.0.1:0")
    if port == 0:
        raise RuntimeError("the test EventStoreDB server could not bind a port on 127.0.0.1")
    await server.start()
    return RunningServer(server, port, log)
