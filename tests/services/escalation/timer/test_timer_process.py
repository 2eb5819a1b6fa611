"""The timer inside the escalation app: its lifespan applies the schema, runs the index and the loop, and
stops both; a term that ended while the service was down is recorded on start without anyone asking."""

from __future__ import annotations

import asyncio

from escalation_helpers import runtime_of
from nats.js import JetStreamContext
from opentelemetry.sdk.trace import TracerProvider
from timer_given import FIRST_CONTACT, FIRST_CONTACT_DUE, Clock, at, both, day_after, open_case, timer_events

from klachtspoor.bootstrap import Infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.policies import PolicyRegistry
from klachtspoor.relay import STREAM_NAME
from klachtspoor.settings import Settings
from services.escalation.bootstrap import bootstrap


async def test_the_escalation_app_records_what_fell_due_while_it_was_down(
    settings: Settings,
    infrastructure: Infrastructure,
    repository: CaseRepository,
    registry: PolicyRegistry,
    tenant: str,
    js: JetStreamContext,
) -> None:
    case, _ = await open_case(repository, tenant)  # before the service starts
    durable = f"escalation-timer-{tenant}"
    app = bootstrap(
        settings,
        infrastructure=infrastructure,
        clock=Clock(at(day_after(FIRST_CONTACT_DUE))),
        tracer_provider=TracerProvider(),
        durable=durable,
        tenant=tenant,
        policies=registry,
        timer_interval=0.05,
    ).app
    try:
        async with app.router.lifespan_context(app):
            service = runtime_of(app).timer
            assert service is not None
            assert service.running
            for _ in range(600):
                if len(await timer_events(repository, case.stream)) >= 2:
                    break
                await asyncio.sleep(0.05)
            ticks = service.timer.ticks
            for _ in range(600):  # two more ticks after both: nothing more is appended
                if service.timer.ticks >= ticks + 2:
                    break
                await asyncio.sleep(0.05)
        assert not service.running
    finally:
        await js.delete_consumer(STREAM_NAME, durable)
    assert await timer_events(repository, case.stream) == both(FIRST_CONTACT, FIRST_CONTACT_DUE)
