"""What a case's letter says, from the case's own events and the policy version it pinned.

A letter states only facts the event store and the policy hold: the template the policy's ``templates``
map names for the notification's kind, the terms that run with their due dates (a term starts only as
the policy says, so a promise in a letter is the policy's), the confidant the policy names (a confidant
organisation's public contact from its tenant entry, or the organisation's own confidant, reached
through the organisation), the step the case is at and the next rung of the ladder, and the policy's
crisis lines; the organisation's letterhead from its tenant entry; the facts the letter communicates
(:mod:`.lines`, from :mod:`.case_facts`); and the routes onwards (:mod:`.routes`). Nothing here is a fixed
text about one organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from contracts.labels import label
from contracts.policy import Availability, ProcedurePolicy, StepOrder
from contracts.vocabulary import (
    DeadlineKind,
    EscalationStep,
    HearingForm,
    NotificationChannel,
    NotificationKind,
    Recipient,
)
from klachtspoor.calendar.days import NETHERLANDS
from klachtspoor.letters.lines import (
    AdmissibilityLine,
    ClosureLine,
    ExtensionLine,
    HearingLine,
    JudgementLine,
    Letterhead,
    MeasuresLine,
)
from klachtspoor.letters.render import (
    DEFAULT_CRISIS,
    ConfidantLine,
    CrisisLine,
    MailContext,
    MailRenderer,
    TermLine,
)
from klachtspoor.letters.routes import routes_onwards
from klachtspoor.letters.state import CaseMailState, Notification
from klachtspoor.policies import PolicyRegistry, UnknownPolicy
from klachtspoor.tenants import Tenant, TenantRegistry, UnknownTenant

PROMISED = frozenset(
    {
        DeadlineKind.ACKNOWLEDGEMENT,
        DeadlineKind.FIRST_CONTACT,
        DeadlineKind.ADMISSIBILITY,
        DeadlineKind.JUDGEMENT,
        DeadlineKind.MEASURES_NOTICE,
        DeadlineKind.MEASURES_IMPLEMENTATION,
    }
)
"""Terms the organisation owes the complainant; the others (filing with an outside body, retention)
are not something a letter promises."""


class LetterFactsMissing(LookupError):
    """The case pinned a policy version, or names a confidant organisation, that is not loaded: a
    deployment error, reported with the ids (never a personal value)."""


@dataclass(frozen=True, slots=True)
class Letter:
    template: str
    context: MailContext


def letter_for(
    state: CaseMailState,
    notification: Notification,
    tenant: Tenant,
    tenants: TenantRegistry,
    policies: PolicyRegistry,
    recipient_name: str | None,
) -> Letter:
    """The template and the facts of ``notification``'s letter (the case must have a reference).

    ``recipient_name`` is the addressee's own name as the sender addresses them (None: no name)."""
    assert state.reference is not None
    policy = _pinned(state, policies)
    terms = tuple(TermLine(kind, due) for kind, due in state.terms.items() if kind in PROMISED)
    about = notification.about
    term = TermLine(about, state.terms[about]) if about is not None and about in state.terms else None
    extension = state.extensions.get(about) if about is not None else None
    context = MailContext(
        recipient_name=recipient_name,
        reference=state.reference,
        organisation=tenant.display_name,
        received_on=state.received_on,
        terms=terms,
        term=term,
        confidant=_confidant(policy, tenant, tenants) if policy is not None else None,
        step=_label(policy, state, 0),
        next_step=_label(policy, state, 1),
        client_chooses=policy is not None and policy.order is StepOrder.CLIENT_CHOOSES,
        crisis=_crisis(policy) if policy is not None else DEFAULT_CRISIS,
        recipient=notification.recipient,
        letterhead=letterhead(tenant),
        letter_date=notification.requested_on,
        recipient_lines=_address_block(state, notification, recipient_name),
        complained_about_role=(
            label(state.complained_about.role) if state.complained_about is not None else None
        ),
        admissibility=_admissibility(state),
        extension=(
            ExtensionLine(about, extension.previous_due_on, extension.new_due_on, extension.reason)
            if about is not None and extension is not None
            else None
        ),
        hearing=_hearing(notification),
        judgement=_judgement(state),
        measures=(
            MeasuresLine(m.taken, m.measures, m.implementation_due_on, m.explanation)
            if (m := state.measures) is not None
            else None
        ),
        routes=routes_onwards(state, policy),
        closure=(
            ClosureLine(label(c.resolution), label(c.outcome) if c.outcome is not None else None)
            if (c := state.closure) is not None
            else None
        ),
    )
    return Letter(template_name(policy, notification.kind), context)


def letterhead(tenant: Tenant) -> Letterhead:
    contact = tenant.contact
    return Letterhead(tenant.display_name, contact.address, contact.phone, contact.email, contact.website)


