"""The public way in and the dossier in a real browser: Debian's Chromium, headless, through Playwright
(tests/browser.py, as the dashboard's tests). Intake serves the form, escalation the dossier, both on one
fresh database, as in ``make dev``.

A parent of a child under 12 opens the form of SO! Trainingsbureau, sends it half filled in and sees what
is missing, files, keeps the receipt code and the secret, follows the link to the dossier, types a wrong
secret and then the right one, reads the acknowledgement letter, adds information, replaces the secret and
withdraws the complaint; the case holds exactly one withdrawal. Every page passes axe-core's WCAG 2.1 A and
AA rules and fits a phone's width; screenshots at desktop and phone width are kept in
``.dev/test-artifacts/public-way-in/``.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID, uuid4

import nats
import pytest
from playwright.async_api import BrowserContext, Page

from contracts.base import Actor
from contracts.events import NotificationRequested, NotificationSent
from contracts.vocabulary import NotificationChannel, NotificationKind, Recipient, Role
from klachtspoor.auth import TokenVerifier
from klachtspoor.auth.devkeys import ensure_dev_keys
from klachtspoor.bootstrap import Infrastructure, open_infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.codec import make_envelope
from klachtspoor.crypto import MasterKey
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.relay import STREAM_NAME
from services.escalation.bootstrap import bootstrap as escalation
from services.escalation.settings import EscalationSettings
from services.intake.bootstrap import bootstrap as intake
from services.intake.settings import IntakeSettings
from tests.browser import ARTIFACTS, axe_script, check, chromium, served

TENANT = "so-trainingsbureau"
SYSTEM = Actor(id="notify", role=Role.SYSTEM)


class Stack:
    def __init__(self, intake: str, escalation: str, app: object, infra: Infrastructure) -> None:
        self.intake, self.escalation, self.app, self.infra = intake, escalation, app, infra


@pytest.fixture
async def stack(database_url: str, nats_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    _, public_key = ensure_dev_keys(tmp_path / "jwt")
    master_key = MasterKey.generate_base64()
    verifier = TokenVerifier(public_key_pem=public_key.read_text())
    settings = EscalationSettings(database_url=database_url, nats_url=nats_url, master_key=master_key)
    durable = f"escalation-browser-{uuid4().hex[:8]}"
    infra = await open_infrastructure(settings, pool_size=4)
    app = escalation(settings, durable=durable, tenant=TENANT, verifier=verifier)
    try:
        async with served(app.app, "escalation") as escalation_base:
            front = intake(
                IntakeSettings(
                    database_url=database_url,
                    master_key=master_key,
                    jwt_public_key_file=public_key,
                    public_dossier_url=f"{escalation_base}/dossier",
                ),
                verifier=verifier,
                telemetry=False,
            )
            async with served(front.app, "intake") as intake_base:
                yield Stack(intake_base, escalation_base, app.app, infra)
        bus = await nats.connect(nats_url)
        await bus.jetstream().delete_consumer(STREAM_NAME, durable)
        await bus.close()
    finally:
        await infra.close()


@pytest.fixture
async def browser(tmp_path: Path) -> AsyncIterator[BrowserContext]:
    async with chromium(tmp_path / "profile") as context:
        yield context


@pytest.fixture(scope="module")
def screenshots() -> Path:
    folder = ARTIFACTS / "public-way-in"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def _case_of(stack: Stack, reference: str) -> UUID:
    access = stack.app.state.dossier.access  # type: ignore[attr-defined]
    for _ in range(200):
        found = await access.lookup(TENANT, reference)
        if found is not None:
            return UUID(str(found))
        await asyncio.sleep(0.05)
    raise AssertionError("the dossier index did not pick the reference up")


async def _acknowledgement_sent(stack: Stack, case_id: UUID) -> None:
    """What escalation asks and notify records once the mail went: the acknowledgement to the parent."""
    repository = CaseRepository(stack.infra.store, stack.infra.codec)
    stream = case_stream(TENANT, str(case_id))
    loaded = await repository.load(stream)
    notification = uuid4()
    events = [
        NotificationRequested(
            notification_id=notification,
            kind=NotificationKind.ACKNOWLEDGEMENT,
            recipient=Recipient.COMPLAINANT,
            channel=NotificationChannel.EMAIL,
        ),
        NotificationSent(
            notification_id=notification, channel=NotificationChannel.EMAIL, attempt=1, message_id="<1@test>"
        ),
    ]
    envelopes = [
        make_envelope(
            event,
            event_id=uuid4(),
            tenant=TENANT,
            stream=stream,
            case_id=case_id,
            actor=SYSTEM,
            occurred_at=loaded.events[-1].occurred_at,
            correlation_id=case_id,
        )
        for event in events
    ]
    await repository.append(stream, envelopes, loaded.expected_version)


async def _text(page: Page) -> str:
    return await page.locator("main").inner_text()


async def test_a_parent_files_follows_the_dossier_and_withdraws(
    stack: Stack, browser: BrowserContext, screenshots: Path
) -> None:
    axe = axe_script()
    page = await browser.new_page()

    async def checked(name: str) -> None:
        await check(page, axe, screenshots, name, phone_fits=True)

    response = await page.goto(f"{stack.intake}/klacht/{TENANT}")
    assert response is not None and response.status == 200
    assert "Een klacht indienen bij" in await page.get_by_role("heading", level=1).inner_text()
    assert await page.locator("script").count() == 0
    assert not await page.locator("#website").is_visible()  # the honeypot
    await checked("01-form")

    await page.get_by_label("Ik ben de cliënt").check()
    await page.get_by_label("Jonger dan 12 jaar").check()
    await page.get_by_role("button", name="Klacht versturen").click()
    await page.wait_for_load_state()
    text = await _text(page)
    summary = await page.locator(".summary").inner_text()
    assert "Er klopt nog iets niet" in summary
    assert "jonger dan 12 jaar dient de klacht in via een ouder of voogd" in summary
    assert "Schrijf op wat er is gebeurd" in summary
    await checked("02-form-refused")

    await page.get_by_label("Ik ben ouder, voogd of wettelijk vertegenwoordiger").check()
    await page.get_by_label("Wat is er gebeurd?").fill("Mijn dochter krijgt geen uitleg over haar plan.")
    await page.get_by_label("Naam").fill("Ouder van Lotte")
    await page.get_by_label("E-mailadres").fill("ouder@example.org")
    await page.get_by_role("button", name="Klacht versturen").click()
    await page.wait_for_load_state()
    text = await _text(page)
    assert "Je klacht is ontvangen" in text
    reference = re.search(r"KS-\d{4}-\d{6}", text)
    secret = re.search(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}", text)
    assert reference and secret
    await checked("03-receipt")

    case_id = await _case_of(stack, reference.group(0))
    await _acknowledgement_sent(stack, case_id)
    await page.get_by_role("link", name="Naar je dossier").click()
    await page.wait_for_load_state()
    assert page.url == f"{stack.escalation}/dossier/{TENANT}"
    await checked("04-dossier-sign-in")

    await page.get_by_label("Kenmerk").fill(reference.group(0))
    await page.get_by_label("Geheime code").fill("AAAA-BBBB-CCCC-DDDD-EEEE")
    await page.get_by_role("button", name="Dossier openen").click()
    await page.wait_for_load_state()
    assert "horen niet bij elkaar" in await _text(page)
    assert await page.get_by_label("Kenmerk").input_value() == reference.group(0)  # kept; the secret not
    assert await page.get_by_label("Geheime code").input_value() == ""
    await checked("05-dossier-wrong-secret")

    await page.get_by_label("Geheime code").fill(secret.group(0).lower())
    await page.get_by_role("button", name="Dossier openen").click()
    await page.wait_for_load_state()
    text = await _text(page)
    assert page.url.endswith(f"/dossier/{TENANT}/zaak"), text
    assert "We hebben je klacht ontvangen" in text
    assert "Gesprek met de regiebehandelaar of mentor" in text
    assert "Bevestiging van ontvangst" in text and reference.group(0) in text  # the letter's text
    assert "Mijn dochter krijgt geen uitleg" in text
    await checked("06-dossier")

    await page.get_by_label("Wat wil je toevoegen?").fill("Het plan is inmiddels twee keer veranderd.")
    await page.get_by_role("button", name="Toevoegen").click()
    await page.wait_for_load_state()
    text = await _text(page)
    assert "Je aanvulling is toegevoegd" in text and "twee keer veranderd" in text
    await checked("07-dossier-added")

    await page.get_by_role("button", name="Nieuwe geheime code maken").click()
    await page.wait_for_load_state()
    text = await _text(page)
    fresh = re.search(r"Je nieuwe geheime code:\s*([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})", text)
    assert fresh and fresh.group(1) != secret.group(0)
    await checked("08-dossier-new-secret")

    await page.get_by_label("Waarom trek je de klacht in?").fill("Het is opgelost.")
    form = page.locator(f'form[action="/dossier/{TENANT}/intrekken"]')
    sent = {
        name: await form.locator(f'input[name="{name}"]').get_attribute("value") or ""
        for name in ("csrf", "nonce")
    }
    await page.get_by_role("button", name="Klacht intrekken").click()
    await page.wait_for_load_state()
    text = await _text(page)
    assert "Je klacht is ingetrokken" in text and "De zaak is gesloten" in text
    assert await page.get_by_role("button", name="Klacht intrekken").count() == 0
    await checked("09-dossier-withdrawn")

    # The withdrawal form sent once more (a double click): its one-time value makes it the same command.
    csrf = await page.locator('input[name="csrf"]').first.get_attribute("value") or ""
    again = await page.request.post(
        f"{stack.escalation}/dossier/{TENANT}/intrekken",
        form={"csrf": csrf, "nonce": sent["nonce"], "reason": "Het is opgelost."},
        headers={"Origin": stack.escalation},
        max_redirects=0,
    )
    assert again.status == 303
    repository = CaseRepository(stack.infra.store, stack.infra.codec)
    loaded = await repository.load(case_stream(TENANT, str(case_id)))
    assert [e.type for e in loaded.events].count("ComplaintWithdrawn") == 1
    assert [e.type for e in loaded.events].count("DossierSecretIssued") == 2

    await page.get_by_role("button", name="Dossier sluiten").click()
    await page.wait_for_load_state()
    assert "Je dossier is gesloten" in await _text(page)
    response = await page.goto(f"{stack.escalation}/dossier/{TENANT}/zaak")
    assert response is not None and response.status == 401
