"""Submissions that fail validation, with a marker in every personal field: each is refused naming the
field, and the marker reaches no problem body, log line (tracebacks included) or span."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from intake_helpers import Clock, Intake, signal_body
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from klachtspoor.bootstrap import open_infrastructure
from services.intake.bootstrap import bootstrap
from services.intake.settings import IntakeSettings
from tests.leak_watch import MARKED_ADDRESS, MARKER, leak_watch

LONG = MARKER * 2000


@pytest.fixture
async def traced_intake(
    intake_settings: IntakeSettings, jwt_keys: tuple[str, Path]
) -> AsyncIterator[tuple[Intake, InMemorySpanExporter]]:
    """The intake app with its requests traced into an in-memory exporter."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    infra = await open_infrastructure(intake_settings, pool_size=2)
    app = bootstrap(intake_settings, infrastructure=infra, clock=Clock(), telemetry=False).app
    FastAPIInstrumentor.instrument_app(app, tracer_provider=provider)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://intake.test") as client:
                yield Intake(app, client, infra, intake_settings, jwt_keys[0]), exporter
    finally:
        await infra.close()


def marked(**complainant: Any) -> dict[str, Any]:
    person = {
        "capacity": "client",
        "name": MARKER,
        "email": MARKED_ADDRESS,
        "phone": MARKER,
        "postal_address": MARKER,
        "preferred_channel": "email",
        **complainant,
    }
    return signal_body(complainant=person, about={"role": "care_worker", "name": MARKER}, description=MARKER)


CASES: list[tuple[str, dict[str, Any]]] = [
    ("body.complainant.email", marked(email=f"{MARKED_ADDRESS}, {MARKER}@y.nl")),
    ("body.complainant.email", marked(email=f"{MARKER} <{MARKED_ADDRESS}>")),
    ("body.complainant.name", marked(name=f"{MARKER}\nBcc: {MARKED_ADDRESS}")),
    ("body.complainant.name", marked(name=LONG)),
    ("body.complainant.phone", marked(phone=LONG)),
    ("body.description", {**marked(), "description": LONG[:20_001]}),
    ("body.about.name", {**marked(), "about": {"role": "care_worker", "name": LONG}}),
    ("body.received_on", {**marked(), "received_on": "1900-01-01"}),  # the intake rule, after the schema
    ("body.anonymous", {**marked(), "anonymous": True}),  # the contract invariant
    ("body.complainant.capacity", marked(capacity="legal_representative")),  # not the token's role
]


async def test_refused_submissions_leak_no_personal_value(
    traced_intake: tuple[Intake, InMemorySpanExporter],
) -> None:
    intake, exporter = traced_intake
    bodies = []
    async with leak_watch() as watch:
        for field, body in CASES:
            response = await intake.submit(body, key=f"k-{len(bodies)}")
            assert response.status_code == 422, (field, response.text)
            assert field in [e["field"] for e in response.json()["errors"]], (field, response.text)
            bodies.append(response.text)

    assert await intake.all_events() == []
    assert exporter.get_finished_spans(), "the requests were traced"
    watch.assert_clean(spans=exporter.get_finished_spans(), bodies=bodies)
