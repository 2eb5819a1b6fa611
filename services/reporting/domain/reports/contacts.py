"""What the confidant reports count: a confidant organisation's contacts, as :class:`ContactFigures`.

An explicit, small input, so that whatever counts the contacts (the contacts projection, with and without
a case: :func:`from_contacts`) hands the reports only counts: per quarter (``2026-Q1``), per dimension
and value, how many contacts. A contact counts in exactly one quarter, once by its channel and once by
its kind of support, and once in every category it touches (``none`` when it touches none).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from services.reporting.domain import contacts as counted

QUARTER_PATTERN: Final = r"^[1-9][0-9]{3}-Q[1-4]$"


class ContactDimension(StrEnum):
    CATEGORY = "category"
    CHANNEL = "channel"
    KIND = "kind"
    """The kind of support: information, advice, support with a complaint (:data:`KINDS`)."""


KINDS: Final = (
    ("information", "informatie"),
    ("advice", "advies"),
    ("support", "ondersteuning bij een klacht"),
)
"""The kinds of support a confidant gives, in report order, with their Dutch labels: the rows a report
shows even when nobody is in them."""


@dataclass(frozen=True, slots=True, order=True)
class ContactCount:
    quarter: str
    dimension: ContactDimension
    value: str
    contacts: int

    def __post_init__(self) -> None:
        if re.fullmatch(QUARTER_PATTERN, self.quarter) is None:
            raise ValueError(f"quarter must look like 2026-Q1, got {self.quarter!r}")
        if self.contacts < 0:
            raise ValueError(f"contacts must not be negative, got {self.contacts}")
        if not self.value:
            raise ValueError("value must not be empty")


@dataclass(frozen=True, slots=True)
class ContactFigures:
    """A confidant organisation's contacts by quarter, dimension and value; empty when none are known."""

    counts: tuple[ContactCount, ...] = ()
    kinds: tuple[tuple[str, str], ...] = KINDS
    """The kinds of support (code, Dutch label) in report order."""
    _index: dict[tuple[str, ContactDimension, str], int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[tuple[str, ContactDimension, str], int] = {}
        for count in self.counts:
            key = (count.quarter, count.dimension, count.value)
            if key in index:
                raise ValueError(f"contact figures count {key} twice")
            index[key] = count.contacts
        object.__setattr__(self, "_index", index)

    @classmethod
    def of(cls, counts: Iterable[ContactCount]) -> ContactFigures:
        return cls(counts=tuple(sorted(counts)))

    def get(self, quarter: str, dimension: ContactDimension, value: str) -> int:
        return self._index.get((quarter, dimension, value), 0)

    def values(self, dimension: ContactDimension, quarters: Iterable[str]) -> set[str]:
        wanted = set(quarters)
        return {v for (q, d, v) in self._index if d is dimension and q in wanted}


ON_CASE_KIND: Final = "on_case"
"""The kind row of a contact on a case: it records no kind of its own (``ConfidantContactRegistered``)."""

CONTACT_KINDS: Final = (
    ("information", "informatie"),
    ("advice", "advies"),
    ("support", "ondersteuning"),
    ("mediation", "bemiddeling"),
    (ON_CASE_KIND, "ondersteuning bij een klacht (bij een zaak)"),
)
"""The kinds the contacts projection counts (``contracts.vocabulary.ContactKind`` with its Dutch labels),
then the contacts on a case, in report order."""

_DIMENSIONS: Final = {
    counted.ContactDimension.CATEGORY: ContactDimension.CATEGORY,
    counted.ContactDimension.CHANNEL: ContactDimension.CHANNEL,
    counted.ContactDimension.KIND: ContactDimension.KIND,
}


def from_contacts(figures: counted.ContactFigures, tenant: str) -> ContactFigures:
    """The reports' input from the contacts projection's figures of ``tenant``: every quarter, contacts
    with and without a case together (a confidant registers and reports all of them); a contact on a case
    counts in the kind row :data:`ON_CASE_KIND`."""
    totals: Counter[tuple[str, ContactDimension, str]] = Counter()
    for figure in figures.counts:
        dimension = _DIMENSIONS.get(figure.dimension)
        if (
            figure.tenant != tenant
            or dimension is None
            or re.fullmatch(QUARTER_PATTERN, figure.period) is None
        ):
            continue
        on_case = dimension is ContactDimension.KIND and figure.basis is counted.ContactBasis.ON_CASE
        totals[(figure.period, dimension, ON_CASE_KIND if on_case else figure.value)] += figure.contacts
    counts = (ContactCount(*key, contacts) for key, contacts in totals.items())
    return ContactFigures(counts=tuple(sorted(counts)), kinds=CONTACT_KINDS)
