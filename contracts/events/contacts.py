"""Contacts of a confidant that never became a case at a care organisation: information, advice, support.

Each is the first and only event of a stream of its own (``contact:<confidant organisation>:<contact id>``),
never of a case stream, so nothing that follows cases (the case list, the case statistics, the workflow)
sees it; the confidant organisation's reports count it. It holds codes and dates only: no name, no note.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

from pydantic import field_validator

from contracts import invariants
from contracts.base import Event, TenantSlug
from contracts.vocabulary import Category, Channel, ContactKind


class AdviceContactRegistered(Event):
    """A confidant registered a contact that is on no case: what it was, how, about what and whom."""

    event_type: ClassVar[str] = "AdviceContactRegistered"
    schema_version: ClassVar[int] = 1

    contact_id: UUID
    contacted_on: date
    channel: Channel
    kind: ContactKind
    categories: tuple[Category, ...] = ()
    organisation_concerned: TenantSlug | None = None
    """The provider (a tenant of the network) the contact was about; None: none, or one outside it."""

    @field_validator("categories")
    @classmethod
    def _distinct(cls, categories: tuple[Category, ...]) -> tuple[Category, ...]:
        invariants.distinct(categories, "categories")
        return categories


class AdviceContactWithdrawn(Event):
    """A confidant withdrew a contact on no case registered by mistake; it no longer counts anywhere."""

    event_type: ClassVar[str] = "AdviceContactWithdrawn"
    schema_version: ClassVar[int] = 1

    contact_id: UUID
