"""Notify keeps its SMTP connections for the next mail: a run of mails costs one session; a connection the
server closed while it stood idle is found out before the next mail begins and replaced, so the mail
still goes through once; after a refused mail the connection is not used again. Against a real SMTP server
(aiosmtpd) on loopback that counts its sessions."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from test_notify_smtp_span import ENVELOPE, mail

from klachtspoor_devtools.devstack.process import free_port
from services.notify.adapters.smtp import SmtpMailer, SmtpTls
from services.notify.adapters.smtp_connections import SmtpConnections
from services.notify.domain.decider import Delivered, Failed


@dataclass
class Server:
    """The sessions the server saw (one EHLO each), the Message-IDs it accepted, what it refuses."""

    sessions: list[Any] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    refuse: str | None = None
    port: int = 0
    loop: Any = None

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        self.sessions.append(server)
        session.host_name = hostname  # aiosmtpd leaves that to a handler with this hook
        return responses

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.refuse is not None:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        for line in envelope.content.decode().splitlines():
            if line.lower().startswith("message-id:"):
                self.accepted.append(line.split(":", 1)[1].strip())
        return "250 OK"

    def hang_up(self) -> None:
        """Close every session from the server's side, as a server does with idle ones (on the server's
        own event loop, in its thread)."""
        done = threading.Event()

        def close_all() -> None:
            for session in self.sessions:
                session.transport.close()
            done.set()

        self.loop.call_soon_threadsafe(close_all)
        assert done.wait(10)


@dataclass
class Clock:
    now: float = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def server() -> Iterator[Server]:
    handler = Server(port=free_port())
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    handler.loop = controller.loop
    yield handler
    controller.stop()


def mailer(server: Server, clock: Clock) -> SmtpMailer:
    built = SmtpMailer("127.0.0.1", server.port, tls=SmtpTls.NONE)
    built.connections = SmtpConnections(built.connection_options, probe_after=1.0, max_idle=60.0, clock=clock)
    return built


async def send_run(sending: SmtpMailer, name: str, count: int) -> list[str]:
    """Send ``count`` mails one after the other, each delivered; their Message-IDs."""
    ids = [f"<{name}-{n}@klachtspoor>" for n in range(count)]
    for message_id in ids:
        assert await sending.send(mail(message_id), **ENVELOPE) == Delivered(message_id)
    return ids


async def test_a_run_of_mails_costs_one_session(server: Server) -> None:
    sending = mailer(server, Clock())
    sent = await send_run(sending, "kept", 5)
    assert server.accepted == sent
    assert (len(server.sessions), sending.connections.opened) == (1, 1)
    await sending.close()


async def test_with_no_connections_kept_every_mail_has_a_session_of_its_own(server: Server) -> None:
    """``KLACHTSPOOR_SMTP_KEEP_CONNECTIONS=false`` (notify's bootstrap keeps none)."""
    sending = SmtpMailer("127.0.0.1", server.port, tls=SmtpTls.NONE, keep_connections=0)
    sent = await send_run(sending, "own", 3)
    assert server.accepted == sent
    assert (len(server.sessions), sending.connections.opened) == (3, 3)
    await sending.close()


async def test_a_connection_the_server_closed_while_idle_is_replaced_before_the_mail(server: Server) -> None:
    clock = Clock()
    sending = mailer(server, clock)
    await sending.send(mail("<before@klachtspoor>"), **ENVELOPE)
    server.hang_up()
    clock.now = 5.0  # idle past probe_after: asked NOOP first

    outcome = await sending.send(mail("<after@klachtspoor>"), **ENVELOPE)

    assert outcome == Delivered("<after@klachtspoor>")
    assert server.accepted == ["<before@klachtspoor>", "<after@klachtspoor>"]
    assert sending.connections.opened == 2
    await sending.close()


async def test_a_connection_idle_too_long_is_closed_without_asking(server: Server) -> None:
    clock = Clock()
    sending = mailer(server, clock)
    await sending.send(mail("<first@klachtspoor>"), **ENVELOPE)
    clock.now = 61.0
    await sending.send(mail("<second@klachtspoor>"), **ENVELOPE)
    assert sending.connections.opened == 2
    await sending.close()


async def test_after_a_refused_mail_the_connection_is_not_used_again(server: Server) -> None:
    sending = mailer(server, Clock())
    server.refuse = "550 5.1.1 Onbekend"
    refused = await sending.send(mail("<refused@klachtspoor>"), **ENVELOPE)
    assert isinstance(refused, Failed) and refused.permanent
    server.refuse = None

    assert await sending.send(mail("<next@klachtspoor>"), **ENVELOPE) == Delivered("<next@klachtspoor>")
    assert server.accepted == ["<next@klachtspoor>"]
    assert sending.connections.opened == 2
    await sending.close()
