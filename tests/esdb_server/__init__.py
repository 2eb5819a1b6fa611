"""An in-process EventStoreDB stand-in for tests: esdbclient's own servicer classes over an in-memory log.

No EventStoreDB server runs on the development machines, so the EventStoreDB adapter is tested
against this one. It is test support code, not product code.
"""

from .cluster import Cluster
from .faults import Fault, Faults
from .log import Log
from .server import RunningServer, start_cluster, start_server

__all__ = ["Cluster", "Fault", "Faults", "Log", "RunningServer", "start_cluster", "start_server"]
