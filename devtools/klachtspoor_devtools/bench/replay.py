"""``klachtspoor bench replay``: replaying one case of N events as the auditor's endpoint does.

One database of its own on the given server: one case is written through the codec (personal fields
encrypted, as in production), a signal, its reference and pinned policy, then conversations with notes and
requested letters in turn. Each round then replays it with the use case behind ``GET …/history`` and
``klachtspoor replay`` (read the stream, check its chain, decode and decrypt, fold state, terms and
timeline) and, separately, times each of those parts. Figures are milliseconds, medians over rounds:
wall-clock time, and the process's CPU time for the whole replay (steadier on a machine others load);
nothing is judged here (the goal is in DESIGN.md).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4, uuid5

from contracts.base import Actor
from contracts.envelope import Envelope
from contracts.events import (
    AnyEvent,
    CaseReferenceAssigned,
    InformalConversationHeld,
    NotificationRequested,
    ProcedurePolicyPinned,
    SignalReceived,
)
from contracts.values import Complainant
from contracts.vocabulary import (
    Channel,
    ComplainantCapacity,
    ConversationResult,
    EscalationStep,
    NotificationChannel,
    NotificationKind,
    Recipient,
    Role,
)
from klachtspoor.bootstrap import open_infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.codec import make_envelope
from klachtspoor.crypto import MasterKey
from klachtspoor.eventstore.port import StreamState
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.pgtools import create_database, drop_database, scratch_name
from klachtspoor.policies import PolicyRegistry
from klachtspoor.settings import Settings
from klachtspoor_devtools.bench.stats import percentile
from services.escalation.adapters.policies import PinnedPolicies
from services.escalation.application.history import CaseReplay, read_stream
from services.escalation.domain import fold
from services.escalation.domain.history import history, recorded_by, reveals

TENANT = "bench"
POLICY = "so-trainingsbureau"
STAFF = Actor(id="bench-staff", role=Role.CARE_WORKER)
_BATCH = 100


async def run_replay_bench(
    server_url: str, settings: Settings, *, events: int, rounds: int, advance: Callable[[int], None]
) -> dict[str, Any]:
    """Write one case of ``events`` events on a scratch database of ``server_url``, replay it ``rounds``
    times; the database is dropped afterwards."""
    if events < 3:
        raise ValueError("events: a case has at least its signal, reference and pinned policy (3)")
    name = scratch_name("ks_bench_replay")
    url = await create_database(server_url, name)
    try:
        own = settings.model_copy(update={"database_url": url, "master_key": MasterKey.generate_base64()})
        infrastructure = await open_infrastructure(own, pool_size=2)
        try:
            registry = PolicyRegistry.from_settings(own)
            case_id = await _write_case(
                CaseRepository(infrastructure.store, infrastructure.codec), events, registry
            )
            use_case = CaseReplay(infrastructure.store, infrastructure.codec, PinnedPolicies(registry))
            return await _measure(use_case, case_id, events, rounds, advance)
        finally:
            await infrastructure.close()
    finally:
        await drop_database(server_url, name)


async def _measure(
    use_case: CaseReplay, case_id: UUID, events: int, rounds: int, advance: Callable[[int], None]
) -> dict[str, Any]:
    stream = case_stream(TENANT, str(case_id))
    totals: list[float] = []
    cpus: list[float] = []
    parts: dict[str, list[float]] = {"read": [], "chain": [], "decode": [], "history": []}
    answer = None
    for done in range(-2, rounds):  # two warm-up rounds, not counted
        now = datetime.now(UTC)
        started, cpu_started = time.perf_counter(), time.process_time()
        answer = await use_case.replay(TENANT, case_id, now, now=now, role=Role.AUDITOR)
        total, cpu = time.perf_counter() - started, time.process_time() - cpu_started

        t0 = time.perf_counter()
        stored = await read_stream(use_case.store, stream)
        t1 = time.perf_counter()
        use_case.verify(stored)
        t2 = time.perf_counter()
        envelopes = await use_case.decode(stored, Role.AUDITOR, reveals)
        t3 = time.perf_counter()
        policy = use_case.policies.of(fold(e.event for e in recorded_by(envelopes, now)), case_id)
        history(envelopes, policy, now)
        t4 = time.perf_counter()
        if done < 0:
            continue
        totals.append(total * 1000)
        cpus.append(cpu * 1000)
        for key, seconds in zip(parts, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            parts[key].append(seconds * 1000)
        advance(done + 1)
    assert answer is not None
    if len(answer.timeline) != events:
        raise RuntimeError(f"The replay showed {len(answer.timeline)} events of the {events} written")
    return {
        "events": events,
        "rounds": rounds,
        "replay_ms": {
            "median": round(statistics.median(totals), 2),
            "p95": round(percentile(totals, 0.95), 2),
            "min": round(min(totals), 2),
        },
        "replay_cpu_ms": round(statistics.median(cpus), 2),
        "parts_ms": {key: round(statistics.median(values), 2) for key, values in parts.items()},
        "chain": answer.chain.status.value,
    }


async def _write_case(repository: CaseRepository, events: int, registry: PolicyRegistry) -> UUID:
    case_id = uuid4()
    stream = case_stream(TENANT, str(case_id))
    payloads = _events(case_id, events, registry)
    expected: int | StreamState = StreamState.NO_STREAM
    for offset in range(0, events, _BATCH):
        now = datetime.now(UTC)  # each append decided now, as a command is: nothing is recorded late
        batch = [_envelope(case_id, stream, event, now) for event in payloads[offset : offset + _BATCH]]
        expected = (await repository.append(stream, batch, expected)).version
    return case_id


def _events(case_id: UUID, count: int, registry: PolicyRegistry) -> list[AnyEvent]:
    policy = registry.get(POLICY)
    opening: list[AnyEvent] = [
        SignalReceived(
            channel=Channel.PHONE,
            received_on=date(2026, 3, 2),
            complainant=Complainant(
                capacity=ComplainantCapacity.CLIENT, name="Bench Cliënt", email="bench@example.org"
            ),
            description="Benchmarkklacht over de begeleiding.",
        ),
        CaseReferenceAssigned(reference="KS-BENCH-0001"),
        ProcedurePolicyPinned(policy_id=policy.id, policy_version=policy.version),
    ]
    rest: list[AnyEvent] = [
        InformalConversationHeld(
            step=EscalationStep.CARE_WORKER,
            held_on=date(2026, 3, 2),
            result=ConversationResult.UNRESOLVED,
            notes=f"Gespreksverslag {i}: de cliënt is nog niet tevreden.",
        )
        if i % 2 == 0
        else NotificationRequested(
            notification_id=uuid5(case_id, f"bench:{i}"),
            kind=NotificationKind.PROGRESS_UPDATE,
            recipient=Recipient.COMPLAINANT,
            channel=NotificationChannel.EMAIL,
        )
        for i in range(count - len(opening))
    ]
    return opening + rest


def _envelope(case_id: UUID, stream: str, event: AnyEvent, at: datetime) -> Envelope:
    return make_envelope(
        event,
        event_id=uuid4(),
        tenant=TENANT,
        stream=stream,
        case_id=case_id,
        actor=STAFF,
        occurred_at=at,
        correlation_id=case_id,
    )
