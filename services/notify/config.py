"""Notify's own settings, on top of the shared ones (same ``KLACHTSPOOR_`` prefix)."""

from __future__ import annotations

from pydantic import Field

from klachtspoor.relay import STREAM_NAME
from klachtspoor.settings import Settings
from services.notify.domain.retry import DEFAULT_DELAYS

PAUSE_AFTER_HANDOVER_VAR = "KLACHTSPOOR_NOTIFY_TEST_PAUSE_AFTER_HANDOVER"
"""Test-only: a file path. When set, notify writes the notification id there after each SMTP handover
and then waits (an hour) before recording the send, so a test can kill it in exactly that window."""


class NotifySettings(Settings):
    notify_durable: str = Field(default="notify", description="JetStream durable consumer name")
    notify_stream: str = Field(default=STREAM_NAME, description="JetStream stream the relay publishes to")
    notify_tenant_filter: str = Field(
        default="*", description="Tenant token of the subject filter: '*' for all, or one tenant's slug"
    )
    notify_retry_delays: tuple[float, ...] = Field(
        default=DEFAULT_DELAYS, description="Seconds to wait after failed attempt 1, 2, …; then park"
    )
    notify_ack_wait: float = Field(default=60.0, gt=0, description="Seconds before JetStream redelivers")
    notify_poison_after: int = Field(
        default=8, ge=1, description="Deliveries that raised before the notification is parked as poison"
    )
    notify_batch_size: int = Field(default=16, ge=1, description="Messages fetched (and handled) at once")
    smtp_timeout: float = Field(default=10.0, gt=0, description="Seconds for one SMTP handover")
