"""A letter in the dossier only (channel ``dossier``), pure: never mailed or printed, recorded sent at
once without a Message-ID, exactly once; an erased case or one without a reference parks it as any."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from contracts.events import (
    AnyEvent,
    CaseReferenceAssigned,
    NotificationRequested,
    NotificationSent,
    PersonalDataErased,
    SignalReceived,
)
from contracts.values import Complainant
from contracts.vocabulary import (
    Channel,
    ComplainantCapacity,
    ErasureReason,
    NotificationChannel,
    NotificationKind,
    Recipient,
)
from klachtspoor.letters.state import evolve, initial_state
from services.notify.domain.decider import CommandContext, InDossier, Nothing, Park, decide, next_step
from services.notify.domain.dossier import placed
from tests.deciders import spec

NOW = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
CASE = UUID("00000000-0000-4000-8000-00000000c0de")
NID = UUID("00000000-0000-4000-8000-0000000000d0")
AT = CommandContext("demo", CASE, NOW)

ANONYMOUS = SignalReceived(
    channel=Channel.WEB_FORM,
    received_on=date(2026, 3, 5),
    anonymous=True,
    complainant=Complainant(capacity=ComplainantCapacity.CLIENT),
    description="Niet gehoord.",
)
REFERENCE = CaseReferenceAssigned(reference="KS-2026-000001")
IN_DOSSIER = NotificationRequested(
    notification_id=NID,
    kind=NotificationKind.ACKNOWLEDGEMENT,
    recipient=Recipient.COMPLAINANT,
    channel=NotificationChannel.DOSSIER,
)
OPENED: tuple[AnyEvent, ...] = (ANONYMOUS, REFERENCE, IN_DOSSIER)
SENT = NotificationSent(notification_id=NID, channel=NotificationChannel.DOSSIER, attempt=1)

NOTIFY = spec(decide, evolve, initial_state)


def test_a_letter_in_the_dossier_is_neither_mailed_nor_printed_but_placed() -> None:
    step = next_step(NOTIFY.given(OPENED).state, NID, NOW, attempt=1)
    assert step == InDossier(NOTIFY.given(OPENED).state.notifications[NID])


def test_placing_it_records_it_sent_on_the_dossier_channel_without_a_message_id() -> None:
    notification = NOTIFY.given(OPENED).state.notifications[NID]
    NOTIFY.given(OPENED).when(placed(notification, AT)).then([SENT])
    assert SENT.message_id is None


def test_a_redelivered_request_records_nothing_twice() -> None:
    notification = NOTIFY.given(OPENED).state.notifications[NID]
    assert placed(notification, AT).command_id == placed(notification, AT).command_id
    NOTIFY.given([*OPENED, SENT]).when(placed(notification, AT)).then([])
    assert next_step(NOTIFY.given([*OPENED, SENT]).state, NID, NOW, attempt=1) == Nothing("already sent")


@pytest.mark.parametrize(
    ("events", "reason"),
    [
        ((*OPENED, PersonalDataErased(reason=ErasureReason.ERASURE_REQUEST)), "erased"),
        ((ANONYMOUS, IN_DOSSIER), "no reference"),
    ],
)
def test_an_erased_case_or_one_without_a_reference_parks_it(
    events: tuple[AnyEvent, ...], reason: str
) -> None:
    step = next_step(NOTIFY.given(events).state, NID, NOW, attempt=1)
    assert isinstance(step, Park) and reason in step.reason


def test_only_a_letter_in_the_dossier_is_placed() -> None:
    by_mail = IN_DOSSIER.model_copy(update={"channel": NotificationChannel.EMAIL})
    notification = NOTIFY.given([ANONYMOUS, REFERENCE, by_mail]).state.notifications[NID]
    with pytest.raises(ValueError, match="not a letter in the dossier"):
        placed(notification, AT)
