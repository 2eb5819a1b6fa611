"""Runs a contact command against the contact's own stream: load, fold, decide, append.

A contact on no case is a stream of its own, ``contact:<confidant organisation>:<contact id>``, so the case
workflow, the case list and the case statistics never see it. Ids and retries work as for a staff command
(:mod:`.staff`): every event id derives from the command id, and a request retried with the same
``Idempotency-Key`` finds its earlier events and appends nothing; a key reused for another request is
:class:`~services.escalation.application.staff.IdempotencyKeyReused`.

The envelope's ``case_id`` is the contact's id: it names the scope a key would be made under. The event has
no personal field, so no key is ever made for a contact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from uuid import UUID

from contracts.envelope import Envelope
from contracts.events import AnyEvent
from klachtspoor.cases import CaseRepository, LoadedCase, decide_and_append
from klachtspoor.codec import make_envelope
from klachtspoor.eventstore.streams import contact_stream
from klachtspoor.telemetry import current_traceparent
from services.escalation.application.staff import IdempotencyKeyReused
from services.escalation.domain import (
    CommandRejected,
    ContactDecision,
    decide_contact,
    event_id,
    fold_contact,
)


@dataclass(frozen=True, slots=True)
class ContactHandled:
    """What a contact command decided (on a replay: what it decided the first time); ``version`` is the
    contact stream's version after it."""

    command_id: UUID
    contact_id: UUID
    appended: tuple[str, ...]
    version: int | None
    """None: the stream has no event (the command decided nothing and nothing was there)."""
    replayed: bool


class ContactWorkflow:
    def __init__(self, repository: CaseRepository, *, attempts: int = 8) -> None:
        self.repository, self.attempts = repository, attempts

    async def handle(self, command: ContactDecision) -> ContactHandled:
        """Raises the decider's :class:`CommandRejected` and :class:`IdempotencyKeyReused`."""
        stream = contact_stream(command.tenant, str(command.contact_id))
        handled: list[ContactHandled] = []

        def decision(contact: LoadedCase) -> Sequence[Envelope]:
            earlier = [
                i for i, envelope in enumerate(contact.events) if envelope.causation_id == command.command_id
            ]
            if earlier:
                _check_replay(command, contact, earlier)
                types = tuple(contact.events[i].type for i in earlier)
                handled[:] = [
                    ContactHandled(command.command_id, command.contact_id, types, earlier[-1], True)
                ]
                return []
            state = fold_contact(envelope.event for envelope in contact.events)
            envelopes = [_envelope(command, stream, event) for event in decide_contact(command, state)]
            types = tuple(envelope.type for envelope in envelopes)
            handled[:] = [
                ContactHandled(command.command_id, command.contact_id, types, contact.version, False)
            ]
            return envelopes

        result = await decide_and_append(self.repository, stream, decision, attempts=self.attempts)
        outcome = handled[0]
        return outcome if result is None else replace(outcome, version=result.version)


def _handled(
    command: ContactDecision, types: tuple[str, ...], version: int | None, replayed: bool
) -> ContactHandled:
    return ContactHandled(command.command_id, command.contact_id, types, version, replayed)


def _check_replay(command: ContactDecision, contact: LoadedCase, earlier: list[int]) -> None:
    """The same request decides the same events on the contact as it was, at the time it was handled."""
    before = fold_contact(envelope.event for envelope in contact.events[: earlier[0]])
    then = command.model_copy(update={"now": contact.events[earlier[0]].occurred_at})
    recorded = [contact.events[i].event for i in earlier]
    try:
        again = decide_contact(then, before)
    except CommandRejected as rejected:
        raise IdempotencyKeyReused(command.command_id, contact.stream) from rejected
    if again != recorded:
        raise IdempotencyKeyReused(command.command_id, contact.stream)


def _envelope(command: ContactDecision, stream: str, event: AnyEvent) -> Envelope:
    return make_envelope(
        event,
        event_id=event_id(command.command_id, event),
        tenant=command.tenant,
        stream=stream,
        case_id=command.contact_id,
        actor=command.actor,
        occurred_at=command.now,
        correlation_id=command.command_id,
        causation_id=command.command_id,
        traceparent=current_traceparent(),
    )
