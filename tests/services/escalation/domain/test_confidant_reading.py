"""Which confidant reads a case's file: the case's own (the confidant organisation its pinned policy names,
or the organisation's own confidant when the policy has one), and only while the client's consent holds;
a consent withdrawn closes the file again, and a safety concern opens nothing."""

from __future__ import annotations

import pytest
from support_given import (
    AKJ,
    CASE_ID,
    CONFIDANT,
    LSR,
    PROVIDER,
    concern,
    consent,
    published_policy,
    withdrawn,
)

from contracts.events import AnyEvent
from contracts.vocabulary import ConsentScope, TenantKind
from services.escalation.domain import fold
from services.escalation.domain.commands import ActingOrganisation
from services.escalation.domain.support.confidant import ConfidantRule
from services.escalation.domain.support.reading import READING_CONSENTS, confidant_reading_refusal

SAVE = published_policy(PROVIDER)  # names the AKJ as its confidant organisation
OWN = "ik-ben-er-ook"


def refusal(
    events: list[AnyEvent],
    organisation: ActingOrganisation = AKJ,
    tenant: str = PROVIDER,
    policy: str = PROVIDER,
) -> str | None:
    found = confidant_reading_refusal(
        CONFIDANT.id, tenant, CASE_ID, organisation, published_policy(policy), fold(events).support
    )
    return None if found is None else found.rule.value


@pytest.mark.parametrize("scope", sorted(READING_CONSENTS))
def test_the_named_confidant_reads_with_a_consent_that_involves_it(scope: ConsentScope) -> None:
    assert refusal([consent(scope)]) is None


def test_without_consent_or_with_another_consent_or_a_withdrawn_one_the_file_stays_closed() -> None:
    assert refusal([]) == ConfidantRule.CONSENT_REQUIRED
    assert refusal([consent(ConsentScope.SHARE_IDENTITY)]) == ConfidantRule.CONSENT_REQUIRED
    assert refusal([consent(), withdrawn()]) == ConfidantRule.CONSENT_REQUIRED
    assert refusal([concern()]) == ConfidantRule.CONSENT_REQUIRED


def test_another_confidant_organisation_or_the_providers_own_staff_read_nothing_even_with_consent() -> None:
    assert refusal([consent()], organisation=LSR) == ConfidantRule.CONFIDANT_ORGANISATION_NOT_NAMED
    provider = ActingOrganisation(tenant=PROVIDER, kind=TenantKind.PROVIDER)
    assert refusal([consent()], organisation=provider) == ConfidantRule.CONFIDANT_INDEPENDENT


def test_an_organisations_own_confidant_reads_its_own_cases_with_consent() -> None:
    own = ActingOrganisation(tenant=OWN, kind=TenantKind.PROVIDER)
    assert refusal([consent()], organisation=own, tenant=OWN, policy=OWN) is None
    assert refusal([], organisation=own, tenant=OWN, policy=OWN) == ConfidantRule.CONSENT_REQUIRED


def test_a_refusal_names_the_confidant_and_the_case_never_a_value() -> None:
    found = confidant_reading_refusal(CONFIDANT.id, PROVIDER, CASE_ID, AKJ, SAVE, fold([]).support)
    assert found is not None
    assert CONFIDANT.id in found.detail and str(CASE_ID) in found.detail
