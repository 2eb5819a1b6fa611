"""The case-list fold, given-when-then: given the case's events, when one more, then the row."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

from contracts.base import Actor
from contracts.events import (
    CaseClosed,
    CaseReferenceAssigned,
    CaseReopened,
    ComplaintFiled,
    ComplaintWithdrawn,
    FirstContactMade,
    MediationConcluded,
    MediationStarted,
    NotificationRequested,
    NotificationSent,
    SignalReceived,
    TermExtended,
    TermResumed,
    TermStarted,
    TermSuspended,
)
from contracts.values import Complainant, Term
from contracts.vocabulary import (
    Category,
    Channel,
    ComplainantCapacity,
    ConversationResult,
    DeadlineKind,
    EscalationStep,
    NotificationChannel,
    NotificationKind,
    Recipient,
    Resolution,
    Role,
    SuspensionReason,
    TermUnit,
)
from services.reporting.adapters.rows import timeline_record
from services.reporting.domain.case import OpenTerm, evolve
from services.reporting.domain.events import CaseEvent, OtherEvent, Payload, timeline_entry
from services.reporting.domain.status import CaseStatus
from tests.deciders import spec

CASE_ID = UUID("00000000-0000-4000-8000-0000000000c1")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ACK_ID = UUID("00000000-0000-4000-8000-0000000000a1")
STAFF = Actor(id="staff-1", role=Role.COMPLAINTS_OFFICER)

SIGNAL = SignalReceived(
    channel=Channel.EMAIL,
    received_on=date(2026, 3, 2),
    complainant=Complainant(capacity=ComplainantCapacity.CLIENT, name="Iemand"),
    description="Niet gehoord.",
    categories=(Category.TREATMENT,),
)
FIRST_CONTACT_TERM = TermStarted(
    deadline=DeadlineKind.FIRST_CONTACT,
    started_on=date(2026, 3, 2),
    term=Term(amount=2, unit=TermUnit.WORKING_DAYS),
    due_on=date(2026, 3, 4),
)
JUDGEMENT_TERM = TermStarted(
    deadline=DeadlineKind.JUDGEMENT,
    started_on=date(2026, 3, 2),
    term=Term(amount=6, unit=TermUnit.WEEKS),
    due_on=date(2026, 4, 13),
)
ACK_REQUESTED = NotificationRequested(
    notification_id=ACK_ID,
    kind=NotificationKind.ACKNOWLEDGEMENT,
    recipient=Recipient.COMPLAINANT,
    channel=NotificationChannel.EMAIL,
)
ACK_SENT = NotificationSent(notification_id=ACK_ID, channel=NotificationChannel.EMAIL, attempt=1)


def events(*payloads: Payload, first_version: int = 0) -> list[CaseEvent]:
    """The payloads as consecutive events of one case, one minute apart."""
    return [
        CaseEvent(
            event_id=uuid4(),
            tenant="t1",
            case_id=CASE_ID,
            stream=f"case:t1:{CASE_ID}",
            version=first_version + i,
            type=payload.type if isinstance(payload, OtherEvent) else payload.event_type,
            actor=STAFF,
            occurred_at=T0 + timedelta(minutes=first_version + i),
            recorded_at=T0 + timedelta(minutes=first_version + i, seconds=1),
            payload=payload,
        )
        for i, payload in enumerate(payloads)
    ]


CASE_VIEW = spec(None, evolve, None)
"""The case row's fold, as the projection folds it (see :mod:`tests.deciders`): no decide, only the
state ``given`` the events."""


def test_a_signal_opens_the_case_with_its_day_of_receipt_and_categories() -> None:
    view = CASE_VIEW.given(events(SIGNAL)).state
    assert (view.status, view.version, view.opened_at, view.last_event_at) == (CaseStatus.OPEN, 0, T0, T0)
    assert view.received_on == date(2026, 3, 2)
    assert view.categories == (Category.TREATMENT,)
    assert view.next_deadline is None


def test_the_reference_and_a_complaints_further_categories_are_shown() -> None:
    view = CASE_VIEW.given(
        events(
            SIGNAL,
            CaseReferenceAssigned(reference="KS-2026-000001"),
            ComplaintFiled(
                filed_with=EscalationStep.MANAGER,
                channel=Channel.LETTER,
                received_on=date(2026, 3, 5),
                written=True,
                description="Klacht.",
                categories=(Category.REPORTING, Category.INFORMATION, Category.REPORTING),
            ),
        )
    ).state
    assert view.reference == "KS-2026-000001"
    assert view.categories == (Category.INFORMATION, Category.REPORTING, Category.TREATMENT)
    assert view.last_event_at == T0 + timedelta(minutes=2)


def test_an_acknowledgement_mail_sent_acknowledges_the_case_and_a_term_gives_the_next_deadline() -> None:
    requested = CASE_VIEW.given(events(SIGNAL, ACK_REQUESTED, FIRST_CONTACT_TERM)).state
    assert requested.status is CaseStatus.OPEN
    assert requested.pending_acknowledgements == {ACK_ID}
    assert requested.next_deadline == OpenTerm(DeadlineKind.FIRST_CONTACT, date(2026, 3, 4))

    sent = CASE_VIEW.given(events(SIGNAL, ACK_REQUESTED, FIRST_CONTACT_TERM, ACK_SENT)).state
    assert sent.status is CaseStatus.ACKNOWLEDGED
    assert sent.pending_acknowledgements == frozenset()
    assert sent.next_deadline == OpenTerm(DeadlineKind.FIRST_CONTACT, date(2026, 3, 4))


def test_a_sent_notification_that_is_no_acknowledgement_moves_nothing() -> None:
    other = NotificationSent(notification_id=uuid4(), channel=NotificationChannel.EMAIL, attempt=1)
    assert CASE_VIEW.given(events(SIGNAL, ACK_REQUESTED, other)).state.status is CaseStatus.OPEN


def test_the_first_contact_meets_its_term_and_the_next_one_becomes_the_next_deadline() -> None:
    contact = FirstContactMade(by_role=Role.COMPLAINTS_COMMITTEE, channel=Channel.PHONE)
    both = CASE_VIEW.given(events(SIGNAL, JUDGEMENT_TERM, FIRST_CONTACT_TERM)).state
    assert both.next_deadline == OpenTerm(DeadlineKind.FIRST_CONTACT, date(2026, 3, 4))
    view = CASE_VIEW.given(events(SIGNAL, JUDGEMENT_TERM, FIRST_CONTACT_TERM, contact)).state
    assert view.status is CaseStatus.IN_PROGRESS
    assert view.next_deadline == OpenTerm(DeadlineKind.JUDGEMENT, date(2026, 4, 13))


def test_an_extension_moves_the_due_date_and_a_suspended_term_is_not_due() -> None:
    extended = TermExtended(
        deadline=DeadlineKind.FIRST_CONTACT,
        previous_due_on=date(2026, 3, 4),
        new_due_on=date(2026, 3, 9),
        reason="Later.",
    )
    suspended = TermSuspended(deadline=DeadlineKind.FIRST_CONTACT, reason=SuspensionReason.MEDIATION)
    assert CASE_VIEW.given(events(SIGNAL, FIRST_CONTACT_TERM, extended)).state.next_deadline == OpenTerm(
        DeadlineKind.FIRST_CONTACT, date(2026, 3, 9)
    )
    assert CASE_VIEW.given(events(SIGNAL, FIRST_CONTACT_TERM, suspended)).state.next_deadline is None
    resumed = CASE_VIEW.given(
        events(SIGNAL, FIRST_CONTACT_TERM, suspended, TermResumed(deadline=DeadlineKind.FIRST_CONTACT))
    ).state
    assert resumed.next_deadline == OpenTerm(DeadlineKind.FIRST_CONTACT, date(2026, 3, 4))


def test_closing_ends_the_case_and_its_terms_and_reopening_brings_it_back_in_progress() -> None:
    closed = CASE_VIEW.given(
        events(SIGNAL, FIRST_CONTACT_TERM, CaseClosed(resolution=Resolution.RESOLVED_INFORMALLY))
    ).state
    assert (closed.status, closed.terms, closed.next_deadline) == (CaseStatus.CLOSED, (), None)
    assert (
        CASE_VIEW.given(events(SIGNAL, CaseClosed(resolution=Resolution.WITHDRAWN), ACK_SENT)).state.status
        is CaseStatus.CLOSED
    )
    reopened = CASE_VIEW.given(
        events(SIGNAL, CaseClosed(resolution=Resolution.WITHDRAWN), CaseReopened(reason="Opnieuw."))
    ).state
    assert reopened.status is CaseStatus.IN_PROGRESS


def test_a_withdrawn_case_stays_withdrawn_until_it_is_closed() -> None:
    withdrawn = CASE_VIEW.given(
        events(
            SIGNAL, ComplaintWithdrawn(), MediationStarted(mediator_role=Role.CONFIDANT, mediator_id="c-1")
        )
    ).state
    assert withdrawn.status is CaseStatus.WITHDRAWN
    assert CASE_VIEW.given(
        events(SIGNAL, ComplaintWithdrawn(), CaseClosed(resolution=Resolution.WITHDRAWN))
    ).state.status is (CaseStatus.CLOSED)


def test_status_moves_forward_except_that_a_concluded_mediation_returns_to_in_progress() -> None:
    mediation = MediationStarted(mediator_role=Role.COMPLAINTS_OFFICER, mediator_id="staff-2")
    concluded = MediationConcluded(result=ConversationResult.UNRESOLVED)
    formal = ComplaintFiled(
        filed_with=EscalationStep.COMPLAINTS_COMMITTEE,
        channel=Channel.LETTER,
        received_on=date(2026, 3, 5),
        written=True,
        description="Klacht.",
        categories=(Category.PROCEDURE,),
    )
    assert CASE_VIEW.given(events(SIGNAL, mediation)).state.status is CaseStatus.MEDIATION
    assert CASE_VIEW.given(events(SIGNAL, mediation, concluded)).state.status is CaseStatus.IN_PROGRESS
    after_formal = CASE_VIEW.given(events(SIGNAL, formal, mediation, concluded)).state
    assert after_formal.status is CaseStatus.FORMAL
    assert after_formal.received_on == date(2026, 3, 2)
    assert after_formal.categories == (Category.PROCEDURE, Category.TREATMENT)


def test_a_complaint_that_opens_the_case_is_new() -> None:
    filed = ComplaintFiled(
        filed_with=EscalationStep.DIRECTOR,
        channel=Channel.LETTER,
        received_on=date(2026, 3, 5),
        written=True,
        description="Klacht.",
    )
    assert CASE_VIEW.given(events(filed)).state.status is CaseStatus.OPEN


def test_an_event_already_applied_changes_nothing() -> None:
    first, second = events(SIGNAL, ACK_REQUESTED)
    view = evolve(evolve(None, first), second)
    assert evolve(view, second) is view
    assert evolve(view, first) is view


def test_an_unknown_event_type_moves_only_the_last_event_time() -> None:
    before = CASE_VIEW.given(events(SIGNAL)).state
    after = CASE_VIEW.given(events(SIGNAL, OtherEvent("SomethingNew"))).state
    assert after.last_event_at == T0 + timedelta(minutes=1)
    assert after.version == 1
    assert (after.status, after.categories) == (before.status, before.categories)


def test_an_events_timeline_row_is_the_row_of_its_timeline_entry() -> None:
    for event in events(SIGNAL, ACK_REQUESTED, OtherEvent("SomethingNew")):
        assert timeline_record(event) == timeline_record(timeline_entry(event))
        tenant, case_id, version, *_ = timeline_record(event)
        assert (tenant, case_id, version) == ("t1", CASE_ID, event.version)
