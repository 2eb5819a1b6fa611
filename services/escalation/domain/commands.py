"""What the workflow is asked to do. Time and ids come in on the command; the domain produces neither.

Three kinds: :class:`AcknowledgeSignal`, the reaction to a committed event (its ids derive from that
event); the staff commands of :mod:`contracts.commands` that move a case through its procedure; and the
support commands of the confidant and the safety rules. Where a contract command lacks a fact the rules
need, the domain's command extends it with that fact: :class:`LinkToOriginal` (whether the original case
was found), :class:`ConfidantRegistersContact` and :class:`ConfidantContactsOrganisation` (the organisation
the actor works for, from the bearer token, because the contract's actor has an id and a role only).
Beside them, :class:`ConfidantRegistersAdviceContact`, a contact on no case, decided on its own stream.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TypeAlias
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationInfo, field_validator

from contracts.base import CaseId, TenantSlug
from contracts.base import Command as ContractCommand
from contracts.commands import (
    AnnounceMeasures,
    AssignComplaintsOfficer,
    Close,
    ConcludeMediation,
    ContactOrganisation,
    DecideAdmissibility,
    ErasePersonalData,
    Escalate,
    ExtendTerm,
    FileComplaint,
    GiveConsent,
    GiveJudgement,
    LiftConfidentiality,
    LinkAsDuplicate,
    RecordDeadlineBreach,
    RecordDeadlineWarning,
    RecordFirstContact,
    RecordHearing,
    RecordInformalConversation,
    ReferExternally,
    RegisterAdviceContact,
    RegisterConfidantContact,
    Reopen,
    RequestJudgement,
    ResumeTerm,
    ScheduleHearing,
    StartMediation,
    SuspendTerm,
    Withdraw,
    WithdrawAdviceContact,
    WithdrawConsent,
)
from contracts.events.dossier import SecretHash
from contracts.personal import PersonalText
from contracts.policy import Province
from contracts.vocabulary import ErasureReason, TenantKind


class AcknowledgeSignal(BaseModel):
    """React to a received signal: acknowledge it to the complainant and start the terms its policy sets.

    ``causation_event_id`` is the event this reaction answers (the ``SignalReceived``); the ids of what is
    decided derive from it, so answering the same event twice appends nothing new.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    tenant: TenantSlug
    case_id: CaseId
    causation_event_id: UUID
    correlation_id: UUID
    now: AwareDatetime


class LinkToOriginal(LinkAsDuplicate):
    """:class:`LinkAsDuplicate` with what the application found of the original: whether its case stream
    exists in the same tenant (the decider sees one case; the original is another stream). The decider
    links only to an original found; a bare ``LinkAsDuplicate`` is refused like one not found."""

    original_found: bool


