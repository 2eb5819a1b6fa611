"""Writing real case events for the reporting tests: contracts, the codec (personal fields encrypted)
and the PostgreSQL event store; and reading every row of the read model back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from contracts.base import Actor
from contracts.events import AnyEvent, CaseReferenceAssigned, SignalReceived
from contracts.values import Complainant, ComplainedAbout
from contracts.vocabulary import Category, Channel, ComplainantCapacity, Role
from klachtspoor.auth.devkeys import mint_token, same_roles
from klachtspoor.cases import CaseRepository
from klachtspoor.codec import make_envelope
from klachtspoor.eventstore.port import AppendResult, StreamState
from klachtspoor.eventstore.streams import case_stream

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
INTAKE = Actor(id="intake", role=Role.SYSTEM)
OFFICER = Actor(id="staff-17", role=Role.COMPLAINTS_OFFICER)
PERSONAL = ("Voorbeeld Ouder", "ouder@example.org", "0612345678", "de mentor", "voelt zich niet gehoord")
"""Every personal value the helpers write: none may appear in a read-model row."""


def signal(*categories: Category, received_on: date = date(2026, 3, 2)) -> SignalReceived:
    return SignalReceived(
        channel=Channel.EMAIL,
        received_on=received_on,
        complainant=Complainant(
            capacity=ComplainantCapacity.LEGAL_REPRESENTATIVE,
            name=PERSONAL[0],
            email=PERSONAL[1],
            phone=PERSONAL[2],
        ),
        about=ComplainedAbout(role=Role.CARE_WORKER, staff_id="staff-3", name=PERSONAL[3]),
        description=f"Mijn kind {PERSONAL[4]}.",
        categories=categories,
    )


@dataclass
class CaseWriter:
    """Appends events to case streams, each a minute after the previous one."""

    repository: CaseRepository
    clock: datetime = T0
    appended: list[AppendResult] = field(default_factory=list)

    async def append(
        self, tenant: str, case_id: UUID, *events: AnyEvent, actor: Actor = OFFICER
    ) -> AppendResult:
        stream = case_stream(tenant, str(case_id))
        envelopes = []
        for event in events:
            self.clock += timedelta(minutes=1)
            envelopes.append(
                make_envelope(
                    event,
                    event_id=uuid4(),
                    tenant=tenant,
                    stream=stream,
                    case_id=case_id,
                    actor=actor,
                    occurred_at=self.clock,
                    correlation_id=case_id,
                )
            )
        result = await self.repository.append(stream, envelopes, StreamState.ANY)
        self.appended.append(result)
        return result

    async def open_case(
        self, tenant: str, *categories: Category, reference: str | None = None
    ) -> tuple[UUID, AppendResult]:
        case_id = uuid4()
        reference = reference or f"KS-{case_id.hex[:8].upper()}"
        result = await self.append(
            tenant, case_id, signal(*categories), CaseReferenceAssigned(reference=reference), actor=INTAKE
        )
        return case_id, result

    @property
    def last_position(self) -> Any:
        return max(result.position for result in self.appended)


async def read_model(conn: asyncpg.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the reporting tables, in a stable order, for comparing two runs."""
    return {
        table: [tuple(row.values()) for row in await conn.fetch(f"SELECT * FROM {table} ORDER BY 1, 2, 3")]
        for table in ("reporting.cases", "reporting.timeline")
    }


class Tokens:
    """Mints the reporting tests' tokens with the session's dev key: the same roles in each tenant, or
    each tenant its own."""

    def __init__(self, private_pem: str) -> None:
        self._private = private_pem

    def __call__(self, tenants: tuple[str, ...], roles: tuple[str, ...], subject: str = "staff-1") -> str:
        return mint_token(self._private, subject=subject, tenant_roles=same_roles(tenants, roles))

    def granted(self, tenant_roles: dict[str, list[str]], subject: str = "staff-1") -> str:
        return mint_token(self._private, subject=subject, tenant_roles=tenant_roles)
