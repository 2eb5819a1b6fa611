"""Settings read from the environment (prefix ``KLACHTSPOOR_``) that every process shares.

A setting only one service reads lives with that service, in a subclass of :class:`Settings` in
``services/<name>/settings.py`` (its port; escalation's timer interval; notify's SMTP server and sender),
under the same prefix.

Empty URLs mean "use the embedded dev stack": the launcher fills them in for the processes it starts.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from klachtspoor.auth.jwks import check_jwks_url
from klachtspoor.secretfiles import one_secret, read_secret_file

if TYPE_CHECKING:  # the crypto package reads these settings, so it is imported where the keys are made
    from klachtspoor.crypto.masterkeys import MasterKeys


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="KLACHTSPOOR_", frozen=True, extra="ignore", hide_input_in_errors=True
    )

    database_url: str = Field(default="", description="PostgreSQL for the event store and read models")
    nats_url: str = Field(default="", description="NATS JetStream server")
    eventstore_url: str = Field(default="", description="esdb://… selects EventStoreDB; empty: PostgreSQL")
    eventstore_namespace: str = Field(
        default="", description="EventStoreDB only: stream-name prefix of this deployment on a shared cluster"
    )
    data_dir: Path = Field(default=Path(".dev"), description="where the dev stack keeps its data")
    projection_linger: float = Field(
        default=0.05,
        ge=0,
        le=5,
        description="seconds a projection's batch waits after its first event for more (one commit for all)",
    )
    max_event_bytes: int = Field(default=256 * 1024, description="largest accepted event payload")
    master_key: str = Field(
        default="",
        description="base64 32-byte key that wraps the tenant keys; the dev stack generates one",
    )
    master_key_file: Path | None = Field(
        default=None,
        description="a file holding the master key (a compose secret), instead of KLACHTSPOOR_MASTER_KEY",
    )
    master_keys_previous: str = Field(
        default="",
        description="during a master key rotation: the previous master keys (base64, comma-separated), "
        "which only unwrap; empty once `klachtspoor keys rotate master` has run",
    )
    master_keys_previous_file: Path | None = Field(
        default=None,
        description="a file holding the previous master keys (one per line), instead of "
        "KLACHTSPOOR_MASTER_KEYS_PREVIOUS",
    )
    database_command_timeout: float = Field(
        default=30.0, gt=0, description="seconds one PostgreSQL statement may take (asyncpg command_timeout)"
    )
    database_acquire_timeout: float = Field(
        default=10.0, gt=0, description="seconds to wait for a pooled PostgreSQL connection"
    )
    retry_initial: float = Field(
        default=0.5, ge=0, description="seconds before the first retry after an outage; doubled each time"
    )
    retry_max: float = Field(default=30.0, ge=0, description="longest wait between retries after an outage")
    nats_stream_max_age: float = Field(
        default=30 * 24 * 3600.0,
        gt=0,
        description="seconds JetStream keeps a relayed event (the relay sets it)",
    )
    nats_stream_max_bytes: int = Field(
        default=10 * 1024**3, gt=0, description="bytes the JetStream stream may hold; then publishes wait"
    )
    trace_queries: bool = Field(
        default=False,
        description="a span for every PostgreSQL query (asyncpg instrumentation); costly, for diagnosis only",
    )
    notify_on_append: bool = Field(default=True, description="NOTIFY readers after each append")
    jwt_public_key_file: Path | None = Field(default=None, description="PEM public key that signs tokens")
    jwt_jwks_url: str = Field(default="", description="the identity provider's JWKS URL (instead of a key)")
    jwt_issuer: str = Field(default="klachtspoor-dev", description="expected 'iss' claim")
    jwt_audience: str = Field(default="klachtspoor", description="expected 'aud' claim")
    jwt_max_lifetime_seconds: int = Field(
        default=12 * 3600, gt=0, description="longest accepted token lifetime (exp - iat), in seconds"
    )
    jwt_jwks_refresh_seconds: float = Field(
        default=300.0,
        gt=0,
        description="seconds between fetches of the JWKS; a key withdrawn there is refused at the next one",
    )
    jwt_jwks_allow_loopback_http: bool = Field(
        default=False, description="development only: accept an http:// JWKS URL on a loopback host"
    )
    max_request_bytes: int = Field(default=64 * 1024, description="largest HTTP request body accepted")
    http_host: str = Field(default="127.0.0.1", description="interface the HTTP services listen on")
    mail_dir: Path = Field(default=Path(".dev/mail"), description="where the dev SMTP sink writes mails")
    tenants_file: Path = Field(default=Path("config/tenants.yaml"), description="the network's tenants")
    policies_dir: Path = Field(default=Path("policies"), description="procedure policies, <id>/v<n>.yaml")

    @model_validator(mode="after")
    def _secure(self) -> Settings:
        """Refuse at start what would be unsafe or ambiguous later: an insecure JWKS URL, two sources
        (or an unreadable file) for the master key."""
        if self.jwt_jwks_url:
            check_jwks_url(self.jwt_jwks_url, allow_loopback_http=self.jwt_jwks_allow_loopback_http)
        one_secret("KLACHTSPOOR_MASTER_KEY", self.master_key, self.master_key_file)
        one_secret(
            "KLACHTSPOOR_MASTER_KEYS_PREVIOUS", self.master_keys_previous, self.master_keys_previous_file
        )
        return self

    def master_key_value(self) -> str:
        """The master key, from KLACHTSPOOR_MASTER_KEY or the file KLACHTSPOOR_MASTER_KEY_FILE names."""
        if self.master_key_file is not None:
            return read_secret_file("KLACHTSPOOR_MASTER_KEY_FILE", self.master_key_file)
        return self.master_key

    def previous_master_key_values(self) -> tuple[str, ...]:
        """The previous master keys (a rotation in progress), from the variable (comma-separated) or the
        file KLACHTSPOOR_MASTER_KEYS_PREVIOUS_FILE names (one per line, or comma-separated)."""
        text = self.master_keys_previous
        if self.master_keys_previous_file is not None:
            text = read_secret_file("KLACHTSPOOR_MASTER_KEYS_PREVIOUS_FILE", self.master_keys_previous_file)
        return tuple(part.strip() for part in text.replace("\n", ",").split(",") if part.strip())

    def master_keys(self) -> MasterKeys:
        """The current master key and the previous ones; raises InvalidMasterKey naming a bad one."""
        from klachtspoor.crypto.masterkeys import MasterKeys

        return MasterKeys.from_base64(self.master_key_value(), self.previous_master_key_values())


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once on first use (not at import time)."""
    return Settings()
