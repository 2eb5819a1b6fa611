"""An anonymous complaint filed through the public way in, with the real relay, JetStream, PostgreSQL and
the dev SMTP sink: escalation asks the acknowledgement on channel dossier, notify records it sent once
(also when the request is handled again, as after a redelivery) without mailing or printing anything,
and the dossier lists it with its text and a PDF without a postal address block."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

from notify_helpers import (
    ESCALATION,
    INTAKE,
    NOW,
    RECEIVED_ON,
    REFERENCE,
    StartNotify,
    _append,
    outcomes,
    registry,
    tenant_entry,
    wait_for_outcomes,
)

from contracts.events import (
    CaseReferenceAssigned,
    DossierSecretIssued,
    NotificationRequested,
    NotificationSent,
    ProcedurePolicyPinned,
    SignalReceived,
)
from contracts.values import Complainant
from contracts.vocabulary import Channel, ComplainantCapacity, NotificationChannel, Recipient
from klachtspoor.cases import CaseRepository
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.letters.render import MailRenderer
from klachtspoor.letters.sent import sent_document
from klachtspoor.policies import PolicyRegistry
from klachtspoor.relay import Relay
from klachtspoor_devtools.devstack.smtp import MailSink
from services.escalation.application.letters import letter_texts
from services.escalation.domain import AcknowledgeSignal, decide, fold
from services.escalation.domain.casefile.dossier import dossier
from services.notify.adapters.print_queue import PrintQueue
from services.notify.application.delivery import Cause

POLICIES = PolicyRegistry.from_directory(Path(__file__).resolve().parents[3] / "policies")


async def test_an_anonymous_public_filing_is_acknowledged_in_the_dossier_once_and_never_mailed(
    repository: CaseRepository,
    relay: Relay,
    start_notify: StartNotify,
    smtp_sink: MailSink,
    tenant: str,
    tmp_path: Path,
) -> None:
    service = await start_notify(letters_dir=tmp_path / "letters")
    case_id = uuid4()
    stream = case_stream(tenant, str(case_id))
    anonymous = SignalReceived(
        channel=Channel.WEB_FORM,
        received_on=RECEIVED_ON,
        anonymous=True,
        complainant=Complainant(capacity=ComplainantCapacity.CLIENT),
        description="Anoniem, via het webformulier.",
    )
    opening = [
        anonymous,
        CaseReferenceAssigned(reference=REFERENCE),
        ProcedurePolicyPinned(policy_id="so-trainingsbureau", policy_version=1),
        DossierSecretIssued(secret_hash="scrypt$dossier"),
    ]
    [signal, *_] = await _append(repository, stream, case_id, tenant, INTAKE, opening)
    acknowledge = AcknowledgeSignal(
        tenant=tenant, case_id=case_id, causation_event_id=signal.event_id, correlation_id=case_id, now=NOW
    )
    reaction = decide(acknowledge, fold(opening), POLICIES.get("so-trainingsbureau", 1))
    [request] = [event for event in reaction if isinstance(event, NotificationRequested)]
    assert (request.recipient, request.channel) == (Recipient.COMPLAINANT, NotificationChannel.DOSSIER)
    [requested] = [
        envelope
        for envelope in await _append(repository, stream, case_id, tenant, ESCALATION, reaction, after=signal)
        if envelope.type == "NotificationRequested"
    ]

    [recorded] = await wait_for_outcomes(repository, stream, "NotificationSent")
    cause = Cause(
        event_id=requested.event_id,
        correlation_id=requested.correlation_id,
        tenant=tenant,
        stream=stream,
        case_id=case_id,
        notification_id=request.notification_id,
        attempt=1,
    )
    assert (await service.deliverer().handle(cause)).retry_in is None  # as a redelivery would be

    assert [e.type for e in await outcomes(repository, stream)] == ["NotificationSent"]
    sent = recorded.event
    assert isinstance(sent, NotificationSent)
    assert (sent.channel, sent.message_id) == (NotificationChannel.DOSSIER, None)
    assert smtp_sink.mails() == [], "nothing is mailed"
    assert PrintQueue(tmp_path / "letters").waiting(tenant) == [], "nothing is printed"

    envelopes = (await repository.load(stream)).events
    renderer = MailRenderer()
    texts = letter_texts(envelopes, tenant_entry(tenant), registry(tenant), POLICIES, renderer)
    state = fold(envelope.event for envelope in envelopes)
    view = dossier(case_id, envelopes, state, POLICIES.get("so-trainingsbureau", 1), texts, str)
    [letter] = view.letters
    assert letter.notification_id == request.notification_id and letter.sent_at is not None
    assert letter.text is not None and REFERENCE in letter.text
    assert letter.pdf == str(request.notification_id)
    document = sent_document(
        envelopes, request.notification_id, tenant_entry(tenant), registry(tenant), POLICIES, renderer
    )
    assert document is not None and document.context.recipient_lines == ()
    assert document.pdf().startswith(b"%PDF")
