"""Intake's own settings, on top of the shared ones (same ``KLACHTSPOOR_`` prefix)."""

from __future__ import annotations

from pydantic import Field

from klachtspoor.settings import Settings


class IntakeSettings(Settings):
    intake_port: int = Field(default=8001, description="port of intake's HTTP API")
    public_filing_per_address: str = Field(
        default="10/hour",
        description="filings through the public way in per client address (limits notation: 10/hour)",
    )
    public_filing_overall: str = Field(
        default="300/hour", description="filings through the public way in from everyone together"
    )
    public_dossier_url: str = Field(
        default="http://127.0.0.1:8002/dossier",
        description="where the complainant's dossier opens (escalation's /dossier), shown on the receipt",
    )
