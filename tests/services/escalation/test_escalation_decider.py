"""The escalation decider, given-when-then: given the case's events, when a command, then the new events."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID, uuid5

import pytest

from contracts.events import (
    AnyEvent,
    CaseClosed,
    CaseReferenceAssigned,
    DossierSecretIssued,
    NotificationRequested,
    PersonalDataErased,
    SignalReceived,
    TermStarted,
)
from contracts.policy import ProcedurePolicy
from contracts.values import Complainant, Term
from contracts.vocabulary import (
    Channel,
    ComplainantCapacity,
    DeadlineKind,
    ErasureReason,
    EscalationStep,
    NotificationChannel,
    NotificationKind,
    Recipient,
    Resolution,
    TermUnit,
)
from klachtspoor.policies import PolicyRegistry
from services.escalation.domain import (
    AcknowledgementSkip,
    AcknowledgeSignal,
    CaseState,
    acknowledgement_skip,
    decide,
    evolve,
    initial_state,
)
from tests.deciders import Spec, spec

SIGNAL_ID = UUID("00000000-0000-4000-8000-0000000051a1")
CASE_ID = UUID("00000000-0000-4000-8000-00000000c0de")
NOW = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
THURSDAY = date(2026, 3, 5)
ACK_ID = uuid5(SIGNAL_ID, "notification:acknowledgement")


POLICIES = PolicyRegistry.from_directory(Path(__file__).resolve().parents[3] / "policies")
IK_BEN_ER_OOK = POLICIES.get("ik-ben-er-ook", 1)
TWO_WORKING_DAYS = Term(amount=2, unit=TermUnit.WORKING_DAYS)


def case_spec(policy: ProcedurePolicy | None = IK_BEN_ER_OOK) -> Spec[AcknowledgeSignal, CaseState, AnyEvent]:
    """The decider's spec (see :mod:`tests.deciders`) under ``policy``, Ik ben er ook!'s unless given."""
    return spec(lambda command, state: decide(command, state, policy), evolve, initial_state())


def with_case_first_contact(term: Term) -> ProcedurePolicy:
    """Ik ben er ook!'s policy with a first-contact term for the whole case instead of its committee's."""
    data = IK_BEN_ER_OOK.model_dump(mode="json")
    data["terms"] = [t for t in data["terms"] if t["kind"] != "first_contact"] + [
        {
            "kind": "first_contact",
            "term": term.model_dump(mode="json"),
            "counts_from": "complaint_received",
            "starts": "ontvangst",
        }
    ]
    return ProcedurePolicy.model_validate(data)


def acknowledge(**changes: object) -> AcknowledgeSignal:
    fields: dict[str, object] = {
        "tenant": "demo",
        "case_id": CASE_ID,
        "causation_event_id": SIGNAL_ID,
        "correlation_id": CASE_ID,
        "now": NOW,
    }
    return AcknowledgeSignal.model_validate(fields | changes)


def signal(
    received_on: date = THURSDAY,
    anonymous: bool = False,
    raised_with: EscalationStep = EscalationStep.COMPLAINTS_COMMITTEE,
    **contact: object,
) -> SignalReceived:
    """Raised with Ik ben er ook!'s committee, whose first contact is "binnen twee werkdagen"."""
    details: dict[str, object] = {} if anonymous else {"name": "Voorbeeld Ouder", **contact}
    return SignalReceived(
        channel=Channel.WEB_FORM,
        received_on=received_on,
        raised_with=raised_with,
        anonymous=anonymous,
        complainant=Complainant(capacity=ComplainantCapacity.LEGAL_REPRESENTATIVE, **details),  # type: ignore[arg-type]
        description="Niemand luistert.",
    )


def first_contact(started_on: date = THURSDAY, due_on: date = date(2026, 3, 9)) -> TermStarted:
    return TermStarted(
        deadline=DeadlineKind.FIRST_CONTACT,
        started_on=started_on,
        term=TWO_WORKING_DAYS,
        due_on=due_on,
    )


