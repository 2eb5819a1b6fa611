"""Same events, same letter: the text the case file shows for a sent letter, rendered again from the case's
events with the shared letters (``klachtspoor.letters.sent``), is the text notify mailed."""

from __future__ import annotations

from pathlib import Path

from notify_helpers import (
    NAME,
    StartNotify,
    read_mail,
    registry,
    request_notification,
    tenant_entry,
    wait_for_outcomes,
)

from klachtspoor.cases import CaseRepository
from klachtspoor.letters.render import MailRenderer
from klachtspoor.letters.sent import sent_letter
from klachtspoor.policies import PolicyRegistry
from klachtspoor.relay import Relay
from klachtspoor_devtools.devstack.smtp import MailSink

POLICIES = Path(__file__).resolve().parents[3] / "policies"


async def test_a_sent_letter_rendered_again_is_the_mail_notify_sent(
    repository: CaseRepository, relay: Relay, start_notify: StartNotify, smtp_sink: MailSink, tenant: str
) -> None:
    await start_notify()
    requested = await request_notification(repository, tenant)
    await wait_for_outcomes(repository, requested.stream, "NotificationSent")
    [path] = smtp_sink.mails()
    mailed = read_mail(path).get_body(("plain",))
    assert mailed is not None

    envelopes = (await repository.load(requested.stream)).events
    again = sent_letter(
        envelopes,
        requested.notification_id,
        tenant_entry(tenant),
        registry(tenant),
        PolicyRegistry.from_directory(POLICIES),
        MailRenderer(),
    )

    assert again is not None
    on_the_wire = mailed.get_content().replace("\r\n", "\n")  # SMTP carries CRLF line ends
    assert again.text.strip() == on_the_wire.strip()
    assert f"Beste {NAME}," in again.text


async def test_a_letter_not_sent_has_no_text_yet(repository: CaseRepository, tenant: str) -> None:
    requested = await request_notification(repository, tenant)
    envelopes = (await repository.load(requested.stream)).events
    renderer, policies = MailRenderer(), PolicyRegistry.from_directory(POLICIES)
    not_sent = sent_letter(
        envelopes, requested.notification_id, tenant_entry(tenant), registry(tenant), policies, renderer
    )
    assert not_sent is None
