"""Notify with the real relay, JetStream, PostgreSQL and the dev SMTP sink: a mail carries its letter as a
PDF (the same bytes the case's events give again); a deadline warning is mailed once to the tenant's
mailbox for the role handling the term; an anonymous complainant gets no mail; a letter on paper goes to
the print queue and is recorded sent once when printed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from uuid import uuid4

from notify_helpers import (
    CONFIDANT_ORG,
    ESCALATION,
    INTAKE,
    NAME,
    RECEIVED_ON,
    REFERENCE,
    StartNotify,
    _append,
    open_signal,
    outcomes,
    read_mail,
    registry,
    request_notification,
    tenant_entry,
    wait_for,
    wait_for_outcomes,
)
from pypdf import PdfReader

from contracts.events import (
    AnyEvent,
    CaseReferenceAssigned,
    ComplaintFiled,
    DeadlineWarningReached,
    JudgementRequested,
    NotificationRequested,
    NotificationSent,
    ProcedurePolicyPinned,
    SignalReceived,
    TermStarted,
)
from contracts.values import Complainant, ComplainedAbout, Term
from contracts.vocabulary import (
    Channel,
    ComplainantCapacity,
    DeadlineKind,
    EscalationStep,
    Judge,
    NotificationChannel,
    NotificationKind,
    Recipient,
    Role,
    TermUnit,
)
from klachtspoor.cases import CaseRepository
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.letters.render import MailRenderer
from klachtspoor.letters.sent import sent_document
from klachtspoor.policies import PolicyRegistry
from klachtspoor.relay import Relay
from klachtspoor.tenants import Tenant, TenantRegistry
from klachtspoor_devtools.devstack.smtp import MailSink
from services.notify.adapters.print_queue import PrintQueue
from services.notify.application.delivery import Cause
from services.notify.application.printing import mark_printed

POLICIES = Path(__file__).resolve().parents[3] / "policies"
DIRECTORS = "directie@jeugdhulp-voorbeeldstad.example"


def with_mailboxes(tenant: str) -> TenantRegistry:
    entry = tenant_entry(tenant).model_dump()
    entry["mailboxes"] = {"director": DIRECTORS, "provider": "bestuur@jeugdhulp-voorbeeldstad.example"}
    return TenantRegistry([Tenant.model_validate(entry), CONFIDANT_ORG])


async def test_the_mail_carries_the_letter_as_a_pdf_which_the_events_give_again(
    repository: CaseRepository, relay: Relay, start_notify: StartNotify, smtp_sink: MailSink, tenant: str
) -> None:
    await start_notify()
    requested = await request_notification(repository, tenant)
    await wait_for_outcomes(repository, requested.stream, "NotificationSent")

    [path] = smtp_sink.mails()
    mail = read_mail(path)
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"{REFERENCE}-acknowledgement.pdf"
    pdf = attachment.get_content()
    text = " ".join(PdfReader(BytesIO(pdf)).pages[0].extract_text().split())
    assert REFERENCE in text and f"Beste {NAME}," in text
    assert "Datum 5 maart 2026" in text  # the day the request was recorded

    envelopes = (await repository.load(requested.stream)).events
    again = sent_document(
        envelopes,
        requested.notification_id,
        tenant_entry(tenant),
        registry(tenant),
        PolicyRegistry.from_directory(POLICIES),
        MailRenderer(),
    )
    assert again is not None and again.pdf() == pdf, "same events, same letter"


async def _deadline_warning(repository: CaseRepository, tenant: str) -> tuple[str, NotificationRequested]:
    """A case at SO!'s director whose judgement term reached its warning, with the handler's mail asked."""
    opened = await open_signal(repository, tenant)
    mail = NotificationRequested(
        notification_id=uuid4(),
        kind=NotificationKind.DEADLINE_WARNING,
        recipient=Recipient.CASE_HANDLER,
        channel=NotificationChannel.EMAIL,
    )
    events: list[AnyEvent] = [
        ComplaintFiled(
            filed_with=EscalationStep.COMPLAINTS_OFFICER,
            channel=Channel.EMAIL,
            received_on=RECEIVED_ON,
            written=True,
            description="Het gesprek hielp niet.",
        ),
        JudgementRequested(judge=Judge.DIRECTOR, requested_on=RECEIVED_ON, written=True),
        TermStarted(
            deadline=DeadlineKind.JUDGEMENT,
            started_on=RECEIVED_ON,
            term=Term(amount=6, unit=TermUnit.WEEKS),
            due_on=date(2026, 4, 16),
        ),
        DeadlineWarningReached(deadline=DeadlineKind.JUDGEMENT, due_on=date(2026, 4, 16)),
        mail,
    ]
    await _append(repository, opened.stream, opened.case_id, tenant, ESCALATION, events, after=opened.signal)
    return opened.stream, mail


async def test_a_deadline_warning_is_mailed_once_to_the_tenants_mailbox_of_the_handling_role(
    repository: CaseRepository, relay: Relay, start_notify: StartNotify, smtp_sink: MailSink, tenant: str
) -> None:
    service = await start_notify(tenants=with_mailboxes(tenant))
    stream, mail = await _deadline_warning(repository, tenant)
    await wait_for_outcomes(repository, stream, "NotificationSent")

    [path] = smtp_sink.mails()
    message = read_mail(path)
    assert message["To"].addresses[0].addr_spec == DIRECTORS  # SO!'s judgement is the director's
    assert "Termijn loopt af: oordeel" in message["Subject"]
    body = message.get_body(("plain",))
    assert body is not None and "uiterlijk op 16 april 2026" in body.get_content()
    assert NAME not in body.get_content()

    # the same request handled again (a redelivery) hands nothing over a second time
    request = next(e for e in (await repository.load(stream)).events if e.type == "NotificationRequested")
    cause = Cause(
        request.event_id, request.correlation_id, tenant, stream, request.case_id, mail.notification_id, 1
    )
    assert (await service.deliverer().handle(cause)).retry_in is None
    assert smtp_sink.deliveries() == {f"<{mail.notification_id}@klachtspoor>": 1}
    assert [e.type for e in await outcomes(repository, stream)] == ["NotificationSent"]


async def test_without_a_mailbox_for_the_role_the_deadline_mail_is_parked(
    repository: CaseRepository, relay: Relay, start_notify: StartNotify, smtp_sink: MailSink, tenant: str
) -> None:
    await start_notify()
    stream, _ = await _deadline_warning(repository, tenant)
    [parked] = await wait_for_outcomes(repository, stream, "NotificationParked")
    assert "no mailbox for role director" in str(parked.event.model_dump()["reason"])
    assert smtp_sink.mails() == []


async def test_an_anonymous_complainant_gets_no_mail_and_the_person_complained_about_a_letter_on_paper(
    repository: CaseRepository,
    relay: Relay,
    start_notify: StartNotify,
    smtp_sink: MailSink,
    tenant: str,
    tmp_path: Path,
) -> None:
    await start_notify(letters_dir=tmp_path / "letters")
    case_id = uuid4()
    stream = case_stream(tenant, str(case_id))
    anonymous = SignalReceived(
        channel=Channel.WEB_FORM,
        received_on=RECEIVED_ON,
        anonymous=True,
        complainant=Complainant(capacity=ComplainantCapacity.CLIENT),
        about=ComplainedAbout(role=Role.CARE_WORKER, name="Voorbeeld Begeleider"),
        description="Anoniem.",
    )
    opening = [
        anonymous,
        CaseReferenceAssigned(reference=REFERENCE),
        ProcedurePolicyPinned(policy_id="so-trainingsbureau", policy_version=1),
    ]
    [signal, *_] = await _append(repository, stream, case_id, tenant, INTAKE, opening)
    to_complainant, on_paper = (
        NotificationRequested(
            notification_id=uuid4(),
            kind=NotificationKind.JUDGEMENT,
            recipient=recipient,
            channel=channel,
        )
        for recipient, channel in (
            (Recipient.COMPLAINANT, NotificationChannel.EMAIL),
            (Recipient.PERSON_COMPLAINED_ABOUT, NotificationChannel.LETTER),
        )
    )
    await _append(repository, stream, case_id, tenant, ESCALATION, [to_complainant, on_paper], after=signal)
    recorded = await wait_for_outcomes(repository, stream, "NotificationParked")
    [parked] = recorded
    assert "left no e-mail address" in str(parked.event.model_dump()["reason"])

    queue = PrintQueue(tmp_path / "letters")

    async def queued() -> bool:
        return len(queue.waiting(tenant)) == 1

    await wait_for(queued, what="the letter on paper in the print queue")
    assert smtp_sink.mails() == [], "nothing is mailed: not to the anonymous complainant, not on paper"
    [(letter, pdf)] = queue.waiting(tenant)
    assert letter.notification_id == str(on_paper.notification_id) and pdf.is_file()
    assert [e.type for e in await outcomes(repository, stream)] == ["NotificationParked"]

    now = datetime(2026, 3, 6, 9, tzinfo=UTC)
    await mark_printed(repository, queue, on_paper.notification_id, now)
    recorded = await outcomes(repository, stream)
    assert [e.type for e in recorded] == ["NotificationParked", "NotificationSent"]
    sent = recorded[-1].event
    assert isinstance(sent, NotificationSent) and sent.channel is NotificationChannel.LETTER
    assert queue.waiting(tenant) == []
    assert (tmp_path / "letters" / tenant / "printed" / pdf.name).is_file()
