"""The dev SMTP sink: one file per Message-ID, every handover counted, refusals on request, a CLI."""

from __future__ import annotations

import asyncio
import signal
import socket
import sys
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib
import pytest
from notify_helpers import read_mail, wait_for

from klachtspoor_devtools.devstack.smtp import MailSink, mail_file_name, mail_files, read_deliveries


def message(message_id: str, body: str = "Hallo") -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = "klachten@klachtspoor.example"
    mail["To"] = "ouder@example.org"
    mail["Subject"] = "Test"
    mail["Message-ID"] = message_id
    mail.set_content(body)
    return mail


async def test_a_mail_sent_twice_is_one_file_and_two_deliveries(smtp_sink: MailSink) -> None:
    await aiosmtplib.send(message("<a@klachtspoor>", "eerste"), hostname="127.0.0.1", port=smtp_sink.port)
    await aiosmtplib.send(message("<a@klachtspoor>", "tweede"), hostname="127.0.0.1", port=smtp_sink.port)
    await aiosmtplib.send(message("<b@klachtspoor>"), hostname="127.0.0.1", port=smtp_sink.port)

    assert [p.name for p in smtp_sink.mails()] == ["a@klachtspoor.eml", "b@klachtspoor.eml"]
    assert smtp_sink.deliveries() == {"<a@klachtspoor>": 2, "<b@klachtspoor>": 1}
    assert read_mail(smtp_sink.mails()[0]).get_content().strip() == "eerste"  # the first one is kept


async def test_a_refusing_sink_writes_nothing(smtp_sink: MailSink) -> None:
    smtp_sink.reject_with = "550 5.1.1 Onbekend"
    with pytest.raises(aiosmtplib.SMTPResponseException) as refused:
        await aiosmtplib.send(message("<c@klachtspoor>"), hostname="127.0.0.1", port=smtp_sink.port)
    assert refused.value.code == 550
    assert smtp_sink.mails() == [] and smtp_sink.deliveries() == {}


def test_message_ids_become_safe_file_names() -> None:
    assert mail_file_name("<x/../y z@host>") == "x_.._y_z@host.eml"
    assert mail_file_name("  ") == "no-message-id.eml"


async def test_the_sink_runs_as_a_child_process(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "klachtspoor_devtools.devstack.smtp",
        "--port",
        str(port),
        "--dir",
        str(tmp_path),
    )
    try:

        async def accepts() -> bool:
            try:
                await aiosmtplib.send(message("<d@klachtspoor>"), hostname="127.0.0.1", port=port, timeout=2)
            except (aiosmtplib.SMTPException, OSError):
                return False
            return True

        await wait_for(accepts, within=30, what="the sink process to accept mail")
    finally:
        sink.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(sink.wait(), 30) == 0
    assert [p.name for p in mail_files(tmp_path)] == ["d@klachtspoor.eml"]
    assert read_deliveries(tmp_path) == {"<d@klachtspoor>": 1}
