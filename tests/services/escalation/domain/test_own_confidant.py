"""An organisation's own confidant (``confidant.placement: internal``, Ik ben er ook!): it acts on its own
organisation's cases, anonymously when the client wishes, contacts the organisation only with consent,
never takes the complaint over and keeps its notes to itself; without that policy setting a provider's
own staff cannot act as confidant."""

from __future__ import annotations

from typing import Any

import pytest
from lifecycle_given import pinned
from pydantic import ValidationError
from support_given import (
    AKJ,
    CARE_WORKER,
    CONFIDANT,
    CONSENT_ID,
    CONTACT_ID,
    PROVIDER,
    THURSDAY,
    case_spec,
    command,
    consent,
    published_policy,
    signal,
    withdrawn,
)

from contracts.commands import Escalate
from contracts.events import AnyEvent, ConfidantContactedOrganisation, ConfidantContactRegistered
from contracts.policy import ConfidantPlacement, ConfidantSupport
from contracts.vocabulary import Category, Channel, EscalationStep, TenantKind
from services.escalation.domain.commands import (
    ActingOrganisation,
    ConfidantContactsOrganisation,
    ConfidantRegistersContact,
)
from services.escalation.domain.support.confidant import ConfidantRule, has_own_confidant
from services.escalation.domain.support.visibility import Viewer, visible_fields

OWN = "ik-ben-er-ook"
OWN_POLICY = published_policy(OWN)
OWN_ORGANISATION = ActingOrganisation(tenant=OWN, kind=TenantKind.PROVIDER)
ANONYMOUS = {"contacted_on": THURSDAY, "channel": Channel.PHONE, "categories": (Category.TREATMENT,)}


def on_own_case() -> list[AnyEvent]:
    return [signal(), pinned(OWN_POLICY)]


def register(
    tenant: str = OWN, organisation: ActingOrganisation = OWN_ORGANISATION
) -> ConfidantRegistersContact:
    fields: dict[str, Any] = {"contact_id": CONTACT_ID, "confidant_id": CONFIDANT.id, "anonymous": True}
    return command(
        ConfidantRegistersContact, tenant=tenant, organisation=organisation, **(fields | ANONYMOUS)
    )


def contact_org(**changes: Any) -> ConfidantContactsOrganisation:
    fields: dict[str, Any] = {
        "tenant": OWN,
        "organisation": OWN_ORGANISATION,
        "consent_id": CONSENT_ID,
        "purpose": "Met de begeleider bespreken wat de cliënt wil.",
    }
    return command(ConfidantContactsOrganisation, **(fields | changes))


def anonymous_contact() -> ConfidantContactRegistered:
    return ConfidantContactRegistered(
        contact_id=CONTACT_ID, confidant_id=CONFIDANT.id, anonymous=True, **ANONYMOUS
    )


def test_the_published_procedure_has_its_own_confidant_and_the_others_an_organisations() -> None:
    assert has_own_confidant(OWN_POLICY)
    for other in ("so-trainingsbureau", "save-veilig-thuis-utrecht", "akj-zorgbelang-drenthe", "lsr"):
        assert not has_own_confidant(published_policy(other)), other


def test_the_own_confidant_registers_an_anonymous_contact_on_its_organisations_case() -> None:
    case_spec(OWN_POLICY).given(on_own_case()).when(register()).then([anonymous_contact()])


def test_a_confidant_organisations_confidant_is_refused_under_an_own_confidant_policy() -> None:
    """The policy names no confidant organisation: the organisation's own confidant is the one."""
    refused = ConfidantRule.CONFIDANT_ORGANISATION_NOT_NAMED
    case_spec(OWN_POLICY).given(on_own_case()).when(register(organisation=AKJ)).then_rejects(refused)


def test_without_the_policy_setting_the_providers_own_staff_is_no_confidant() -> None:
    """SAVE's policy names the AKJ: its own staff with the confidant role is refused; so is anyone on a case
    without a pinned policy."""
    save = published_policy(PROVIDER)
    provider = ActingOrganisation(tenant=PROVIDER, kind=TenantKind.PROVIDER)
    on_save = [signal(), pinned(save)]
    case_spec(save).given(on_save).when(register(PROVIDER, provider)).then_rejects(
        ConfidantRule.CONFIDANT_INDEPENDENT
    )
    case_spec(None).given([signal()]).when(register()).then_rejects(ConfidantRule.CONFIDANT_INDEPENDENT)


def test_another_providers_confidant_is_refused_on_a_case_of_an_organisation_with_its_own() -> None:
    elsewhere = ActingOrganisation(tenant="so-trainingsbureau", kind=TenantKind.PROVIDER)
    refused = ConfidantRule.CONFIDANT_INDEPENDENT
    case_spec(OWN_POLICY).given(on_own_case()).when(register(organisation=elsewhere)).then_rejects(refused)


def test_the_own_confidant_contacts_the_organisation_only_with_a_current_consent() -> None:
    case_spec(OWN_POLICY).given(on_own_case()).when(contact_org()).then_rejects(
        ConfidantRule.CONSENT_REQUIRED
    )
    case_spec(OWN_POLICY).given([*on_own_case(), consent(), withdrawn()]).when(contact_org()).then_rejects(
        ConfidantRule.CONSENT_REQUIRED
    )
    case_spec(OWN_POLICY).given([*on_own_case(), consent()]).when(contact_org()).then(
        [ConfidantContactedOrganisation(consent_id=CONSENT_ID, purpose=contact_org().purpose)]
    )


def test_the_own_confidant_never_takes_the_complaint_over() -> None:
    escalate = command(Escalate, tenant=OWN, to_step=EscalationStep.MUNICIPAL_GENERALIST, reason="unresolved")
    case_spec(OWN_POLICY).given(on_own_case()).when(escalate).then_rejects(
        ConfidantRule.CONFIDANT_NEVER_TAKES_OVER
    )


def test_the_own_confidants_notes_are_its_own_when_the_policy_says_so() -> None:
    named = ConfidantContactRegistered(
        contact_id=CONTACT_ID,
        confidant_id=CONFIDANT.id,
        anonymous=False,
        client_name="Voorbeeld Jongere",
        summary="Voelt zich niet veilig bij de begeleider.",
        **ANONYMOUS,
    )
    author = Viewer(id=CONFIDANT.id, role=CONFIDANT.role, tenant=OWN)
    colleague = Viewer(id=CARE_WORKER.id, role=CARE_WORKER.role, tenant=OWN)
    notes = {"client_name", "summary"}
    assert notes <= visible_fields(named, author, OWN, own_confidant=True)
    assert not notes & visible_fields(named, author, OWN)  # not the organisation's own confidant: hidden
    assert not notes & visible_fields(named, colleague, OWN, own_confidant=True)


def test_an_external_confidant_names_its_organisation_and_an_internal_one_none() -> None:
    with pytest.raises(ValidationError, match="an external confidant names its confidant organisation"):
        ConfidantSupport(placement=ConfidantPlacement.EXTERNAL)
    with pytest.raises(ValidationError, match="an internal confidant is the organisation's own; remove lsr"):
        ConfidantSupport(placement=ConfidantPlacement.INTERNAL, organisation="lsr")
