"""An erasure left half-done (the key shredded, ``PersonalDataErased`` not appended: the process died or
the event store was away between the two) is finished by the sweep with the very command that began it,
so the log comes to say who erased the case and why, once; a finished erasure leaves nothing begun."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from erasure_given import OFFICER, FailingAppends, erase, erased_events, workflow
from escalation_helpers import NOW, open_case

from contracts.events import PersonalDataErased
from contracts.vocabulary import ErasureReason
from klachtspoor.bootstrap import Infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.eventstore.errors import StoreUnavailable
from klachtspoor.policies import PolicyRegistry
from klachtspoor.settings import Settings
from services.escalation.application.erasure import SWEEP_AFTER
from services.escalation.application.pending_erasures import PendingErasures
from services.escalation.application.timer import DeadlineTimer

LATER = NOW + SWEEP_AFTER + timedelta(seconds=1)
POLICY_DIR = Path(__file__).resolve().parents[3] / "policies"


async def half_done(
    repository: CaseRepository, infrastructure: Infrastructure, pending: PendingErasures, tenant: str
) -> tuple[str, str]:
    """A case whose erasure failed after shredding; its (stream, request reference)."""
    case = await open_case(repository, tenant)
    reference = f"AVG-{uuid4().hex[:8].upper()}"
    command = erase(tenant, case.case_id, request_reference=reference)
    with pytest.raises(StoreUnavailable):
        await workflow(FailingAppends(repository, times=1), infrastructure, pending).handle(command)
    assert await infrastructure.keys.is_erased(tenant, str(case.case_id))
    assert await erased_events(repository, case.stream) == []
    return case.stream, reference


async def test_the_sweep_finishes_a_half_done_erasure_once_with_its_own_command(
    repository: CaseRepository, infrastructure: Infrastructure, tenant: str, pending: PendingErasures
) -> None:
    stream, reference = await half_done(repository, infrastructure, pending, tenant)
    sweeping = workflow(repository, infrastructure, pending)

    assert await sweeping.finish_begun(NOW + timedelta(seconds=30)) == 0, "a request may still be in flight"
    assert await sweeping.finish_begun(LATER) == 1

    [recorded] = await erased_events(repository, stream)
    assert recorded.event == PersonalDataErased(
        reason=ErasureReason.ERASURE_REQUEST, request_reference=reference
    )
    assert (recorded.actor, recorded.occurred_at) == (OFFICER, NOW), "who erased it and when, not the sweep"
    assert await sweeping.finish_begun(LATER) == 0
    assert len(await erased_events(repository, stream)) == 1


async def test_a_finished_erasure_leaves_nothing_begun(
    repository: CaseRepository, infrastructure: Infrastructure, tenant: str, pending: PendingErasures
) -> None:
    case = await open_case(repository, tenant)
    command = erase(tenant, case.case_id)
    await workflow(repository, infrastructure, pending).handle(command)
    begun = await pending.begun_before(LATER, limit=1000)
    assert command.command_id not in {other.command_id for other in begun}


async def test_a_half_done_erasure_that_another_command_finished_is_forgotten(
    repository: CaseRepository, infrastructure: Infrastructure, tenant: str, pending: PendingErasures
) -> None:
    """The officer sent the erasure again with a new key: the case is erased; the sweep adds nothing."""
    stream, _ = await half_done(repository, infrastructure, pending, tenant)
    case_id = (await repository.load(stream)).events[0].case_id
    assert case_id is not None
    await workflow(repository, infrastructure, pending).handle(erase(tenant, case_id))

    assert await workflow(repository, infrastructure, pending).finish_begun(LATER) == 0
    assert len(await erased_events(repository, stream)) == 1
    assert all(c.case_id != case_id for c in await pending.begun_before(LATER, limit=1000))


async def test_the_deadline_timer_sweeps_at_every_tick(
    repository: CaseRepository,
    infrastructure: Infrastructure,
    tenant: str,
    pending: PendingErasures,
    settings: Settings,
) -> None:
    stream, _ = await half_done(repository, infrastructure, pending, tenant)
    registry = PolicyRegistry.from_directory(POLICY_DIR)
    timer = DeadlineTimer(repository, settings.database_url, registry, lambda: LATER, pending)

    report = await timer.tick()

    assert report.erasures_finished >= 1
    assert len(await erased_events(repository, stream)) == 1
