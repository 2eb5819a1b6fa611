"""Helpers of the notify tests: a case with a requested notification, reading outcomes back, waiting."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from contracts.base import Actor
from contracts.envelope import Envelope
from contracts.events import (
    AnyEvent,
    CaseReferenceAssigned,
    NotificationRequested,
    ProcedurePolicyPinned,
    SignalReceived,
    TermStarted,
)
from contracts.values import Complainant, Term
from contracts.vocabulary import (
    Channel,
    ComplainantCapacity,
    DeadlineKind,
    NotificationChannel,
    NotificationKind,
    Recipient,
    Role,
    TenantKind,
    TermUnit,
)
from klachtspoor.cases import CaseRepository
from klachtspoor.codec import make_envelope
from klachtspoor.eventstore.port import StreamState
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.tenants import Tenant, TenantRegistry

NOW = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
RECEIVED_ON = date(2026, 3, 5)
DUE_ON = date(2026, 3, 9)
REFERENCE = "KS-2026-000042"
ORGANISATION = "Jeugdhulp Voorbeeldstad"
EMAIL = "ouder@example.org"
NAME = "Voorbeeld Ouder"
ESCALATION = Actor(id="escalation", role=Role.SYSTEM)
INTAKE = Actor(id="anonymous", role=Role.CLIENT)
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

StartNotify = Callable[..., Any]
"""The ``start_notify`` fixture: starts notify's consumer with the given settings overridden."""


POLICY = ("so-trainingsbureau", 1)
"""The policy the test cases pin: its confidant is the AKJ's (the tenant below, as configured)."""
CONFIDANT_ORG = Tenant.model_validate(
    {
        "slug": "akj-zorgbelang-drenthe",
        "display_name": "Vertrouwenswerk Jeugdzorg Drenthe (AKJ en Zorgbelang Drenthe)",
        "kind": TenantKind.CONFIDANT_ORG,
        "mail_sender_name": "Vertrouwenswerk Jeugdzorg Drenthe",
        "contact": {"email": "info@akj.nl", "phone": "088 555 1000", "website": "https://www.akj.nl"},
    }
)


def registry(tenant: str) -> TenantRegistry:
    return TenantRegistry([tenant_entry(tenant), CONFIDANT_ORG])


def tenant_entry(tenant: str) -> Tenant:
    return Tenant.model_validate(
        {
            "slug": tenant,
            "display_name": ORGANISATION,
            "kind": TenantKind.PROVIDER,
            "mail_sender_name": f"Klachtenregeling {ORGANISATION}",
            "contact": {"website": "https://jeugdhulp-voorbeeldstad.example"},
        }
    )


@dataclass(frozen=True)
class Requested:
    tenant: str
    case_id: UUID
    stream: str
    notification_id: UUID
    request: Envelope

    @property
    def message_id(self) -> str:
        return f"<{self.notification_id}@klachtspoor>"


async def request_notification(
    repository: CaseRepository,
    tenant: str,
    *,
    name: str | None = NAME,
    email: str | None = EMAIL,
    kind: NotificationKind = NotificationKind.ACKNOWLEDGEMENT,
    policy: tuple[str, int] = POLICY,
) -> Requested:
    """What intake and escalation append: the signal, reference and pinned policy, then the request and a
    term."""
    opened = await open_signal(repository, tenant, name=name, email=email, policy=policy)
    case_id, stream = opened.case_id, opened.stream
    notification_id = uuid4()
    request = NotificationRequested(
        notification_id=notification_id,
        kind=kind,
        recipient=Recipient.COMPLAINANT,
        channel=NotificationChannel.EMAIL,
    )
    term = TermStarted(
        deadline=DeadlineKind.FIRST_CONTACT,
        started_on=RECEIVED_ON,
        term=Term(amount=2, unit=TermUnit.WORKING_DAYS),
        due_on=DUE_ON,
    )
    reacted = await _append(
        repository, stream, case_id, tenant, ESCALATION, [request, term], after=opened.signal
    )
    return Requested(tenant, case_id, stream, notification_id, reacted[0])


@dataclass(frozen=True)
class Opened:
    case_id: UUID
    stream: str
    signal: Envelope


async def open_signal(
    repository: CaseRepository,
    tenant: str,
    *,
    name: str | None = NAME,
    email: str | None = EMAIL,
    policy: tuple[str, int] = POLICY,
) -> Opened:
    """What intake appends when a signal comes in: the signal (with an e-mail address), the reference and
    the pinned policy."""
    case_id = uuid4()
    stream = case_stream(tenant, str(case_id))
    signal = SignalReceived(
        channel=Channel.WEB_FORM,
        received_on=RECEIVED_ON,
        complainant=Complainant(
            capacity=ComplainantCapacity.LEGAL_REPRESENTATIVE,
            name=name,
            email=email,
            preferred_channel=NotificationChannel.EMAIL,
        ),
        description="Mijn kind wordt niet gehoord.",
    )
    pin = ProcedurePolicyPinned(policy_id=policy[0], policy_version=policy[1])
    opened = await _append(
        repository, stream, case_id, tenant, INTAKE, [signal, CaseReferenceAssigned(reference=REFERENCE), pin]
    )
    return Opened(case_id, stream, opened[0])


async def _append(
    repository: CaseRepository,
    stream: str,
    case_id: UUID,
    tenant: str,
    actor: Actor,
    events: list[AnyEvent],
    after: Envelope | None = None,
) -> list[Envelope]:
    envelopes = [
        make_envelope(
            event,
            event_id=uuid4(),
            tenant=tenant,
            stream=stream,
            case_id=case_id,
            actor=actor,
            occurred_at=NOW,
            correlation_id=case_id,
            causation_id=after.event_id if after else None,
            traceparent=TRACEPARENT,
        )
        for event in events
    ]
    expected = StreamState.NO_STREAM if after is None else StreamState.EXISTS
    await repository.append(stream, envelopes, expected)
    return envelopes


async def outcomes(repository: CaseRepository, stream: str) -> list[Envelope]:
    """The NotificationSent/Failed/Parked events of the case, in stream order."""
    case = await repository.load(stream)
    return [
        e for e in case.events if e.type in {"NotificationSent", "NotificationFailed", "NotificationParked"}
    ]


async def wait_for(
    check: Callable[[], Awaitable[bool]], *, within: float = 30.0, what: str = "condition"
) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"Timed out after {within} s waiting for {what}")
        await asyncio.sleep(0.05)


async def wait_for_outcomes(
    repository: CaseRepository, stream: str, until_type: str, within: float = 30.0
) -> list[Envelope]:
    async def arrived() -> bool:
        return any(e.type == until_type for e in await outcomes(repository, stream))

    await wait_for(arrived, within=within, what=f"{until_type} in {stream}")
    return await outcomes(repository, stream)


def read_mail(path: Path) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(message, EmailMessage)
    return message
