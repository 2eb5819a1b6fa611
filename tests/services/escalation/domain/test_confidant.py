"""The confidant, given-when-then: independent, registers contacts (anonymously if the client wishes), acts
for the client only with a current consent or on a recorded safety concern, never takes the complaint
over, and keeps the notes to itself."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import ValidationError
from support_given import (
    AKJ,
    CARE_WORKER,
    CASE_ID,
    CONFIDANT,
    CONSENT_ID,
    CONTACT_ID,
    LSR,
    OTHER_CONFIDANT,
    PROVIDER,
    THURSDAY,
    case_spec,
    command,
    concern,
    consent,
    erased,
    published_policy,
    signal,
    withdrawn,
)

from contracts.base import Actor
from contracts.commands import (
    COMMAND_CLASSES,
    Close,
    DecideAdmissibility,
    Escalate,
    FileComplaint,
    GiveConsent,
    GiveJudgement,
    RequestJudgement,
    Withdraw,
    WithdrawConsent,
)
from contracts.events import ConfidantContactedOrganisation, ConfidantContactRegistered, ConsentWithdrawn
from contracts.personal import personal_paths
from contracts.vocabulary import Category, Channel, ComplainantCapacity, ConsentScope, Role, TenantKind
from services.escalation.domain.commands import (
    ActingOrganisation,
    ConfidantContactsOrganisation,
    ConfidantRegistersContact,
)
from services.escalation.domain.errors import CommandRejected, Rule
from services.escalation.domain.support.confidant import CONFIDANT_MAY, ConfidantRule, refuse_takeover
from services.escalation.domain.support.visibility import (
    CONFIDANT_NOTES,
    QUARTERLY_REPORT_FIELDS,
    Viewer,
    redact,
    visible_fields,
)

SUMMARY = "Jongere voelt zich niet gehoord door de mentor."


def register(actor: Actor = CONFIDANT, **changes: Any) -> ConfidantRegistersContact:
    fields: dict[str, Any] = {
        "organisation": AKJ,
        "contact_id": CONTACT_ID,
        "confidant_id": actor.id,
        "contacted_on": THURSDAY,
        "channel": Channel.CHAT,
        "anonymous": False,
        "client_name": "Voorbeeld Jongere",
        "categories": (Category.TREATMENT,),
        "summary": SUMMARY,
    }
    return command(ConfidantRegistersContact, actor=actor, **(fields | changes))


def registered(**changes: Any) -> ConfidantContactRegistered:
    fields: dict[str, Any] = {
        "contact_id": CONTACT_ID,
        "confidant_id": CONFIDANT.id,
        "contacted_on": THURSDAY,
        "channel": Channel.CHAT,
        "anonymous": False,
        "client_name": "Voorbeeld Jongere",
        "categories": (Category.TREATMENT,),
        "summary": SUMMARY,
    }
    return ConfidantContactRegistered.model_validate(fields | changes)


def contact_org(actor: Actor = CONFIDANT, **changes: Any) -> ConfidantContactsOrganisation:
    fields: dict[str, Any] = {
        "organisation": AKJ,
        "consent_id": CONSENT_ID,
        "purpose": "Gesprek voorbereiden.",
    }
    return command(ConfidantContactsOrganisation, actor=actor, **(fields | changes))


def contacted(**changes: Any) -> ConfidantContactedOrganisation:
    fields: dict[str, Any] = {"consent_id": CONSENT_ID, "purpose": "Gesprek voorbereiden."}
    return ConfidantContactedOrganisation.model_validate(fields | changes)


# --- registering contacts -----------------------------------------------------------------------------


def test_a_confidant_registers_a_contact() -> None:
    case_spec().given([signal()]).when(register()).then([registered()])


def test_a_contact_may_come_before_any_signal() -> None:
    case_spec().given([]).when(register()).then([registered()])


def test_an_anonymous_contact_carries_no_identity() -> None:
    when = register(anonymous=True, client_name=None)
    case_spec().given([]).when(when).then([registered(anonymous=True, client_name=None)])


def test_an_anonymous_contact_with_a_name_does_not_even_make_a_command() -> None:
    with pytest.raises(ValidationError, match="anonymous contact carries no client_name"):
        register(anonymous=True)


def test_the_same_contact_is_registered_once() -> None:
    case_spec().given([registered()]).when(register()).then([])


@pytest.mark.parametrize(
    "actor", [CARE_WORKER, Actor(id="anonymous", role=Role.CLIENT)], ids=["staff", "client"]
)
def test_only_a_confidant_registers_contacts(actor: Actor) -> None:
    case_spec().given([]).when(register(actor=actor)).then_rejects(ConfidantRule.CONFIDANT_ONLY)


@pytest.mark.parametrize(
    "organisation",
    [
        ActingOrganisation(tenant=PROVIDER, kind=TenantKind.PROVIDER),
        ActingOrganisation(tenant="demo", kind=TenantKind.PROVIDER),
    ],
    ids=["case-tenant-provider", "other-provider"],
)
def test_a_confidant_works_for_a_confidant_organisation(organisation: ActingOrganisation) -> None:
    case_spec().given([]).when(register(organisation=organisation)).then_rejects(
        ConfidantRule.CONFIDANT_INDEPENDENT
    )
    case_spec().given([]).when(contact_org(organisation=organisation)).then_rejects(
        ConfidantRule.CONFIDANT_INDEPENDENT
    )


def test_a_confidant_organisation_s_own_case_takes_its_confidant_s_contacts() -> None:
    """AKJ's and LSR's procedures are tenants of their own: the case is the confidant organisation's,
    and its confidant is independent of the provider all the same."""
    own = {"tenant": AKJ.tenant, "organisation": AKJ}
    case_spec().given([signal()]).when(register(**own)).then([registered()])
    case_spec().given([signal(), consent()]).when(contact_org(**own)).then([contacted()])


@pytest.mark.parametrize(
    ("policy_id", "organisation"),
    [
        pytest.param(PROVIDER, LSR, id="SAVE names the AKJ, an LSR confidant acts"),
        pytest.param("demo", AKJ, id="demo names the LSR, an AKJ confidant acts"),
    ],
)
def test_only_the_confidant_organisation_the_policy_names_acts_on_the_case(
    policy_id: str, organisation: ActingOrganisation
) -> None:
    policy = published_policy(policy_id)
    refused = ConfidantRule.CONFIDANT_ORGANISATION_NOT_NAMED
    case_spec(policy).given([signal()]).when(register(organisation=organisation)).then_rejects(refused)
    case_spec(policy).given([signal(), consent()]).when(contact_org(organisation=organisation)).then_expects(
        refused
    )
    named = ActingOrganisation(tenant=policy.confidant.organisation, kind=TenantKind.CONFIDANT_ORG)
    case_spec(policy).given([signal()]).when(register(organisation=named)).then([registered()])


def test_a_confidant_registers_only_own_contacts() -> None:
    case_spec().given([]).when(register(confidant_id=OTHER_CONFIDANT.id)).then_rejects(
        ConfidantRule.CONFIDANT_REGISTERS_OWN_CONTACTS
    )


def test_a_contact_date_after_today_is_rejected_today_is_the_dutch_day() -> None:
    late_evening = datetime(2026, 3, 5, 23, 30, tzinfo=UTC)  # 00:30 on 6 March in the Netherlands
    case_spec().given([]).when(register(now=late_evening, contacted_on=date(2026, 3, 6))).then(
        [registered(contacted_on=date(2026, 3, 6))]
    )
    case_spec().given([]).when(register(now=late_evening, contacted_on=date(2026, 3, 7))).then_rejects(
        ConfidantRule.CONTACT_DATE_IN_FUTURE
    )


def test_an_erased_case_takes_no_contact() -> None:
    case_spec().given([signal(), erased()]).when(register()).then_rejects(Rule.CASE_ERASED)


# --- contacting the organisation on the client's behalf --------------------------------------------------


def test_with_a_current_consent_the_confidant_contacts_the_organisation() -> None:
    case_spec().given([signal(), consent()]).when(contact_org()).then([contacted()])


def test_without_a_recorded_consent_it_is_rejected() -> None:
    case_spec().given([signal()]).when(contact_org()).then_rejects(ConfidantRule.CONSENT_REQUIRED)


def test_after_the_consent_was_withdrawn_it_is_rejected() -> None:
    case_spec().given([signal(), consent(), withdrawn()]).when(contact_org()).then_rejects(
        ConfidantRule.CONSENT_REQUIRED
    )


def test_a_consent_for_something_else_does_not_count() -> None:
    case_spec().given([signal(), consent(ConsentScope.SHARE_IDENTITY)]).when(contact_org()).then_rejects(
        ConfidantRule.CONSENT_REQUIRED
    )


def test_a_safety_override_needs_a_recorded_concern() -> None:
    when = contact_org(consent_id=None, safety_override=True)
    case_spec().given([signal()]).when(when).then_rejects(ConfidantRule.SAFETY_OVERRIDE_NEEDS_CONCERN)
    case_spec().given([signal(), concern()]).when(when).then(
        [contacted(consent_id=None, safety_override=True)]
    )


def test_neither_consent_nor_override_does_not_even_make_a_command() -> None:
    with pytest.raises(ValidationError, match="consent_id or a safety override"):
        contact_org(consent_id=None)


def test_only_a_confidant_contacts_the_organisation_on_the_clients_behalf() -> None:
    case_spec().given([signal(), consent()]).when(contact_org(actor=CARE_WORKER)).then_rejects(
        ConfidantRule.CONFIDANT_ONLY
    )


def test_an_erased_case_takes_no_contact_with_the_organisation() -> None:
    case_spec().given([signal(), consent(), erased()]).when(contact_org()).then_rejects(Rule.CASE_ERASED)


# --- consent ----------------------------------------------------------------------------------------------


def give(scope: ConsentScope = ConsentScope.CONFIDANT_CONTACTS_ORGANISATION, **changes: Any) -> GiveConsent:
    fields: dict[str, Any] = {
        "consent_id": CONSENT_ID,
        "scope": scope,
        "given_by": ComplainantCapacity.CLIENT,
        "written": False,
    }
    return command(GiveConsent, **(fields | changes))


def test_the_confidant_records_the_clients_consent_once() -> None:
    case_spec().given([signal()]).when(give()).then([consent()])
    case_spec().given([signal(), consent()]).when(give()).then([])


def test_a_consent_id_is_never_reused_for_another_scope_or_after_withdrawal() -> None:
    case_spec().given([consent()]).when(give(ConsentScope.SHARE_IDENTITY)).then_rejects(
        ConfidantRule.CONSENT_ID_REUSED
    )
    case_spec().given([consent(), withdrawn()]).when(give()).then_rejects(ConfidantRule.CONSENT_ID_REUSED)


def test_withdrawing_a_consent_records_its_scope_once() -> None:
    when = command(WithdrawConsent, consent_id=CONSENT_ID)
    case_spec().given([consent()]).when(when).then(
        [ConsentWithdrawn(consent_id=CONSENT_ID, scope=consent().scope)]
    )
    case_spec().given([consent(), withdrawn()]).when(when).then([])
    case_spec().given([]).when(when).then_rejects(ConfidantRule.CONSENT_UNKNOWN)


# --- never taking over ------------------------------------------------------------------------------------


def bare(cls: type[Any], actor: Actor) -> Any:
    """A command of ``cls`` with only what the takeover rule reads (the rule must not need more)."""
    return cls.model_construct(case_id=CASE_ID, tenant=PROVIDER, actor=actor)


@pytest.mark.parametrize(
    "cls", [FileComplaint, DecideAdmissibility, GiveJudgement, Close, Withdraw, Escalate, RequestJudgement]
)
def test_a_confidant_never_files_decides_or_closes(cls: type[Any]) -> None:
    with pytest.raises(CommandRejected) as rejected:
        refuse_takeover(bare(cls, CONFIDANT))
    assert rejected.value.rule is ConfidantRule.CONFIDANT_NEVER_TAKES_OVER
    assert cls.__name__ in str(rejected.value) and str(CASE_ID) in str(rejected.value)


@pytest.mark.parametrize("cls", COMMAND_CLASSES, ids=lambda cls: cls.__name__)
def test_every_other_command_is_refused_to_a_confidant_and_left_to_staff(cls: type[Any]) -> None:
    refuse_takeover(bare(cls, CARE_WORKER))
    if issubclass(cls, CONFIDANT_MAY):
        refuse_takeover(bare(cls, CONFIDANT))
    else:
        with pytest.raises(CommandRejected, match="confidant_never_takes_over"):
            refuse_takeover(bare(cls, CONFIDANT))


def test_the_decider_applies_the_takeover_rule_before_deciding() -> None:
    """Through ``decide``: a confidant's support commands pass the rule and decide their events."""
    case_spec().given([signal()]).when(give()).then([consent()])
    case_spec().given([signal(), consent()]).when(contact_org()).then([contacted()])


