"""Delivery status notifications (RFC 3464) built with the email package, as a receiving MTA sends them:
``multipart/report; report-type=delivery-status`` with a human-readable part, the
``message/delivery-status`` part (a per-message block, then one block per recipient) and the returned
mail's headers (``text/rfc822-headers``)."""

from __future__ import annotations

from email.message import EmailMessage, Message
from email.utils import format_datetime
from uuid import UUID

from notify_helpers import EMAIL, NOW, Requested


def delivery_status(action: str, status: str, recipient: str = EMAIL) -> Message:
    """The ``message/delivery-status`` part: its payload is a list of header blocks."""
    per_message = Message()
    per_message["Reporting-MTA"] = "dns; mx.ontvanger.example"
    per_message["Arrival-Date"] = format_datetime(NOW)
    per_recipient = Message()
    per_recipient["Original-Recipient"] = f"rfc822;{recipient}"
    per_recipient["Final-Recipient"] = f"rfc822;{recipient}"
    per_recipient["Action"] = action
    per_recipient["Status"] = status
    per_recipient["Diagnostic-Code"] = f"smtp; 550 {status} <{recipient}>: Recipient address rejected"
    part = Message()
    part["Content-Type"] = "message/delivery-status"
    part.set_payload([per_message, per_recipient])
    return part


def returned_headers(message_id: str, recipient: str = EMAIL) -> Message:
    part = Message()
    part["Content-Type"] = "text/rfc822-headers"
    part.set_payload(
        f"Message-ID: {message_id}\r\nFrom: klachten@klachtspoor.example\r\nTo: {recipient}\r\n"
        "Subject: Ontvangstbevestiging\r\n"
    )
    return part


def dsn(
    *,
    to: str,
    message_id: str,
    action: str = "failed",
    status: str = "5.1.1",
    dsn_id: str = "<dsn-1@mx.ontvanger.example>",
) -> EmailMessage:
    """A DSN addressed to ``to`` (the envelope sender of the mail) about the mail ``message_id``."""
    report = EmailMessage()
    report["From"] = "Mail Delivery System <MAILER-DAEMON@mx.ontvanger.example>"
    report["To"] = to
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report["Message-ID"] = dsn_id
    report["Auto-Submitted"] = "auto-replied"
    report.set_content("Uw bericht kon niet worden afgeleverd.\n")
    report.make_mixed()
    report.set_type("multipart/report")
    report.set_param("report-type", "delivery-status")
    report.attach(delivery_status(action, status))
    report.attach(returned_headers(message_id))
    return report


def verp(notification_id: UUID, domain: str = "klachtspoor.example") -> str:
    return f"bounces+{notification_id}@{domain}"


def bounce_of(requested: Requested) -> EmailMessage:
    """The receiving MTA's failure report on the mail of ``requested``: to its VERP address, with its
    Message-ID."""
    return dsn(to=verp(requested.notification_id), message_id=requested.message_id)
