"""Watching every way out for a marker value: log records (with tracebacks and chained exceptions), spans,
NATS messages and HTTP bodies.

A test puts :data:`MARKER` into every personal field, drives a failure path, and asserts the marker left
through none of them. The capture is broad on purpose: every logger of the process (libraries included)
at DEBUG, formatted with its traceback; every span the test's provider finished, as JSON (name,
attributes, status, events); every message on the project's NATS subjects, headers and body.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import nats
from nats.aio.msg import Msg
from opentelemetry.sdk.trace import ReadableSpan

from klachtspoor.relay.message import SUBJECT_ROOT

MARKER = "Qz7Merkteken"
"""A value no code or library writes by itself; the test puts it into every personal field."""
MARKED_ADDRESS = f"{MARKER}@example.org"

IGNORED_LOGGERS = ("mail.log",)
"""aiosmtpd's own log: the test's SMTP sink, a server outside the system under test."""


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(IGNORED_LOGGERS):
            return
        # The formatted line includes the traceback with every chained exception ("The above exception
        # was the direct cause ..."); the extras (ks_*) are checked too.
        extras = {k: v for k, v in record.__dict__.items() if k.startswith("ks_")}
        self.lines.append(f"{self.format(record)} {extras!r}")


@dataclass
class LeakWatch:
    logs: _Capture = field(default_factory=_Capture)
    messages: list[str] = field(default_factory=list)

    def assert_clean(self, *, spans: Iterable[ReadableSpan] = (), bodies: Iterable[str] = ()) -> None:
        places = {
            "log": self.logs.lines,
            "span": [span.to_json() for span in spans],
            "NATS message": self.messages,
            "HTTP body": list(bodies),
        }
        for where, texts in places.items():
            for text in texts:
                assert MARKER not in text, f"a personal value reached a {where}:\n{text}"
                assert MARKER.lower() not in text.lower(), f"a personal value reached a {where}:\n{text}"

    def assert_watched(self) -> None:
        """The failure path ran and was seen (a watch that saw nothing proves nothing)."""
        assert self.logs.lines, "no log line was captured"


@asynccontextmanager
async def leak_watch(nats_url: str | None = None) -> AsyncIterator[LeakWatch]:
    """Capture the process's logs (and, given ``nats_url``, the project's NATS traffic) meanwhile."""
    watch = LeakWatch()
    root = logging.getLogger()
    level = root.level
    root.addHandler(watch.logs)
    root.setLevel(logging.DEBUG)
    client = None
    try:
        if nats_url is not None:
            client = await nats.connect(nats_url)

            async def keep(message: Msg) -> None:
                headers = dict(message.headers or {})
                watch.messages.append(
                    f"{message.subject} {headers!r} {message.data.decode(errors='replace')}"
                )

            await client.subscribe(f"{SUBJECT_ROOT}.>", cb=keep)
        yield watch
    finally:
        if client is not None:
            await client.drain()
        root.removeHandler(watch.logs)
        root.setLevel(level)
