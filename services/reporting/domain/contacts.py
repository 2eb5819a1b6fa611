"""The confidant's contacts the confidant organisation reports on, and their figures.

A confidant registers every contact (AKJ: "registreert de contacten met cliënten nauwgezet", reported per
quarter in a brief anonymised report; LSR: "rapporteert en registreert anoniem alle klachten en
signalen", in a periodic trend report). So a confidant organisation's figures count both:

- ``without_case``: a contact on no case (``AdviceContactRegistered``, on the contact's own stream in the
  confidant organisation's tenant): information, advice, support or mediation that never became a case;
- ``on_case``: a contact on a case of a provider (``ConfidantContactRegistered``), counted for the
  confidant organisation the case's pinned policy names (``confidant.organisation``), the only one whose
  confidant may register it; for a provider with a confidant of its own (``placement: internal``), the
  provider itself.

One row per contact (:class:`ContactFacts`), codes and dates only. :func:`contact_figures` counts them
per tenant, period (year and quarter of the day of contact), basis and dimension; a pure function with a
stable order. These figures are the confidant organisations' own: contacts never count in the case
statistics (they are no case) nor in the case list. Raw counts: disclosure control comes after.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from contracts.events import AdviceContactRegistered, ConfidantContactRegistered
from contracts.vocabulary import Category, Channel, ContactKind
from services.reporting.domain.events import CaseEvent


class ContactBasis(StrEnum):
    WITHOUT_CASE = "without_case"
    """A contact on no case: it never became a case at a care organisation."""
    ON_CASE = "on_case"
    """A contact on a case of a provider."""


class ContactDimension(StrEnum):
    CONTACTS = "contacts"
    """Every contact once, value ``all``."""
    KIND = "kind"
    """:class:`~contracts.vocabulary.ContactKind`; ``unknown`` for a contact on a case (it records none)."""
    CATEGORY = "category"
    """A contact counts once in each category it names; ``none`` when it names none."""
    CHANNEL = "channel"
    ORGANISATION = "organisation"
    """The provider (tenant slug) the contact concerns; ``none`` when it names none. On a case: the case's
    tenant."""


ALL = "all"
NONE = "none"
UNKNOWN = "unknown"

BASIS_LABELS: dict[str, str] = {
    ContactBasis.WITHOUT_CASE: "zonder zaak",
    ContactBasis.ON_CASE: "bij een zaak",
}
CODE_LABELS: dict[str, str] = {ALL: "alle contacten", NONE: "geen", UNKNOWN: "niet vastgelegd"}
"""Dutch labels of the codes these figures add to the contracts' vocabularies."""


@dataclass(frozen=True, slots=True)
class ContactFacts:
    """What the figures count of one contact. ``tenant`` is whose figures it is in (the confidant
    organisation); ``stream`` and ``contact_id`` are its key (a contact id is unique within its stream)."""

    tenant: str
    stream: str
    contact_id: UUID
    basis: ContactBasis
    contacted_on: date
    kind: ContactKind | None
    channel: Channel
    categories: frozenset[Category]
    organisation_concerned: str | None


def contact_facts(event: CaseEvent, confidant_organisation: str | None = None) -> ContactFacts | None:
    """The contact an event registers, or None for any other event. ``confidant_organisation``: for a
    contact on a case, the one the case's pinned policy names (None: the case's own tenant)."""
    payload = event.payload
    match payload:
        case AdviceContactRegistered():
            return ContactFacts(
                tenant=event.tenant,
                stream=event.stream,
                contact_id=payload.contact_id,
                basis=ContactBasis.WITHOUT_CASE,
                contacted_on=payload.contacted_on,
                kind=payload.kind,
                channel=payload.channel,
                categories=frozenset(payload.categories),
                organisation_concerned=payload.organisation_concerned,
            )
        case ConfidantContactRegistered():
            return ContactFacts(
                tenant=confidant_organisation or event.tenant,
                stream=event.stream,
                contact_id=payload.contact_id,
                basis=ContactBasis.ON_CASE,
                contacted_on=payload.contacted_on,
                kind=None,
                channel=payload.channel,
                categories=frozenset(payload.categories),
                organisation_concerned=event.tenant,
            )
        case _:
            return None


@dataclass(frozen=True, slots=True, order=True)
class ContactFigure:
    tenant: str
    period: str
    basis: ContactBasis
    dimension: ContactDimension
    value: str
    contacts: int


@dataclass(frozen=True, slots=True)
class ContactFigures:
    counts: tuple[ContactFigure, ...]

    def count(
        self,
        tenant: str,
        period: str,
        dimension: ContactDimension,
        value: str,
        basis: ContactBasis | None = None,
    ) -> int:
        """The contacts of one cell; of both bases together when ``basis`` is None."""
        return sum(
            figure.contacts
            for figure in self.counts
            if (figure.tenant, figure.period, figure.dimension, figure.value)
            == (tenant, period, dimension, value)
            and (basis is None or figure.basis is basis)
        )

    def values(self, tenant: str, period: str, dimension: ContactDimension) -> tuple[str, ...]:
        """The values counted in a dimension, in code order."""
        return tuple(
            sorted(
                {
                    figure.value
                    for figure in self.counts
                    if (figure.tenant, figure.period, figure.dimension) == (tenant, period, dimension)
                }
            )
        )


def periods(day: date) -> tuple[str, str]:
    """The year (``2026``) and quarter (``2026-Q1``) of a day of contact, as the case figures name them."""
    return f"{day.year}", f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def cells(facts: ContactFacts) -> list[tuple[ContactDimension, str]]:
    """Every (dimension, value) the contact counts in, each once."""
    found = [
        (ContactDimension.CONTACTS, ALL),
        (ContactDimension.KIND, UNKNOWN if facts.kind is None else facts.kind.value),
        (ContactDimension.CHANNEL, facts.channel.value),
        (ContactDimension.ORGANISATION, facts.organisation_concerned or NONE),
    ]
    categories = [(ContactDimension.CATEGORY, c.value) for c in sorted(facts.categories)]
    return found + (categories or [(ContactDimension.CATEGORY, NONE)])


def contact_figures(all_facts: Iterable[ContactFacts]) -> ContactFigures:
    counts: Counter[tuple[str, str, ContactBasis, ContactDimension, str]] = Counter()
    for facts in all_facts:
        for period in periods(facts.contacted_on):
            for dimension, value in cells(facts):
                counts[(facts.tenant, period, facts.basis, dimension, value)] += 1
    return ContactFigures(tuple(sorted(ContactFigure(*key, contacts) for key, contacts in counts.items())))
