"""The register of a confidant organisation's contacts on no case, given-when-then: registered once, at
the confidant organisation, by a confidant, about a provider of the network or none, never in the future."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest
from pydantic import ValidationError

from contracts.base import Actor
from contracts.events import AdviceContactRegistered, AdviceContactWithdrawn, ConfidantContactRegistered
from contracts.vocabulary import Category, Channel, ContactKind, Role, TenantKind
from services.escalation.domain import (
    CommandRejected,
    ConfidantRegistersAdviceContact,
    ConfidantWithdrawsAdviceContact,
    ContactRule,
    decide_contact,
    fold_contact,
)
from services.escalation.domain.contacts import ContactState, evolve_contact
from services.escalation.domain.support.confidant import ConfidantRule
from tests.deciders import spec

CONTACT_ID = UUID("00000000-0000-4000-8000-00000000c0c1")
COMMAND_ID = UUID("00000000-0000-4000-8000-0000000c0112")
AKJ = "akj-zorgbelang-drenthe"
SO = "so-trainingsbureau"
NOW = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
CONFIDANT = Actor(id="vp-akj-0001", role=Role.CONFIDANT)

contact_spec = spec(
    decide_contact,
    evolve_contact,
    ContactState(),
    rejection=CommandRejected,
    explains=lambda error: str(CONTACT_ID) in str(error),
)


def register(**fields: Any) -> ConfidantRegistersAdviceContact:
    values: dict[str, Any] = {
        "command_id": COMMAND_ID,
        "tenant": AKJ,
        "contact_id": CONTACT_ID,
        "actor": CONFIDANT,
        "now": NOW,
        "contacted_on": date(2026, 3, 4),
        "channel": Channel.PHONE,
        "kind": ContactKind.ADVICE,
        "categories": (Category.TREATMENT, Category.PROCEDURE),
        "organisation_concerned": SO,
        "tenant_kind": TenantKind.CONFIDANT_ORG,
        "concerned_kind": TenantKind.PROVIDER,
    }
    return ConfidantRegistersAdviceContact.model_validate(values | fields)


def registered(**fields: Any) -> AdviceContactRegistered:
    values: dict[str, Any] = {
        "contact_id": CONTACT_ID,
        "contacted_on": date(2026, 3, 4),
        "channel": Channel.PHONE,
        "kind": ContactKind.ADVICE,
        "categories": (Category.TREATMENT, Category.PROCEDURE),
        "organisation_concerned": SO,
    }
    return AdviceContactRegistered.model_validate(values | fields)


def test_a_confidant_registers_a_contact_with_its_codes_and_dates_only() -> None:
    contact_spec.given([]).when(register()).then([registered()])
    assert not {"client_name", "summary", "note", "confidant_id"} & set(AdviceContactRegistered.model_fields)


def test_a_contact_may_concern_no_organisation_and_name_no_category() -> None:
    command = register(organisation_concerned=None, concerned_kind=None, categories=(), kind="information")
    contact_spec.given([]).when(command).then(
        [registered(organisation_concerned=None, categories=(), kind=ContactKind.INFORMATION)]
    )


def test_the_same_registration_again_decides_nothing_another_under_the_same_id_is_refused() -> None:
    contact_spec.given([registered()]).when(register()).then([])
    contact_spec.given([registered()]).when(register(kind=ContactKind.SUPPORT)).then_rejects(
        ContactRule.CONTACT_ALREADY_REGISTERED
    )


def test_only_at_a_confidant_organisation() -> None:
    """A provider keeps no register of contacts on no case, also with a confidant of its own."""
    contact_spec.given([]).when(register(tenant=SO, tenant_kind=TenantKind.PROVIDER)).then_rejects(
        ContactRule.CONTACT_AT_CONFIDANT_ORGANISATION
    )


@pytest.mark.parametrize("kind", [None, TenantKind.CONFIDANT_ORG])
def test_the_organisation_concerned_is_a_provider_of_the_network(kind: TenantKind | None) -> None:
    command = register(organisation_concerned="lsr" if kind else "elders", concerned_kind=kind)
    contact_spec.given([]).when(command).then_rejects(ContactRule.ORGANISATION_CONCERNED_NOT_A_PROVIDER)


def test_only_a_confidant_registers() -> None:
    worker = Actor(id="mw-0001", role=Role.CARE_WORKER)
    contact_spec.given([]).when(register(actor=worker)).then_rejects(ConfidantRule.CONFIDANT_ONLY)


def test_the_day_of_contact_is_not_after_today_in_dutch_time() -> None:
    late_evening = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)  # 5 March 00:30 in the Netherlands
    contact_spec.given([]).when(register(now=late_evening, contacted_on=date(2026, 3, 5))).then(
        [registered(contacted_on=date(2026, 3, 5))]
    )
    contact_spec.given([]).when(register(contacted_on=date(2026, 3, 6))).then_rejects(
        ConfidantRule.CONTACT_DATE_IN_FUTURE
    )


def test_a_category_once_an_unknown_kind_never() -> None:
    with pytest.raises(ValidationError, match="categories"):
        register(categories=(Category.TREATMENT, Category.TREATMENT))
    with pytest.raises(ValidationError, match="kind"):
        register(kind="klacht")
    with pytest.raises(ValidationError, match="categories"):
        registered(categories=(Category.OTHER, Category.OTHER))


def test_the_state_folds_the_registration_and_ignores_case_events() -> None:
    case_contact = ConfidantContactRegistered(
        contact_id=CONTACT_ID,
        confidant_id="vp-1",
        contacted_on=date(2026, 3, 4),
        channel=Channel.CHAT,
        anonymous=True,
    )
    assert fold_contact([case_contact]) == ContactState()
    assert fold_contact([registered()]) == ContactState(registered=registered())


def withdraw(**fields: Any) -> ConfidantWithdrawsAdviceContact:
    values: dict[str, Any] = {
        "command_id": COMMAND_ID,
        "tenant": AKJ,
        "contact_id": CONTACT_ID,
        "actor": CONFIDANT,
        "now": NOW,
        "tenant_kind": TenantKind.CONFIDANT_ORG,
    }
    return ConfidantWithdrawsAdviceContact.model_validate(values | fields)


def test_a_contact_registered_by_mistake_is_withdrawn_once_and_its_id_is_spent() -> None:
    withdrawn = AdviceContactWithdrawn(contact_id=CONTACT_ID)
    other = Actor(id="vp-akj-0002", role=Role.CONFIDANT)  # the register is the organisation's
    contact_spec.given([registered()]).when(withdraw(actor=other)).then([withdrawn])
    contact_spec.given([registered(), withdrawn]).when(withdraw()).then([])
    contact_spec.given([]).when(withdraw()).then_rejects(ContactRule.CONTACT_NOT_REGISTERED)
    contact_spec.given([registered(), withdrawn]).when(register()).then_rejects(ContactRule.CONTACT_WITHDRAWN)
    assert fold_contact([registered(), withdrawn]) == ContactState(registered=registered(), withdrawn=True)


def test_withdrawing_follows_the_same_rules_of_role_and_tenant() -> None:
    worker = Actor(id="mw-0001", role=Role.CARE_WORKER)
    contact_spec.given([registered()]).when(withdraw(actor=worker)).then_rejects(ConfidantRule.CONFIDANT_ONLY)
    contact_spec.given([registered()]).when(
        withdraw(tenant=SO, tenant_kind=TenantKind.PROVIDER)
    ).then_rejects(ContactRule.CONTACT_AT_CONFIDANT_ORGANISATION)