def acknowledgement(channel: NotificationChannel = NotificationChannel.EMAIL) -> NotificationRequested:
    return NotificationRequested(
        notification_id=ACK_ID,
        kind=NotificationKind.ACKNOWLEDGEMENT,
        recipient=Recipient.COMPLAINANT,
        channel=channel,
    )


REFERENCE = CaseReferenceAssigned(reference="KS-2026-000001")


def test_a_new_signal_starts_the_first_contact_term_and_requests_an_email_acknowledgement() -> None:
    # Received Thursday 5 March 2026: Friday 6 and Monday 9 are the two working days.
    case_spec().given([signal(email="ouder@example.org"), REFERENCE]).when(acknowledge()).then(
        [first_contact(due_on=date(2026, 3, 9)), acknowledgement(NotificationChannel.EMAIL)]
    )


def test_the_term_skips_good_friday_the_weekend_and_easter_monday() -> None:
    # Received Thursday 2 April 2026: Good Friday 3 April, the weekend and Easter Monday 6 April are not
    # working days, so the two working days are Tuesday 7 and Wednesday 8 April.
    case_spec().given([signal(received_on=date(2026, 4, 2), email="ouder@example.org")]).when(
        acknowledge()
    ).then([first_contact(date(2026, 4, 2), date(2026, 4, 8)), acknowledgement()])


def test_the_term_skips_ascension_day_and_the_friday_the_decree_equates_with_a_holiday() -> None:
    # Received Wednesday 13 May 2026: Ascension Day 14 May, the decree day 15 May and the weekend are not
    # working days, so the two working days are Monday 18 and Tuesday 19 May.
    case_spec().given([signal(received_on=date(2026, 5, 13), email="ouder@example.org")]).when(
        acknowledge()
    ).then([first_contact(date(2026, 5, 13), date(2026, 5, 19)), acknowledgement()])


def test_the_term_length_comes_from_the_policy() -> None:
    three_days = Term(amount=3, unit=TermUnit.WORKING_DAYS)
    case_spec(with_case_first_contact(three_days)).given(
        [signal(raised_with=EscalationStep.CARE_WORKER, email="ouder@example.org")]
    ).when(acknowledge()).then(
        [
            TermStarted(
                deadline=DeadlineKind.FIRST_CONTACT,
                started_on=THURSDAY,
                term=three_days,
                due_on=date(2026, 3, 10),
            ),
            acknowledgement(),
        ]
    )


@pytest.mark.parametrize(
    ("policy_id", "raised_with"),
    [
        ("ik-ben-er-ook", EscalationStep.CARE_WORKER),
        ("so-trainingsbureau", EscalationStep.CARE_WORKER),
        ("save-veilig-thuis-utrecht", EscalationStep.CARE_WORKER),
        ("akj-zorgbelang-drenthe", EscalationStep.CONFIDANT),
        ("lsr", EscalationStep.CONFIDANT),
    ],
)
def test_a_signal_starts_no_first_contact_term_where_its_policy_sets_none(
    policy_id: str, raised_with: EscalationStep
) -> None:
    """Only Ik ben er ook!'s committee promises first contact within two working days; a signal raised
    at any other step of the five procedures is acknowledged without a term."""
    case_spec(POLICIES.get(policy_id, 1)).given(
        [signal(raised_with=raised_with, email="ouder@example.org"), REFERENCE]
    ).when(acknowledge()).then([acknowledgement()])


def test_without_a_pinned_policy_no_term_starts() -> None:
    case_spec(None).given([signal(email="o@example.org")]).when(acknowledge()).then([acknowledgement()])


@pytest.mark.parametrize(
    ("contact", "channel"),
    [
        ({"email": "o@example.org", "postal_address": "Straat 1"}, NotificationChannel.EMAIL),
        ({"postal_address": "Straat 1"}, NotificationChannel.LETTER),
        (
            {"email": "o@example.org", "postal_address": "Straat 1", "preferred_channel": "letter"},
            NotificationChannel.LETTER,
        ),
        ({"email": "o@example.org", "preferred_channel": "letter"}, NotificationChannel.EMAIL),
        ({"postal_address": "Straat 1", "preferred_channel": "email"}, NotificationChannel.LETTER),
    ],
)
def test_the_channel_is_the_preferred_one_that_has_an_address_else_email_else_letter(
    contact: dict[str, object], channel: NotificationChannel
) -> None:
    case_spec().given([signal(**contact)]).when(acknowledge()).then(
        [first_contact(), acknowledgement(channel)]
    )


