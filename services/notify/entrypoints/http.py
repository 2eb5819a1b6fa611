"""Notify's HTTP face: only ``/healthz`` and ``/readyz`` (it is driven by the bus, not by requests)."""

from __future__ import annotations

from fastapi import FastAPI

from klachtspoor.http.app import Lifespan, ReadinessCheck, create_app


def build_app(readiness: ReadinessCheck, lifespan: Lifespan, max_body_bytes: int) -> FastAPI:
    return create_app(
        "klachtspoor notify",
        readiness=readiness,
        lifespan=lifespan,
        max_body_bytes=max_body_bytes,
        description="Sends the case's letters and mails; consumes NotificationRequested from JetStream.",
    )
