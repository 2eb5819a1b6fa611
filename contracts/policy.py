"""The procedure policy: one organisation's complaint procedure as validated data.

A policy says which steps the ladder has and who handles each, in which order they may be taken, the
terms per step, the admissibility grounds, the categories, who may complain, the templates, the crisis
contacts and the confidant organisation. Policies are versioned and never edited in place: a case pins
the version it started under (``ProcedurePolicyPinned``) and keeps it. This module is pure (no files);
:mod:`klachtspoor.policies` loads the YAML. A validation error names the bad field as a dotted path
(``ladder.2.step: …``), so a policy author finds the line to fix.
"""

from __future__ import annotations

from datetime import time
from enum import StrEnum
from typing import Annotated, Self, assert_never

from pydantic import Field, model_validator

from contracts.base import TENANT_PATTERN, ContractModel, TenantSlug
from contracts.values import Term
from contracts.vocabulary import (
    AdmissibilityGround,
    Category,
    Channel,
    ComplainantCapacity,
    CrisisRoute,
    DeadlineKind,
    EscalationReason,
    EscalationStep,
    ExternalBody,
    NotificationKind,
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


class ProcedurePolicy(ContractModel):
    """One version of an organisation's complaint procedure. See docs/policies.md, field by field."""

    id: PolicyId
    version: int = Field(ge=1)
    title: DutchText
    source: DutchText = Field(description="The published text this policy reproduces")
    regime: Regime
    order: StepOrder
    ladder: tuple[PolicyStep, ...] = Field(min_length=1)
    terms: tuple[PolicyTerm, ...] = ()
    admissibility_grounds: tuple[AdmissibilityGround, ...] = ()
    categories: tuple[Category, ...] = Field(min_length=1)
    complainants: tuple[ComplainantCapacity, ...] = Field(min_length=1)
    child_min_age_alone: int | None = Field(
        default=None, ge=1, le=17, description="Younger children complain through a parent or guardian"
    )
    confidant: ConfidantSupport | None = None
    templates: dict[NotificationKind, TemplateName] = Field(default_factory=dict)
    crisis_contacts: tuple[CrisisContact, ...] = ()
    external_bodies: tuple[ExternalBody, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problem = (
            _ladder_problem(self)
            or _terms_problem(self)
            or _duplicate("admissibility_grounds", self.admissibility_grounds)
            or _duplicate("categories", self.categories)
            or _duplicate("complainants", self.complainants)
            or _duplicate("external_bodies", self.external_bodies)
            or _crisis_problem(self.crisis_contacts)
        )
        if problem:
            raise ValueError(problem)
        if ComplainantCapacity.CLIENT not in self.complainants:
            raise ValueError("complainants: the client may always complain (Jeugdwet art. 4.2.1, Wkkgz)")
        return self

    @property
    def steps(self) -> tuple[EscalationStep, ...]:
        return tuple(rung.step for rung in self.ladder)

    def step(self, step: EscalationStep) -> PolicyStep:
        for rung in self.ladder:
            if rung.step is step:
                return rung
        raise KeyError(f"Step {step.value!r} is not on the ladder of policy {self.id} v{self.version}")

    def term(self, kind: DeadlineKind, step: EscalationStep | None = None) -> PolicyTerm | None:
        """The term of ``kind`` at ``step`` (or the case-level one when the step has none)."""
        found = {(t.kind, t.step): t for t in self.terms}
        return found.get((kind, step)) or found.get((kind, None))


def _ladder_problem(policy: ProcedurePolicy) -> str | None:
    seen: dict[EscalationStep, int] = {}
    for index, rung in enumerate(policy.ladder):
        if rung.step in seen:
            return f"ladder.{index}.step: duplicate step {rung.step.value!r} (also ladder.{seen[rung.step]})"
        seen[rung.step] = index
        if rung.handled_by not in STAFF_ROLES:
            return f"ladder.{index}.handled_by: {rung.handled_by.value!r} cannot handle a step"
        if policy.order is StepOrder.CLIENT_CHOOSES and rung.skippable_when:
            return (
                f"ladder.{index}.skippable_when: every step may be skipped when the order is client_chooses"
            )
        if duplicate := _duplicate(f"ladder.{index}.skippable_when", rung.skippable_when):
            return duplicate
    return None


def _terms_problem(policy: ProcedurePolicy) -> str | None:
    seen: dict[tuple[DeadlineKind, EscalationStep | None], int] = {}
    steps = policy.steps
    for index, term in enumerate(policy.terms):
        where = f"terms.{index}"
        if term.step is not None and term.step not in steps:
            known = ", ".join(step.value for step in steps)
            return f"{where}.step: {term.step.value!r} is not a step of this ladder ({known})"
        if term.kind is DeadlineKind.JUDGEMENT and term.step is not None and not term.step.is_formal:
            return f"{where}.step: a judgement term belongs to a formal step, not {term.step.value!r}"
        if term.counts_from not in term_starts_for(term.kind):
            allowed = ", ".join(sorted(start.value for start in term_starts_for(term.kind)))
            return (
                f"{where}.counts_from: a {term.kind.value} term cannot count from "
                f"{term.counts_from.value!r} ({allowed})"
            )
        if term.counts_from is TermStart.COMPLAINT_RECEIVED_BY_STEP and term.step is None:
            return f"{where}.counts_from: complaint_received_by_step needs the term's step"
        key = (term.kind, term.step)
        if key in seen:
            return (
                f"{where}: duplicate term {term.kind.value} at {term.step or 'case'} (also terms.{seen[key]})"
            )
        seen[key] = index
        if term.applies_atw and not atw_can_apply(term.term):
            return (
                f"{where}.applies_atw: the Algemene termijnenwet does not apply to a term of "
                f"{term.term.amount} {term.term.unit.value} (art. 4); set applies_atw: false"
            )
    return None


def atw_can_apply(term: Term) -> bool:
    """Atw art. 4: not for terms in hours or years, nor over 90 days, 12 weeks or 3 months."""
    match term.unit:
        case TermUnit.HOURS | TermUnit.YEARS:
            return False
        case TermUnit.DAYS | TermUnit.WORKING_DAYS:
            return term.amount <= 90
        case TermUnit.WEEKS:
            return term.amount <= 12
        case TermUnit.MONTHS:
            return term.amount <= 3
        case _:
            assert_never(term.unit)


def _crisis_problem(contacts: tuple[CrisisContact, ...]) -> str | None:
    seen: dict[tuple[CrisisRoute, Availability, Province | None], int] = {}
    for index, contact in enumerate(contacts):
        key = (contact.kind, contact.availability, contact.province)
        if key in seen:
            return f"crisis_contacts.{index}: same kind, availability and province as no. {seen[key]}"
        seen[key] = index
    return None


def _duplicate(field: str, values: tuple[StrEnum, ...]) -> str | None:
    for index, value in enumerate(values):
        if value in values[:index]:
            return f"{field}.{index}: duplicate {value.value!r}"
    return None
