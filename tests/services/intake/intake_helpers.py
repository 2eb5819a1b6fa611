"""Helpers of the intake tests: the in-process app handle, a settable clock and a valid request body."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from fastapi import FastAPI

from klachtspoor.auth.devkeys import mint_token, same_roles
from klachtspoor.bootstrap import Infrastructure
from klachtspoor.cases import CaseRepository, LoadedCase
from klachtspoor.eventstore.streams import case_stream
from services.intake.settings import IntakeSettings

REPO = Path(__file__).resolve().parents[3]
TENANTS_FILE = REPO / "config" / "tenants.yaml"


@dataclass(frozen=True)
class StoredEvent:
    stream: str
    type: str
    data: str
    metadata: str


@dataclass
class Clock:
    now: datetime = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Intake:
    app: FastAPI
    client: httpx.AsyncClient
    infra: Infrastructure
    settings: IntakeSettings
    private_key: str
    clock: Clock = field(default_factory=Clock)

    def token(
        self,
        roles: Iterable[str] = ("client",),
        tenants: Iterable[str] = ("demo",),
        subject: str = "account-7f3a",
    ) -> str:
        return mint_token(
            self.private_key,
            subject=subject,
            tenant_roles=same_roles(tenants, roles),
            issuer=self.settings.jwt_issuer,
            audience=self.settings.jwt_audience,
        )

    async def submit(
        self,
        body: Any,
        *,
        tenant: str = "demo",
        token: str | None = None,
        key: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sent = {"Authorization": f"Bearer {token or self.token()}", **(headers or {})}
        if key is not None:
            sent["Idempotency-Key"] = key
        return await self.client.post(f"/v1/tenants/{tenant}/signals", json=body, headers=sent)

    async def load(self, tenant: str, case_id: str) -> LoadedCase:
        return await CaseRepository(self.infra.store, self.infra.codec).load(case_stream(tenant, case_id))

    async def all_events(self) -> list[StoredEvent]:
        """Every stored row, read from the table: the global log holds back events while any transaction
        on the (shared) server is older, so it cannot prove that nothing was appended."""
        conn = await asyncpg.connect(self.settings.database_url)
        try:
            rows = await conn.fetch(
                "SELECT stream_name, type, data::text AS data, metadata::text AS metadata"
                " FROM eventstore.events ORDER BY stream_name, version"
            )
        finally:
            await conn.close()
        return [StoredEvent(r["stream_name"], r["type"], r["data"], r["metadata"]) for r in rows]


def signal_body(**changes: Any) -> dict[str, Any]:
    """A valid request body; ``changes`` replace top-level fields."""
    body: dict[str, Any] = {
        "channel": "web_form",
        "complainant": {
            "capacity": "client",
            "name": "Sanne de Vries",
            "email": "sanne.devries@example.org",
            "phone": "0612345678",
            "preferred_channel": "email",
            "client_age_band": "from_12_to_17",
        },
        "about": {"role": "care_worker", "name": "mijn begeleider Kees"},
        "categories": ["treatment", "information"],
        "description": "Mijn begeleider komt steeds te laat en legt niet uit waarom.",
        "anonymous": False,
        "received_on": "2026-03-01",
    }
    body.update(changes)
    return body
