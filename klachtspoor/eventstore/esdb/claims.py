"""Claiming event ids: EventStoreDB keeps an id unique within a stream only, the port across all of them.

Before an append, each event id is claimed for its stream in a stream of its own (``eventid-<id>``,
created with ``NO_STREAM``); a claim held by another stream is a :class:`DuplicateEventId`. A claim left
by an append that then failed only ties the id to that stream, where a later append with it is still
accepted (see :mod:`.store`).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Sequence

import esdbclient
from esdbclient.exceptions import WrongCurrentVersion

from klachtspoor.eventstore.errors import DuplicateEventId
from klachtspoor.eventstore.esdb.names import StreamNames
from klachtspoor.eventstore.esdb.retry import guarded
from klachtspoor.eventstore.port import NewEvent


async def claim_ids(
    client: esdbclient.AsyncEventStoreDBClient, names: StreamNames, stream: str, events: Sequence[NewEvent]
) -> bool:
    """Claim each id for ``stream``; True when one was claimed for it before (a possible retry)."""
    results = await asyncio.gather(
        *(_claim_one(client, names, stream, e.event_id) for e in events), return_exceptions=True
    )
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return any(results)


async def _claim_one(
    client: esdbclient.AsyncEventStoreDBClient, names: StreamNames, stream: str, event_id: uuid.UUID
) -> bool:
    """The claim's own id is new for every append, so that only a resend within this call (which
    ``guarded`` and esdbclient make) is an idempotent retry; a claim made by an earlier call is a
    wrong version, and is read to learn its holder. EventStoreDB answers a retried append with its
    original commit position, so success alone cannot tell a new claim from an old one."""
    name = names.claim(event_id)
    claim = esdbclient.NewEvent(
        id=uuid.uuid4(), type="EventIdClaimed", data=json.dumps({"stream": stream}).encode()
    )
    try:
        await guarded(
            lambda: client.append_to_stream(
                name, current_version=esdbclient.StreamState.NO_STREAM, events=[claim]
            ),
            f"claiming event id {event_id} for {stream}",
        )
    except WrongCurrentVersion:
        owner = await guarded(lambda: client.get_stream(name, limit=1), f"reading the claim of {event_id}")
        holder = json.loads(owner[0].data)["stream"]
        if holder != stream:
            raise DuplicateEventId(event_id, stream, holder) from None
        return True
    return False
