"""Base models and shared identifiers.

Every contract is a frozen pydantic model that rejects unknown fields: an event is a fact and never
changes, and a typo in a field name must fail loudly instead of being dropped. Its validation errors never
carry the submitted value in their text (see :class:`ContractModel`).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from contracts.vocabulary import Role

TENANT_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
OPAQUE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$"
REQUEST_REFERENCE_PATTERN = r"^[A-Z0-9][A-Z0-9_./-]{0,39}$"
_EVENT_TYPE_RE = re.compile(r"[A-Z][A-Za-z0-9]{2,99}")

TenantSlug = Annotated[str, Field(pattern=TENANT_PATTERN, description="Slug of the organisation (tenant)")]
CaseId = UUID
StaffId = Annotated[
    str,
    Field(
        pattern=OPAQUE_ID_PATTERN,
        description="Opaque id of an account at the identity provider; never a name or e-mail",
    ),
]
RequestReference = Annotated[
    str,
    Field(
        pattern=REQUEST_REFERENCE_PATTERN,
        description="The number a request has in the organisation's own register (e.g. AVG-2026-0042): "
        "capitals, digits and _ . / - only, at most 40, so it cannot hold a name, an address or free text",
    ),
]


class ContractModel(BaseModel):
    """``hide_input_in_errors``: a ValidationError's text (logged, chained, in a traceback) names the field
    and the rule, never the value, which may be a name, an address or a description."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)


class Actor(ContractModel):
    """Who did it. ``id`` is the identity provider's opaque subject id (no ``@``, no spaces), so envelope
    metadata carries no personal data; anonymous submitters use a fixed id such as ``anonymous``."""

    id: StaffId
    role: Role


class Event(ContractModel):
    """A past-tense fact in a case stream.

    ``event_type`` is the stable name stored with the event (independent of the Python module);
    ``schema_version`` is the current version of the payload. A class at version N must define
    ``upcast_v1_v2`` … ``upcast_v{N-1}_vN`` (static methods, dict to dict) so stored older payloads are
    read as the current version; the checks below run when the class is defined.
    """

    event_type: ClassVar[str]
    schema_version: ClassVar[int]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        name = cls.__dict__.get("event_type")
        if not isinstance(name, str) or not _EVENT_TYPE_RE.fullmatch(name):
            raise TypeError(f"{cls.__qualname__} must define event_type as a CamelCase name, got {name!r}")
        version = cls.__dict__.get("schema_version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise TypeError(f"{cls.__qualname__} ({name}) must define schema_version >= 1, got {version!r}")
        for old in range(1, version):
            upcaster = f"upcast_v{old}_v{old + 1}"
            if not callable(getattr(cls, upcaster, None)):
                raise TypeError(f"{name} is at schema version {version} but does not define {upcaster}")


class Command(ContractModel):
    """An imperative request to the domain.

    It carries everything the decider needs that the domain must not produce itself: the time (``now``,
    timezone-aware), the ids (``command_id``, from which event ids are derived, so a retried command
    appends nothing twice; ``case_id``), the tenant and the actor whose role is checked.
    """

    command_id: UUID
    tenant: TenantSlug
    case_id: CaseId
    actor: Actor
    now: AwareDatetime
