"""The dev SMTP sink: an aiosmtpd server on loopback that writes every accepted mail to a file.

Mails are written as ``<mail_dir>/<sanitised Message-ID>.eml`` *before* the server answers 250, so a mail
that was handed over is on disk. A mail sent again with the same Message-ID does not make a second file
(receivers deduplicate on Message-ID, and so does this sink), but every handover is counted: one JSON line
per accepted mail in ``<mail_dir>/deliveries.log``, so tests can prove how often a mail was really sent.
Like a delivering MTA, it puts the envelope sender first as ``Return-Path`` (where a bounce would go).
Each line also carries ``accepted_at`` (Unix time, seconds), taken once the mail is on disk: the moment
``klachtspoor bench e2e`` counts as the mail's acceptance, comparable across processes.

While ``<mail_dir>/refuse-with`` exists the sink refuses every mail with the reply that file holds
(``451 4.3.0 …`` by default when it is empty): a mail server's outage switched on and off at runtime from
another process (:func:`refuse_mail`, :func:`accept_mail`), as ``klachtspoor chaos run`` does.

Use it in-process (:class:`MailSink`, a thread with its own event loop) or as a child process of
``make dev``: ``python -m klachtspoor_devtools.devstack.smtp --port 8025 --dir .dev/mail``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import threading
import time
import uuid
from collections import Counter
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller

DELIVERIES_LOG = "deliveries.log"
REFUSE_FILE = "refuse-with"
TEMPORARY_REFUSAL = "451 4.3.0 Mail server busy, try again later"
_UNSAFE = re.compile(r"[^A-Za-z0-9._@+-]")


def mail_file_name(message_id: str) -> str:
    """``<abc@host>`` -> ``abc@host.eml``; characters unsafe in a file name become ``_``."""
    core = message_id.strip().strip("<>").strip() or "no-message-id"
    return _UNSAFE.sub("_", core)[:200].lstrip(".") + ".eml"


def read_deliveries(mail_dir: Path) -> Counter[str]:
    """How many times each Message-ID was accepted, from the sidecar log (empty when nothing came)."""
    log = mail_dir / DELIVERIES_LOG
    if not log.exists():
        return Counter()
    counts: Counter[str] = Counter()
    for line in log.read_text(encoding="utf-8").splitlines():
        if line.strip():
            counts[json.loads(line)["message_id"]] += 1
    return counts


def mail_files(mail_dir: Path) -> list[Path]:
    return sorted(mail_dir.glob("*.eml"))


def refuse_mail(mail_dir: Path, reply: str = TEMPORARY_REFUSAL) -> None:
    """From now on the sink serving ``mail_dir`` refuses every mail with ``reply`` (a 4xx or 5xx line)."""
    if not reply[:3].isdigit() or reply[0] not in "45":
        raise ValueError(f"An SMTP refusal starts with a 4xx or 5xx code: {reply!r}")
    partial = mail_dir / f".{REFUSE_FILE}.{uuid.uuid4().hex}.part"
    partial.write_text(reply + "\n", encoding="utf-8")
    os.replace(partial, mail_dir / REFUSE_FILE)


def accept_mail(mail_dir: Path) -> None:
    """The sink serving ``mail_dir`` accepts mail again (after :func:`refuse_mail`)."""
    (mail_dir / REFUSE_FILE).unlink(missing_ok=True)


def refusal(mail_dir: Path) -> str | None:
    """The reply the sink answers every mail with now, or None while it accepts."""
    try:
        text = (mail_dir / REFUSE_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return text or TEMPORARY_REFUSAL


class _FileWriter:
    """aiosmtpd handler: write the mail once per Message-ID, log every delivery, then answer."""

    def __init__(self, mail_dir: Path) -> None:
        self.mail_dir = mail_dir
        self.reject_with: str | None = None
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        reply = self.reject_with or refusal(self.mail_dir)
        if reply is not None:
            return reply
        content: bytes = envelope.original_content or envelope.content
        # What a delivering MTA adds: the envelope sender, where a bounce of this mail would go.
        content = f"Return-Path: <{envelope.mail_from}>\r\n".encode() + content
        headers = BytesParser(policy=default_policy).parsebytes(content, headersonly=True)
        message_id = str(headers.get("Message-ID") or f"<{uuid.uuid4()}@sink.invalid>")
        self.store(message_id, content)
        return "250 Message accepted for delivery"

    def store(self, message_id: str, content: bytes) -> Path:
        """Write the file if this Message-ID has none yet (atomically), and count the delivery."""
        target = self.mail_dir / mail_file_name(message_id)
        with self._lock:
            if not target.exists():
                partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
                partial.write_bytes(content)
                os.replace(partial, target)
            accepted_at = time.time()
            line = json.dumps({"message_id": message_id, "file": target.name, "accepted_at": accepted_at})
            with (self.mail_dir / DELIVERIES_LOG).open("a", encoding="utf-8") as log:
                log.write(line + "\n")
                log.flush()
                os.fsync(log.fileno())
        return target


class _Controller(Controller):
    """aiosmtpd's threaded controller, able to listen on port 0 (the kernel picks a free port)."""

    def _trigger_server(self) -> None:
        server: Any = self.server
        if self.port == 0 and server is not None:
            self.port = server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


class MailSink:
    """An SMTP server writing mails to ``mail_dir``; ``port=0`` picks a free loopback port.

    ``reject_with`` (e.g. ``"451 4.3.0 Try again later"``) makes the sink refuse every mail with that
    reply, for tests of the sender's failure handling; ``None`` accepts again.
    """

    def __init__(self, mail_dir: Path, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.mail_dir = Path(mail_dir)
        self.host = host
        self._writer = _FileWriter(self.mail_dir)
        self._controller = _Controller(self._writer, hostname=host, port=port)

    @property
    def port(self) -> int:
        return int(self._controller.port)

    @property
    def reject_with(self) -> str | None:
        return self._writer.reject_with

    @reject_with.setter
    def reject_with(self, reply: str | None) -> None:
        self._writer.reject_with = reply

    def start(self) -> MailSink:
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def mails(self) -> list[Path]:
        return mail_files(self.mail_dir)

    def deliveries(self) -> Counter[str]:
        return read_deliveries(self.mail_dir)

    def __enter__(self) -> MailSink:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Dev SMTP sink: writes accepted mails to files")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--dir", type=Path, required=True, help="directory the mails are written to")
    args = parser.parse_args(argv)
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    with MailSink(args.dir, host=args.host, port=args.port) as sink:
        print(f"SMTP sink on {sink.host}:{sink.port}, writing to {sink.mail_dir}", flush=True)
        stopped.wait()


if __name__ == "__main__":
    main()
