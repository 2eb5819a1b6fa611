"""Escalation's own settings, on top of the shared ones (same ``KLACHTSPOOR_`` prefix)."""

from __future__ import annotations

from pydantic import Field

from klachtspoor.settings import Settings


class EscalationSettings(Settings):
    escalation_port: int = Field(default=8002, description="port of escalation's HTTP API")
    escalation_ack_wait: float = Field(
        default=30.0, gt=0, description="seconds before JetStream redelivers an event escalation did not ack"
    )
    escalation_workers: int = Field(
        default=8, ge=1, description="relayed events handled at once (one case's one after the other)"
    )
    escalation_timer_interval: float = Field(
        default=30.0, gt=0, description="seconds between the deadline timer's looks at the due-date index"
    )
    dossier_attempts_per_address: str = Field(
        default="20/hour", description="openings of the public dossier per client address (limits notation)"
    )
    dossier_failures_per_code: str = Field(
        default="5/hour", description="wrong secrets per receipt code before it is locked for a while"
    )
    dossier_attempts_overall: str = Field(
        default="1000/hour", description="openings of the public dossier from everyone together"
    )
    dossier_session_minutes: int = Field(
        default=20, ge=1, le=120, description="how long an opened dossier page stays open without the secret"
    )
