"""Helpers of the staff API tests: the app handle with its client, tokens, a settable clock, and a case
opened the way intake opens one (its decider's events, appended at no stream)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
from fastapi import FastAPI
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from contracts.base import Actor
from contracts.envelope import Envelope
from contracts.events import AnyEvent, SignalReceived
from contracts.policy import ProcedurePolicy
from contracts.values import Complainant
from contracts.vocabulary import AgeBand, Channel, ComplainantCapacity, NotificationChannel, Role
from klachtspoor.accesslog import AccessLog
from klachtspoor.accesslog.memory import InMemoryAccessLog
from klachtspoor.auth.devkeys import mint_token, same_roles
from klachtspoor.cases import CaseRepository, LoadedCase
from klachtspoor.codec import make_envelope
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.policies import PolicyRegistry
from services.intake.domain.commands import OpenCase
from services.intake.domain.decider import decide as intake_decide
from services.intake.domain.decider import fold as intake_fold

REPO = Path(__file__).resolve().parents[4]
POLICIES = REPO / "policies"
SO = "so-trainingsbureau"
CONFIDANT_ORG = "akj-zorgbelang-drenthe"
OTHER_CONFIDANT_ORG = "lsr"
OTHER_PROVIDER = "andere-aanbieder"
INTAKE_ACTOR = Actor(id="account-intake", role=Role.CARE_WORKER)


@cache
def published(policy_id: str) -> ProcedurePolicy:
    """The latest version of a published procedure policy."""
    return PolicyRegistry.from_directory(POLICIES).get(policy_id)


def on(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: on(date(2026, 3, 5)))

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Staff:
    """The escalation app in-process for one tenant of the test's own."""

    client: httpx.AsyncClient
    repository: CaseRepository
    tenant: str
    private_key: str
    clock: Clock
    spans: InMemorySpanExporter = field(default_factory=InMemorySpanExporter)
    """The spans the app finished (cleared per test by the ``staff`` fixture)."""
    access_log: AccessLog = field(default_factory=InMemoryAccessLog)
    """The log the app records every read of personal data in (the module's PostgreSQL one)."""
    app: FastAPI | None = None
    """The app itself, for a test that swaps a part of its ``state`` for a broken one."""
    env: Mapping[str, str] = field(default_factory=dict)
    """``KLACHTSPOOR_*`` variables of the app's database and master key, for commands run beside it."""

    def token(
        self,
        *roles: str,
        tenants: Iterable[str] | None = None,
        subject: str = "account-0001",
        grants: Mapping[str, Iterable[str]] | None = None,
    ) -> str:
        """``roles`` in each of ``tenants`` (default: the test's tenant), or exactly ``grants``."""
        if grants is None:
            grants = same_roles(tuple(tenants) if tenants is not None else (self.tenant,), roles)
        return mint_token(self.private_key, subject=subject, tenant_roles=grants)

    async def command(
        self,
        case_id: UUID,
        name: str,
        body: dict[str, Any],
        token: str,
        *,
        key: str | None = None,
        tenant: str | None = None,
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        path = f"/v1/tenants/{tenant or self.tenant}/cases/{case_id}/commands/{name}"
        return await self.client.post(path, json=body, headers=headers)

    async def as_role(self, case_id: UUID, name: str, body: dict[str, Any], role: str) -> httpx.Response:
        """The command sent by a token with ``role`` alone; it must be accepted."""
        response = await self.command(case_id, name, body, self.token(role))
        assert response.status_code == 200, response.text
        return response

    async def deadlines(self, case_id: UUID, token: str, **params: Any) -> httpx.Response:
        path = f"/v1/tenants/{self.tenant}/cases/{case_id}/deadlines"
        return await self.client.get(path, params=params, headers={"Authorization": f"Bearer {token}"})

    async def case_file(self, case_id: UUID, token: str, *, tenant: str | None = None) -> httpx.Response:
        path = f"/v1/tenants/{tenant or self.tenant}/cases/{case_id}/file"
        return await self.client.get(path, headers={"Authorization": f"Bearer {token}"})

    async def load(self, case_id: UUID) -> LoadedCase:
        return await self.repository.load(case_stream(self.tenant, str(case_id)))

    async def types(self, case_id: UUID) -> list[str]:
        return [envelope.type for envelope in (await self.load(case_id)).events]

    async def open_case(
        self,
        capacity: ComplainantCapacity = ComplainantCapacity.CLIENT,
        policy: str | None = SO,
        *,
        reference: str = "KS-2026-000042",
        secret_hash: str | None = None,
    ) -> UUID:
        """The case as intake opens it: its decider's signal, reference and the latest version of the
        published ``policy`` pinned (and, filed through the public way in, the dossier secret's hash), in
        one append."""
        case_id = uuid4()
        command = OpenCase(
            command_id=uuid4(),
            tenant=self.tenant,
            case_id=case_id,
            actor=INTAKE_ACTOR,
            now=self.clock(),
            signal=_signal(capacity, self.clock().date()),
            reference=reference,
            policy=published(policy) if policy is not None else None,
            dossier_secret_hash=secret_hash,
        )
        await self.append(case_id, *intake_decide(command, intake_fold(())))
        return case_id

    async def append(self, case_id: UUID, *events: AnyEvent) -> None:
        case = await self.load(case_id)
        stream = case_stream(self.tenant, str(case_id))
        envelopes = [_envelope(self.tenant, stream, case_id, event, self.clock()) for event in events]
        await self.repository.append(stream, envelopes, case.expected_version)


def _signal(capacity: ComplainantCapacity, received_on: date) -> SignalReceived:
    return SignalReceived(
        channel=Channel.PHONE,
        received_on=received_on,
        complainant=Complainant(
            capacity=capacity,
            name="Voorbeeld Cliënt",
            email="client@example.org",
            preferred_channel=NotificationChannel.EMAIL,
            client_age_band=AgeBand.FROM_12_TO_17,
        ),
        description="Mijn mentor luistert niet naar mij.",
    )


def _envelope(tenant: str, stream: str, case_id: UUID, event: AnyEvent, now: datetime) -> Envelope:
    return make_envelope(
        event,
        event_id=uuid4(),
        tenant=tenant,
        stream=stream,
        case_id=case_id,
        actor=INTAKE_ACTOR,
        occurred_at=now,
        correlation_id=case_id,
    )
