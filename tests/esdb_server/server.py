"""Starting and stopping the test server on a free local port."""

from __future__ import annotations

from dataclasses import dataclass

import grpc
from esdbclient.protos.Grpc import gossip_pb2_grpc, streams_pb2_grpc

from .cluster import HOST, Cluster, GossipServicer
from .faults import Faults
from .log import Log
from .streams import StreamsServicer


@dataclass(frozen=True)
class RunningServer:
    """A started server: ``url`` is what esdbclient connects to; ``log`` is its state, for assertions;
    ``faults`` takes faults to inject into its next calls."""

    server: grpc.aio.Server
    port: int
    cluster: Cluster
    faults: Faults

    @property
    def log(self) -> Log:
        return self.cluster.log

    @property
    def url(self) -> str:
        return f"esdb://{HOST}:{self.port}?Tls=false"

    async def stop(self) -> None:
        await self.server.stop(grace=None)


async def start_server(cluster: Cluster | None = None, *, port: int = 0) -> RunningServer:
    """Serve a node of ``cluster`` (a new one-node cluster by default) at ``port`` (0: one the system
    picks)."""
    cluster = Cluster() if cluster is None else cluster
    faults = Faults()
    # Without SO_REUSEPORT (on by default in grpc), a second server on a taken port fails to start
    # instead of sharing the port, and its clients, with the first.
    server = grpc.aio.server(options=[("grpc.so_reuseport", 0)])
    streams = StreamsServicer(cluster, faults)
    streams_pb2_grpc.add_StreamsServicer_to_server(streams, server)
    gossip_pb2_grpc.add_GossipServicer_to_server(GossipServicer(cluster), server)
    asked = port
    try:
        port = server.add_insecure_port(f"{HOST}:{asked}")
    except RuntimeError:  # grpc >= 1.5x raises where older versions returned 0
        port = 0
    if port == 0 or (asked and port != asked):
        raise RuntimeError(f"the test EventStoreDB server could not bind {HOST}:{asked or 'a free port'}")
    streams.port = port
    cluster.join(port)
    await server.start()
    return RunningServer(server, port, cluster, faults)


async def start_cluster(size: int = 3) -> list[RunningServer]:
    """``size`` nodes of one new cluster; the first to start leads."""
    cluster = Cluster()
    return [await start_server(cluster) for _ in range(size)]
