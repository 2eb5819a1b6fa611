"""The tenants file's letterhead and mailboxes: a postal address in lines, a function mailbox per staff
role or the provider; an unknown key or a list of addresses is refused naming the key, never guessed."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from contracts.policy_rules import STATUTORY_RECIPIENTS
from contracts.vocabulary import NotificationKind, Recipient
from klachtspoor.letters.render import MailRenderer
from klachtspoor.tenants import Tenant, TenantRegistry


def entry(**changes: Any) -> dict[str, Any]:
    return {
        "slug": "voorbeeld",
        "display_name": "Voorbeeld Jeugdhulp",
        "kind": "provider",
        "mail_sender_name": "Klachtenregeling Voorbeeld",
        "contact": {"email": "info@voorbeeld.example", "address": ["Straat 1", "1234 AB Plaats"]},
    } | changes


def test_a_mailbox_per_role_and_the_provider() -> None:
    tenant = Tenant.model_validate(
        entry(mailboxes={"director": "d@voorbeeld.example", "provider": "p@v.example"})
    )
    assert tenant.mailbox("director") == "d@voorbeeld.example"
    assert tenant.mailbox("manager") is None
    assert tenant.contact.address == ("Straat 1", "1234 AB Plaats")


@pytest.mark.parametrize(
    ("mailboxes", "problem"),
    [
        ({"client": "c@v.example"}, "client is not a staff role or 'provider'"),
        ({"director": "a@v.example, b@v.example"}, "the address of director is not one e-mail address"),
        ({"director": "Directie <d@v.example>"}, "the address of director is not one e-mail address"),
    ],
)
def test_a_wrong_mailbox_is_refused_naming_the_key(mailboxes: dict[str, str], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        Tenant.model_validate(entry(mailboxes=mailboxes))


def test_the_shipped_demo_tenant_has_every_mailbox_a_letter_needs() -> None:
    demo = TenantRegistry.from_file("config/tenants.yaml").get("demo")
    for key in ("provider", "complaints_committee", "complaints_officer", "manager", "care_worker"):
        assert demo.mailbox(key), key
    assert demo.contact.address


def test_every_letter_the_law_sends_to_someone_else_has_its_own_wording() -> None:
    """A copy must not read "uw klacht" to the provider: each (kind, recipient) of the regimes' rules, and
    the handler's deadline mails, has a variant template."""
    renderer = MailRenderer()
    pairs = {
        (kind, recipient)
        for rules in STATUTORY_RECIPIENTS.values()
        for kind, rs in rules.items()
        for recipient in rs
    }
    pairs |= {
        (k, Recipient.CASE_HANDLER)
        for k in (NotificationKind.DEADLINE_WARNING, NotificationKind.DEADLINE_BREACHED)
    }
    for kind, recipient in sorted(pairs):
        assert renderer.has(f"{kind.value}.{recipient.value}"), f"{kind.value}.{recipient.value}.j2"
