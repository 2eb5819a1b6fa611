"""Each procedure's acknowledgement says what its own pinned policy says: the terms the case started, the
confidant the policy names (organisation-level contact only), the step and the next one, the crisis lines;
and the template comes from the policy's ``templates`` map."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from opentelemetry.sdk.trace import TracerProvider

from contracts.events import (
    AnyEvent,
    CaseReferenceAssigned,
    NotificationRequested,
    ProcedurePolicyPinned,
    SignalReceived,
    TermExtended,
    TermStarted,
)
from contracts.values import Complainant, Term
from contracts.vocabulary import (
    Channel,
    ComplainantCapacity,
    DeadlineKind,
    EscalationStep,
    NotificationChannel,
    NotificationKind,
    Recipient,
    TermUnit,
)
from klachtspoor.letters.facts import (
    LetterFactsMissing,
    PolicyTemplatesMissing,
    letter_for,
    missing_templates,
)
from klachtspoor.letters.render import MailRenderer, RenderedMail
from klachtspoor.letters.state import fold
from klachtspoor.policies import PolicyRegistry
from klachtspoor.tenants import TenantRegistry
from services.notify.bootstrap import bootstrap

REPO = Path(__file__).resolve().parents[3]
POLICIES = PolicyRegistry.from_directory(REPO / "policies")
TENANTS = TenantRegistry.from_file(REPO / "config" / "tenants.yaml")
RENDERER = MailRenderer()
NOTIFICATION_ID = UUID("00000000-0000-4000-8000-00000000a0c1")
THURSDAY = date(2026, 3, 5)
AKJ = ("Vertrouwenswerk Jeugdzorg Drenthe (AKJ en Zorgbelang Drenthe)", "088 555 1000", "info@akj.nl")


def opened(tenant: str, raised_with: EscalationStep, *more: AnyEvent) -> list[AnyEvent]:
    """What intake and escalation append for a signal of ``tenant`` pinned to its policy's v1."""
    return [
        SignalReceived(
            channel=Channel.IN_PERSON,
            received_on=THURSDAY,
            raised_with=raised_with,
            complainant=Complainant(
                capacity=ComplainantCapacity.CLIENT, name="Voorbeeld Cliënt", email="c@example.org"
            ),
            description="Ik voel me niet gehoord.",
        ),
        CaseReferenceAssigned(reference="KS-2026-000042"),
        ProcedurePolicyPinned(policy_id=TENANTS.get(tenant).policy or "", policy_version=1),
        *more,
        NotificationRequested(
            notification_id=NOTIFICATION_ID,
            kind=NotificationKind.ACKNOWLEDGEMENT,
            recipient=Recipient.COMPLAINANT,
            channel=NotificationChannel.EMAIL,
        ),
    ]


def acknowledgement(tenant: str, events: list[AnyEvent]) -> RenderedMail:
    state = fold(events)
    notification = state.notification(NOTIFICATION_ID)
    assert notification is not None
    letter = letter_for(state, notification, TENANTS.get(tenant), TENANTS, POLICIES, "Voorbeeld Cliënt")
    assert letter.template == "acknowledgement"
    mail = RENDERER.render(letter.template, letter.context)
    assert "None" not in mail.text + mail.html
    return mail


def says(mail: RenderedMail, *expected: str) -> None:
    """In the plain text and in the HTML alternative as a reader sees it (links and escapes undone)."""
    shown = html.unescape(re.sub(r"<[^>]+>", "", mail.html))
    for text in expected:
        assert text in mail.text, text
        assert text in shown, text


def never(mail: RenderedMail, *unexpected: str) -> None:
    for text in unexpected:
        assert text not in mail.text + mail.html, text


def test_ik_ben_er_ook_names_its_own_confidant_and_promises_no_term_at_the_first_step() -> None:
    mail = acknowledgement("ik-ben-er-ook", opened("ik-ben-er-ook", EscalationStep.CARE_WORKER))
    says(
        mail,
        "Uw melding ligt bij deze stap: Stap 1: ontevredenheid bespreken met de begeleider.",
        "de volgende stap: Stap 2: de vertrouwenspersoon van Ik ben er ook! De stappen",
        "De stappen worden één voor één gezet.",
        "Ik ben er ook! Kindercoaching en Begeleiding heeft een eigen vertrouwenspersoon",
        "ook als u anoniem wilt blijven",
    )
    never(mail, "AKJ", "088 555 1000", "Uiterlijk op", "twee werkdagen", "U bepaalt zelf")


def test_ik_ben_er_ook_at_its_committee_promises_the_first_contact_the_case_started() -> None:
    term = TermStarted(
        deadline=DeadlineKind.FIRST_CONTACT,
        started_on=THURSDAY,
        term=Term(amount=2, unit=TermUnit.WORKING_DAYS),
        due_on=date(2026, 3, 9),
    )
    events = opened("ik-ben-er-ook", EscalationStep.COMPLAINTS_COMMITTEE, term)
    mail = acknowledgement("ik-ben-er-ook", events)
    says(
        mail,
        "Stap 4: de klachtencommissie (www.erisietsmisgegaan.nl).",
        "Uiterlijk op 9 maart 2026 volgt het eerste contact met u.",
    )
    never(mail, "de volgende stap")


