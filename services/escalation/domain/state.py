"""The case as the decider sees it: only what decisions need, folded from the case's events."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import reduce

from contracts.events import (
    AnyEvent,
    CaseClosed,
    CaseReferenceAssigned,
    CaseReopened,
    ComplaintWithdrawn,
    NotificationRequested,
    PersonalDataErased,
    SignalReceived,
    TermStarted,
)
from contracts.values import Complainant
from contracts.vocabulary import DeadlineKind, NotificationChannel, NotificationKind, Recipient


@dataclass(frozen=True, slots=True)
class ContactOptions:
    """How the complainant can be reached: which channels have an address, never the address itself."""

    anonymous: bool
    email: bool
    letter: bool
    preferred: NotificationChannel | None

    @classmethod
    def of(cls, complainant: Complainant, anonymous: bool) -> ContactOptions:
        return cls(
            anonymous=anonymous,
            email=complainant.email is not None,
            letter=complainant.postal_address is not None,
            preferred=complainant.preferred_channel,
        )


@dataclass(frozen=True, slots=True)
class CaseState:
    opened: bool = False
    received_on: date | None = None
    contact: ContactOptions | None = None
    reference: str | None = None
    acknowledgement_requested: bool = False
    terms_started: frozenset[DeadlineKind] = frozenset()
    closed: bool = False
    erased: bool = False


def initial_state() -> CaseState:
    return CaseState()


def evolve(state: CaseState, event: AnyEvent) -> CaseState:
    match event:
        case SignalReceived():
            return replace(
                state,
                opened=True,
                received_on=event.received_on,
                contact=ContactOptions.of(event.complainant, event.anonymous),
            )
        case CaseReferenceAssigned():
            return replace(state, reference=event.reference)
        case NotificationRequested(kind=NotificationKind.ACKNOWLEDGEMENT, recipient=Recipient.COMPLAINANT):
            return replace(state, acknowledgement_requested=True)
        case TermStarted():
            return replace(state, terms_started=state.terms_started | {event.deadline})
        case CaseClosed() | ComplaintWithdrawn():
            return replace(state, closed=True)
        case CaseReopened():
            return replace(state, closed=False)
        case PersonalDataErased():
            return replace(state, erased=True)
        case _:
            return state


def fold(events: Iterable[AnyEvent]) -> CaseState:
    return reduce(evolve, events, initial_state())
