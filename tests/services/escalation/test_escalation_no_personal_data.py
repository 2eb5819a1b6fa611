"""A stored event that no longer decodes (a personal field over its bound, written before the bound or by
another writer) is retried and parked; the personal values decrypted on the way reach no log, span, NATS
message or parked error. Before, pydantic's ``input_value`` carried the bad value into the chained
exception that is logged with its traceback."""

from __future__ import annotations

from uuid import uuid4

from escalation_helpers import THURSDAY, intake_envelope
from fastapi import FastAPI
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from test_escalation_consumer import _wait_for_parked

from contracts.events import SignalReceived
from contracts.values import Complainant, ComplainedAbout
from contracts.vocabulary import Channel, ComplainantCapacity, NotificationChannel, Role
from klachtspoor.cases import CaseRepository
from klachtspoor.eventstore.port import StreamState
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.relay import Relay
from tests.leak_watch import MARKED_ADDRESS, MARKER, leak_watch


def marked_signal() -> SignalReceived:
    return SignalReceived(
        channel=Channel.WEB_FORM,
        received_on=THURSDAY,
        complainant=Complainant(
            capacity=ComplainantCapacity.LEGAL_REPRESENTATIVE,
            name=MARKER,
            email=MARKED_ADDRESS,
            phone=MARKER,
            postal_address=MARKER,
            preferred_channel=NotificationChannel.EMAIL,
        ),
        about=ComplainedAbout(role=Role.CARE_WORKER, name=MARKER),
        description=MARKER,
    )


async def test_an_event_that_fails_to_decode_leaks_no_personal_value(
    app: FastAPI,
    relay: Relay,
    repository: CaseRepository,
    tenant: str,
    database_url: str,
    nats_url: str,
    exporter: InMemorySpanExporter,
) -> None:
    case_id = uuid4()
    stream = case_stream(tenant, str(case_id))
    valid = marked_signal()
    # model_copy does not validate: the name is over PersonalName's 200 characters, as if stored earlier.
    too_long = valid.model_copy(
        update={"complainant": valid.complainant.model_copy(update={"name": MARKER * 20})}
    )
    envelope = intake_envelope(too_long, tenant, case_id)
    encoded = await repository.codec.encode(envelope)
    assert MARKER not in str(encoded.data), "the personal fields are stored encrypted"

    async with leak_watch(nats_url) as watch:
        await repository.store.append(stream, [encoded], StreamState.NO_STREAM)
        [parked] = await _wait_for_parked(database_url, f"escalation-{tenant}")

    assert parked.event_id == envelope.event_id and "complainant.name" in parked.error
    assert any("Traceback" in line for line in watch.logs.lines), "the failure was logged with its traceback"
    assert watch.messages, "the relayed event was watched"
    watch.assert_clean(spans=exporter.get_finished_spans(), bodies=[parked.error])