def test_so_trainingsbureau_names_the_akj_and_the_next_rung() -> None:
    mail = acknowledgement("so-trainingsbureau", opened("so-trainingsbureau", EscalationStep.CARE_WORKER))
    says(
        mail,
        f"Een vertrouwenspersoon van {AKJ[0]} helpt u gratis en in vertrouwen, los van SO! Trainingsbureau",
        f"Bel {AKJ[1]}.",
        f"Mail naar {AKJ[2]}.",
        "Gesprek met de regiebehandelaar of mentor (klantsignaal).",
        "de volgende stap: Contact met de leidinggevende van de mentor.",
        "De stappen worden één voor één gezet.",
    )
    never(mail, "Uiterlijk op")


def test_save_lets_the_client_choose_and_gives_its_own_crisis_line() -> None:
    tenant = "save-veilig-thuis-utrecht"
    mail = acknowledgement(tenant, opened(tenant, EscalationStep.CARE_WORKER))
    says(
        mail,
        f"Een vertrouwenspersoon van {AKJ[0]}",
        "de volgende stap: Klachtgesprek met de regiomanager.",
        "u mag ook meteen voor een latere stap kiezen",
        "Geen cliënt, of cliënt van Veilig Thuis Utrecht: bel 0800-2000.",
    )
    never(mail, "Uiterlijk op", "één voor één")


def test_the_akj_is_itself_the_confidant_of_its_own_cases() -> None:
    tenant = "akj-zorgbelang-drenthe"
    mail = acknowledgement(tenant, opened(tenant, EscalationStep.CONFIDANT))
    says(
        mail,
        f"De vertrouwenspersonen van {AKJ[0]} helpen u gratis en in vertrouwen",
        f"Bel {AKJ[1]}.",
        "Verkennen van het probleem met de vertrouwenspersoon.",
        "de volgende stap: Gesprek met degene met wie het probleem ontstaan is.",
    )
    never(mail, "los van")


def test_lsr_names_the_lsr_never_the_akj() -> None:
    mail = acknowledgement("lsr", opened("lsr", EscalationStep.CONFIDANT))
    says(
        mail,
        "De vertrouwenspersonen van LSR Vertrouwenswerk en klachtopvang helpen u",
        "Bel 030-293 76 64.",
        "Mail naar info@hetlsr.nl.",
        "de volgende stap: Gesprek met degene over wie de onvrede gaat.",
    )
    never(mail, "AKJ", "088 555 1000", "info@akj.nl", "Uiterlijk op")


def test_the_template_is_the_one_the_policy_names() -> None:
    """A policy that maps the acknowledgement to another template gets that template."""
    events = opened("lsr", EscalationStep.CONFIDANT)
    state = fold(events)
    notification = state.notification(NOTIFICATION_ID)
    assert notification is not None
    lsr = POLICIES.get("lsr", 1)
    mapped = lsr.model_copy(
        update={"templates": {**lsr.templates, NotificationKind.ACKNOWLEDGEMENT: "progress_update"}}
    )
    registry = PolicyRegistry([mapped])
    letter = letter_for(state, notification, TENANTS.get("lsr"), TENANTS, registry, None)
    assert letter.template == "progress_update"


def test_an_extension_letter_names_the_extended_term_and_its_new_date() -> None:
    judgement = TermStarted(
        deadline=DeadlineKind.JUDGEMENT,
        started_on=THURSDAY,
        term=Term(amount=10, unit=TermUnit.WEEKS),
        due_on=date(2026, 5, 14),
    )
    extended = TermExtended(
        deadline=DeadlineKind.JUDGEMENT,
        previous_due_on=date(2026, 5, 14),
        new_due_on=date(2026, 6, 11),
        reason="Wacht op stukken.",
    )
    events = opened("lsr", EscalationStep.COMPLAINTS_COMMITTEE, judgement, extended)[:-1]
    events.append(
        NotificationRequested(
            notification_id=NOTIFICATION_ID,
            kind=NotificationKind.TERM_EXTENDED,
            recipient=Recipient.COMPLAINANT,
            channel=NotificationChannel.EMAIL,
        )
    )
    state = fold(events)
    notification = state.notification(NOTIFICATION_ID)
    assert notification is not None
    letter = letter_for(state, notification, TENANTS.get("lsr"), TENANTS, POLICIES, None)
    mail = RENDERER.render(letter.template, letter.context)
    assert (
        "de termijn voor het oordeel over uw klacht verlengd van 14 mei 2026 tot uiterlijk 11 juni 2026"
        in mail.text
    )
    assert "De reden van de verlenging: Wacht op stukken." in mail.text


def test_a_pinned_version_that_is_not_loaded_is_a_named_error() -> None:
    state = fold(opened("lsr", EscalationStep.CONFIDANT))
    pinned = replace(state, policy=replace(state.policy, version=99)) if state.policy else state
    notification = pinned.notification(NOTIFICATION_ID)
    assert notification is not None
    with pytest.raises(LetterFactsMissing, match="lsr v99"):
        letter_for(pinned, notification, TENANTS.get("lsr"), TENANTS, POLICIES, None)


def test_every_shipped_policy_names_only_existing_templates() -> None:
    assert missing_templates(POLICIES, RENDERER) == []


async def test_notify_does_not_start_when_a_policy_names_a_template_it_lacks() -> None:
    lsr = POLICIES.get("lsr", 1)
    broken = lsr.model_copy(update={"templates": {NotificationKind.ACKNOWLEDGEMENT: "lsr/ontvangst"}})
    service = bootstrap(policies=PolicyRegistry([broken]), tenants=TENANTS, tracer_provider=TracerProvider())
    with pytest.raises(
        PolicyTemplatesMissing, match=re.escape("lsr v1: templates.acknowledgement = 'lsr/ontvangst'")
    ):
        await service.app.state.notify.start()
