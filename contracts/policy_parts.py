"""The parts a procedure policy is built of: its ladder's steps, its terms, its crisis contacts and its
confidant, with the enums they use. :mod:`contracts.policy` assembles them into one
:class:`~contracts.policy.ProcedurePolicy` and checks that they fit together; each part here only checks
itself.
"""

from __future__ import annotations

from datetime import time
from enum import StrEnum
from typing import Annotated, Self, assert_never

from pydantic import Field, model_validator

from contracts.base import TENANT_PATTERN, ContractModel, TenantSlug
from contracts.values import Term
from contracts.vocabulary import (
    Channel,
    CrisisRoute,
    DeadlineKind,
    EscalationReason,
    EscalationStep,
    Role,
    TermUnit,
)

POLICY_ID_PATTERN = TENANT_PATTERN
PolicyId = Annotated[str, Field(pattern=POLICY_ID_PATTERN, description="Id of the procedure policy")]
DutchText = Annotated[str, Field(min_length=1, max_length=300)]
TemplateName = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_/-]{0,99}$")]
PublicPhone = Annotated[
    str, Field(pattern=r"^[0-9][0-9 -]{2,20}$", description="A public number, never a person's")
]
Website = Annotated[str, Field(pattern=r"^https://[^\s]+$", max_length=200)]

STAFF_ROLES = frozenset(
    {
        Role.CARE_WORKER,
        Role.MANAGER,
        Role.CONFIDANT,
        Role.COMPLAINTS_OFFICER,
        Role.DIRECTOR,
        Role.COMPLAINTS_COMMITTEE,
        Role.MUNICIPAL_GENERALIST,
        Role.OFFICE_MANAGER,
    }
)
"""Roles that may handle a step: never a complainant role, never a technical one."""


class Regime(StrEnum):
    """The law the procedure answers to; it decides which statutory defaults fill a procedure's silences."""

    JEUGDWET = "jeugdwet"
    WKKGZ = "wkkgz"
    AWB = "awb"


class StepOrder(StrEnum):
    """``one_by_one``: a step is left only for the next one (unless the step lists reasons to skip it);
    ``client_chooses``: lowest first is advised, but the complainant may go to any later step at once."""

    ONE_BY_ONE = "one_by_one"
    CLIENT_CHOOSES = "client_chooses"


class Province(StrEnum):
    DRENTHE = "drenthe"
    FLEVOLAND = "flevoland"
    FRIESLAND = "friesland"
    GELDERLAND = "gelderland"
    GRONINGEN = "groningen"
    LIMBURG = "limburg"
    NOORD_BRABANT = "noord_brabant"
    NOORD_HOLLAND = "noord_holland"
    OVERIJSSEL = "overijssel"
    UTRECHT = "utrecht"
    ZEELAND = "zeeland"
    ZUID_HOLLAND = "zuid_holland"


class Availability(StrEnum):
    ALWAYS = "always"
    OFFICE_HOURS = "office_hours"
    OUTSIDE_OFFICE_HOURS = "outside_office_hours"


class TermStart(StrEnum):
    """The event a term counts from, as data the decider reads (``PolicyTerm.starts`` says it in Dutch).

    ``complaint_received``: the day the organisation received the complaint ("ontvangst van de klacht");
    ``complaint_received_by_step``: the day the term's own step received it ("ontvangst van de klacht door
    de klachtencommissie"): the complaint's receipt when it was filed with that step, else the day the step
    was asked for its judgement; ``judgement_requested``, ``judgement_given``, ``case_closed``: the day of
    that event.
    """

    COMPLAINT_RECEIVED = "complaint_received"
    COMPLAINT_RECEIVED_BY_STEP = "complaint_received_by_step"
    JUDGEMENT_REQUESTED = "judgement_requested"
    JUDGEMENT_GIVEN = "judgement_given"
    CASE_CLOSED = "case_closed"