@pytest.mark.parametrize(
    ("received", "skip"),
    [
        (signal(anonymous=True), AcknowledgementSkip.ANONYMOUS),
        (signal(phone="0612345678"), AcknowledgementSkip.NO_CONTACT),
    ],
)
def test_anonymous_or_unreachable_signals_get_the_term_but_no_acknowledgement(
    received: SignalReceived, skip: AcknowledgementSkip
) -> None:
    case_spec().given([received]).when(acknowledge()).then([first_contact()])
    assert acknowledgement_skip(case_spec().given([received]).state) is skip


@pytest.mark.parametrize("received", [signal(anonymous=True), signal(phone="0612345678")])
def test_anonymous_or_unreachable_signals_with_a_dossier_are_acknowledged_in_the_dossier(
    received: SignalReceived,
) -> None:
    """Filed through the public way in: the case's first append holds the dossier's secret."""
    given = [received, REFERENCE, DossierSecretIssued(secret_hash="scrypt$dossier")]
    case_spec().given(given).when(acknowledge()).then(
        [first_contact(), acknowledgement(NotificationChannel.DOSSIER)]
    )
    assert acknowledgement_skip(case_spec().given(given).state) is None


def test_a_reachable_complainant_with_a_dossier_is_still_written_to_on_their_address() -> None:
    given = [signal(email="o@example.org"), DossierSecretIssued(secret_hash="scrypt$dossier")]
    case_spec().given(given).when(acknowledge()).then([first_contact(), acknowledgement()])


def test_a_reachable_complainant_has_no_skip_reason() -> None:
    assert acknowledgement_skip(case_spec().given([signal(email="o@example.org")]).state) is None


def test_repeating_the_command_after_the_reaction_decides_nothing() -> None:
    case_spec().given([signal(email="o@example.org"), REFERENCE, first_contact(), acknowledgement()]).when(
        acknowledge(now=datetime(2026, 3, 6, tzinfo=UTC))
    ).then([])


def test_an_acknowledgement_requested_by_another_cause_is_not_requested_again() -> None:
    other = NotificationRequested(
        notification_id=uuid5(CASE_ID, "other"),
        kind=NotificationKind.ACKNOWLEDGEMENT,
        recipient=Recipient.COMPLAINANT,
        channel=NotificationChannel.LETTER,
    )
    case_spec().given([signal(email="o@example.org"), other]).when(acknowledge()).then([first_contact()])


def test_only_what_is_missing_is_decided() -> None:
    case_spec().given([signal(email="o@example.org"), first_contact()]).when(acknowledge()).then(
        [acknowledgement()]
    )


def test_the_notification_id_derives_from_the_cause() -> None:
    other_cause = UUID("00000000-0000-4000-8000-0000000051a2")
    when = (
        case_spec().given([signal(email="o@example.org")]).when(acknowledge(causation_event_id=other_cause))
    )
    [_, requested] = when.decided()
    assert isinstance(requested, NotificationRequested)
    assert requested.notification_id == uuid5(other_cause, "notification:acknowledgement") != ACK_ID


@pytest.mark.parametrize(
    "given",
    [
        [],
        [REFERENCE],
        [signal(email="o@example.org"), CaseClosed(resolution=Resolution.WITHDRAWN)],
        [signal(email="o@example.org"), PersonalDataErased(reason=ErasureReason.ERASURE_REQUEST)],
    ],
)
def test_a_case_that_is_not_open_or_was_erased_gets_nothing(given: list[AnyEvent]) -> None:
    case_spec().given(given).when(acknowledge()).then([])
