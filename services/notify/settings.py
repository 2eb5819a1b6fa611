"""Notify's own settings, on top of the shared ones (same ``KLACHTSPOOR_`` prefix)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, model_validator

from klachtspoor.relay import STREAM_NAME
from klachtspoor.secretfiles import one_secret, read_secret_file
from klachtspoor.settings import Settings
from services.notify.adapters.smtp import SmtpLogin, SmtpTls
from services.notify.domain.retry import DEFAULT_DELAYS


class NotifySettings(Settings):
    notify_port: int = Field(default=8003, description="port of notify's HTTP face (health checks)")
    smtp_host: str = Field(default="127.0.0.1", description="SMTP server notify sends through")
    smtp_port: int = Field(default=8025)
    mail_from: str = Field(default="klachten@klachtspoor.example", description="sender of outgoing mail")
    mail_bounces: str = Field(
        default="",
        description="envelope sender bounces go to, as bounces+<notification id>@domain (VERP); "
        "empty: bounces@ the domain of mail_from",
    )
    mail_bounces_dir: Path = Field(
        default=Path(".dev/mail"),
        description="the mailbox bounces are read from: a Maildir (new/, cur/) or a folder of .eml files",
    )
    notify_durable: str = Field(default="notify", description="JetStream durable consumer name")
    notify_stream: str = Field(default=STREAM_NAME, description="JetStream stream the relay publishes to")
    notify_tenant_filter: str = Field(
        default="*", description="Tenant token of the subject filter: '*' for all, or one tenant's slug"
    )
    notify_retry_delays: tuple[float, ...] = Field(
        default=DEFAULT_DELAYS,
        min_length=1,
        description="Seconds to wait after a temporary SMTP failure of attempt 1, 2, …; the last repeats",
    )
    notify_max_attempts: int | None = Field(
        default=None,
        ge=1,
        description="Attempts before a temporarily failing mail is parked; unset: no limit",
    )
    notify_ack_wait: float = Field(default=60.0, gt=0, description="Seconds before JetStream redelivers")
    notify_poison_after: int = Field(
        default=8,
        ge=1,
        description="Deliveries that raised (not for an outage) before the notification is parked",
    )
    notify_batch_size: int = Field(default=16, ge=1, description="Messages fetched from JetStream at once")
    notify_workers: int = Field(
        default=8, ge=1, description="Messages handled at once (one case's one after the other)"
    )
    letters_dir: Path = Field(
        default=Path(".dev/letters"),
        description="The print queue of letters on paper: <dir>/<tenant>/to-print/ and printed/",
    )
    smtp_timeout: float = Field(default=10.0, gt=0, description="Seconds for one SMTP handover")
    smtp_keep_connections: bool = Field(
        default=True,
        description="Keep SMTP connections open for the next mail (at most one per worker); false: a "
        "connection of its own for every mail, for a server that limits how long a session may last",
    )
    smtp_tls: SmtpTls = Field(
        default=SmtpTls.STARTTLS,
        description="starttls (required, the default), implicit (SMTPS) or none (the dev stack's sink only)",
    )
    smtp_ca_file: Path | None = Field(
        default=None, description="CA bundle (PEM) the SMTP server's certificate is verified against"
    )
    smtp_username: str = Field(default="", description="SMTP login (AUTH after TLS); empty: no login")
    smtp_password: SecretStr = Field(default=SecretStr(""), description="password of the SMTP login")
    smtp_password_file: Path | None = Field(
        default=None, description="a file holding the SMTP password, instead of KLACHTSPOOR_SMTP_PASSWORD"
    )

    @model_validator(mode="after")
    def _smtp_login(self) -> NotifySettings:
        """A password once (value or file), only with a user, and never over a plain connection."""
        password = self.smtp_password.get_secret_value()
        one_secret("KLACHTSPOOR_SMTP_PASSWORD", password, self.smtp_password_file)
        has_password = bool(password) or self.smtp_password_file is not None
        if has_password != bool(self.smtp_username):
            raise ValueError("Set both KLACHTSPOOR_SMTP_USERNAME and a password (or its _FILE), or neither")
        if self.smtp_username and self.smtp_tls is SmtpTls.NONE:
            raise ValueError("KLACHTSPOOR_SMTP_USERNAME needs KLACHTSPOOR_SMTP_TLS starttls or implicit")
        return self

    def bounce_address(self) -> str:
        """The address bounces go to (before the notification is added to its local part)."""
        if self.mail_bounces:
            return self.mail_bounces
        return f"bounces@{self.mail_from.rpartition('@')[2]}"

    def smtp_login(self) -> SmtpLogin | None:
        if not self.smtp_username:
            return None
        if self.smtp_password_file is not None:
            password = read_secret_file("KLACHTSPOOR_SMTP_PASSWORD_FILE", self.smtp_password_file)
        else:
            password = self.smtp_password.get_secret_value()
        return SmtpLogin(self.smtp_username, password)
