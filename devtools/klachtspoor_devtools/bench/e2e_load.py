"""Open-loop submissions and the mails they cause, as ``klachtspoor bench e2e`` measures them.

Submission ``i`` is scheduled at ``t0 + i / rate`` and started then, whatever the earlier ones are doing;
its latencies count from that scheduled time, so a slow system (or a late load generator) cannot hide
queueing behind fewer requests (no coordinated omission). Times are Unix time, the clock the SMTP sink
stamps each accepted mail with (``accepted_at`` in its ``deliveries.log``), so the two compare across
processes.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from klachtspoor_devtools.devstack.guide import DEMO_SIGNAL, DEMO_TENANT
from klachtspoor_devtools.devstack.smtp import DELIVERIES_LOG

REFERENCE = re.compile(r"KS-\d{4}-\d{6}")


@dataclass(frozen=True)
class Submission:
    """One submission: when it was scheduled and started, and how intake answered."""

    index: int
    scheduled: float
    started: float
    answered: float
    status: int | None
    """The HTTP status; None when the request failed without an answer (timeout, connection)."""
    reference: str | None
    case_id: str | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.reference is not None

    @property
    def http_latency(self) -> float:
        return self.answered - self.scheduled


@dataclass(frozen=True)
class Mail:
    reference: str
    accepted_at: float
    message_id: str


class MailLog:
    """Reads the sink's ``deliveries.log`` as it grows: each new line once, a partial last line later."""

    def __init__(self, mail_dir: Path) -> None:
        self.mail_dir = mail_dir
        self._offset = 0
        self.by_reference: dict[str, list[Mail]] = {}
        self.unmatched = 0
        """Delivered mails whose subject names no case reference (none are expected)."""

    def poll(self) -> int:
        """Read what was appended since the last poll; returns how many deliveries came in."""
        log = self.mail_dir / DELIVERIES_LOG
        if not log.exists():
            return 0
        with log.open("rb") as handle:
            handle.seek(self._offset)
            chunk = handle.read()
        complete = chunk[: chunk.rfind(b"\n") + 1]
        self._offset += len(complete)
        lines = [line for line in complete.decode("utf-8").splitlines() if line.strip()]
        for line in lines:
            self._add(json.loads(line))
        return len(lines)

    def _add(self, entry: dict[str, object]) -> None:
        """The reference from the mail's headers (its subject names it; headers are plain ASCII here)."""
        content = (self.mail_dir / str(entry["file"])).read_bytes()
        headers = re.split(rb"\r?\n\r?\n", content, maxsplit=1)[0]
        found = REFERENCE.search(headers.decode("ascii", errors="replace"))
        if found is None:
            self.unmatched += 1
            return
        mail = Mail(found.group(), float(str(entry["accepted_at"])), str(entry["message_id"]))
        self.by_reference.setdefault(mail.reference, []).append(mail)

    def first(self, reference: str) -> Mail | None:
        mails = self.by_reference.get(reference)
        return min(mails, key=lambda mail: mail.accepted_at) if mails else None

    def count(self, reference: str) -> int:
        return len(self.by_reference.get(reference, ()))


class OpenLoop:
    """Submits signals to intake at a constant rate from one shared client, each with its own key."""

    def __init__(self, client: httpx.AsyncClient, intake_url: str, token: str) -> None:
        self._client = client
        self._url = f"{intake_url}/v1/tenants/{DEMO_TENANT}/signals"
        self._headers = {"Authorization": f"Bearer {token}"}
        self._run = uuid.uuid4().hex[:12]
        self.sent = 0

    async def run(
        self, rate: float, count: int, first_index: int = 0, on_sent: Callable[[int], None] | None = None
    ) -> list[Submission]:
        """Schedule ``count`` submissions ``1 / rate`` s apart from now; return them once all answered."""
        loop = asyncio.get_running_loop()
        wall_minus_loop = time.time() - loop.time()
        start = loop.time()
        tasks: list[asyncio.Task[Submission]] = []
        for offset in range(count):
            due = start + offset / rate
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            index = first_index + offset
            tasks.append(asyncio.create_task(self._one(index, due + wall_minus_loop)))
            self.sent += 1
            if on_sent is not None:
                on_sent(self.sent)
        return list(await asyncio.gather(*tasks))

    async def _one(self, index: int, scheduled: float) -> Submission:
        started = time.time()
        headers = {**self._headers, "Idempotency-Key": f"bench-{self._run}-{index}"}
        try:
            response = await self._client.post(self._url, json=DEMO_SIGNAL, headers=headers)
        except httpx.HTTPError as error:
            detail = f"{type(error).__name__}: {error}"
            return Submission(index, scheduled, started, time.time(), None, None, None, detail)
        answered = time.time()
        if response.status_code >= 300:
            error_text = f"HTTP {response.status_code}: {response.text[:200]}"
            status = response.status_code
            return Submission(index, scheduled, started, answered, status, None, None, error_text)
        body = response.json()
        reference, case_id = str(body["reference"]), str(body["case_id"])
        return Submission(index, scheduled, started, answered, response.status_code, reference, case_id, None)


async def wait_for_mails(
    log: MailLog,
    submissions: list[Submission],
    within: float,
    on_poll: Callable[[int], None] | None = None,
    interval: float = 0.1,
) -> bool:
    """Poll the sink's log until every answered submission has its mail; False after ``within`` s."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    waiting = {s.reference for s in submissions if s.reference is not None}
    while True:
        log.poll()
        waiting = {reference for reference in waiting if log.first(reference) is None}
        if on_poll is not None:
            on_poll(len(waiting))
        if not waiting:
            return True
        if loop.time() > deadline:
            return False
        await asyncio.sleep(interval)