# --- the notes are the confidant's alone, the report reads only what it needs ---------------------------


AUTHOR = Viewer(id=CONFIDANT.id, role=Role.CONFIDANT, tenant=AKJ.tenant)
EVERY_FIELD = frozenset(ConfidantContactRegistered.model_fields)


def test_the_confidant_who_registered_the_contact_reads_everything() -> None:
    assert visible_fields(registered(), AUTHOR, PROVIDER) == EVERY_FIELD
    assert redact(registered(), AUTHOR, PROVIDER) == registered()


@pytest.mark.parametrize(
    "viewer",
    [
        Viewer(id=OTHER_CONFIDANT.id, role=Role.CONFIDANT, tenant=AKJ.tenant),
        Viewer(id=CONFIDANT.id, role=Role.CONFIDANT, tenant=PROVIDER),
        Viewer(id=CONFIDANT.id, role=Role.AUDITOR, tenant=AKJ.tenant),
        Viewer(id=CARE_WORKER.id, role=Role.CARE_WORKER, tenant=PROVIDER),
        Viewer(id="klachten-1", role=Role.COMPLAINTS_OFFICER, tenant=PROVIDER),
    ],
    ids=["other-confidant", "same-id-case-tenant", "author-id-other-role", "care-worker", "officer"],
)
def test_nobody_else_reads_the_notes(viewer: Viewer) -> None:
    assert visible_fields(registered(), viewer, PROVIDER) == EVERY_FIELD - {"client_name", "summary"}
    assert redact(registered(), viewer, PROVIDER) == registered(client_name=None, summary=None)


def test_other_events_are_not_restricted_by_this_rule() -> None:
    staff = Viewer(id=CARE_WORKER.id, role=Role.CARE_WORKER, tenant=PROVIDER)
    assert visible_fields(contacted(), staff, PROVIDER) == frozenset(
        ConfidantContactedOrganisation.model_fields
    )
    assert redact(contacted(), staff, PROVIDER) == contacted()


def test_the_notes_are_exactly_the_personal_fields_of_a_contact() -> None:
    personal = {path[0] for path in personal_paths(ConfidantContactRegistered)}
    assert CONFIDANT_NOTES[ConfidantContactRegistered] == personal


def test_a_contact_carries_what_the_quarterly_report_needs_and_no_more() -> None:
    ids = {"contact_id", "confidant_id"}
    assert QUARTERLY_REPORT_FIELDS | CONFIDANT_NOTES[ConfidantContactRegistered] | ids == EVERY_FIELD
    assert {"contacted_on", "channel", "categories", "anonymous"} == QUARTERLY_REPORT_FIELDS
