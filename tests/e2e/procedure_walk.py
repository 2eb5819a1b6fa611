"""A case walked through a published procedure on the running stack: the signal filed at intake, every
step sent to escalation's staff commands with a token of the role that takes it, the stream read back from
the store. After each command the walk waits until notify has answered every requested notification, so
the stream's order does not depend on how fast notify reacts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from typing import Any
from uuid import UUID

import httpx
from e2e_helpers import WAIT, read_mail
from e2e_stack import Stack, eventually

from klachtspoor.auth.devkeys import mint_token, same_roles
from klachtspoor.calendar import NETHERLANDS
from klachtspoor.eventstore.port import EventStore, RecordedEvent
from klachtspoor.eventstore.streams import case_stream
from klachtspoor_devtools.devstack.smtp import mail_file_name

OPENING = ["SignalReceived", "CaseReferenceAssigned", "ProcedurePolicyPinned"]
ACKNOWLEDGED = ["NotificationRequested", "NotificationSent"]
"""What the first signal leads to: escalation asks for the acknowledgement, notify sends it. None of the
five procedures sets a term for a signal at its first step, so none starts (Ik ben er ook!'s first
contact within two working days is its committee's)."""
ANSWERED = {"NotificationSent", "NotificationFailed", "NotificationParked"}


def answers_sorted(types: list[str]) -> list[str]:
    """``types`` with each run of consecutive answers (sent, failed, parked) in name order."""
    out: list[str] = []
    run: list[str] = []
    for kind in [*types, ""]:
        if kind in ANSWERED:
            run.append(kind)
            continue
        out += sorted(run)
        run = []
        if kind:
            out.append(kind)
    return out


def today() -> date:
    """The services stamp commands with the real clock, so the walk's dates are today's in the Netherlands."""
    return datetime.now(NETHERLANDS).date()


def signal(received_on: date, **extra: Any) -> dict[str, Any]:
    return {
        "channel": "in_person",
        "complainant": {
            "capacity": "client",
            "name": "Voorbeeld Cliënt",
            "email": "client@example.org",
            "preferred_channel": "email",
        },
        "categories": ["treatment"],
        "description": "Ik voel me niet gehoord door mijn begeleider.",
        "received_on": received_on.isoformat(),
        **extra,
    }


@dataclass
class Walk:
    """One case of ``tenant`` on the stack, walked command by command."""

    stack: Stack
    store: EventStore
    client: httpx.AsyncClient
    tenant: str
    case_id: UUID = field(default_factory=lambda: UUID(int=0))
    """Set when the signal is filed."""
    reference: str = ""
    _tokens: dict[tuple[str, tuple[str, ...]], str] = field(default_factory=dict)

    @property
    def stream(self) -> str:
        return case_stream(self.tenant, str(self.case_id))

    def token(self, role: str, *, via: str | None = None) -> str:
        """A token of ``role`` for the case's tenant; ``via`` adds the confidant organisation's tenant."""
        tenants = (self.tenant,) if via is None else (via, self.tenant)
        if (role, tenants) not in self._tokens:
            self._tokens[(role, tenants)] = mint_token(
                self.stack.private_key, subject=f"e2e-{role}", tenant_roles=same_roles(tenants, (role,))
            )
        return self._tokens[(role, tenants)]

    def headers(self, role: str, *, via: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, via=via)}"}

    async def file_signal(self, body: dict[str, Any]) -> list[RecordedEvent]:
        """File the signal at intake as a care worker; wait until its acknowledgement was sent."""
        url = f"{self.stack.url('intake')}/v1/tenants/{self.tenant}/signals"
        response = await self.client.post(url, json=body, headers=self.headers("care_worker"))
        assert response.status_code == 201, f"{response.status_code}: {response.text}"
        self.case_id, self.reference = UUID(response.json()["case_id"]), response.json()["reference"]
        return await self.settled(expect="NotificationSent")

    async def send(self, name: str, body: dict[str, Any], role: str, *, via: str | None = None) -> list[str]:
        """The command, which must be accepted; the event types it appended."""
        response = await self.post(name, body, role, via=via)
        assert response.status_code == 200, f"{name} as {role}: {response.status_code} {response.text}"
        appended: list[str] = response.json()["appended"]
        await self.settled()
        return appended

    async def refused(self, name: str, body: dict[str, Any], role: str, *, via: str | None = None) -> str:
        """The command, which must be refused with 409 and append nothing; the rule it names."""
        before = await self.types()
        response = await self.post(name, body, role, via=via)
        assert response.status_code == 409, f"{name} as {role}: {response.status_code} {response.text}"
        assert await self.types() == before
        rule: str = response.json()["rule"]
        return rule

    async def post(
        self, name: str, body: dict[str, Any], role: str, *, via: str | None = None
    ) -> httpx.Response:
        url = f"{self.stack.url('escalation')}/v1/tenants/{self.tenant}/cases/{self.case_id}/commands/{name}"
        return await self.client.post(url, json=body, headers=self.headers(role, via=via))

    async def types(self) -> list[str]:
        """The stream's event types; a run of notify's answers sorted, as notify answers the requests of
        one append concurrently (a parked copy may be recorded before or after the mail sent)."""
        return answers_sorted([e.type for e in await self.store.read_stream(self.stream)])

    async def settled(self, expect: str | None = None) -> list[RecordedEvent]:
        """The stream once every requested notification has an answer (and ``expect`` is in it)."""

        async def probe() -> list[RecordedEvent] | None:
            found = await self.store.read_stream(self.stream)
            requested = sum(e.type == "NotificationRequested" for e in found)
            answered = sum(e.type in ANSWERED for e in found)
            done = requested == answered and (expect is None or any(e.type == expect for e in found))
            return found if done else None

        return await eventually(probe, self.stack, within=WAIT, what=f"notify's answers in {self.stream}")

    async def deadlines(self, role: str = "auditor") -> dict[str, dict[str, Any]]:
        """The case's running terms by kind, as escalation derives them now."""
        url = f"{self.stack.url('escalation')}/v1/tenants/{self.tenant}/cases/{self.case_id}/deadlines"
        response = await self.client.get(url, headers=self.headers(role))
        assert response.status_code == 200, f"deadlines: {response.status_code} {response.text}"
        return {d["kind"]: d for d in response.json()["deadlines"]}

    async def reported(self, status: str) -> dict[str, Any]:
        """The case as reporting shows it, once it has ``status``."""
        url = f"{self.stack.url('reporting')}/v1/tenants/{self.tenant}/cases/{self.case_id}"

        async def probe() -> dict[str, Any] | None:
            response = await self.client.get(url, headers=self.headers("complaints_officer"))
            if response.status_code == 404:
                return None
            assert response.status_code == 200, f"reporting: {response.status_code} {response.text}"
            body: dict[str, Any] = response.json()
            return body if body["status"]["code"] == status else None

        return await eventually(probe, self.stack, within=WAIT, what=f"{self.case_id} {status} in reporting")

    def mail_text(self, notification_id: str) -> str:
        """The plain-text body of the mail for ``notification_id``, as the complainant reads it."""
        body = self.mail(notification_id).get_body(preferencelist=("plain",))
        assert body is not None, f"the mail for {notification_id} has no plain-text body"
        return str(body.get_content())

    def mail(self, notification_id: str) -> EmailMessage:
        """The mail notify sent for ``notification_id`` (references repeat across tenants: found by id)."""
        message_id = f"<{notification_id}@klachtspoor>"
        message = read_mail(self.stack.mail_dir / mail_file_name(message_id))
        assert message["Message-ID"] == message_id
        return message
