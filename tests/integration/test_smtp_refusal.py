"""The dev SMTP sink refusing mail for a while, switched from outside through its control file: what the
fault run's "mail server answers 451" window relies on."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from pathlib import Path

import pytest

from klachtspoor_devtools.devstack.smtp import (
    REFUSE_FILE,
    TEMPORARY_REFUSAL,
    MailSink,
    accept_mail,
    refusal,
    refuse_mail,
)


def send(sink: MailSink, number: int) -> None:
    message = EmailMessage()
    message["From"], message["To"] = "klachten@example.org", "ouder@example.org"
    message["Subject"], message["Message-ID"] = f"mail {number}", f"<mail-{number}@test>"
    message.set_content("Tekst.")
    with smtplib.SMTP(sink.host, sink.port, timeout=10) as client:
        client.send_message(message)


def test_the_sink_refuses_with_451_while_the_control_file_exists(tmp_path: Path) -> None:
    with MailSink(tmp_path / "mail") as sink:
        send(sink, 1)
        refuse_mail(sink.mail_dir)
        assert refusal(sink.mail_dir) == TEMPORARY_REFUSAL
        with pytest.raises(smtplib.SMTPDataError) as refused:
            send(sink, 2)
        assert refused.value.smtp_code == 451
        accept_mail(sink.mail_dir)
        assert refusal(sink.mail_dir) is None
        send(sink, 3)
        assert sink.deliveries() == {"<mail-1@test>": 1, "<mail-3@test>": 1}
        assert [path.name for path in sink.mails()] == ["mail-1@test.eml", "mail-3@test.eml"]


def test_the_control_file_may_name_its_own_reply(tmp_path: Path) -> None:
    with MailSink(tmp_path / "mail") as sink:
        refuse_mail(sink.mail_dir, "452 4.3.1 Insufficient system storage")
        with pytest.raises(smtplib.SMTPDataError) as refused:
            send(sink, 1)
        storage = (452, b"4.3.1 Insufficient system storage")
        assert (refused.value.smtp_code, refused.value.smtp_error) == storage
        (sink.mail_dir / REFUSE_FILE).write_text("")
        assert refusal(sink.mail_dir) == TEMPORARY_REFUSAL
        accept_mail(sink.mail_dir)
        accept_mail(sink.mail_dir)  # accepting twice is fine
        assert sink.deliveries() == {}


@pytest.mark.parametrize("reply", ["250 OK", "busy", ""])
def test_only_a_4xx_or_5xx_reply_is_a_refusal(tmp_path: Path, reply: str) -> None:
    with pytest.raises(ValueError, match="4xx or 5xx"):
        refuse_mail(tmp_path, reply)
    assert not (tmp_path / REFUSE_FILE).exists()
