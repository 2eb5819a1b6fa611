"""``klachtspoor notifications parked|retry|bounces`` against the real stack: a parked notification is
listed with what failed; a retry is sent once by the running notify service, and a second retry of the
same notification is refused; the bounces command records a bounce in the dev mail folder once."""

from __future__ import annotations

import asyncio

from dsn import bounce_of
from notify_helpers import Requested, StartNotify, outcomes, request_notification, wait_for_outcomes

from contracts.events import NotificationRetryRequested, NotificationSent
from klachtspoor.cases import CaseRepository
from klachtspoor.relay import Relay
from klachtspoor.settings import Settings
from klachtspoor_devtools.devstack.smtp import MailSink
from tests.cli import run_cli


async def test_a_parked_notification_is_listed_and_a_retry_sends_it_once(
    settings: Settings,
    repository: CaseRepository,
    relay: Relay,
    start_notify: StartNotify,
    smtp_sink: MailSink,
    tenant: str,
) -> None:
    smtp_sink.reject_with = "550 5.7.1 Bericht geweigerd"
    await start_notify()
    requested = await request_notification(repository, tenant)
    await wait_for_outcomes(repository, requested.stream, "NotificationParked")

    listed = await run_cli(settings, "notifications", "parked", "--tenant", tenant)

    assert listed.exit_code == 0, listed.output
    [row] = [line for line in listed.output.splitlines() if str(requested.notification_id) in line]
    assert "acknowledgement" in row and "complainant" in row
    assert "permanent failure" in listed.output and "550" in listed.output

    smtp_sink.reject_with = None
    retry = ("notifications", "retry", str(requested.notification_id), "--actor", "beh-1")
    retried = await run_cli(settings, *retry)
    assert retried.exit_code == 0, retried.output
    recorded = await wait_for_outcomes(repository, requested.stream, "NotificationSent")
    again = await run_cli(settings, *retry)

    assert again.exit_code == 1
    assert "nothing to retry" in again.output
    case = await repository.load(requested.stream)
    retries = [e for e in case.events if isinstance(e.event, NotificationRetryRequested)]
    assert len(retries) == 1
    assert (retries[0].actor.id, retries[0].actor.role) == ("beh-1", "administrator")
    assert retries[0].event.attempt == 2
    assert [e.type for e in recorded] == ["NotificationFailed", "NotificationParked", "NotificationSent"]
    sent = recorded[-1]
    assert isinstance(sent.event, NotificationSent) and sent.event.attempt == 2
    assert sent.causation_id == retries[0].event_id  # the retry drove the attempt
    await asyncio.sleep(0.5)  # a second send would have been made by now
    retry_id = f"<{requested.notification_id}.1@klachtspoor>"
    assert smtp_sink.deliveries() == {retry_id: 1}
    assert len(await outcomes(repository, requested.stream)) == 3
    nothing = await run_cli(settings, "notifications", "parked", "--tenant", tenant)
    assert "Geen geparkeerde berichten." in nothing.output


async def test_retrying_an_unknown_or_sent_notification_is_refused(
    settings: Settings, sent_notification: Requested
) -> None:
    requested = sent_notification
    sent = await run_cli(
        settings, "notifications", "retry", str(requested.notification_id), "--actor", "beh-1"
    )
    unknown = await run_cli(settings, "notifications", "retry", str(requested.case_id), "--actor", "beh-1")

    assert (sent.exit_code, unknown.exit_code) == (1, 1)
    assert "is sent: nothing to retry" in sent.output
    assert "No NotificationRequested" in unknown.output


async def test_the_bounces_command_records_a_bounce_in_the_mail_folder_once(
    settings: Settings,
    repository: CaseRepository,
    sent_notification: Requested,
    smtp_sink: MailSink,
    tenant: str,
) -> None:
    requested = sent_notification
    folder = smtp_sink.mail_dir  # the dev stack's folder: the sent mail and, here, its bounce
    (folder / "dsn-1.eml").write_bytes(bytes(bounce_of(requested)))

    first = await run_cli(settings, "notifications", "bounces", "--dir", str(folder))
    second = await run_cli(settings, "notifications", "bounces", "--dir", str(folder))

    assert first.exit_code == 0, first.output
    assert f"Onbestelbaar vastgelegd: {requested.notification_id}" in first.output
    assert "1 nieuw, 0 al vastgelegd, 0 onbekend, 1 andere berichten" in first.output
    assert "0 nieuw, 1 al vastgelegd" in second.output
    types = [e.type for e in await outcomes(repository, requested.stream)]
    assert types == ["NotificationSent", "NotificationFailed", "NotificationParked"]
    listed = await run_cli(settings, "notifications", "parked", "--tenant", tenant)
    assert "bounced" in listed.output and "5.1.1" in listed.output
