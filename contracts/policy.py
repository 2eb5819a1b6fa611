"""The procedure policy: one organisation's complaint procedure as validated data.

A policy says which steps the ladder has and who handles each, in which order they may be taken, the
terms per step, the admissibility grounds, the categories, who may complain, the templates, the crisis
contacts and the confidant organisation. Policies are versioned and never edited in place: a case pins
the version it started under (``ProcedurePolicyPinned``) and keeps it. This module is pure (no files);
:mod:`klachtspoor.policies` loads the YAML. A validation error names the bad field as a dotted path
(``ladder.2.step: …``), so a policy author finds the line to fix.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self, assert_never

from pydantic import Field, model_validator

from contracts.base import ContractModel
from contracts.policy_parts import (
    POLICY_ID_PATTERN,
    STAFF_ROLES,
    Availability,
    ConfidantPlacement,
    ConfidantSupport,
    CrisisContact,
    DutchText,
    OfficeHours,
    PolicyId,
    PolicyStep,
    PolicyTerm,
    Province,
    PublicPhone,
    Regime,
    StepOrder,
    TemplateName,
    TermExtension,
    TermStart,
    Website,
    term_starts_for,
)
from contracts.values import Term
from contracts.vocabulary import (
    AdmissibilityGround,
    Category,
    ComplainantCapacity,
    CrisisRoute,
    DeadlineKind,
    EscalationStep,
    ExternalBody,
    NotificationKind,
    Recipient,
    TermUnit,
)

__all__ = [
    "POLICY_ID_PATTERN",
    "STAFF_ROLES",
    "Availability",
    "ConfidantPlacement",
    "ConfidantSupport",
    "CrisisContact",
    "DutchText",
    "OfficeHours",
    "PolicyId",
    "PolicyStep",
    "PolicyTerm",
    "ProcedurePolicy",
    "Province",
    "PublicPhone",
    "Regime",
    "StepOrder",
    "TemplateName",
    "TermExtension",
    "TermStart",
    "Website",
    "atw_can_apply",
    "term_starts_for",
]


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
    recipients: dict[NotificationKind, tuple[Recipient, ...]] = Field(
        default_factory=dict,
        description="Who a letter of a kind goes to besides the complainant; a kind not listed follows the "
        "regime's rule (contracts.policy_rules.statutory_recipients)",
    )
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
            or _recipients_problem(self.recipients)
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


COPY_RECIPIENTS = frozenset(
    {
        Recipient.PERSON_COMPLAINED_ABOUT,
        Recipient.PROVIDER,
        Recipient.COMPLAINTS_COMMITTEE,
        Recipient.CONFIDANT,
    }
)
"""Whom a policy may send a letter to besides the complainant (who always gets it, unless anonymous)."""


def _recipients_problem(recipients: dict[NotificationKind, tuple[Recipient, ...]]) -> str | None:
    for kind, listed in recipients.items():
        wrong = [r.value for r in listed if r not in COPY_RECIPIENTS]
        if wrong:
            return (
                f"recipients.{kind.value}: {', '.join(wrong)} cannot be listed (the complainant always gets "
                f"the letter; one of {', '.join(sorted(r.value for r in COPY_RECIPIENTS))})"
            )
        if len(set(listed)) != len(listed):
            return f"recipients.{kind.value}: a recipient is listed twice"
    return None


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