def term_starts_for(kind: DeadlineKind) -> frozenset[TermStart]:
    """The events a term of ``kind`` may count from: those that have happened when the term starts (a
    complaint's terms start when it is filed, a judgement's when it is asked, measures' when it is given,
    retention when the case ends), so the decider always knows the date."""
    received = {TermStart.COMPLAINT_RECEIVED, TermStart.COMPLAINT_RECEIVED_BY_STEP}
    match kind:
        case DeadlineKind.ACKNOWLEDGEMENT | DeadlineKind.FIRST_CONTACT:
            return frozenset(received)
        case DeadlineKind.ADMISSIBILITY | DeadlineKind.DISPUTES_COMMITTEE_FILING:
            return frozenset({TermStart.COMPLAINT_RECEIVED})
        case DeadlineKind.JUDGEMENT:
            return frozenset({*received, TermStart.JUDGEMENT_REQUESTED})
        case (
            DeadlineKind.MEASURES_NOTICE
            | DeadlineKind.MEASURES_IMPLEMENTATION
            | DeadlineKind.OMBUDSMAN_FILING
        ):
            return frozenset({TermStart.JUDGEMENT_GIVEN})
        case DeadlineKind.RETENTION:
            return frozenset({TermStart.CASE_CLOSED})
        case _:
            assert_never(kind)


class PolicyStep(ContractModel):
    """One rung of the ladder, in ladder order."""

    step: EscalationStep
    handled_by: Role
    label: DutchText = Field(description="How the procedure names this step, in Dutch")
    skippable_when: tuple[EscalationReason, ...] = Field(
        default=(), description="Under one_by_one: reasons for which the complainant may pass this step by"
    )
    written_request: bool = Field(default=False, description="The step starts only on a written request")
    external: bool = Field(default=False, description="Handled outside the organisation (e.g. a committee)")
    channels: tuple[Channel, ...] = ()
    website: Website | None = None


class TermExtension(ContractModel):
    """How far a term may be extended once. ``maximum`` None: no cap, a new date is named (Jeugdwet)."""

    maximum: Term | None = Term(amount=4, unit=TermUnit.WEEKS)
    announce_before_end: bool = Field(default=True, description="Announced in writing before the term ends")


class PolicyTerm(ContractModel):
    """A term the timer watches. ``step`` None: the term belongs to the case, not to one step."""

    kind: DeadlineKind
    step: EscalationStep | None = None
    term: Term
    applies_atw: bool = Field(default=True, description="Follow the Algemene termijnenwet (policy setting)")
    warning_share: float = Field(default=0.75, gt=0, lt=1, description="Warn when this share has passed")
    extension: TermExtension | None = Field(default=None, description="None: the term cannot be extended")
    counts_from: TermStart = Field(description="The event the term counts from; the decider reads this")
    starts: DutchText = Field(description="The event the term counts from, as the procedure says it")


class OfficeHours(ContractModel):
    opens: time
    closes: time
    working_days_only: bool = True

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.opens >= self.closes:
            raise ValueError(f"opens: {self.opens:%H:%M} is not before closes {self.closes:%H:%M}")
        return self


class CrisisContact(ContractModel):
    """Where someone in acute danger is sent. Organisation and national numbers only."""

    kind: CrisisRoute
    label: DutchText
    phone: PublicPhone | None = None
    availability: Availability = Availability.ALWAYS
    office_hours: OfficeHours | None = None
    province: Province | None = None

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.phone is None and self.kind is not CrisisRoute.ASSIGNED_WORKER:
            raise ValueError(f"phone: a {self.kind.value} contact needs a number")
        if (self.availability is Availability.ALWAYS) != (self.office_hours is None):
            raise ValueError(
                f"office_hours: give them exactly when availability is not always ({self.label})"
            )
        return self


class ConfidantPlacement(StrEnum):
    """``external``: the confidant works for a confidant organisation (a ``confidant_org`` tenant, named in
    ``organisation``); ``internal``: the organisation has its own confidant, who acts on its own cases."""

    EXTERNAL = "external"
    INTERNAL = "internal"


class ConfidantSupport(ContractModel):
    """The confidant a complainant may call on: a confidant organisation's, or the organisation's own."""

    placement: ConfidantPlacement
    organisation: TenantSlug | None = Field(
        default=None, description="The confidant organisation (a confidant_org tenant); external only"
    )
    anonymous_contact: bool = True
    report_every: Term | None = Field(default=None, description="Anonymised report to the organisation")

    @model_validator(mode="after")
    def _organisation_when_external(self) -> Self:
        match self.placement:
            case ConfidantPlacement.EXTERNAL:
                if self.organisation is None:
                    raise ValueError("organisation: an external confidant names its confidant organisation")
            case ConfidantPlacement.INTERNAL:
                if self.organisation is not None:
                    raise ValueError(
                        f"organisation: an internal confidant is the organisation's own; "
                        f"remove {self.organisation}"
                    )
            case _:
                assert_never(self.placement)
        return self

    @property
    def internal(self) -> bool:
        return self.placement is ConfidantPlacement.INTERNAL
