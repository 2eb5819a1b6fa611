"""Who complains, about whom, what about: from the signal that opened the case and the complaint filed on it.

A complaint that names a complainant of its own replaces the signal's (the complaint is what is handled);
one that names none keeps the signal's. The descriptions of both are shown, since they may differ.

The person the complaint is about never reads the complainant's contact, whatever role they read in:
besides the table (a care worker, usually the one complained about, has no ``complainant.contact``), a
reader whose subject is the complaint's ``about.staff_id`` is shown no contact either.
"""

from __future__ import annotations

from collections.abc import Sequence

from contracts.events import AnyEvent, ComplaintFiled, SignalReceived
from contracts.values import Complainant, ComplainedAbout
from contracts.vocabulary import AgeBand, Category, ComplainantCapacity, NotificationChannel, Role
from services.escalation.domain.casefile import table
from services.escalation.domain.casefile.reader import Frozen, Reader, Shown


class ComplainantView(Frozen):
    capacity: ComplainantCapacity
    client_age_band: AgeBand | None
    preferred_channel: NotificationChannel | None
    anonymous: bool
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    postal_address: str | None = None


class AboutView(Frozen):
    role: Role
    staff_id: str | None
    name: str | None


class DescriptionView(Frozen):
    signal: str
    complaint: str | None = None
    desired_outcome: str | None = None


def complainant_view(events: Sequence[AnyEvent], reader: Reader, shown: Shown) -> ComplainantView | None:
    signal = _signal(events)
    if signal is None or not reader.may(table.COMPLAINANT):
        return None
    person = _latest_complainant(signal, events)
    shown.add(table.COMPLAINANT)
    values: dict[str, str | None] = {}
    if reader.may(table.COMPLAINANT_NAME) and person.name is not None:
        values["name"] = person.name
        shown.add(table.COMPLAINANT_NAME)
    contact = {"email": person.email, "phone": person.phone, "postal_address": person.postal_address}
    complained_about = _about(events)
    is_about_reader = complained_about is not None and complained_about.staff_id == reader.viewer.id
    may_contact = reader.may(table.COMPLAINANT_CONTACT) and not is_about_reader
    if may_contact and any(v is not None for v in contact.values()):
        values |= contact
        shown.add(table.COMPLAINANT_CONTACT)
    return ComplainantView(
        capacity=person.capacity,
        client_age_band=person.client_age_band,
        preferred_channel=person.preferred_channel,
        anonymous=signal.anonymous,
        **values,
    )


def about_view(events: Sequence[AnyEvent], reader: Reader, shown: Shown) -> AboutView | None:
    about = _about(events)
    if about is None or not reader.may(table.ABOUT):
        return None
    shown.add(table.ABOUT)
    return AboutView(role=about.role, staff_id=about.staff_id, name=about.name)


def description_view(events: Sequence[AnyEvent], reader: Reader, shown: Shown) -> DescriptionView | None:
    signal = _signal(events)
    if signal is None or not reader.may(table.DESCRIPTION):
        return None
    complaint = next((e for e in reversed(events) if isinstance(e, ComplaintFiled)), None)
    shown.add(table.DESCRIPTION)
    return DescriptionView(
        signal=signal.description,
        complaint=None if complaint is None else complaint.description,
        desired_outcome=None if complaint is None else complaint.desired_outcome,
    )


def categories_view(events: Sequence[AnyEvent], reader: Reader, shown: Shown) -> tuple[Category, ...] | None:
    """Every category the signal and the complaints named, in the order first named."""
    if not reader.may(table.CATEGORIES):
        return None
    named = [c for e in events if isinstance(e, SignalReceived | ComplaintFiled) for c in e.categories]
    shown.add(table.CATEGORIES)
    return tuple(dict.fromkeys(named))


def _about(events: Sequence[AnyEvent]) -> ComplainedAbout | None:
    """The latest of the signal's and the complaints' ``about``."""
    about: ComplainedAbout | None = None
    for event in events:
        if isinstance(event, SignalReceived | ComplaintFiled) and event.about is not None:
            about = event.about
    return about


def _signal(events: Sequence[AnyEvent]) -> SignalReceived | None:
    return next((e for e in events if isinstance(e, SignalReceived)), None)


def _latest_complainant(signal: SignalReceived, events: Sequence[AnyEvent]) -> Complainant:
    person = signal.complainant
    for event in events:
        if isinstance(event, ComplaintFiled) and event.complainant is not None:
            person = event.complainant
    return person