def recipient_name(state: CaseMailState, recipient: Recipient) -> str | None:
    """The name a letter to ``recipient`` is addressed with: the complainant's or the person complained
    about's own name from the case; none for an organisation's mailbox (the provider, the committee,
    the handler, the confidant)."""
    match recipient:
        case Recipient.COMPLAINANT:
            return state.complainant_name
        case Recipient.PERSON_COMPLAINED_ABOUT:
            return state.complained_about.name if state.complained_about is not None else None
        case _:
            return None


def _address_block(state: CaseMailState, notification: Notification, name: str | None) -> tuple[str, ...]:
    """A paper letter's address block: the name and, to the complainant, the postal address. None for a
    mail or a letter in the dossier (nobody posts it)."""
    match notification.channel:
        case NotificationChannel.EMAIL | NotificationChannel.DOSSIER:
            return ()
        case NotificationChannel.LETTER:
            pass
        case _:
            assert_never(notification.channel)
    lines = [name] if name else []
    if notification.recipient is Recipient.COMPLAINANT and state.complainant_address:
        lines += [line.strip() for line in state.complainant_address.replace(",", "\n").splitlines()]
    return tuple(line for line in lines if line)


def _admissibility(state: CaseMailState) -> AdmissibilityLine | None:
    facts = state.admissibility
    if facts is None:
        return None
    return AdmissibilityLine(
        admissible=facts.admissible,
        ground=label(facts.ground) if facts.ground is not None else None,
        explanation=facts.explanation,
        may_turn_to=label(facts.may_turn_to) if facts.may_turn_to is not None else None,
    )


def _hearing(notification: Notification) -> HearingLine | None:
    hearing = notification.hearing
    if hearing is None:
        return None
    local = hearing.scheduled_for.astimezone(NETHERLANDS)
    return HearingLine(local.date(), f"{local:%H.%M} uur", hearing.form is HearingForm.ORAL)


def _judgement(state: CaseMailState) -> JudgementLine | None:
    facts = state.judgement
    if facts is None:
        return None
    judge = f"de {label(EscalationStep(facts.judge.value))}"
    return JudgementLine(judge, label(facts.outcome), facts.reasoning, facts.recommendations, facts.given_on)


def template_name(policy: ProcedurePolicy | None, kind: NotificationKind) -> str:
    """The template the policy names for ``kind``; a kind it does not list uses notify's default."""
    if policy is None:
        return kind.value
    return policy.templates.get(kind, kind.value)


class PolicyTemplatesMissing(LookupError):
    """A loaded policy names a template notify does not have: every letter of that kind would be parked,
    so notify does not start (like a tenant naming a policy that does not exist stops intake)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"Policies name mail templates that do not exist: {'; '.join(problems)}")


def missing_templates(policies: PolicyRegistry, renderer: MailRenderer) -> list[str]:
    """Every ``templates`` entry of every loaded policy version that names no template of ``renderer``."""
    return [
        f"{policy_id} v{version}: templates.{kind.value} = {name!r}"
        for policy_id in policies.ids
        for version in policies.versions(policy_id)
        for kind, name in policies.get(policy_id, version).templates.items()
        if not renderer.has(name)
    ]


def _pinned(state: CaseMailState, policies: PolicyRegistry) -> ProcedurePolicy | None:
    if state.policy is None:
        return None
    try:
        return policies.get(state.policy.policy_id, state.policy.version)
    except UnknownPolicy as error:
        raise LetterFactsMissing(
            f"the case pinned policy {state.policy.policy_id} v{state.policy.version}, not loaded: {error}"
        ) from error


def _confidant(policy: ProcedurePolicy, tenant: Tenant, tenants: TenantRegistry) -> ConfidantLine | None:
    support = policy.confidant
    if support is None:
        return None
    if support.internal or support.organisation is None:
        return ConfidantLine(name=tenant.display_name, internal=True, anonymous=support.anonymous_contact)
    try:
        organisation = tenants.get(support.organisation)
    except UnknownTenant as error:
        raise LetterFactsMissing(
            f"policy {policy.id} v{policy.version} names confidant organisation {support.organisation}, "
            "which is not a tenant"
        ) from error
    contact = organisation.contact
    return ConfidantLine(
        name=organisation.display_name,
        own=organisation.slug == tenant.slug,
        anonymous=support.anonymous_contact,
        phone=contact.phone,
        email=contact.email,
        website=contact.website,
    )


def _label(policy: ProcedurePolicy | None, state: CaseMailState, offset: int) -> str | None:
    """The label of the case's step (``offset`` 0) or of the rung after it (1)."""
    if policy is None or state.step is None:
        return None
    steps = policy.steps
    if state.step not in steps:
        return None
    index = steps.index(state.step) + offset
    return policy.ladder[index].label if index < len(policy.ladder) else None


def _crisis(policy: ProcedurePolicy) -> tuple[CrisisLine, ...]:
    """The policy's lines that hold for everyone at any hour (the per-client and office-hours lines
    are given by crisis routing, which knows who is calling and when)."""
    lines = tuple(
        CrisisLine(contact.label, contact.phone)
        for contact in policy.crisis_contacts
        if contact.phone is not None
        and contact.availability is Availability.ALWAYS
        and contact.province is None
    )
    return lines or DEFAULT_CRISIS
