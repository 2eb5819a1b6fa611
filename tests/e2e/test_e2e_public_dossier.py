"""A parent without an account, through the whole stack (every service its own process, as ``make dev``):
files at the demo organisation through the public way in, receives the acknowledgement mail, finds the
same letter in the dossier, withdraws through the dossier, and finds the withdrawal's letter there too;
the case holds one withdrawal (docs/public.md)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from e2e_helpers import mails_mentioning
from e2e_stack import TENANT, Stack, eventually

pytestmark = pytest.mark.slow
SHARED_STACK = True

WITHIN = 60.0


async def test_a_parent_files_reads_the_letters_in_the_dossier_and_withdraws(stack: Stack) -> None:
    complaint = {
        "capacity": "legal_representative",
        "client_age_band": "under_12",
        "raised_with": "care_worker",
        "description": "Mijn zoon krijgt geen antwoord op zijn vragen.",
        "name": "Ouder van Daan",
        "email": "ouder.daan@example.org",
    }
    async with httpx.AsyncClient(timeout=30) as client:
        filed = await client.post(
            f"{stack.url('intake')}/v1/public/tenants/{TENANT}/complaints", json=complaint
        )
        assert filed.status_code == 201, filed.text
        receipt = filed.json()
        key = {"reference": receipt["reference"], "secret": receipt["secret"]}
        dossier_url = f"{stack.url('escalation')}/v1/public/tenants/{TENANT}/dossier"

        async def letters_sent(kind: str) -> dict[str, Any] | None:
            answer = await client.post(dossier_url, json=key)
            if answer.status_code != 200:
                return None  # the dossier's index has not seen the reference yet
            letters = [
                letter for letter in answer.json()["letters"] if letter["kind"] == kind and letter["text"]
            ]
            return letters[0] if letters else None

        acknowledgement = await eventually(
            lambda: letters_sent("acknowledgement"), stack, within=WITHIN, what="the acknowledgement"
        )
        assert receipt["reference"] in acknowledgement["text"]
        mails = mails_mentioning(stack.mail_dir, receipt["reference"], to=complaint["email"])
        assert mails, "no acknowledgement mail in the sink"
        assert acknowledgement["text"].split("\n")[0] in str(mails[0].get_body(preferencelist=("plain",)))

        withdrawn = await client.post(
            f"{dossier_url}/commands/withdraw", json=key, headers={"Idempotency-Key": "w"}
        )
        assert withdrawn.status_code == 200, withdrawn.text
        again = await client.post(
            f"{dossier_url}/commands/withdraw", json=key, headers={"Idempotency-Key": "w"}
        )
        assert again.json()["replayed"] is True
        confirmation = await eventually(
            lambda: letters_sent("withdrawal_confirmed"), stack, within=WITHIN, what="the withdrawal letter"
        )
        assert receipt["reference"] in confirmation["text"]
        dossier = (await client.post(dossier_url, json=key)).json()
        assert dossier["standing"] == "withdrawn"
        assert [letter["kind"] for letter in dossier["letters"]].count("withdrawal_confirmed") == 1
