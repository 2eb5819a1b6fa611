"""The confidant (vertrouwenspersoon): independent, supports the client, never takes the complaint over.

A confidant works for the confidant organisation the case's pinned policy names
(``confidant.organisation``, a tenant of kind ``confidant_org``), or for the case's own tenant when the
pinned policy says the organisation has its own confidant (``confidant.placement: internal``, Ik ben er
ook!). Either way it registers contacts (anonymously when the client wishes), and
contacts the organisation on the client's behalf only with a consent recorded on the case and not
withdrawn, or on a safety override about a concern recorded on the case. What the client told (the
contact's ``client_name`` and ``summary``) is for the confidant who registered it alone:
:func:`~.visibility.visible_fields` is the rule every read side applies.

The bearer token says which organisation the actor works for; the commands carry it as
:class:`~services.escalation.domain.commands.ActingOrganisation`, because the contract's actor has an id
and a role only.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from contracts.base import Command, ContractModel
from contracts.commands import (
    ContactOrganisation,
    GiveConsent,
    LiftConfidentiality,
    RaiseSafetyConcern,
    RegisterAdviceContact,
    RegisterConfidantContact,
    WithdrawAdviceContact,
    WithdrawConsent,
)
from contracts.events import (
    AnyEvent,
    ConfidantContactedOrganisation,
    ConfidantContactRegistered,
    ConsentGiven,
    ConsentWithdrawn,
)
from contracts.policy import ProcedurePolicy
from contracts.vocabulary import ConsentScope, Role, TenantKind
from klachtspoor.calendar import NETHERLANDS
from services.escalation.domain.case.guards import require_not_erased
from services.escalation.domain.case.state import CaseState
from services.escalation.domain.commands import (
    ActingOrganisation,
    ConfidantContactsOrganisation,
    ConfidantRegistersContact,
    RaiseSafetyConcernCommand,
)
from services.escalation.domain.errors import CommandRejected


class ConfidantRule(StrEnum):
    CONFIDANT_ONLY = "confidant_only"
    """Only an actor with the confidant role registers confidant contacts or contacts the organisation."""
    CONFIDANT_INDEPENDENT = "confidant_independent"
    """The confidant works for a confidant organisation, or for the case's tenant when its pinned policy
    says the organisation has its own confidant; never for another provider."""
    CONFIDANT_ORGANISATION_NOT_NAMED = "confidant_organisation_not_named"
    """A confidant organisation's confidant acts only on cases whose pinned policy names that organisation
    (``confidant.organisation``)."""
    CONFIDANT_REGISTERS_OWN_CONTACTS = "confidant_registers_own_contacts"
    CONTACT_DATE_IN_FUTURE = "contact_date_in_future"
    CONSENT_REQUIRED = "consent_required"
    """Contacting the organisation needs a current consent of scope ``confidant_contacts_organisation``."""
    SAFETY_OVERRIDE_NEEDS_CONCERN = "safety_override_needs_concern"
    CONSENT_UNKNOWN = "consent_unknown"
    CONSENT_ID_REUSED = "consent_id_reused"
    CONFIDANT_NEVER_TAKES_OVER = "confidant_never_takes_over"
    """A confidant supports at any step but never files, decides or closes on anyone's behalf."""


CONFIDANT_MAY: tuple[type[ContractModel], ...] = (
    RegisterConfidantContact,
    RegisterAdviceContact,
    WithdrawAdviceContact,
    ContactOrganisation,
    GiveConsent,
    WithdrawConsent,
    RaiseSafetyConcern,
    RaiseSafetyConcernCommand,
    LiftConfidentiality,
)
"""Everything a confidant may ask: support, the client's consent, safety, and a contact on no case (decided
on its own stream, never by the case decider). Nothing that files, decides, closes or otherwise moves the
case for the organisation."""


def refuse_takeover(command: Command) -> None:
    """Reject any command outside :data:`CONFIDANT_MAY` from an actor with the confidant role; the
    dispatcher calls it before deciding, so every new staff command is covered without listing it here."""
    if command.actor.role is Role.CONFIDANT and not isinstance(command, CONFIDANT_MAY):
        raise CommandRejected(
            ConfidantRule.CONFIDANT_NEVER_TAKES_OVER,
            f"a confidant supports the client but may not {type(command).__name__} "
            f"(Case: {command.case_id}, Actor: {command.actor.id})",
        )


def require_independent_confidant(
    command: Command, organisation: ActingOrganisation, policy: ProcedurePolicy | None
) -> None:
    if command.actor.role is not Role.CONFIDANT:
        raise CommandRejected(
            ConfidantRule.CONFIDANT_ONLY,
            f"actor {command.actor.id} has role {command.actor.role.value}, not confidant "
            f"(Case: {command.case_id})",
        )
    refusal = independence_refusal(command.actor.id, command.tenant, command.case_id, organisation, policy)
    if refusal is not None:
        raise refusal


def independence_refusal(
    confidant: str,
    tenant: str,
    case_id: UUID,
    organisation: ActingOrganisation,
    policy: ProcedurePolicy | None,
) -> CommandRejected | None:
    """Why ``confidant``, working for ``organisation``, is not the case's confidant (None: it is).

    Independence is from the provider: a confidant organisation's kind is the registry's, so its
    confidant is independent also on a case of its own tenant (AKJ's, LSR's own procedures). It acts on
    the cases whose pinned policy names it, never on another organisation's; the organisation's own
    confidant (the pinned policy says so) acts on its own cases only.
    """
    if organisation.kind is TenantKind.CONFIDANT_ORG:
        named = named_confidant_organisation(policy)
        if named == organisation.tenant:
            return None
        return CommandRejected(
            ConfidantRule.CONFIDANT_ORGANISATION_NOT_NAMED,
            f"confidant {confidant} works for {organisation.tenant}; the case's policy "
            f"{_policy_name(policy)} names {named or 'no confidant organisation'} (Case: {case_id})",
        )
    if has_own_confidant(policy) and organisation.tenant == tenant:
        return None
    return CommandRejected(
        ConfidantRule.CONFIDANT_INDEPENDENT,
        f"confidant {confidant} works for {organisation.tenant} ({organisation.kind.value}); "
        f"a confidant works for a confidant organisation, or for {tenant} itself when its policy "
        f"says it has its own confidant ({_policy_name(policy)}: not so) (Case: {case_id})",
    )


