"""Reporting's own settings, on top of the shared ones (same ``KLACHTSPOOR_`` prefix)."""

from __future__ import annotations

from pydantic import Field

from klachtspoor.settings import Settings


class ReportingSettings(Settings):
    reporting_port: int = Field(default=8004, description="port of reporting's HTTP API")
    reporting_anchor_interval: float = Field(
        default=300.0,
        gt=0,
        description="seconds between anchors over the global log (docs/integrity.md)",
    )
    reporting_anchors: bool = Field(default=True, description="record anchors over the global log")
    statistics_threshold: int = Field(
        default=5,
        ge=2,
        description="least count a statistics table publishes; smaller are suppressed (docs/statistics.md)",
    )
    dashboard_dev_signin: bool = Field(
        default=False,
        description="development only: the dashboard's sign-in page takes a pasted token (docs/dashboard.md)",
    )
    dashboard_secure_cookie: bool = Field(
        default=False,
        description="mark the dashboard's cookies Secure also when TLS ends at a proxy (https always is)",
    )
