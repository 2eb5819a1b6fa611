"""What the end-to-end tests do and read: file a signal over HTTP, read a case's events from the store,
find its mails in the sink's directory, read it back from reporting."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
from e2e_stack import TENANT, Stack, eventually

from klachtspoor.eventstore.port import EventStore, RecordedEvent
from klachtspoor.eventstore.streams import case_stream
from klachtspoor_devtools.devstack.guide import DEMO_SIGNAL
from klachtspoor_devtools.devstack.smtp import mail_files

WAIT = 90.0
"""Seconds before a wait gives up: far beyond what a working stack needs, so only a hung one fails."""


@dataclass(frozen=True)
class Opened:
    case_id: UUID
    reference: str

    @property
    def stream(self) -> str:
        return case_stream(TENANT, str(self.case_id))


def new_traceparent() -> tuple[str, str, str]:
    """A caller's W3C traceparent with fresh ids: (header, trace id, span id)."""
    trace_id, span_id = secrets.token_hex(16), secrets.token_hex(8)
    return f"00-{trace_id}-{span_id}-01", trace_id, span_id


async def submit(
    client: httpx.AsyncClient, stack: Stack, key: str, *, traceparent: str | None = None
) -> httpx.Response:
    headers = {**stack.headers(), "Idempotency-Key": key}
    if traceparent is not None:
        headers["traceparent"] = traceparent
    return await client.post(
        f"{stack.url('intake')}/v1/tenants/{TENANT}/signals", json=DEMO_SIGNAL, headers=headers
    )


def opened(response: httpx.Response) -> Opened:
    assert response.status_code == 201, f"{response.status_code}: {response.text}"
    body = response.json()
    return Opened(UUID(body["case_id"]), body["reference"])


async def events(store: EventStore, stream: str) -> list[RecordedEvent]:
    return await store.read_stream(stream)


async def wait_for_event(
    store: EventStore, stack: Stack, stream: str, event_type: str
) -> list[RecordedEvent]:
    """The stream's events once one of ``event_type`` is among them."""

    async def probe() -> list[RecordedEvent] | None:
        found = await events(store, stream)
        return found if any(e.type == event_type for e in found) else None

    return await eventually(probe, stack, within=WAIT, what=f"{event_type} in {stream}")


def of_type(recorded: list[RecordedEvent], event_type: str) -> list[RecordedEvent]:
    return [e for e in recorded if e.type == event_type]


def message_id_of(recorded: list[RecordedEvent]) -> str:
    """The Message-ID notify gives the case's one requested notification."""
    [requested] = of_type(recorded, "NotificationRequested")
    return f"<{requested.data['notification_id']}@klachtspoor>"


def read_mail(path: Path) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(message, EmailMessage)
    return message


def mails_mentioning(mail_dir: Path, text: str, *, to: str | None = None) -> list[EmailMessage]:
    """Mails in the sink's directory whose plain-text body contains ``text`` (and addressed ``to``, when
    given: a case reference is unique per tenant only, and a shared stack holds every tenant's mail)."""
    found = []
    for path in mail_files(mail_dir):
        message = read_mail(path)
        if to is not None and to not in [address.addr_spec for address in message["To"].addresses]:
            continue
        body = message.get_body(preferencelist=("plain",))
        if body is not None and text in str(body.get_content()):
            found.append(message)
    return found


async def reporting_get(client: httpx.AsyncClient, stack: Stack, path: str) -> httpx.Response:
    return await client.get(f"{stack.url('reporting')}/v1/tenants/{TENANT}{path}", headers=stack.headers())


async def wait_for_reporting(
    client: httpx.AsyncClient, stack: Stack, path: str, ready: Any, what: str
) -> dict[str, Any]:
    """GET ``path`` from reporting until it answers 200 and ``ready(body)`` holds."""

    async def probe() -> dict[str, Any] | None:
        response = await reporting_get(client, stack, path)
        if response.status_code == 404:
            return None
        assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text}"
        body: dict[str, Any] = response.json()
        return body if ready(body) else None

    return await eventually(probe, stack, within=WAIT, what=what)
