"""Escalation's own settings, on top of the shared ones (same ``KLACHTSPOOR_`` prefix)."""

from __future__ import annotations

from pydantic import Field

from klachtspoor.settings import Settings


class EscalationSettings(Settings):
    escalation_port: int = Field(default=8002, description="port of escalation's HTTP API")
    escalation_timer_interval: float = Field(
        default=30.0, gt=0, description="seconds between the deadline timer's looks at the due-date index"
    )
