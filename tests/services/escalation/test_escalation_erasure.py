"""The erasure workflow on PostgreSQL: the key is shredded before the event is appended, so a failure
between the steps leaves no case that claims erasure while its key lives, and a retry completes it once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID, uuid4

import pytest
from erasure_given import OFFICER, POLICIES, FailingAppends, erase, erased_events, workflow
from escalation_helpers import NOW, open_case

from contracts.commands import ErasePersonalData
from contracts.envelope import Envelope
from contracts.events import InformalConversationHeld, PersonalDataErased, SignalReceived
from contracts.vocabulary import ConversationResult, ErasureReason, EscalationStep
from klachtspoor.bootstrap import Infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.codec import make_envelope
from klachtspoor.crypto import KeyStoreUnavailable
from klachtspoor.eventstore.errors import StoreUnavailable, WrongExpectedVersion
from klachtspoor.eventstore.port import AppendResult, ExpectedVersion, StreamState
from services.escalation.application.erasure import ErasureWorkflow
from services.escalation.application.pending_erasures import PendingErasures
from services.escalation.application.staff import CaseNotFound, IdempotencyKeyReused
from services.escalation.domain import CommandRejected, Rule


class TwinFirst(CaseRepository):
    """Another writer moves the stream before our first append, and while ours fails on the expected
    version a twin runs the very same command to its end (a retry racing the first)."""

    def __init__(self, inner: CaseRepository, twin: ErasureWorkflow, command: ErasePersonalData) -> None:
        super().__init__(inner.store, inner.codec)
        self.twin, self.command, self.raced = twin, command, False

    async def append(
        self, stream: str, envelopes: Sequence[Envelope], expected: ExpectedVersion
    ) -> AppendResult:
        if not self.raced:
            self.raced = True
            await super().append(stream, [_unrelated(envelopes[0])], StreamState.ANY)
            try:
                return await super().append(stream, envelopes, expected)
            except WrongExpectedVersion:
                await self.twin.handle(self.command)
                raise
        return await super().append(stream, envelopes, expected)


def _unrelated(ours: Envelope) -> Envelope:
    """An event without personal values, which an erased case still takes."""
    event = InformalConversationHeld(
        step=EscalationStep.CARE_WORKER, held_on=NOW.date(), result=ConversationResult.UNRESOLVED
    )
    return make_envelope(
        event,
        event_id=uuid4(),
        tenant=ours.tenant,
        stream=ours.stream,
        case_id=ours.case_id,
        actor=OFFICER,
        occurred_at=NOW,
        correlation_id=uuid4(),
    )


class FailingKeyring:
    """A keyring whose key store is away when the case is to be shredded."""

    async def erase_case(self, tenant: str, case_id: str | UUID, actor: str, *, at: Any = None) -> Any:
        raise KeyStoreUnavailable("the key store went away (test)")


async def test_erasing_shreds_the_key_then_records_who_erased_and_why(
    repository: CaseRepository, infrastructure: Infrastructure, tenant: str, pending: PendingErasures
) -> None:
    case = await open_case(repository, tenant)
    command = erase(tenant, case.case_id, request_reference="AVG-2026-0042")

    decision = await workflow(repository, infrastructure, pending).handle(command)

    assert decision.appended == ("PersonalDataErased",)
    assert not decision.replayed
    [recorded] = await erased_events(repository, case.stream)
    assert recorded.event == PersonalDataErased(
        reason=ErasureReason.ERASURE_REQUEST, request_reference="AVG-2026-0042"
    )
    assert (recorded.actor, recorded.causation_id, recorded.occurred_at) == (OFFICER, command.command_id, NOW)
    assert decision.version == 2
    assert await infrastructure.keys.is_erased(tenant, str(case.case_id))
    [signal] = [
        e.event for e in (await repository.load(case.stream)).events if isinstance(e.event, SignalReceived)
    ]
    assert signal.complainant.name == "[verwijderd]"
    assert signal.description == "[verwijderd]"


async def test_a_failure_after_shredding_leaves_no_claim_and_a_retry_appends_once(
    repository: CaseRepository, infrastructure: Infrastructure, tenant: str, pending: PendingErasures
) -> None:
    case = await open_case(repository, tenant)
    command = erase(tenant, case.case_id)

    with pytest.raises(StoreUnavailable):
        await workflow(FailingAppends(repository, times=1), infrastructure, pending).handle(command)
    assert await infrastructure.keys.is_erased(tenant, str(case.case_id)), "the key went first"
    assert await erased_events(repository, case.stream) == []

    again = await workflow(repository, infrastructure, pending).handle(command)
    assert again.appended == ("PersonalDataErased",)
    replay = await workflow(repository, infrastructure, pending).handle(command)
    assert (replay.replayed, replay.appended, replay.version) == (
        True,
        ("PersonalDataErased",),
        again.version,
    )
    assert len(await erased_events(repository, case.stream)) == 1


async def test_the_same_command_racing_itself_appends_once_and_both_answer_with_the_event(
    repository: CaseRepository, infrastructure: Infrastructure, tenant: str, pending: PendingErasures
) -> None:
    case = await open_case(repository, tenant)
    command = erase(tenant, case.case_id)
    racing = TwinFirst(repository, workflow(repository, infrastructure, pending), command)

    decision = await workflow(racing, infrastructure, pending).handle(command)

    assert racing.raced
    assert (decision.appended, decision.replayed) == (("PersonalDataErased",), True)
    assert len(await erased_events(repository, case.stream)) == 1


async def test_a_key_store_that_fails_appends_nothing(
    repository: CaseRepository, infrastructure: Infrastructure, tenant: str, pending: PendingErasures
) -> None:
    case = await open_case(repository, tenant)
    failing = ErasureWorkflow(repository, FailingKeyring(), POLICIES, pending)  # type: ignore[arg-type]

    with pytest.raises(KeyStoreUnavailable):
        await failing.handle(erase(tenant, case.case_id))

    assert await erased_events(repository, case.stream) == []
    assert not await infrastructure.keys.is_erased(tenant, str(case.case_id))


async def test_a_second_erasure_is_refused_and_a_reused_id_for_another_reason_too(
    repository: CaseRepository, infrastructure: Infrastructure, tenant: str, pending: PendingErasures
) -> None:
    case = await open_case(repository, tenant)
    first = erase(tenant, case.case_id, request_reference="AVG-1")
    await workflow(repository, infrastructure, pending).handle(first)

    with pytest.raises(CommandRejected) as rejected:
        await workflow(repository, infrastructure, pending).handle(erase(tenant, case.case_id))
    assert rejected.value.rule is Rule.CASE_ERASED
    with pytest.raises(IdempotencyKeyReused):
        await workflow(repository, infrastructure, pending).handle(
            erase(tenant, case.case_id, command_id=first.command_id, request_reference="AVG-2")
        )
    assert len(await erased_events(repository, case.stream)) == 1


async def test_retention_expired_before_the_term_ended_shreds_nothing(
    repository: CaseRepository, infrastructure: Infrastructure, tenant: str, pending: PendingErasures
) -> None:
    case = await open_case(repository, tenant)
    with pytest.raises(CommandRejected) as rejected:
        await workflow(repository, infrastructure, pending).handle(
            erase(tenant, case.case_id, reason=ErasureReason.RETENTION_EXPIRED)
        )
    assert rejected.value.rule is Rule.RETENTION_NOT_ENDED
    assert not await infrastructure.keys.is_erased(tenant, str(case.case_id))


async def test_an_unknown_case_is_not_found_and_nothing_is_shredded(
    repository: CaseRepository, infrastructure: Infrastructure, tenant: str, pending: PendingErasures
) -> None:
    case_id = uuid4()
    with pytest.raises(CaseNotFound):
        await workflow(repository, infrastructure, pending).handle(erase(tenant, case_id))
    assert not await infrastructure.keys.is_erased(tenant, str(case_id))
