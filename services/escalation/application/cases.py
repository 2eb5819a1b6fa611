"""Runs a command against a case: load the stream, fold, decide, wrap the events, append with the expected
version (and on a conflict load and decide again, via :func:`klachtspoor.cases.decide_and_append`)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from opentelemetry import trace

from contracts.base import Actor
from contracts.envelope import Envelope
from contracts.events import AnyEvent
from contracts.vocabulary import Role
from klachtspoor.cases import CaseRepository, LoadedCase, decide_and_append
from klachtspoor.codec import make_envelope
from klachtspoor.eventstore.port import AppendResult
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.telemetry import current_traceparent
from services.escalation.adapters.policies import PinnedPolicies
from services.escalation.domain import (
    AcknowledgementSkip,
    Reaction,
    acknowledgement_skip,
    decide,
    event_id,
    fold,
)

log = logging.getLogger(__name__)

ACTOR = Actor(id="escalation", role=Role.SYSTEM)


@dataclass(frozen=True, slots=True)
class Appended:
    """What handling a command appended: the append (None when nothing was decided) and the new event
    types. (Not named ``Outcome``: that is :class:`contracts.vocabulary.Outcome`, the judgement of a
    complaint, which the escalation domain records.)"""

    result: AppendResult | None
    appended: tuple[str, ...]


class CaseWorkflow:
    """The application service the bus consumer (and later the staff API) calls with commands."""

    def __init__(
        self, repository: CaseRepository, policies: PinnedPolicies, *, attempts: int = 8, actor: Actor = ACTOR
    ) -> None:
        self.repository, self.policies, self.attempts, self.actor = repository, policies, attempts, actor

    async def handle(self, command: Reaction) -> Appended:
        stream = case_stream(command.tenant, str(command.case_id))
        decided: list[Envelope] = []

        def decision(case: LoadedCase) -> Sequence[Envelope]:
            state = fold(envelope.event for envelope in case.events)
            policy = self.policies.of(state, command.case_id)  # the terms a signal starts are the policy's
            decided[:] = [self._wrap(command, stream, event) for event in decide(command, state, policy)]
            skip = acknowledgement_skip(state)
            if skip is not None and decided:
                _record_skip(command, stream, skip)
            return decided

        result = await decide_and_append(self.repository, stream, decision, attempts=self.attempts)
        return Appended(result, tuple(envelope.type for envelope in decided) if result else ())

    def _wrap(self, command: Reaction, stream: str, event: AnyEvent) -> Envelope:
        return make_envelope(
            event,
            event_id=event_id(command.causation_event_id, event),
            tenant=command.tenant,
            stream=stream,
            case_id=command.case_id,
            actor=self.actor,
            occurred_at=command.now,
            correlation_id=command.correlation_id,
            causation_id=command.causation_event_id,
            traceparent=current_traceparent(),
        )


def _record_skip(command: Reaction, stream: str, skip: AcknowledgementSkip) -> None:
    """No event type exists for a skipped acknowledgement yet: the reason goes to the log and the trace."""
    trace.get_current_span().add_event("acknowledgement skipped", {"ks.skip_reason": skip.value})
    log.info(
        "No acknowledgement requested: %s",
        skip.value,
        extra={
            "ks_stream": stream,
            "ks_skip_reason": skip.value,
            "ks_causation_id": str(command.causation_event_id),
        },
    )
