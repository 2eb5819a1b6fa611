"""The bytes notify hands over, read back as a receiver's mail program reads them (``policy.default``).

The mail is built with the compat32 ``Message`` and serialised once (:func:`build_message`); what a
receiver sees must be what the ``EmailMessage`` API gave: the same headers, ``multipart/mixed`` with the
text and HTML alternatives and then the PDF, names and subjects that are not ASCII encoded (RFC 2047),
Dutch text intact.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from klachtspoor.letters.render import RenderedMail
from services.notify.adapters.message import Addressing, Attachment, build_message

DATE = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
PDF = b"%PDF-1.4\n" + random.Random(42).randbytes(30_000)
TEXT = (
    "Beste Zoë,\n\nWij hebben uw klacht ontvangen. Één medewerker neemt binnen vijf werkdagen contact op.\n"
    ".Een regel die met een punt begint, en een die eindigt op spaties   \n"
    "From het begin\n\nMet vriendelijke groet,\nKlachtenregeling Voorbeeldstad\n"
)
HTML = (
    '<!doctype html><html lang="nl"><body><p>Beste Zoë,</p><p>Wij hebben uw klacht ontvangen. Één '
    "medewerker neemt binnen vijf werkdagen contact op; de termijn loopt tot 19 maart 2026 – ‘zo snel "
    "mogelijk’ = 100%.</p><p>Met vriendelijke groet,</p></body></html>\n"
)
CASES = {
    "ascii": ("Sam de Vries", "Ontvangstbevestiging KS-2026-000042", "Klachtenregeling Voorbeeldstad"),
    "not ascii": (
        "Zoë Ëlsa-Brouwer van der Achterberg-Schimmelpenninck tot Nederhorst",
        "Ontvangstbevestiging van uw klacht — zaak KS-2026-000042 (één dossier, ‘vertrouwelijk’)",
        "Klachtenregeling Gemeente Súdwest-Fryslân",
    ),
    "specials": ('Jansen, Piet "PJ" <p@x.nl>', "Re: =?utf-8?q?niet?= gedecodeerd", "Stichting; AKJ"),
    "specials not ascii": ('Jansén, Piet "PJ" <p@x.nl>', "Ontvangst", "Stichting; AKJ"),
}


def built(name: str | None, subject: str, sender_name: str, *, pdf: bool = True) -> EmailMessage:
    addressing = Addressing(
        "<n-1@klachtspoor>", sender_name, "klachten@klachtspoor.example", name, "zoe@example.org", DATE
    )
    attachment = Attachment("KS-2026-000042-acknowledgement.pdf", PDF) if pdf else None
    mail = build_message(RenderedMail(subject=subject, text=TEXT, html=HTML), addressing, attachment)
    assert mail.message_id == "<n-1@klachtspoor>"
    lines = mail.data.split(b"\r\n")
    assert mail.data.endswith(b"\r\n") and all(b"\n" not in line and b"\r" not in line for line in lines)
    assert mail.data.isascii() and max(map(len, lines)) <= 78  # 7-bit clean: no 8BITMIME needed
    parsed = message_from_bytes(mail.data, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def content(part: EmailMessage) -> str:
    """A text part's content with its line ends as a mail program shows them (CRLF on the wire)."""
    text = part.get_content()
    assert isinstance(text, str)
    return text.replace("\r\n", "\n")


@pytest.mark.parametrize(("name", "subject", "sender_name"), CASES.values(), ids=CASES.keys())
def test_the_mail_reads_back_with_its_headers_parts_and_bytes(
    name: str, subject: str, sender_name: str
) -> None:
    message = built(name, subject, sender_name)

    assert message.keys() == [
        "Message-ID", "Date", "From", "To", "Subject", "Auto-Submitted", "MIME-Version", "Content-Type"
    ]  # fmt: skip
    assert message["Message-ID"] == "<n-1@klachtspoor>"
    assert message["Date"] == "Thu, 05 Mar 2026 10:00:00 +0000" and message["Date"].datetime == DATE
    [sender], [to] = message["From"].addresses, message["To"].addresses
    assert (sender.display_name, sender.addr_spec) == (sender_name, "klachten@klachtspoor.example")
    assert (to.display_name, to.addr_spec) == (name, "zoe@example.org")
    assert message["Subject"] == subject
    assert (message["Auto-Submitted"], message["MIME-Version"]) == ("auto-generated", "1.0")

    assert message.get_content_type() == "multipart/mixed"
    alternative, pdf = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    plain, html = alternative.iter_parts()
    assert [(p.get_content_type(), p.get_content_charset()) for p in (plain, html)] == [
        ("text/plain", "utf-8"),
        ("text/html", "utf-8"),
    ]
    assert isinstance(plain, EmailMessage) and isinstance(html, EmailMessage)
    assert content(plain) == TEXT and content(html) == HTML

    assert isinstance(pdf, EmailMessage)
    assert pdf.get_content_type() == "application/pdf" and pdf.is_attachment()
    assert pdf.get_filename() == "KS-2026-000042-acknowledgement.pdf"
    assert pdf.get_content() == PDF


def test_without_attachment_the_mail_is_the_alternatives_only() -> None:
    message = built(None, "Ontvangstbevestiging", "Klachtenregeling", pdf=False)

    assert message["To"] == "zoe@example.org"
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    plain = message.get_body(("plain",))
    assert isinstance(plain, EmailMessage) and content(plain) == TEXT


def test_text_without_a_last_line_break_gets_one_as_set_content_gives_it() -> None:
    addressing = Addressing("<n-2@klachtspoor>", "K", "k@klachtspoor.example", None, "zoe@example.org", DATE)
    mail = build_message(RenderedMail(subject="S", text="Hallo\r\nwereld", html="<p>Hallo</p>"), addressing)
    message = message_from_bytes(mail.data, policy=policy.default)

    plain = message.get_body(("plain",))
    assert isinstance(plain, EmailMessage) and plain["Content-Transfer-Encoding"] == "7bit"
    assert content(plain) == "Hallo\nwereld\n"


def test_an_address_that_is_not_ascii_is_refused() -> None:
    addressing = Addressing("<n-3@klachtspoor>", "K", "k@klachtspoor.example", None, "zoë@example.org", DATE)
    with pytest.raises(ValueError):
        build_message(RenderedMail(subject="S", text="Hallo", html="<p>Hallo</p>"), addressing)


def test_ascii_text_holding_the_boundary_mark_is_quoted_printable() -> None:
    """Boundaries start with ``=_``, which quoted-printable and base64 never write: no part can hold one."""
    addressing = Addressing("<n-4@klachtspoor>", "K", "k@klachtspoor.example", None, "zoe@example.org", DATE)
    text = "--=_0123456789abcdef0123456789abcdef\n"
    mail = build_message(RenderedMail(subject="S", text=text, html="<p>Hallo</p>"), addressing)
    message = message_from_bytes(mail.data, policy=policy.default)

    plain = message.get_body(("plain",))
    assert isinstance(plain, EmailMessage) and plain["Content-Transfer-Encoding"] == "quoted-printable"
    assert content(plain) == text
