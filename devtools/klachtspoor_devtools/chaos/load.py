"""The run's steady load: signals open-loop at a set rate (as ``bench e2e`` sends them), with staff
commands, public submissions and reads mixed in, each retried the way a careful client retries.

Signal ``i`` is due at ``t0 + i / rate`` whatever the earlier ones are doing. Every ``public_every``-th
tick also files a complaint through the public way in, every ``command_every``-th closes an earlier
case as a complaints officer, every ``read_every``-th reads: the case file of an earlier case as staff,
or a public complainant's dossier with its receipt code and secret, in turn. And every ``late_every``-th
signal's case gets a complaint filed on it that was received :data:`LATE_DAYS` days ago (a letter that
lay unopened), so its admissibility term is past its due date at once: the deadline timer must record
its warning and its breach, each once, whatever the faults do meanwhile. And ``poison`` times, spread
evenly, it appends an event of a newer release (:mod:`.poison`), which every subscriber must park.

Each service has a client of its own, without a cap on connections: a service that answers slowly (or
not at all, until the timeout) holds its own connections and never queues the other's requests behind
them; a queue in the client would also cost its event loop time on every request it holds. The staff's
part of the mix holds back instead: a command or read due while ``max_in_flight`` of them are still
waiting is skipped (counted), as a person waits for an answer before asking again.

Retries: a signal and a staff command carry an Idempotency-Key, so any failure (no answer, 5xx, 429) is
tried again with the same key until ``retry_for`` s have passed. A public filing has no such key: it is
tried again only when nothing can have been written (the connection was refused, or 429/503, which the
way in answers before it writes), else its outcome stands as it came.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field

from klachtspoor.auth.devkeys import mint_token
from klachtspoor.calendar import local_date
from klachtspoor_devtools.bench.e2e_stack import BenchStack
from klachtspoor_devtools.chaos.poison import append_poison
from klachtspoor_devtools.devstack.guide import DEMO_SIGNAL, DEMO_TENANT, service_url

RETRY_STATUSES = frozenset({429, 502, 503, 504})
NOTHING_WRITTEN = frozenset({429, 503})
STAFF = "chaos-staff"
DOSSIER_CHANNEL = "POST /v1/public/tenants/{tenant}/dossier"
FILE_CHANNEL = "GET /v1/tenants/{tenant}/cases/{case_id}/file"
PUBLIC_COMPLAINT = {
    "capacity": "legal_representative",
    "client_age_band": "from_12_to_17",
    "raised_with": "care_worker",
    "description": "Mijn zoon krijgt al weken geen antwoord op zijn vragen aan zijn begeleider.",
    "name": "Ouder van Sam",
    "email": "ouder@example.org",
    "categories": ["information"],
}
CLOSE = {"resolution": "resolved_informally"}
LATE_DAYS = 45
"""A complaint received this many days ago: past the four weeks of demo's admissibility term."""
LATE_COMPLAINT = {
    "filed_with": "care_worker",
    "channel": "letter",
    "written": True,
    "description": "Mijn brief over de begeleiding van mijn dochter is nooit beantwoord.",
}


class Mix(BaseModel):
    """How much of each kind of request rides along with the signals."""

    model_config = ConfigDict(frozen=True)

    public_every: int = Field(default=10, ge=1)
    command_every: int = Field(default=10, ge=1)
    read_every: int = Field(default=5, ge=1)
    late_every: int = Field(default=20, ge=1)
    poison: int = Field(default=3, ge=0)
    """Events of a newer release appended during the load (:mod:`.poison`), spread evenly over it."""
    retry_for: float = Field(default=180.0, gt=0)
    max_in_flight: int = Field(default=50, ge=1)
    timeout: float = Field(default=10.0, gt=0)
    """Seconds one attempt waits for its answer."""


