"""One mail, one recipient: the SMTP envelope is explicit, and the headers cannot add anyone.

The recorder is a real SMTP server (aiosmtpd) that keeps each transaction's MAIL FROM and RCPT TO list,
which is what a relay delivers to, whatever the ``To``/``Cc``/``Bcc`` headers say.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest

from klachtspoor.letters.render import RenderedMail
from klachtspoor_devtools.devstack.smtp import _Controller
from services.notify.adapters.message import Addressing, OutgoingMail, build_message
from services.notify.adapters.smtp import SmtpMailer, SmtpTls
from services.notify.domain.decider import Delivered

SENDER = "klachten@klachtspoor.example"
ONE = "ouder@example.org"


@dataclass
class Recorder:
    transactions: list[tuple[str, list[str]]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.transactions.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


@pytest.fixture
def recorder() -> Iterator[tuple[Recorder, int]]:
    handler = Recorder()
    controller = _Controller(handler, hostname="127.0.0.1", port=0)
    controller.start()
    try:
        yield handler, int(controller.port)
    finally:
        controller.stop()


def addressing(to: str, name: str | None = "Voorbeeld Ouder") -> Addressing:
    return Addressing(
        message_id="<one@klachtspoor>",
        sender_name="Klachtenregeling",
        sender=SENDER,
        to_name=name,
        to=to,
        date=datetime(2026, 3, 5, 10, 0, tzinfo=UTC),
    )


MAIL = RenderedMail(subject="Ontvangstbevestiging", text="Hallo", html="<p>Hallo</p>")


async def test_headers_listing_others_still_reach_exactly_the_one_recipient(
    recorder: tuple[Recorder, int],
) -> None:
    handler, port = recorder
    message = EmailMessage()
    message["Message-ID"] = "<many@klachtspoor>"
    message["From"] = SENDER
    message["To"] = "a@x.nl, b@y.nl, c@z.nl"
    message["Cc"] = "d@x.nl"
    message["Bcc"] = "e@x.nl"
    message.set_content("Hallo")

    mail = OutgoingMail("<many@klachtspoor>", message.as_bytes(policy=policy.SMTP))
    outcome = await SmtpMailer("127.0.0.1", port, tls=SmtpTls.NONE).send(mail, sender=SENDER, recipient=ONE)

    assert outcome == Delivered("<many@klachtspoor>")
    assert handler.transactions == [(SENDER, [ONE])]


@pytest.mark.parametrize(
    "stored", ["a@x.nl, b@y.nl, c@z.nl", "a@x.nl, b@y.nl", "Jan <a@x.nl>", "a@x.nl\r\nBcc: b@y.nl"]
)
def test_the_to_header_is_never_built_from_more_than_one_address(stored: str) -> None:
    with pytest.raises(ValueError, match="not exactly one") as raised:
        build_message(MAIL, addressing(stored))
    assert "x.nl" not in str(raised.value)


def test_a_name_with_line_breaks_stays_one_display_name() -> None:
    message = message_from_bytes(
        build_message(MAIL, addressing(ONE, name="Jan\r\nBcc: b@y.nl")).data, policy=policy.default
    )

    [address] = message["To"].addresses
    assert address.addr_spec == ONE
    assert "Bcc" not in message  # no header was injected
    assert "\n" not in address.display_name


@pytest.mark.parametrize("subject", ["Ontvangst\nBcc: b@y.nl", "Ontvangst\r\n", "Ontvangst\rX"])
def test_a_subject_with_a_line_break_is_refused(subject: str) -> None:
    with pytest.raises(ValueError, match="line break"):
        build_message(RenderedMail(subject=subject, text="Hallo", html="<p>Hallo</p>"), addressing(ONE))