class ActingOrganisation(BaseModel):
    """The organisation the actor works for, from the bearer token."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    tenant: TenantSlug
    kind: TenantKind


class ConfidantRegistersContact(RegisterConfidantContact):
    organisation: ActingOrganisation


class ConfidantContactsOrganisation(ContactOrganisation):
    organisation: ActingOrganisation


class ConfidantRegistersAdviceContact(RegisterAdviceContact):
    """:class:`RegisterAdviceContact` with what the registry says: the kind of the tenant the contact is
    registered in, and the kind of the organisation it concerns (None: no tenant of the network)."""

    tenant_kind: TenantKind
    concerned_kind: TenantKind | None = None


class DangerKind(StrEnum):
    """What the person flagging the concern sees: danger to life, or a situation getting out of hand."""

    ACUTE_DANGER = "acute_danger"
    ABUSE_OR_DOMESTIC_VIOLENCE = "abuse_or_domestic_violence"


class CrisisClient(StrEnum):
    """Whose client the person in danger is, as far as the crisis route tells them apart.

    ``organisation``: a client of the organisation's own care or youth protection (SAVE Jeugdbescherming):
    the worker assigned to them or the out-of-hours line; ``veilig_thuis``: a client of (the
    organisation's) Veilig Thuis, who always calls the Veilig Thuis main number; ``none``: no client.
    """

    NONE = "none"
    ORGANISATION = "organisation"
    VEILIG_THUIS = "veilig_thuis"


class RaiseSafetyConcernCommand(ContractCommand):
    """Flag a signal or step as a safety concern; the route comes from the crisis contacts of the policy the
    case pinned (the decider's ``policy``), or the national numbers when it has none."""

    concern_id: UUID
    danger: DangerKind
    description: PersonalText
    province: Province | None = None
    client_of: CrisisClient = CrisisClient.NONE
    raised_at: AwareDatetime | None = None
    """When the concern was raised, when it is recorded later (a call logged afterwards); not after
    ``now``. The route is the one of that moment."""

    @field_validator("raised_at")
    @classmethod
    def _raised_in_the_past(cls, raised_at: datetime | None, info: ValidationInfo) -> datetime | None:
        """Fields validate in order, so ``now`` (a field of every command) is known here."""
        now = info.data.get("now")
        if raised_at is not None and isinstance(now, datetime) and raised_at > now:
            raise ValueError(
                f"{raised_at.isoformat()} is after the moment it is recorded ({now.isoformat()})"
            )
        return raised_at

    @property
    def moment(self) -> datetime:
        """The moment the route follows: when the concern was raised, else when it is recorded."""
        return self.raised_at if self.raised_at is not None else self.now


class EraseAtRetentionEnd(ErasePersonalData):
    """The timer's erasure when the retention term due on ``due_on`` ended; its ids derive from the case
    and that date, so any number of timers erase once. A term no longer due then decides nothing."""

    due_on: date

    @field_validator("reason")
    @classmethod
    def _retention(cls, reason: ErasureReason) -> ErasureReason:
        if reason is not ErasureReason.RETENTION_EXPIRED:
            raise ValueError("the timer erases for retention_expired only")
        return reason


Reaction: TypeAlias = AcknowledgeSignal
"""Commands the bus consumer derives from committed events."""

LifecycleCommand: TypeAlias = (
    FileComplaint
    | RecordFirstContact
    | RecordInformalConversation
    | Escalate
    | AssignComplaintsOfficer
    | StartMediation
    | ConcludeMediation
    | DecideAdmissibility
    | RequestJudgement
    | ScheduleHearing
    | RecordHearing
    | GiveJudgement
    | AnnounceMeasures
    | ReferExternally
    | ExtendTerm
    | SuspendTerm
    | ResumeTerm
    | Withdraw
    | Reopen
    | LinkAsDuplicate
    | Close
    | RecordDeadlineWarning
    | RecordDeadlineBreach
)
"""Staff commands that move a case through its procedure (ids derive from their ``command_id``)."""

SupportCommand: TypeAlias = (
    ConfidantRegistersContact
    | ConfidantContactsOrganisation
    | GiveConsent
    | WithdrawConsent
    | RaiseSafetyConcernCommand
    | LiftConfidentiality
)
"""The commands of the confidant and the safety rules (:mod:`.support`) the decider dispatches."""


class ConfidantWithdrawsAdviceContact(WithdrawAdviceContact):
    """:class:`WithdrawAdviceContact` with the kind of the tenant, from the registry."""

    tenant_kind: TenantKind


ContactDecision: TypeAlias = ConfidantRegistersAdviceContact | ConfidantWithdrawsAdviceContact
"""The commands about a confidant's contact on no case; :mod:`.contacts` decides them on the contact's
own stream, never on a case."""

ErasureCommand: TypeAlias = ErasePersonalData
"""A privacy officer's erasure, or the timer's :class:`EraseAtRetentionEnd` (a subclass)."""


class AddInformation(ContractCommand):
    """The complainant adds information to the open case through the dossier (docs/public.md)."""

    text: PersonalText


class ReplaceDossierSecret(ContractCommand):
    """The complainant replaces the dossier's secret: the new one's slow hash; the old one opens nothing."""

    secret_hash: SecretHash


DossierCommand: TypeAlias = AddInformation | ReplaceDossierSecret
"""What the complainant does through the dossier besides withdrawing (a :class:`Withdraw`) and asking for
the next step (a :class:`RequestJudgement`)."""

Command: TypeAlias = Reaction | LifecycleCommand | SupportCommand | ErasureCommand | DossierCommand
"""Every command :func:`~services.escalation.domain.decider.decide` takes, the one union it matches on."""
