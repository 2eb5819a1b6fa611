"""Mail leaves encrypted and, where the relay wants it, authenticated: a real aiosmtpd server with
STARTTLS and AUTH (a certificate made for the test), and one without STARTTLS that must be refused when
TLS is required (the default)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pydantic import ValidationError

from klachtspoor_devtools.devstack.process import free_port
from klachtspoor_devtools.devstack.stack import Endpoints
from services.notify.adapters.message import OutgoingMail
from services.notify.adapters.smtp import SmtpLogin, SmtpMailer, SmtpTls
from services.notify.domain.decider import Delivered, Failed
from services.notify.settings import NotifySettings

USER, PASSWORD = "klachtspoor", "relay-secret-42"


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


@dataclass
class Recorder:
    """aiosmtpd handler and authenticator: what arrived, and who logged in over which connection."""

    received: list[tuple[str, list[str]]] = field(default_factory=list)
    logins: list[tuple[str, bool]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        user, password = auth_data.login.decode(), auth_data.password.decode()
        self.logins.append((user, session.ssl is not None))
        if (user, password) == (USER, PASSWORD):
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)  # aiosmtpd answers 535


@dataclass
class Server:
    port: int
    recorder: Recorder
    cert_file: Path


@contextmanager
def running(tmp_path: Path, context_option: str, **options: Any) -> Iterator[Server]:
    """An aiosmtpd server with a certificate of its own and AUTH required; its TLS context is given as
    ``context_option`` (``tls_context`` for STARTTLS, ``ssl_context`` for SMTPS), ``options`` the rest."""
    cert_file, key_file = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    recorder = Recorder()
    controller = Controller(
        recorder,
        hostname="127.0.0.1",
        port=free_port(),
        auth_required=True,
        authenticator=recorder,
        **{context_option: context, **options},
    )
    controller.start()  # type: ignore[no-untyped-call]
    try:
        yield Server(controller.port, recorder, cert_file)
    finally:
        controller.stop()  # type: ignore[no-untyped-call]


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[Server]:
    """STARTTLS required before anything else, AUTH required (and only after TLS)."""
    with running(tmp_path, "tls_context", require_starttls=True, auth_require_tls=True) as server:
        yield server


@pytest.fixture
def smtps_server(tmp_path: Path) -> Iterator[Server]:
    """TLS from the first byte (SMTPS), AUTH required."""
    # aiosmtpd's auth_require_tls sees STARTTLS only; this whole connection is TLS.
    with running(tmp_path, "ssl_context", auth_require_tls=False) as server:
        yield server


@pytest.fixture
def plain_server() -> Iterator[Server]:
    """A server that offers no STARTTLS at all."""
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()  # type: ignore[no-untyped-call]
    try:
        yield Server(controller.port, recorder, Path("/nonexistent"))
    finally:
        controller.stop()  # type: ignore[no-untyped-call]


SENDER, RECIPIENT = "klachten@klachtspoor.example", "ouder@example.org"


def mail() -> OutgoingMail:
    message = EmailMessage()
    message["From"] = "klachten@klachtspoor.example"
    message["To"] = "ouder@example.org"
    message["Subject"] = "Ontvangstbevestiging"
    message["Message-ID"] = "<tls-1@klachtspoor>"
    message.set_content("Hallo")
    return OutgoingMail(str(message["Message-ID"]), message.as_bytes(policy=policy.SMTP))


async def test_starttls_then_login_delivers(tls_server: Server) -> None:
    mailer = SmtpMailer(
        "127.0.0.1",
        tls_server.port,
        tls=SmtpTls.STARTTLS,
        login=SmtpLogin(USER, PASSWORD),
        ca_file=str(tls_server.cert_file),
    )
    assert await mailer.send(mail(), sender=SENDER, recipient=RECIPIENT) == Delivered("<tls-1@klachtspoor>")
    assert tls_server.recorder.logins == [(USER, True)]
    assert tls_server.recorder.received == [("klachten@klachtspoor.example", ["ouder@example.org"])]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # it is all TLS
async def test_implicit_tls_then_login_delivers(smtps_server: Server) -> None:
    mailer = SmtpMailer(
        "127.0.0.1",
        smtps_server.port,
        tls=SmtpTls.IMPLICIT,
        login=SmtpLogin(USER, PASSWORD),
        ca_file=str(smtps_server.cert_file),
    )
    assert await mailer.send(mail(), sender=SENDER, recipient=RECIPIENT) == Delivered("<tls-1@klachtspoor>")
    assert [user for user, _ in smtps_server.recorder.logins] == [USER]
    assert len(smtps_server.recorder.received) == 1


async def test_the_settings_build_the_same_mailer(tls_server: Server, tmp_path: Path) -> None:
    """Username from the settings, password from a file (a compose secret), TLS required by default."""
    secret = tmp_path / "smtp_password"
    secret.write_text(PASSWORD + "\n")
    settings = NotifySettings(
        smtp_port=tls_server.port,
        smtp_username=USER,
        smtp_password_file=secret,
        smtp_ca_file=tls_server.cert_file,
    )
    assert settings.smtp_tls is SmtpTls.STARTTLS
    mailer = SmtpMailer(
        settings.smtp_host,
        settings.smtp_port,
        tls=settings.smtp_tls,
        login=settings.smtp_login(),
        ca_file=str(settings.smtp_ca_file),
    )
    assert isinstance(await mailer.send(mail(), sender=SENDER, recipient=RECIPIENT), Delivered)
    assert tls_server.recorder.logins == [(USER, True)]


async def test_a_wrong_password_or_an_untrusted_certificate_delivers_nothing(tls_server: Server) -> None:
    wrong = SmtpMailer(
        "127.0.0.1",
        tls_server.port,
        tls=SmtpTls.STARTTLS,
        login=SmtpLogin(USER, "not-it"),
        ca_file=str(tls_server.cert_file),
        timeout=1.0,
    )
    untrusted = SmtpMailer(
        "127.0.0.1", tls_server.port, tls=SmtpTls.STARTTLS, login=SmtpLogin(USER, PASSWORD)
    )
    refused = await wrong.send(mail(), sender=SENDER, recipient=RECIPIENT)
    assert isinstance(refused, Failed) and "535" in refused.error
    assert not refused.permanent, "a wrong login is the deployment's fault: retried, never parked"
    assert isinstance(await untrusted.send(mail(), sender=SENDER, recipient=RECIPIENT), Failed)
    assert tls_server.recorder.received == []
    assert PASSWORD not in repr(untrusted.login)


async def test_a_server_without_starttls_is_refused_when_tls_is_required(plain_server: Server) -> None:
    required = SmtpMailer("127.0.0.1", plain_server.port, tls=SmtpTls.STARTTLS)
    outcome = await required.send(mail(), sender=SENDER, recipient=RECIPIENT)
    assert isinstance(outcome, Failed) and not outcome.permanent
    assert "STARTTLS" in outcome.error
    assert plain_server.recorder.received == []
    plain = SmtpMailer("127.0.0.1", plain_server.port, tls=SmtpTls.NONE)
    assert isinstance(
        await plain.send(mail(), sender=SENDER, recipient=RECIPIENT), Delivered
    )  # the same server, when plain is asked for


def test_tls_is_required_unless_plain_is_set_explicitly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KLACHTSPOOR_SMTP_TLS", raising=False)
    assert NotifySettings().smtp_tls is SmtpTls.STARTTLS
    monkeypatch.setenv("KLACHTSPOOR_SMTP_TLS", "implicit")
    assert NotifySettings().smtp_tls is SmtpTls.IMPLICIT
    monkeypatch.setenv("KLACHTSPOOR_SMTP_TLS", "none")
    assert NotifySettings().smtp_tls is SmtpTls.NONE


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"smtp_username": USER, "smtp_tls": "none", "smtp_password": PASSWORD},
            "needs KLACHTSPOOR_SMTP_TLS",
        ),
        ({"smtp_username": USER}, "SMTP_USERNAME and a password"),
        ({"smtp_password": PASSWORD}, "SMTP_USERNAME and a password"),
        ({"smtp_tls": "sometimes"}, "smtp_tls"),
    ],
)
def test_unsafe_or_incomplete_smtp_settings_are_refused(values: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError, match=message) as raised:
        NotifySettings(**values)
    assert PASSWORD not in str(raised.value)


def test_the_password_twice_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "smtp_password"
    secret.write_text(PASSWORD)
    with pytest.raises(ValidationError, match="KLACHTSPOOR_SMTP_PASSWORD or KLACHTSPOOR_SMTP_PASSWORD_FILE"):
        NotifySettings(smtp_username=USER, smtp_password=PASSWORD, smtp_password_file=secret)


def test_only_the_dev_stack_sink_is_spoken_to_in_plain(tmp_path: Path) -> None:
    """``dev up`` sets plain SMTP for its own sink, and leaves a configured server to the defaults."""
    values: dict[str, Any] = {
        "database_url": "postgresql://x@127.0.0.1/x",
        "nats_url": "nats://127.0.0.1:4222",
        "data_dir": tmp_path,
        "master_key": "",
        "jwt_public_key": tmp_path / "public.pem",
        "ports": {"KLACHTSPOOR_ESCALATION_PORT": "8002"},
        "tenants_file": tmp_path / "tenants.yaml",
        "policies_dir": tmp_path,
    }
    assert Endpoints(smtp_host=None, **values).environment()["KLACHTSPOOR_SMTP_TLS"] == "none"
    assert "KLACHTSPOOR_SMTP_TLS" not in Endpoints(smtp_host="smtp.example", **values).environment()