def named_confidant_organisation(policy: ProcedurePolicy | None) -> str | None:
    """The confidant organisation the pinned policy names (``confidant.organisation``, external only)."""
    return policy.confidant.organisation if policy is not None and policy.confidant is not None else None


def _policy_name(policy: ProcedurePolicy | None) -> str:
    return f"policy {policy.id} v{policy.version}" if policy is not None else "no pinned policy"


def has_own_confidant(policy: ProcedurePolicy | None) -> bool:
    """The pinned policy says the organisation has its own confidant (``placement: internal``)."""
    return policy is not None and policy.confidant is not None and policy.confidant.internal


def register_contact(
    command: ConfidantRegistersContact, state: CaseState, policy: ProcedurePolicy | None
) -> list[AnyEvent]:
    """Record a contact for the quarterly report; an anonymous one carries no client name (the contract
    refuses a name with ``anonymous``). The same contact id twice is recorded once."""
    require_independent_confidant(command, command.organisation, policy)
    if command.confidant_id != command.actor.id:
        raise CommandRejected(
            ConfidantRule.CONFIDANT_REGISTERS_OWN_CONTACTS,
            f"confidant {command.actor.id} registers a contact as {command.confidant_id} "
            f"(Case: {command.case_id})",
        )
    today = command.now.astimezone(NETHERLANDS).date()
    if command.contacted_on > today:
        raise CommandRejected(
            ConfidantRule.CONTACT_DATE_IN_FUTURE,
            f"contacted_on {command.contacted_on} is after today {today} (Case: {command.case_id})",
        )
    require_not_erased(state, command.case_id)
    if command.contact_id in state.support.contacts:
        return []
    return [
        ConfidantContactRegistered(
            contact_id=command.contact_id,
            confidant_id=command.confidant_id,
            contacted_on=command.contacted_on,
            channel=command.channel,
            anonymous=command.anonymous,
            client_name=command.client_name,
            categories=command.categories,
            summary=command.summary,
        )
    ]


def contact_organisation(
    command: ConfidantContactsOrganisation, state: CaseState, policy: ProcedurePolicy | None
) -> list[AnyEvent]:
    """Contact the organisation on the client's behalf: a named consent must be recorded, not withdrawn
    and of the right scope; a safety override needs a safety concern recorded on the case."""
    require_independent_confidant(command, command.organisation, policy)
    if command.consent_id is not None:
        _require_consent(state, command.consent_id, command.case_id)
    if command.safety_override and not state.support.concerns:
        raise CommandRejected(
            ConfidantRule.SAFETY_OVERRIDE_NEEDS_CONCERN,
            f"a safety override needs a safety concern recorded on case {command.case_id}; none was raised",
        )
    require_not_erased(state, command.case_id)
    return [
        ConfidantContactedOrganisation(
            consent_id=command.consent_id,
            safety_override=command.safety_override,
            purpose=command.purpose,
        )
    ]


def _require_consent(state: CaseState, consent_id: UUID, case_id: UUID) -> None:
    wanted = ConsentScope.CONFIDANT_CONTACTS_ORGANISATION
    scope = state.support.current_consent(consent_id)
    if scope is wanted:
        return
    if consent_id not in state.support.consents:
        reason = "is not recorded"
    elif consent_id in state.support.withdrawn:
        reason = "was withdrawn"
    else:
        reason = f"covers {scope.value if scope else '?'}, not {wanted.value}"
    raise CommandRejected(ConfidantRule.CONSENT_REQUIRED, f"consent {consent_id} {reason} (Case: {case_id})")


def give_consent(command: GiveConsent, state: CaseState) -> list[AnyEvent]:
    """Record the client's consent. The same consent again is a retry; a withdrawn consent is never
    revived under its old id, and an id is never reused for another scope."""
    known = state.support.consents.get(command.consent_id)
    if known is not None:
        if command.consent_id in state.support.withdrawn or known is not command.scope:
            raise CommandRejected(
                ConfidantRule.CONSENT_ID_REUSED,
                f"consent {command.consent_id} was already recorded for {known.value}"
                f"{' and withdrawn' if command.consent_id in state.support.withdrawn else ''}; "
                f"record a new consent with a new id (Case: {command.case_id})",
            )
        return []
    return [
        ConsentGiven(
            consent_id=command.consent_id,
            scope=command.scope,
            given_by=command.given_by,
            written=command.written,
        )
    ]


def withdraw_consent(command: WithdrawConsent, state: CaseState) -> list[AnyEvent]:
    """From now on the consent no longer holds; withdrawing it again changes nothing."""
    scope = state.support.consents.get(command.consent_id)
    if scope is None:
        raise CommandRejected(
            ConfidantRule.CONSENT_UNKNOWN,
            f"no consent {command.consent_id} was recorded on case {command.case_id}",
        )
    if command.consent_id in state.support.withdrawn:
        return []
    return [ConsentWithdrawn(consent_id=command.consent_id, scope=scope)]
