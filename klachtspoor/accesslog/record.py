"""One record of the access log: who looked at which case, what they were shown, when and through what.

NEN 7513 asks that every look at personal data can be traced afterwards. A record therefore says who
(the identity provider's opaque subject and the role they acted in), for which tenant and case, which
fields or sections were shown, when, through which endpoint or command, and whether the read was served
or refused. It names what was shown, never the values: the log must not become a second copy of the
personal data it guards, so ``shown`` only accepts dotted lower-case names such as ``complainant.contact``.

The time is given by the caller (the moment the read was answered), never read from a clock here, so the
record is reproducible and tests need no clock. ``record_id`` is chosen by the caller too: a write that is
retried with the same id is recognised and stored once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Self
from uuid import UUID

from pydantic import AwareDatetime, Field, ValidationError, field_validator, model_validator

from contracts.base import CaseId, ContractModel, StaffId, TenantSlug
from contracts.vocabulary import Role
from klachtspoor.accesslog.errors import InvalidAccessRecord

SHOWN_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"
"""A field or section name (``description``, ``complainant.contact``): an identifier, never a value."""
CHANNEL_PATTERN = r"^((GET|HEAD|POST) /\S+|cli:[a-z][a-z0-9-]*)$"
"""A route template (``GET /v1/tenants/{tenant}/cases/{case_id}/file``) or a command (``cli:replay``)."""

ShownName = Annotated[str, Field(pattern=SHOWN_PATTERN, max_length=200)]


class AccessOutcome(StrEnum):
    """Whether the reader got the data: refused reads are logged too (who tried is as telling)."""

    SERVED = "served"
    REFUSED = "refused"


class AccessRecord(ContractModel):
    """A frozen fact; validation errors name the field and the rule, never the submitted value."""

    record_id: UUID
    tenant: TenantSlug
    case_id: CaseId
    subject: StaffId
    role: Role | None = None
    """The role the read was made in; none only for a refused read by someone who holds no role in the
    tenant (a token of another organisation trying a case here)."""
    shown: tuple[ShownName, ...] = ()
    at: AwareDatetime
    channel: Annotated[str, Field(pattern=CHANNEL_PATTERN, max_length=300)]
    outcome: AccessOutcome
    status: Annotated[int, Field(ge=100, le=599)] | None = None
    """The HTTP status answered (or the one a command reports as); required when refused."""

    @field_validator("at")
    @classmethod
    def _in_utc(cls, at: datetime) -> datetime:
        """Stored and compared in UTC, so a record read back equals the one written."""
        return at.astimezone(UTC)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.outcome is AccessOutcome.REFUSED:
            if self.status is None or self.status < 400:
                raise ValueError("a refused read needs its error status (400-599)")
            if self.shown:
                raise ValueError("a refused read showed nothing")
        elif self.status is not None and not 200 <= self.status < 300:
            raise ValueError("a served read has a success status (200-299) or none")
        elif self.role is None:
            raise ValueError("a served read names the role it was served in")
        return self

    @classmethod
    def of(cls, **fields: Any) -> AccessRecord:
        """Build a record, raising :class:`InvalidAccessRecord` (a port error) for bad input."""
        try:
            return cls(**fields)
        except ValidationError as error:
            raise InvalidAccessRecord(str(error)) from error
