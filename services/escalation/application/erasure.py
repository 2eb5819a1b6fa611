"""Erases a case: decide, keep the command as begun, shred the case's key, append ``PersonalDataErased``,
forget the command, in that order.

The order is what makes a kill between the steps harmless:

- killed after deciding, before shredding: nothing happened to the case; a retry does it all, and so does
  the deadline timer's sweep of begun erasures (:meth:`ErasureWorkflow.finish_begun`);
- killed after shredding, before appending: the key is gone (its personal fields already read as masks)
  but the case does not claim erasure yet; a retry, or the sweep a minute later with the same command,
  decides again (its events say it is not erased), shreds again (harmless: the first tombstone stays)
  and appends, so the log always comes to say who erased the case and why;
- the event is appended only once the key store confirmed the shredding, so no case ever claims erasure
  while its key lives.

Ids: every event id derives from the command id (``domain/ids.py``), so a retry with the same command id
(an ``Idempotency-Key``, or the timer's ids from the case and the due date) finds the earlier event by its
``causation_id`` and appends nothing: it answers with what was appended then, as the staff workflow does.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from contracts.envelope import Envelope
from contracts.events import AnyEvent
from klachtspoor.cases import CaseRepository, LoadedCase, decide_and_append
from klachtspoor.crypto.keyring import Keyring
from klachtspoor.eventstore.streams import case_stream
from services.escalation.adapters.policies import PinnedPolicies
from services.escalation.application.pending_erasures import PendingErasures
from services.escalation.application.staff import (
    CaseNotFound,
    IdempotencyKeyReused,
    StaffDecision,
    command_envelope,
)
from services.escalation.domain import CommandRejected, ErasureCommand, Rule, decide, fold

log = logging.getLogger(__name__)

SWEEP_AFTER = timedelta(minutes=1)
"""How old a begun erasure is before the sweep finishes it: older than any request still in flight."""


class ErasureWorkflow:
    def __init__(
        self,
        repository: CaseRepository,
        keyring: Keyring,
        policies: PinnedPolicies,
        pending: PendingErasures,
        *,
        attempts: int = 8,
    ) -> None:
        self.repository, self.keyring, self.policies = repository, keyring, policies
        self.pending, self.attempts = pending, attempts

    async def handle(self, command: ErasureCommand) -> StaffDecision:
        """Raises :class:`CaseNotFound`, :class:`IdempotencyKeyReused`, the decider's
        :class:`CommandRejected` (``case_erased``, ``retention_not_ended``), the key store's errors (nothing
        appended) and the event store's (the key may be shredded already: retry)."""
        stream = case_stream(command.tenant, str(command.case_id))
        first, events = self._decide(command, await self.repository.load(stream))
        if not events:
            await self.pending.finished(command)  # a sweep's or a retry's: the event is in the log
            return first
        await self.pending.begin(command)
        await self.keyring.erase_case(command.tenant, command.case_id, actor=command.actor.id, at=command.now)
        handled: list[StaffDecision] = []

        def decision(case: LoadedCase) -> Sequence[Envelope]:
            """Decided again on the case as it is now: a concurrent writer may have changed it."""
            outcome, decided = self._decide(command, case)
            envelopes = [command_envelope(command, stream, event) for event in decided]
            if envelopes:
                outcome = replace(outcome, appended=tuple(envelope.type for envelope in envelopes))
            handled[:] = [outcome]
            return envelopes

        result = await decide_and_append(self.repository, stream, decision, attempts=self.attempts)
        await self.pending.finished(command)
        outcome = handled[0]
        return outcome if result is None else replace(outcome, version=result.version)

    async def finish_begun(self, now: datetime, *, limit: int = 100) -> int:
        """Finish the erasures begun more than :data:`SWEEP_AFTER` before ``now`` and not recorded (their
        process died, or a store was away, between shredding and appending); the number finished.

        Each runs again as the very command that began it. One the case no longer takes (erased by another
        command meanwhile, the case gone) is forgotten with a warning; one that fails again (a store still
        away) stays for the next sweep."""
        finished = 0
        for command in await self.pending.begun_before(now - SWEEP_AFTER, limit=limit):
            fields = {"ks_tenant": command.tenant, "ks_case_id": str(command.case_id)}
            try:
                await self.handle(command)
            except (CommandRejected, CaseNotFound, IdempotencyKeyReused) as refused:
                if not (isinstance(refused, CommandRejected) and refused.rule is Rule.CASE_ERASED):
                    log.warning("A begun erasure is refused now (%s); forgotten", refused, extra=fields)
                await self.pending.finished(command)
                continue
            except Exception:
                log.exception("Finishing a begun erasure failed; the next sweep tries again", extra=fields)
                continue
            finished += 1
            log.warning("A begun erasure was finished by the sweep", extra=fields)
        return finished

    def _decide(self, command: ErasureCommand, case: LoadedCase) -> tuple[StaffDecision, list[AnyEvent]]:
        """What the command decides on ``case`` (the events to append, and the answer without their types),
        or, for a command handled before with the same id, that earlier answer and nothing to append."""
        if case.version is None:
            raise CaseNotFound(command.tenant, command.case_id)
        earlier = [i for i, envelope in enumerate(case.events) if envelope.causation_id == command.command_id]
        if earlier:
            return self._replay(command, case, earlier), []
        state = fold(envelope.event for envelope in case.events)
        policy = self.policies.of(state, command.case_id)
        events = decide(command, state, policy)
        return StaffDecision(command.command_id, (), case.version, False, command.now, policy), events

    def _replay(self, command: ErasureCommand, case: LoadedCase, earlier: list[int]) -> StaffDecision:
        """The same command decides the same events on the case as it was when it was first handled."""
        first = case.events[earlier[0]]
        before = fold(envelope.event for envelope in case.events[: earlier[0]])
        policy = self.policies.of(before, command.case_id)
        try:
            again = decide(command.model_copy(update={"now": first.occurred_at}), before, policy)
        except CommandRejected as rejected:
            raise IdempotencyKeyReused(command.command_id, case.stream) from rejected
        if again != [case.events[i].event for i in earlier]:
            raise IdempotencyKeyReused(command.command_id, case.stream)
        types = tuple(case.events[i].type for i in earlier)
        return StaffDecision(command.command_id, types, earlier[-1], True, first.occurred_at, policy)
