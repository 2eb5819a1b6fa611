"""Whom a letter goes to, decided before any I/O: a letter on paper goes to the print queue; a letter to
the provider, the committee or the handler of a term goes to the tenant's mailbox for that role (parked
when the tenants file names none); a copy to the confidant only under the complainant's recorded
consent; the complainant's mail only while the consent to be mailed was not withdrawn (giving an e-mail
address is that consent); printing records the letter sent once."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from contracts.commands.notifications import RecordNotificationSent
from contracts.events import (
    AnyEvent,
    CaseReferenceAssigned,
    ConsentGiven,
    ConsentWithdrawn,
    NotificationRequested,
    SignalReceived,
)
from contracts.values import Complainant
from contracts.vocabulary import (
    Channel,
    ComplainantCapacity,
    ConsentScope,
    NotificationChannel,
    NotificationKind,
    Recipient,
    Role,
)
from klachtspoor.letters.state import fold
from services.notify.domain.addressing import Mailboxes
from services.notify.domain.decider import (
    CommandContext,
    Park,
    Print,
    Send,
    decide,
    next_step,
    printed,
)

NOW = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
NID = UUID("00000000-0000-4000-8000-0000000000bb")
CONSENT = UUID("00000000-0000-4000-8000-00000000c0c0")
OPENED: tuple[AnyEvent, ...] = (
    SignalReceived(
        channel=Channel.WEB_FORM,
        received_on=date(2026, 3, 5),
        complainant=Complainant(capacity=ComplainantCapacity.CLIENT, name="Sam", email="sam@example.org"),
        description="Niet gehoord.",
    ),
    CaseReferenceAssigned(reference="KS-2026-000001"),
)
BOXES = Mailboxes(
    {"provider": "directie@org.example", "complaints_committee": "commissie@org.example"},
    handler_role=Role.COMPLAINTS_COMMITTEE,
    confidant="vp@confidant.example",
)


def request(
    recipient: Recipient, channel: NotificationChannel = NotificationChannel.EMAIL
) -> NotificationRequested:
    return NotificationRequested(
        notification_id=NID, kind=NotificationKind.JUDGEMENT, recipient=recipient, channel=channel
    )


def step(*events: AnyEvent, mailboxes: Mailboxes = BOXES) -> object:
    return next_step(fold([*OPENED, *events]), NID, NOW, attempt=1, mailboxes=mailboxes)


def test_a_letter_on_paper_goes_to_the_print_queue_whoever_it_is_for() -> None:
    for recipient in (Recipient.COMPLAINANT, Recipient.PERSON_COMPLAINED_ABOUT):
        assert isinstance(step(request(recipient, NotificationChannel.LETTER)), Print)


def test_the_provider_and_the_committee_get_the_tenants_mailbox_without_a_name() -> None:
    assert step(request(Recipient.PROVIDER)) == Send(
        fold([*OPENED, request(Recipient.PROVIDER)]).notifications[NID], 1, None, "directie@org.example"
    )
    sent = step(request(Recipient.COMPLAINTS_COMMITTEE))
    assert isinstance(sent, Send) and sent.to_address == "commissie@org.example"


def test_the_handler_of_a_term_gets_the_mailbox_of_the_role_that_handles_it() -> None:
    sent = step(request(Recipient.CASE_HANDLER))
    assert isinstance(sent, Send) and sent.to_address == "commissie@org.example"
    parked = step(request(Recipient.CASE_HANDLER), mailboxes=Mailboxes({}, handler_role=Role.MANAGER))
    assert isinstance(parked, Park) and "no mailbox for role manager" in parked.reason
    unknown = step(request(Recipient.CASE_HANDLER), mailboxes=Mailboxes({"manager": "m@org.example"}))
    assert isinstance(unknown, Park) and "handles this term" in unknown.reason


def test_a_mailbox_that_is_not_one_address_is_parked() -> None:
    parked = step(request(Recipient.PROVIDER), mailboxes=Mailboxes({"provider": "a@x.nl, b@y.nl"}))
    assert isinstance(parked, Park) and "not exactly one valid address" in parked.reason


def test_the_confidant_gets_the_letters_only_while_the_consent_holds() -> None:
    without = step(request(Recipient.CONFIDANT))
    assert isinstance(without, Park) and "consent" in without.reason
    given = ConsentGiven(
        consent_id=CONSENT,
        scope=ConsentScope.CORRESPONDENCE_VIA_CONFIDANT,
        given_by=ComplainantCapacity.CLIENT,
        written=True,
    )
    sent = step(given, request(Recipient.CONFIDANT))
    assert isinstance(sent, Send) and sent.to_address == "vp@confidant.example"
    withdrawn = ConsentWithdrawn(consent_id=CONSENT, scope=ConsentScope.CORRESPONDENCE_VIA_CONFIDANT)
    assert isinstance(step(given, withdrawn, request(Recipient.CONFIDANT)), Park)
    other = given.model_copy(update={"scope": ConsentScope.SHARE_IDENTITY})
    assert isinstance(step(other, request(Recipient.CONFIDANT)), Park)


def mail_consent(consent_id: UUID = CONSENT) -> ConsentGiven:
    return ConsentGiven(
        consent_id=consent_id,
        scope=ConsentScope.EMAIL_CORRESPONDENCE,
        given_by=ComplainantCapacity.CLIENT,
        written=True,
    )


def test_the_complainant_is_mailed_until_the_consent_to_mail_is_withdrawn() -> None:
    assert isinstance(step(request(Recipient.COMPLAINANT)), Send)  # the e-mail address is the consent
    withdrawn = ConsentWithdrawn(consent_id=CONSENT, scope=ConsentScope.EMAIL_CORRESPONDENCE)
    parked = step(mail_consent(), withdrawn, request(Recipient.COMPLAINANT))
    assert isinstance(parked, Park) and "withdrew the consent to be mailed" in parked.reason
    # a request made before the withdrawal is checked again when it is sent
    assert isinstance(step(request(Recipient.COMPLAINANT), mail_consent(), withdrawn), Park)
    on_paper = step(mail_consent(), withdrawn, request(Recipient.COMPLAINANT, NotificationChannel.LETTER))
    assert isinstance(on_paper, Print)
    again = mail_consent(UUID("00000000-0000-4000-8000-00000000c0c1"))
    assert isinstance(step(mail_consent(), withdrawn, again, request(Recipient.COMPLAINANT)), Send)
    other = ConsentWithdrawn(consent_id=CONSENT, scope=ConsentScope.CORRESPONDENCE_VIA_CONFIDANT)
    assert isinstance(step(request(Recipient.COMPLAINANT), other), Send)


def test_printing_a_letter_records_it_sent_once() -> None:
    state = fold([*OPENED, request(Recipient.PERSON_COMPLAINED_ABOUT, NotificationChannel.LETTER)])
    command = printed(state.notifications[NID], CommandContext("demo", UUID(int=1), NOW))
    assert isinstance(command, RecordNotificationSent)
    [event] = decide(command, state)
    assert event.channel is NotificationChannel.LETTER
    assert decide(command, fold([*OPENED, request(Recipient.PERSON_COMPLAINED_ABOUT), event])) == []
