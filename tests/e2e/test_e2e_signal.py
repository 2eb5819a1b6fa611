"""One signal through the whole stack, every service its own process: intake (HTTP) → relay → NATS →
escalation → notify (SMTP) → reporting; once as is, once with notify killed in its one crash window."""

from __future__ import annotations

import httpx
import pytest
from e2e_helpers import (
    WAIT,
    events,
    mails_mentioning,
    message_id_of,
    new_traceparent,
    of_type,
    opened,
    submit,
    wait_for_event,
    wait_for_reporting,
)
from e2e_stack import Stack, eventually
from otlp_sink import ReceivedSpan

from klachtspoor.eventstore.postgres import PostgresEventStore
from klachtspoor_devtools.devstack.smtp import mail_file_name, read_deliveries
from services.notify.adapters.smtp import MESSAGE_ID_ATTRIBUTE

pytestmark = pytest.mark.slow

OPENING = ["SignalReceived", "CaseReferenceAssigned", "ProcedurePolicyPinned"]
REACTIONS = {"NotificationRequested", "NotificationSent"}
"""The demo procedure sets no term for a signal at its first step: only the acknowledgement follows."""
TRACED = {"intake", "relay", "escalation", "notify"}


async def test_a_signal_becomes_one_mail_one_send_a_reported_case_and_one_trace(
    stack: Stack, store: PostgresEventStore
) -> None:
    traceparent, trace_id, caller_span = new_traceparent()
    async with httpx.AsyncClient(timeout=30) as client:
        case = opened(await submit(client, stack, "e2e-one", traceparent=traceparent))
        recorded = await wait_for_event(store, stack, case.stream, "NotificationSent")

        assert [e.type for e in recorded[: len(OPENING)]] == OPENING
        assert {e.type for e in recorded[len(OPENING) :]} == REACTIONS
        [sent] = of_type(recorded, "NotificationSent")
        message_id = message_id_of(recorded)
        assert sent.data["message_id"] == message_id

        [mail] = mails_mentioning(stack.mail_dir, case.reference)
        assert mail["Message-ID"] == message_id
        assert case.reference in str(mail["Subject"]) or case.reference in str(mail.get_body())
        assert read_deliveries(stack.mail_dir)[message_id] == 1

        detail = await wait_for_reporting(
            client, stack, f"/cases/{case.case_id}", lambda body: True, "the case in reporting"
        )
        assert detail["reference"] == case.reference
        timeline = await wait_for_reporting(
            client,
            stack,
            f"/cases/{case.case_id}/timeline",
            lambda body: len(body["items"]) == len(recorded),
            f"a timeline of {len(recorded)} events",
        )
    assert [item["type"]["code"] for item in timeline["items"]] == [e.type for e in recorded]
    assert [item["event_id"] for item in timeline["items"]] == [str(e.event_id) for e in recorded]

    async def whole_trace() -> list[ReceivedSpan] | None:
        spans = stack.otlp.in_trace(trace_id)
        complete = {s.service for s in spans} >= TRACED and not orphans(spans, caller_span)
        return spans if complete and any(s.name == "smtp send" for s in spans) else None

    def progress() -> str:
        spans = stack.otlp.in_trace(trace_id)
        return (
            f"trace {trace_id} through {sorted(TRACED)} with an smtp span; services so far: "
            f"{sorted({s.service for s in spans})}, spans without their parent: {orphans(spans, caller_span)}"
        )

    spans = await eventually(whole_trace, stack, within=WAIT, what=progress)
    intake_server = [s for s in spans if s.service == "intake" and s.parent_span_id == caller_span]
    assert intake_server, f"no intake span continues the caller's span: {spans}"
    [smtp_span] = [s for s in spans if s.name == "smtp send"]
    assert smtp_span.service == "notify"
    assert smtp_span.attributes[MESSAGE_ID_ATTRIBUTE] == message_id


def orphans(spans: list[ReceivedSpan], caller_span: str) -> list[ReceivedSpan]:
    """Spans whose parent is neither in the trace nor the caller's span: the trace would be broken."""
    span_ids = {s.span_id for s in spans} | {caller_span}
    return [s for s in spans if s.parent_span_id not in span_ids]


async def test_notify_killed_after_the_handover_sends_one_mail_and_records_one_send(
    stack: Stack, store: PostgresEventStore, tmp_path_factory: pytest.TempPathFactory
) -> None:
    marker = tmp_path_factory.mktemp("pause") / "handed-over"
    stack.notify.stop()
    await stack.start_notify(paused_after_handover=marker)
    async with httpx.AsyncClient(timeout=30) as client:
        case = opened(await submit(client, stack, "e2e-kill"))
    recorded = await wait_for_event(store, stack, case.stream, "NotificationRequested")
    message_id = message_id_of(recorded)

    async def handed_over() -> bool:
        return marker.exists() and read_deliveries(stack.mail_dir)[message_id] == 1

    await eventually(handed_over, stack, within=WAIT, what="notify to hand the mail over and pause")
    assert stack.kill_notify() == -9
    assert of_type(await events(store, case.stream), "NotificationSent") == []  # killed before recording

    await stack.start_notify()
    recorded = await wait_for_event(store, stack, case.stream, "NotificationSent")

    assert len(of_type(recorded, "NotificationSent")) == 1
    assert read_deliveries(stack.mail_dir)[message_id] == 2  # the crash window is real: handed over twice
    assert [m["Message-ID"] for m in mails_mentioning(stack.mail_dir, case.reference)] == [message_id]
    assert (stack.mail_dir / mail_file_name(message_id)).exists()
