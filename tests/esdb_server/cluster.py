"""Nodes of one test cluster: servers sharing a log, one of them the leader, announced by gossip.

EventStoreDB clients find the leader through the Gossip service (``esdb+discover://`` or several
targets) and a follower refuses a call that requires the leader with ``NOT_FOUND`` "Leader info
available" and the leader's endpoint in the trailing metadata; esdbclient then reconnects to it.
Moving ``leader`` to another node is a leader change.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import grpc
from esdbclient.protos.Grpc import gossip_pb2, gossip_pb2_grpc, shared_pb2

from .log import Log

HOST = "127.0.0.1"


@dataclass
class Cluster:
    """The shared log, the nodes' ports in start order, and the leader's port."""

    log: Log = field(default_factory=Log)
    ports: list[int] = field(default_factory=list)
    leader: int | None = None

    def join(self, port: int) -> None:
        """The first node to join leads."""
        self.ports.append(port)
        if self.leader is None:
            self.leader = port

    async def require_leader(self, port: int, context: grpc.aio.ServicerContext) -> None:
        """Refuse, as a follower does, a call that asks for the leader when node ``port`` is not it."""
        asked = dict(context.invocation_metadata() or ()).get("requires-leader") == "true"
        if not asked or self.leader == port:
            return
        context.set_trailing_metadata(
            (("leader-endpoint-host", HOST), ("leader-endpoint-port", str(self.leader)))
        )
        await context.abort(grpc.StatusCode.NOT_FOUND, "Leader info available")


class GossipServicer(gossip_pb2_grpc.GossipServicer):
    """Every node answers with every member: alive, and leader or follower."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster

    async def Read(
        self, request: shared_pb2.Empty, context: grpc.aio.ServicerContext
    ) -> gossip_pb2.ClusterInfo:
        return gossip_pb2.ClusterInfo(
            members=[
                gossip_pb2.MemberInfo(
                    instance_id=shared_pb2.UUID(string=str(uuid.UUID(int=port))),
                    state=(
                        gossip_pb2.MemberInfo.VNodeState.Leader
                        if port == self.cluster.leader
                        else gossip_pb2.MemberInfo.VNodeState.Follower
                    ),
                    is_alive=True,
                    http_end_point=gossip_pb2.EndPoint(address=HOST, port=port),
                )
                for port in self.cluster.ports
            ]
        )
