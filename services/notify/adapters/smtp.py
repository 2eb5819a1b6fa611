"""Handing a mail to the SMTP server (aiosmtplib), and telling permanent from temporary failures.

The mail comes as the bytes that go over the wire (:class:`~services.notify.adapters.message.OutgoingMail`,
built once), handed over as they are: aiosmtplib does not flatten it again.

A 5xx reply to a message or a recipient is permanent (the address does not exist, the message is
refused): retrying changes nothing, so the notification is parked. A refused login (530, 534, 535, 538:
notify's own credentials or the server's policy) is the deployment's fault, not the mail's: it is
temporary like 4xx replies, refused or lost connections and timeouts, retried for as long as it lasts, and
the mail goes out once an operator has fixed the login.

The connection is encrypted as the operator requires (:class:`SmtpTls`): STARTTLS (the default; a server
that does not offer it is refused, never silently spoken to in clear), implicit TLS (SMTPS, port 465), or
plain only where the settings say so explicitly (the dev stack's sink). The server's certificate is always
verified (against the system's CAs, or ``KLACHTSPOOR_SMTP_CA_FILE``). With a login, notify authenticates
after TLS; a login over a plain connection is refused by the settings.

Connections are kept open for the next mail (:mod:`services.notify.adapters.smtp_connections`): a mail
costs one SMTP transaction, not a connection, a TLS handshake and a login of its own.

Each handover is a client span (``smtp send``) carrying the Message-ID, so a trace shows the one step that
leaves the system, and a mail in a receiver's inbox can be found in the traces by its Message-ID.

The SMTP envelope is given explicitly: one ``MAIL FROM`` (the service's sender) and exactly one
``RCPT TO`` (the address the decider checked), never derived from the headers, so no header can add a
recipient (the headers: :mod:`services.notify.adapters.message`). A server's reply text may quote the
address: failures record the reply code and the exception type only, in the outcome, the span status and
so the logs and events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import aiosmtplib
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer

from services.notify.adapters.message import OutgoingMail
from services.notify.adapters.smtp_connections import SmtpConnections
from services.notify.domain.decider import Delivered, Failed

MESSAGE_ID_ATTRIBUTE = "email.message_id"


class SmtpTls(StrEnum):
    STARTTLS = "starttls"
    """Connect in clear, then STARTTLS before anything else; refused when the server does not offer it."""
    IMPLICIT = "implicit"
    """TLS from the first byte (SMTPS)."""
    NONE = "none"
    """No encryption: only for a sink or relay on the same host or network (the dev stack)."""


@dataclass(frozen=True, slots=True)
class SmtpLogin:
    username: str
    password: str = field(repr=False)


class SmtpMailer:
    def __init__(
        self,
        host: str,
        port: int,
        *,
        tls: SmtpTls,
        login: SmtpLogin | None = None,
        ca_file: str | None = None,
        timeout: float = 10.0,
        tracer: Tracer | None = None,
        keep_connections: int = 8,
    ) -> None:
        if login is not None and tls is SmtpTls.NONE:
            raise ValueError(
                "An SMTP login needs TLS (starttls or implicit): the password would travel in clear"
            )
        self.host, self.port, self.timeout = host, port, timeout
        self.tls, self.login, self.ca_file = tls, login, ca_file
        self.tracer = tracer or trace.get_tracer(__name__)
        self.connections = SmtpConnections(self.connection_options, keep=keep_connections)

    def connection_options(self) -> dict[str, Any]:
        """The keyword arguments of ``aiosmtplib.SMTP`` for this server, its TLS mode and login."""
        options: dict[str, Any] = {
            "hostname": self.host,
            "port": self.port,
            "timeout": self.timeout,
            "use_tls": self.tls is SmtpTls.IMPLICIT,
            "start_tls": self.tls is SmtpTls.STARTTLS,
            "validate_certs": True,
            "cert_bundle": self.ca_file,
        }
        if self.login is not None:
            options |= {"username": self.login.username, "password": self.login.password}
        return options

    async def send(self, mail: OutgoingMail, *, sender: str, recipient: str) -> Delivered | Failed:
        """Hand ``mail`` over with ``sender`` as MAIL FROM and ``recipient`` as the one RCPT TO."""
        attributes: dict[str, str | int] = {
            MESSAGE_ID_ATTRIBUTE: mail.message_id,
            "server.address": self.host,
            "server.port": self.port,
        }
        with self.tracer.start_as_current_span(
            "smtp send", kind=SpanKind.CLIENT, attributes=attributes
        ) as span:
            outcome = await self._handover(mail, sender, recipient)
            if isinstance(outcome, Failed):
                span.set_status(Status(StatusCode.ERROR, outcome.error))
                span.set_attribute("email.failure.permanent", outcome.permanent)
            return outcome

    async def close(self) -> None:
        """Close the kept connections (QUIT): on shutdown."""
        await self.connections.close()

    async def _handover(self, mail: OutgoingMail, sender: str, recipient: str) -> Delivered | Failed:
        try:
            await self._transaction(mail, sender, recipient)
        except aiosmtplib.SMTPRecipientsRefused as error:
            codes = [refused.code for refused in error.recipients]
            return Failed(f"SMTP refused the recipient ({', '.join(map(str, codes))})", _permanent(*codes))
        except aiosmtplib.SMTPAuthenticationError as error:
            return Failed(f"SMTP server refused notify's login ({error.code})", False)
        except aiosmtplib.SMTPResponseException as error:
            # error.message is the server's reply text, which may quote the address: the code only.
            return Failed(
                f"SMTP server replied {error.code} ({type(error).__name__})", _permanent(error.code)
            )
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            where = f"{self.host}:{self.port}"
            if self.tls is SmtpTls.STARTTLS and _no_starttls(error):
                return Failed(f"SMTP server {where} offers no STARTTLS, which the settings require", False)
            return Failed(f"SMTP server {where} not reachable ({type(error).__name__})", False)
        return Delivered(mail.message_id)

    async def _transaction(self, mail: OutgoingMail, sender: str, recipient: str) -> None:
        """One mail transaction on a kept or new connection, kept again only when the mail went through."""
        client = await self.connections.take()
        try:
            # the bytes as built: aiosmtplib only dot-stuffs them, no flattening again
            await client.sendmail(sender, [recipient], mail.data)
        except BaseException:
            self.connections.discard(client)
            raise
        await self.connections.give_back(client)


def _no_starttls(error: BaseException) -> bool:
    """aiosmtplib's own refusal to go on without STARTTLS (its text, not the server's: no address in it)."""
    return type(error) is aiosmtplib.SMTPException and "STARTTLS extension not supported" in str(error)


def _permanent(*codes: int) -> bool:
    return bool(codes) and all(500 <= code < 600 for code in codes)
