"""A mail as the bytes that go over the wire, built once with the stdlib's compat32 ``Message``.

``multipart/alternative`` (plain text, HTML, both UTF-8), inside ``multipart/mixed`` with the letter as
PDF when there is one. The ``EmailMessage`` API parsed every header as it was set and aiosmtplib
flattened the message again when it was sent, together about a third of notify's CPU under load. Here
the values go in already safe and the bodies already encoded, so the generator only writes them out, and
the SMTP adapter hands over these bytes as they are. The bytes are 7-bit clean (text ``7bit`` when ASCII
in short lines, quoted-printable otherwise; the PDF base64), so no server needs ``8BITMIME``; CRLF line
ends; names and subjects that are not ASCII as RFC 2047 encoded words.

No header can add a recipient or a header: the ``From`` and ``To`` headers are built from a parsed
:class:`~email.headerregistry.Address`, which refuses anything but one address; a display name is made
one line (control characters become spaces); any other header value with a line break is refused.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import Message
from email.policy import SMTP, compat32
from email.utils import format_datetime, formataddr

from klachtspoor.letters.render import RenderedMail


@dataclass(frozen=True, slots=True)
class Addressing:
    message_id: str
    sender_name: str
    sender: str
    to_name: str | None
    to: str
    date: datetime


def _display_name(name: str | None) -> str:
    """A name as one header line: control characters (line breaks above all) become spaces."""
    if not name:
        return ""
    return " ".join("".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in name).split())


def _address(name: str | None, address: str) -> Address:
    """One parsed address; raises ValueError (naming no value) when ``address`` is not exactly one."""
    try:
        parsed = Address(display_name=_display_name(name), addr_spec=address)
    except (ValueError, IndexError, TypeError):
        raise ValueError("the recipient is not exactly one e-mail address") from None
    if parsed.addr_spec != address:
        raise ValueError("the recipient is not exactly one e-mail address")
    return parsed


@dataclass(frozen=True, slots=True)
class Attachment:
    """The letter as PDF, attached to its mail."""

    filename: str
    content: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    """A mail as it goes over the wire: built and serialised once, handed over as these bytes."""

    message_id: str
    data: bytes = field(repr=False)
    """CRLF line ends, 7-bit clean (so no server needs 8BITMIME), no ``Bcc``."""


def build_message(
    mail: RenderedMail, addressing: Addressing, attachment: Attachment | None = None
) -> OutgoingMail:
    """The mail, serialised once; raises ValueError (naming no value) for an address that is not exactly
    one, or a header value with a line break."""
    headers: list[tuple[str, str]] = [
        ("Message-ID", _one_line(addressing.message_id)),
        ("Date", format_datetime(addressing.date)),
        ("From", _address_header("From", _address(addressing.sender_name, addressing.sender))),
        ("To", _address_header("To", _address(addressing.to_name, addressing.to))),
        ("Subject", _words(_one_line(mail.subject))),
        ("Auto-Submitted", "auto-generated"),
        ("MIME-Version", "1.0"),
    ]
    text = [_text_part(mail.text, "plain"), _text_part(mail.html, "html")]
    if attachment is None:
        message = _multipart("alternative", text, headers)
    else:
        # multipart/mixed: the text and HTML alternatives first, then the letter as PDF
        message = _multipart("mixed", [_multipart("alternative", text), _pdf_part(attachment)], headers)
    return OutgoingMail(addressing.message_id, message.as_bytes(policy=_WIRE))


_WIRE = compat32.clone(linesep="\r\n")
_WORD_BYTES = 39
"""UTF-8 bytes per encoded word: 52 base64 characters, 64 with ``=?utf-8?b?``/``?=``, so that with
``Subject: `` or ``From: `` before it a line stays within 78."""
_BOUNDARY_MARK = "=_"
_MAX_LINE = 78
"""The line length RFC 5322 asks for (the policies' ``max_line_length``)."""


def _one_line(value: str) -> str:
    """A header value as given, refused when it holds a line break (it could start a header of its own)."""
    if "\r" in value or "\n" in value:
        raise ValueError("a header value may not contain a line break")
    return value


def _words(value: str) -> str:
    """Plain ASCII as it is; anything else (or what would read as an encoded word) as RFC 2047 ``B``
    encoded words of UTF-8, split between characters so that each line stays within 78 characters."""
    if value.isascii() and "=?" not in value:
        return value
    chunks, chunk = [], b""
    for character in value:
        encoded = character.encode("utf-8")
        if len(chunk) + len(encoded) > _WORD_BYTES:
            chunks.append(chunk)
            chunk = b""
        chunk += encoded
    chunks.append(chunk)
    return " ".join(_encoded_word(chunk) for chunk in chunks)


def _encoded_word(data: bytes) -> str:
    return f"=?utf-8?b?{base64.b64encode(data).decode('ascii')}?="


def _address_header(header: str, address: Address) -> str:
    """``Name <addr>``: the name quoted when it holds specials; a name that is not ASCII as one encoded
    word (RFC 2047; all of it, so no specials stay), or, when that is too long for a line, as the
    stdlib's own folder encodes it, unfolded for the generator to fold again at its spaces."""
    name, spec = address.display_name, address.addr_spec
    if not spec.isascii():
        raise ValueError("an e-mail address that is not ASCII needs SMTPUTF8, which notify does not use")
    if name.isascii():
        return formataddr((name, spec))
    data = name.encode("utf-8")
    if len(data) <= _WORD_BYTES:
        return f"{_encoded_word(data)} <{spec}>"
    folded: str = SMTP.header_factory(header, str(address)).fold(policy=SMTP)
    return folded[len(header) + 2 : -len(SMTP.linesep)].replace(SMTP.linesep, "")


def _multipart(subtype: str, parts: list[Message], headers: list[tuple[str, str]] | None = None) -> Message:
    """A multipart with a boundary of its own: ``=_`` and 32 random hex digits. No part can hold it
    (``=_`` is not quoted-printable nor base64, a 7bit part holding it is quoted-printable instead),
    so the generator need not search the parts for a free one (a regex compiled for every mail)."""
    message: Message = Message()
    for name, value in headers or []:
        message[name] = value
    message["Content-Type"] = f"multipart/{subtype}"
    message.set_boundary(f"{_BOUNDARY_MARK}{secrets.token_hex(16)}")
    for part in parts:
        message.attach(part)
    return message


def _text_part(content: str, subtype: str) -> Message:
    """UTF-8 text, lines ending in one newline as ``set_content`` makes them: 7bit when it is ASCII in short
    lines, quoted-printable otherwise (Dutch stays readable in the source, and the part 7-bit clean)."""
    data = b"\n".join(content.encode("utf-8").splitlines()) + b"\n"
    short = all(len(line) <= _MAX_LINE for line in data.split(b"\n"))
    if data.isascii() and short and _BOUNDARY_MARK.encode() not in data:
        encoding, payload = "7bit", data.decode("ascii")
    else:
        encoding, payload = "quoted-printable", binascii.b2a_qp(data, istext=True).decode("ascii")
    part = Message()
    part["Content-Type"] = f'text/{subtype}; charset="utf-8"'
    part["Content-Transfer-Encoding"] = encoding
    part.set_payload(payload)
    return part


def _pdf_part(attachment: Attachment) -> Message:
    part = Message()
    part["Content-Type"] = "application/pdf"
    part["Content-Transfer-Encoding"] = "base64"
    part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
    part.set_payload(base64.encodebytes(attachment.content).decode("ascii"))
    return part
