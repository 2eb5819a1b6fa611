"""Events a newer release wrote: what the run poisons on purpose, so that "nothing is parked that was not
deliberately poisoned" is shown with something parked, and the parking itself works under the faults.

During a rolling upgrade a process of the next release can append an event at a schema version this
release does not know. Every subscriber of this release must park it after its attempts and go on with
the next event: not stop, not retry it for ever, not skip it silently. Once every process runs the new
release, an operator retries it (``klachtspoor parked retry``). The run appends such events while the
load runs and the faults happen, each alone on a case stream of its own: a ``SignalReceived`` one schema
version past the current one, without personal data, so every subscriber of signals meets it.

Appended through the store's own adapter (its hash chain is the store's, so the chains still verify), and
retried while PostgreSQL is away: the event id makes a second append after an unknown outcome a no-op.
"""

from __future__ import annotations

import uuid

from contracts.registry import current_version
from klachtspoor.eventstore.errors import DuplicateEventId, WrongExpectedVersion
from klachtspoor.eventstore.port import NewEvent, StreamState
from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.retry import Backoff, is_transient

POISON_TYPE = "SignalReceived"
PARKED_BY = frozenset({"escalation", "escalation-timer-index", "reporting", "statistics"})
"""The subscribers of the run's stack that read signals, each of which must park a poisoned one:
escalation's consumer (it acknowledges signals), its due-date index, reporting's case list and its
statistics. A subscriber added to the product that reads signals parks it too (the check lists every
one that did); one of these that does not has skipped or still holds up the event."""
RETRY = Backoff(initial=0.2, maximum=2.0)
ATTEMPTS = 120
"""About four minutes of outage at most (longer than any of the run's), then the run fails loudly."""


def poison_event(tenant: str, case_id: uuid.UUID) -> NewEvent:
    """A signal as the next release might write it: a schema version this release does not know, with
    the metadata every signal has (so a consumer gets as far as reading the case)."""
    return NewEvent(
        event_id=uuid.uuid4(),
        type=POISON_TYPE,
        tenant=tenant,
        data={"written_by": "a newer release", "note": "deliberately unreadable by this release"},
        metadata={"case_id": str(case_id), "correlation_id": str(uuid.uuid4())},
        schema_version=current_version(POISON_TYPE) + 1,
    )


async def append_poison(database_url: str, tenant: str) -> tuple[str, str]:
    """Append one poisoned event on a new case stream of ``tenant``: its (stream, event id)."""
    case_id = uuid.uuid4()
    stream = case_stream(tenant, str(case_id))
    event = poison_event(tenant, case_id)

    async def once() -> None:
        store = await PostgresEventStore.connect(database_url, notify=False, pool_size=1)
        try:
            await store.append(stream, [event], StreamState.NO_STREAM)
        except (DuplicateEventId, WrongExpectedVersion):
            # An earlier attempt landed before its answer was lost: this append is done.
            pass
        finally:
            await store.close()

    await RETRY.call(once, is_transient, attempts=ATTEMPTS)
    return stream, str(event.event_id)
