"""Intake's own settings, on top of the shared ones (same ``KLACHTSPOOR_`` prefix)."""

from __future__ import annotations

from pydantic import Field

from klachtspoor.settings import Settings


class IntakeSettings(Settings):
    intake_port: int = Field(default=8001, description="port of intake's HTTP API")
