"""Who looked (NEN 7513): an append-only log of every read of personal data.

The port and its record are here; the adapters are imported from their modules
(:mod:`klachtspoor.accesslog.postgres`, :mod:`klachtspoor.accesslog.memory`) so that importing the port
pulls in no database driver. Service domains never import this package: reads are logged at the edge.
"""

from klachtspoor.accesslog.errors import (
    AccessLogError,
    AccessLogUnavailable,
    AccessRecordConflict,
    InvalidAccessRecord,
)
from klachtspoor.accesslog.port import AccessLog
from klachtspoor.accesslog.record import AccessOutcome, AccessRecord

__all__ = [
    "AccessLog",
    "AccessLogError",
    "AccessLogUnavailable",
    "AccessOutcome",
    "AccessRecord",
    "AccessRecordConflict",
    "InvalidAccessRecord",
]
