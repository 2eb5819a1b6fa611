"""Reporting's own settings, on top of the shared ones (same ``KLACHTSPOOR_`` prefix)."""

from __future__ import annotations

from pydantic import Field

from klachtspoor.settings import Settings


class ReportingSettings(Settings):
    reporting_port: int = Field(default=8004, description="port of reporting's HTTP API")
