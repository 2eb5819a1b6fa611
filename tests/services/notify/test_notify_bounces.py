"""Bounces: a DSN (built with the email package) is matched to its notification; through the real stack
(PostgreSQL event store, relay, NATS, notify, SMTP sink) a mailed notification's bounce in a Maildir
becomes one failure and one park on its case, and reading the mailbox again adds nothing."""

from __future__ import annotations

import mailbox
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from uuid import uuid4

from dsn import bounce_of, dsn, verp
from notify_helpers import Requested, outcomes, read_mail

from contracts.events import NotificationFailed, NotificationParked
from contracts.vocabulary import Role
from klachtspoor.bootstrap import Infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor_devtools.devstack.smtp import MailSink
from services.escalation.domain.casefile import table
from services.escalation.domain.casefile.letters import LetterStatus, letters_view
from services.escalation.domain.casefile.reader import Reader, Shown
from services.escalation.domain.support.visibility import Viewer
from services.notify.adapters.mailbox import read_mailbox
from services.notify.application.operator import record_bounces
from services.notify.domain.bounces import Bounce, read_bounce, verp_address

LATER = datetime(2026, 3, 5, 11, 0, tzinfo=UTC)


def _parsed(message: EmailMessage) -> EmailMessage:
    parsed = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_a_failed_dsn_names_its_notification_by_the_verp_address() -> None:
    nid = uuid4()
    report = _parsed(dsn(to=verp(nid), message_id="<elders@example.org>"))
    assert read_bounce(report) == Bounce(nid, "5.1.1")


def test_without_the_verp_address_the_returned_message_id_names_it() -> None:
    nid = uuid4()
    report = _parsed(dsn(to="postmaster@klachtspoor.example", message_id=f"<{nid}.2@klachtspoor>"))
    assert read_bounce(report) == Bounce(nid, "5.1.1")


def test_a_delay_report_an_ordinary_mail_and_a_foreign_dsn_are_no_bounces() -> None:
    nid = uuid4()
    delayed = dsn(to=verp(nid), message_id=f"<{nid}@klachtspoor>", action="delayed", status="4.4.1")
    assert read_bounce(_parsed(delayed)) is None
    foreign = dsn(to="someone@elders.example", message_id="<x@elders.example>")
    assert read_bounce(_parsed(foreign)) is None
    plain = dsn(to=verp(nid), message_id=f"<{nid}@klachtspoor>")
    plain.set_type("multipart/mixed")
    assert read_bounce(_parsed(plain)) is None


def test_the_verp_address_carries_the_notification_in_its_local_part() -> None:
    nid = uuid4()
    assert verp_address("bounces@klachtspoor.example", nid) == f"bounces+{nid}@klachtspoor.example"


async def test_a_bounce_in_the_mailbox_is_one_failure_and_reading_it_again_adds_nothing(
    repository: CaseRepository,
    infrastructure: Infrastructure,
    sent_notification: Requested,
    smtp_sink: MailSink,
    tenant: str,
    tmp_path: Path,
) -> None:
    requested = sent_notification
    [sent] = smtp_sink.mails()
    assert read_mail(sent)["Return-Path"] == f"<{verp(requested.notification_id)}>"  # the envelope
    maildir = mailbox.Maildir(tmp_path / "bounces", create=True)
    maildir.add(bounce_of(requested).as_bytes())
    maildir.add(dsn(to="iemand@elders.example", message_id="<x@elders.example>").as_bytes())

    first = await record_bounces(infrastructure.store, repository, read_mailbox(tmp_path / "bounces"), LATER)
    again = await record_bounces(infrastructure.store, repository, read_mailbox(tmp_path / "bounces"), LATER)

    assert (first.recorded, first.already_recorded, first.not_bounces) == ([requested.notification_id], [], 1)
    assert (again.recorded, again.already_recorded) == ([], [requested.notification_id])
    recorded = await outcomes(repository, requested.stream)
    assert [e.type for e in recorded] == ["NotificationSent", "NotificationFailed", "NotificationParked"]
    failed, parked = recorded[1].event, recorded[2].event
    assert isinstance(failed, NotificationFailed)
    assert (failed.attempt, failed.next_attempt_at) == (1, None)
    assert "5.1.1" in failed.error and "@" not in failed.error  # the status, never the address
    assert isinstance(parked, NotificationParked) and "bounced" in parked.reason
    officer = Reader(Viewer("kf-1", Role.COMPLAINTS_OFFICER, tenant), frozenset({table.LETTERS}), tenant)
    shown = letters_view((await repository.load(requested.stream)).events, officer, Shown(), {})
    assert shown is not None
    [letter] = shown
    assert letter.status is LetterStatus.PARKED
    assert letter.bounced_at == LATER
    assert len(smtp_sink.mails()) == 1  # the bounce's failure event asked no second mail
