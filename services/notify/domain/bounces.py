"""Bounces: which notification a delivery status notification (RFC 3464) is about, and whether it failed.

A mail the SMTP server accepted can still fail further on (the mailbox does not exist, is full, the
receiving server refuses it). The server that gives up sends a DSN to the mail's envelope sender: a
``multipart/report; report-type=delivery-status`` whose ``message/delivery-status`` part has a block per
recipient with ``Action`` and ``Status``. Notify's envelope sender carries the notification
(:func:`verp_address`: ``bounces+<notification id>@domain``), so the DSN names it in its ``To`` (and the
``Delivered-To``/``X-Original-To`` the final MTA adds); where an MTA rewrote that, the returned headers
(``text/rfc822-headers`` or ``message/rfc822``) still carry notify's ``Message-ID``
(``<notification id[.n]@klachtspoor>``).

Only a permanent failure is a bounce: ``Action: failed`` with a ``5.x.x`` status. ``delayed`` reports
(4.x.x, the MTA is still trying), ``delivered``, ``relayed`` and ``expanded`` are not. The report's
diagnostic text and its recipient fields quote the address, so only the status code is kept.
Pure: the caller reads the mailbox and hands each message in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import message_from_string, policy
from email.message import EmailMessage, Message
from uuid import UUID

_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_VERP = re.compile(rf"\+({_UUID})@", re.ASCII)
_MESSAGE_ID = re.compile(rf"<({_UUID})(?:\.\d+)?@klachtspoor>", re.ASCII)
_STATUS = re.compile(r"^([245])\.(\d{1,3})\.(\d{1,3})\b", re.ASCII)
ADDRESSED_TO = ("Delivered-To", "X-Original-To", "Envelope-To", "To")
"""Headers of a DSN that may name the VERP address it was sent to, the most reliable first."""


@dataclass(frozen=True, slots=True)
class Bounce:
    notification_id: UUID
    status: str
    """The first failed recipient's status code, ``5.x.x`` (e.g. ``5.1.1``: the mailbox does not exist)."""


def verp_address(bounce_address: str, notification_id: UUID) -> str:
    """``bounces@example.org`` -> ``bounces+<notification id>@example.org`` (the envelope sender)."""
    local, at, domain = bounce_address.rpartition("@")
    if not at or not local or not domain:
        raise ValueError("The bounce address must be one address, local@domain")
    return f"{local}+{notification_id}@{domain}"


def read_bounce(message: EmailMessage | Message) -> Bounce | None:
    """The bounce ``message`` reports, or None when it is no permanent-failure DSN of a notify mail."""
    if message.get_content_type() != "multipart/report":
        return None
    if str(message.get_param("report-type", "")).lower() != "delivery-status":
        return None
    status = _failed_status(message)
    if status is None:
        return None
    notification_id = _notification_of(message)
    if notification_id is None:
        return None
    return Bounce(notification_id, status)


def _failed_status(report: Message) -> str | None:
    """The status of the first recipient block with ``Action: failed`` and a 5.x.x status."""
    for part in report.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        payload = part.get_payload()
        blocks = payload if isinstance(payload, list) else []
        # Block 0 is per message (Reporting-MTA, …), the others per recipient.
        for block in blocks[1:]:
            if not isinstance(block, Message):
                continue
            action = str(block.get("Action", "")).strip().lower()
            found = _STATUS.match(str(block.get("Status", "")).strip())
            if action == "failed" and found is not None and found.group(1) == "5":
                return ".".join(found.groups())
    return None


def _notification_of(report: Message) -> UUID | None:
    for header in ADDRESSED_TO:
        for value in report.get_all(header) or ():
            found = _VERP.search(str(value))
            if found is not None:
                return UUID(found.group(1))
    for part in report.walk():
        original = _original_headers(part)
        if original is None:
            continue
        found = _MESSAGE_ID.search(str(original.get("Message-ID", "")))
        if found is not None:
            return UUID(found.group(1))
    return None


def _original_headers(part: Message) -> Message | None:
    """The returned mail's headers: a ``message/rfc822`` part, or ``text/rfc822-headers`` parsed."""
    match part.get_content_type():
        case "message/rfc822" | "message/global":
            payload = part.get_payload()
            first = payload[0] if isinstance(payload, list) and payload else None
            return first if isinstance(first, Message) else None
        case "text/rfc822-headers":
            text = part.get_payload(decode=True)
            raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(part.get_payload())
            return message_from_string(raw, policy=policy.default)
        case _:
            return None
