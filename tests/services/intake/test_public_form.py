"""The public complaint form over plain HTTP: Dutch HTML without a script, the policy explained, the
CSRF pair and same-origin check, a refused form shown again with its messages and nothing written, the
receipt shown once (docs/public.md). The browser test is tests/services/test_public_browser.py."""

from __future__ import annotations

import re

from intake_helpers import Intake

FORM = "/klacht/so-trainingsbureau"
ORIGIN = {"Origin": "http://intake.test"}


async def _open(intake: Intake) -> str:
    page = await intake.client.get(FORM)
    assert page.status_code == 200
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def _fields(csrf: str, **changes: str) -> dict[str, str]:
    fields = {
        "csrf": csrf,
        "capacity": "legal_representative",
        "client_age_band": "under_12",
        "raised_with": "care_worker",
        "description": "Mijn zoon krijgt geen antwoord op zijn vragen.",
        "name": "Ouder",
        "email": "",
        "phone": "",
        "website": "",
    }
    fields.update(changes)
    return fields


async def test_the_form_explains_the_policy_and_has_no_script(intake: Intake) -> None:
    page = await intake.client.get(FORM)
    assert page.status_code == 200
    assert "<script" not in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "Ben je 12 jaar of ouder?" in page.text  # child_min_age_alone of SO! Trainingsbureau
    assert "stap voor stap" in page.text  # order: one_by_one
    assert 'value="director"' not in page.text  # a step a new case cannot start at
    assert "nabestaande" in page.text and "gemachtigd" in page.text
    assert 'name="website"' in page.text and 'class="hp"' in page.text
    assert "klachtspoor_klacht_csrf" in page.headers["set-cookie"]
    css = await intake.client.get("/publiek/static/public.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


async def test_a_filed_form_shows_the_receipt_and_the_secret_once(intake: Intake) -> None:
    csrf = await _open(intake)
    answer = await intake.client.post(FORM, data=_fields(csrf), headers=ORIGIN)
    assert answer.status_code == 201, answer.text
    assert re.search(r"KS-2026-0+1", answer.text)
    assert re.search(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}", answer.text)
    assert [e.type for e in await intake.all_events()][-1] == "DossierSecretIssued"


async def test_a_refused_form_is_shown_again_with_its_messages_and_nothing_is_written(intake: Intake) -> None:
    csrf = await _open(intake)
    fields = _fields(csrf, capacity="client", description="", website="bot")
    answer = await intake.client.post(FORM, data=fields, headers=ORIGIN)
    assert answer.status_code == 422
    assert "Er klopt nog iets niet" in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert await intake.all_events() == []
    young = await intake.client.post(
        FORM, data=_fields(await _open(intake), capacity="client"), headers=ORIGIN
    )
    assert young.status_code == 422
    assert "jonger dan 12 jaar" in young.text
    assert "Mijn zoon krijgt geen antwoord" in young.text  # what was typed is kept
    assert await intake.all_events() == []


async def test_a_form_from_elsewhere_or_without_its_csrf_value_is_refused(intake: Intake) -> None:
    csrf = await _open(intake)
    foreign = await intake.client.post(FORM, data=_fields(csrf), headers={"Origin": "http://evil.test"})
    assert foreign.status_code == 403
    wrong = await intake.client.post(FORM, data=_fields("not-the-one"), headers=ORIGIN)
    assert wrong.status_code == 403
    assert await intake.all_events() == []
