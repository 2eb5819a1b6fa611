"""Value objects shared by several events and commands."""

from __future__ import annotations

from pydantic import Field

from contracts.base import ContractModel, StaffId
from contracts.personal import PersonalContact, PersonalName, PersonalText
from contracts.vocabulary import AgeBand, ComplainantCapacity, NotificationChannel, Role, TermUnit


class Complainant(ContractModel):
    """Who complains and how to reach them. Every identifying field is personal and optional: a signal
    may be anonymous, and a complaint may name only the channel to answer on."""

    capacity: ComplainantCapacity
    name: PersonalName | None = None
    email: PersonalContact | None = None
    phone: PersonalContact | None = None
    postal_address: PersonalText | None = None
    client_age_band: AgeBand | None = None
    preferred_channel: NotificationChannel | None = None

    @property
    def identified(self) -> bool:
        return any(v is not None for v in (self.name, self.email, self.phone, self.postal_address))


class ComplainedAbout(ContractModel):
    """Whom (or which part of the organisation) the dissatisfaction is about."""

    role: Role
    staff_id: StaffId | None = None
    name: PersonalName | None = None


class Term(ContractModel):
    """A length of time as a procedure states it, e.g. 6 weeks or 2 working days."""

    amount: int = Field(ge=1, le=1000)
    unit: TermUnit