@dataclass(frozen=True)
class Outcome:
    """One request of the load as it ended, after its retries."""

    kind: str
    """``signal``, ``public``, ``command``, ``late_complaint``, ``file_read`` or ``dossier_read``."""
    index: int
    status: int | None
    attempts: int
    case_id: str | None = None
    reference: str | None = None
    appended: tuple[str, ...] = ()
    error: str | None = None

    @property
    def accepted(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass
class LoadRecord:
    """Everything the load did, for the checks after the drain."""

    outcomes: list[Outcome] = field(default_factory=list)
    secrets: dict[str, str] = field(default_factory=dict)
    """Receipt code -> secret of every accepted public filing."""
    skipped: int = 0
    """Staff commands and reads not sent because ``max_in_flight`` of them were waiting."""
    poisoned: dict[str, str] = field(default_factory=dict)
    """Event id -> case stream of every event poisoned on purpose (:mod:`.poison`)."""

    def of(self, kind: str) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.kind == kind]


Attempt = Callable[[], Awaitable[httpx.Response]]


def client(mix: Mix) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=100)
    return httpx.AsyncClient(timeout=mix.timeout, limits=limits)


class Load:
    """The load on one stack; ``async with`` opens its clients (one per service) and closes them."""

    def __init__(self, stack: BenchStack, mix: Mix) -> None:
        self.mix = mix
        self.intake, self.escalation = client(mix), client(mix)
        self.record = LoadRecord()
        self._database_url = stack.endpoints.database_url
        self._intake = service_url(stack.endpoints, "intake")
        self._escalation = service_url(stack.endpoints, "escalation")
        private_key = (stack.endpoints.jwt_public_key.parent / "private.pem").read_text()
        officer = mint_token(private_key, subject=STAFF, tenant_roles={DEMO_TENANT: ("complaints_officer",)})
        self._signal_headers = {"Authorization": f"Bearer {stack.token()}"}
        self._officer = {"Authorization": f"Bearer {officer}"}
        self._run = uuid.uuid4().hex[:12]
        self._open_cases: list[str] = []
        self._reads = 0
        self._staff_waiting = 0
        self.sent = 0

    async def __aenter__(self) -> Load:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.intake.aclose()
        await self.escalation.aclose()

    async def run(self, signals: int, rate: float, on_tick: Callable[[int], None] | None = None) -> None:
        """Send ``signals`` signals ``1 / rate`` s apart, the mix beside them; return once all answered."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        tasks: list[asyncio.Task[None]] = []
        poison_at = {signals * (n + 1) // (self.mix.poison + 1) for n in range(self.mix.poison)}
        for index in range(signals):
            delay = start + index / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self._signal(index)))
            if index % self.mix.public_every == self.mix.public_every - 1:
                tasks.append(asyncio.create_task(self._public(index)))
            if index % self.mix.command_every == self.mix.command_every // 2 and self._open_cases:
                tasks += self._staff(self._close(index, self._open_cases.pop(0)))
            if index % self.mix.read_every == self.mix.read_every - 1:
                tasks += self._staff(self._read(index))
            if index in poison_at:
                tasks.append(asyncio.create_task(self._poison()))
            self.sent = index + 1
            if on_tick is not None:
                on_tick(self.sent)
        await asyncio.gather(*tasks)

    def _staff(self, request: Coroutine[Any, Any, None]) -> list[asyncio.Task[None]]:
        """Start a staff command or read, unless ``max_in_flight`` of them are waiting (then skip it)."""
        if self._staff_waiting >= self.mix.max_in_flight:
            request.close()
            self.record.skipped += 1
            return []
        self._staff_waiting += 1

        async def waited() -> None:
            try:
                await request
            finally:
                self._staff_waiting -= 1

        return [asyncio.create_task(waited())]

    async def _signal(self, index: int) -> None:
        headers = {**self._signal_headers, "Idempotency-Key": f"chaos-{self._run}-signal-{index}"}
        url = f"{self._intake}/v1/tenants/{DEMO_TENANT}/signals"
        outcome, body = await self._retried(
            "signal", index, lambda: self.intake.post(url, json=DEMO_SIGNAL, headers=headers)
        )
        if outcome.accepted:
            case_id = str(body["case_id"])
            outcome = _with(outcome, case_id=case_id, reference=str(body["reference"]))
        self.record.outcomes.append(outcome)
        if not outcome.accepted:
            return
        if index % self.mix.late_every == self.mix.late_every - 1:
            await self._late(index, case_id)  # never closed: its term runs late
        else:
            self._open_cases.append(case_id)

    async def _poison(self) -> None:
        stream, event_id = await append_poison(self._database_url, DEMO_TENANT)
        self.record.poisoned[event_id] = stream

    async def _late(self, index: int, case_id: str) -> None:
        headers = {**self._officer, "Idempotency-Key": f"chaos-{self._run}-late-{index}"}
        url = f"{self._escalation}/v1/tenants/{DEMO_TENANT}/cases/{case_id}/commands/file-complaint"
        received = local_date(datetime.now(UTC)) - timedelta(days=LATE_DAYS)
        body = {**LATE_COMPLAINT, "received_on": received.isoformat()}
        outcome, answer = await self._retried(
            "late_complaint", index, lambda: self.escalation.post(url, json=body, headers=headers)
        )
        appended = tuple(answer.get("appended", ())) if outcome.accepted else ()
        self.record.outcomes.append(_with(outcome, case_id=case_id, appended=appended))

    async def _public(self, index: int) -> None:
        url = f"{self._intake}/v1/public/tenants/{DEMO_TENANT}/complaints"
        body = {**PUBLIC_COMPLAINT, "email": f"ouder-{self._run}-{index}@example.org"}
        outcome, answer = await self._retried(
            "public", index, lambda: self.intake.post(url, json=body), idempotent=False
        )
        if outcome.accepted:
            outcome = _with(outcome, reference=str(answer["reference"]))
            self.record.secrets[str(answer["reference"])] = str(answer["secret"])
        self.record.outcomes.append(outcome)

    async def _close(self, index: int, case_id: str) -> None:
        headers = {**self._officer, "Idempotency-Key": f"chaos-{self._run}-close-{index}"}
        url = f"{self._escalation}/v1/tenants/{DEMO_TENANT}/cases/{case_id}/commands/close"
        outcome, body = await self._retried(
            "command", index, lambda: self.escalation.post(url, json=CLOSE, headers=headers)
        )
        appended = tuple(body.get("appended", ())) if outcome.accepted else ()
        self.record.outcomes.append(_with(outcome, case_id=case_id, appended=appended))

    async def _read(self, index: int) -> None:
        self._reads += 1
        closed = [o.case_id for o in self.record.of("command") if o.case_id]
        public = list(self.record.secrets.items())
        if self._reads % 2 and public:
            reference, secret = public[index % len(public)]
            url = f"{self._escalation}/v1/public/tenants/{DEMO_TENANT}/dossier"
            key = {"reference": reference, "secret": secret}
            outcome, body = await self._retried(
                "dossier_read", index, lambda: self.escalation.post(url, json=key)
            )
            case_id = str(body["case_id"]) if outcome.accepted else None
            self.record.outcomes.append(_with(outcome, reference=reference, case_id=case_id))
        elif closed:
            case_id = closed[index % len(closed)]
            url = f"{self._escalation}/v1/tenants/{DEMO_TENANT}/cases/{case_id}/file"
            outcome, _ = await self._retried(
                "file_read", index, lambda: self.escalation.get(url, headers=self._officer)
            )
            self.record.outcomes.append(_with(outcome, case_id=case_id))

    async def _retried(
        self, kind: str, index: int, attempt: Attempt, *, idempotent: bool = True
    ) -> tuple[Outcome, dict[str, Any]]:
        """``attempt`` until it is answered for good or ``retry_for`` s have passed."""
        deadline = time.monotonic() + self.mix.retry_for
        attempts, pause = 0, 0.2
        while True:
            attempts += 1
            try:
                response = await attempt()
            except httpx.HTTPError as error:
                retry = idempotent or isinstance(error, httpx.ConnectError)
                failed = Outcome(kind, index, None, attempts, error=f"{type(error).__name__}: {error}")
                if not retry or time.monotonic() > deadline:
                    return failed, {}
            else:
                again = response.status_code in (RETRY_STATUSES if idempotent else NOTHING_WRITTEN)
                if not again or time.monotonic() > deadline:
                    body = response.json() if response.status_code < 300 else {}
                    problem = (
                        None
                        if response.status_code < 300
                        else f"HTTP {response.status_code}: {response.text[:200]}"
                    )
                    return Outcome(kind, index, response.status_code, attempts, error=problem), body
            await asyncio.sleep(pause)
            pause = min(2.0, pause * 2)


def _with(outcome: Outcome, **changes: Any) -> Outcome:
    return replace(outcome, **changes)
