"""The system events a new EventStoreDB node writes before anything else, so ``$all`` starts with them.

Names after EventStoreDB's ``SystemStreams`` and ``SystemEventTypes`` (src/EventStore.Core/Services/
SystemNames.cs): system streams start with ``$``, metadata streams with ``$$`` and hold ``$metadata``
events, system event types start with ``$`` (esdbclient's ``RecordedEvent.is_system_event`` and its
``ESDB_SYSTEM_EVENTS_REGEX``). Persistent subscription settings are the exception esdbclient's default
filter also names (``ESDB_PERSISTENT_CONFIG_EVENTS_REGEX``): a ``PersistentConfig1`` event, not
``$``-typed, in the system stream ``$persistentSubscriptionConfig``. The payloads are placeholders: only
the names matter to a client.
"""

from __future__ import annotations

import json

NODE = "127.0.0.1:2113"


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


SYSTEM_EVENTS: list[tuple[str, str, bytes]] = [
    ("$epoch-information", "$epoch-information", _json({"epochNumber": 0, "epochPosition": 0})),
    ("$$$scavenges", "$metadata", _json({"$maxAge": 2592000})),
    ("$$$stats-" + NODE, "$metadata", _json({"$maxAge": 86400})),
    ("$settings", "$settings", _json({"$userStreamAcl": {"$r": "$all"}})),
    ("$persistentSubscriptionConfig", "PersistentConfig1", _json({"version": "2", "entries": []})),
    ("$stats-" + NODE, "$statsCollected", _json({"proc-id": 1})),
]
"""(stream, event type, data) of each, in log order."""
