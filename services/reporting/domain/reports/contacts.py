"""What the confidant reports count: a confidant organisation's contacts, as :class:`ContactFigures`.

An explicit, small input, so that whatever counts the contacts (today nothing: the read model holds no
confidant contact facts yet; a projection of the contacts, with or without a case, fills it) hands the
reports only counts: per quarter (``2026-Q1``), per dimension and value, how many contacts. A contact
counts in exactly one quarter, once by its channel and once by its kind of support, and once in every
category it touches (``none`` when it touches none).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

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
