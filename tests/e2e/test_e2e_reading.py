"""Each reading role does its part over HTTP through the running processes, on a case of Ik ben er ook!
walked to the committee's judgement (``reading_case``): the complaints officer, a committee member, the
confidant, an auditor and the privacy officer each read what the case file's role table gives them
(docs/casefile.md) and nothing else; the auditor also replays the case as of a moment before the
judgement and now, and ``klachtspoor verify`` finds its chain intact; the privacy officer reads who looked
and erases a case of its own. Each test reads with tokens of its own subjects, so the tests run in any
order."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import httpx
import pytest
from e2e_stack import Stack
from reading_case import (
    ERASED,
    TEXT,
    JudgedCase,
    case_file,
    contacts,
    escalation_get,
    history,
    step,
    token,
    verify,
    walk_to_judgement,
)

from klachtspoor.eventstore.port import EventStore

pytestmark = pytest.mark.slow
SHARED_STACK = True

FILE_CHANNEL = "GET /v1/tenants/{tenant}/cases/{case_id}/file"
HISTORY_CHANNEL = "GET /v1/tenants/{tenant}/cases/{case_id}/history"
ORGANISATION_ROLES = (
    "care_worker",
    "manager",
    "complaints_officer",
    "director",
    "complaints_committee",
    "office_manager",
    "municipal_generalist",
    "auditor",
)
"""The care organisation's roles that read a case file: none of them reads the confidant's notes."""


@pytest.fixture(scope="module")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=30) as opened:
        yield opened


@pytest.fixture(scope="module")
async def judged(stack: Stack, store: EventStore, client: httpx.AsyncClient) -> JudgedCase:
    return await walk_to_judgement(stack, store, client)


async def test_the_complaints_officer_reads_contact_description_and_reasoning_not_the_confidants_notes(
    judged: JudgedCase,
) -> None:
    walk = judged.walk
    body = await case_file(walk, token(walk, "complaints_officer", "kf-e2e-reader"))

    assert body["read_as"] == "complaints_officer"
    assert body["complainant"]["email"] == TEXT["complainant.contact"]
    assert body["description"] == {
        "signal": TEXT["signal"],
        "complaint": TEXT["complaint"],
        "desired_outcome": None,
    }
    assert step(body, "JudgementGiven", "reasoning") == TEXT["reasoning"]
    assert step(body, "InformalConversationHeld", "notes") == TEXT["steps.notes"]
    [contact] = contacts(body)
    assert (contact["confidant_id"], contact["summary"], contact["client_name"]) == (
        judged.confidant,
        None,
        None,
    )
    assert "support.confidant.notes" not in body["shown"]
    assert TEXT["confidant.summary"] not in str(body)


async def test_a_committee_member_reads_what_the_committee_judges_on_and_no_support(
    judged: JudgedCase,
) -> None:
    walk = judged.walk
    body = await case_file(walk, token(walk, "complaints_committee", "cie-e2e-reader"))

    assert body["read_as"] == "complaints_committee"
    assert body["description"]["complaint"] == TEXT["complaint"]
    assert step(body, "CommitteeHearingHeld", "minutes") == TEXT["minutes"]
    assert step(body, "JudgementGiven", "reasoning") == TEXT["reasoning"]
    assert step(body, "AdmissibilityDecided", "explanation") == TEXT["admissibility"]
    assert body["support"] is None or body["support"] == {"confidant": None, "safety": None}
    assert not {"support.confidant", "support.safety"} & set(body["shown"])
    assert TEXT["confidant.summary"] not in str(body)
    assert TEXT["safety"] not in str(body)


async def test_the_confidant_reads_its_own_contacts_notes_and_the_organisation_does_not(
    judged: JudgedCase,
) -> None:
    walk = judged.walk
    own = await case_file(walk, walk.token("confidant"))  # the token that registered the contact

    assert own["read_as"] == "confidant"
    [contact] = contacts(own)
    assert (contact["summary"], contact["client_name"]) == (
        TEXT["confidant.summary"],
        TEXT["complainant.name"],
    )
    assert "support.confidant.notes" in own["shown"]
    another = await case_file(walk, token(walk, "confidant", "vp-e2e-other"))
    assert [c["summary"] for c in contacts(another)] == [None]
    for role in ORGANISATION_ROLES:
        body = await case_file(walk, token(walk, role, f"e2e-{role.replace('_', '-')}-notes"))
        assert body["read_as"] == role
        assert "support.confidant.notes" not in body["shown"], role
        assert TEXT["confidant.summary"] not in str(body), f"{role} reads the confidant's notes"


async def test_the_auditor_reads_the_handling_without_the_complainants_contact_or_the_notes(
    judged: JudgedCase,
) -> None:
    walk = judged.walk
    body = await case_file(walk, token(walk, "auditor", "audit-e2e-reader"))

    assert body["read_as"] == "auditor"
    assert body["complainant"]["email"] is None
    assert "complainant.contact" not in body["shown"]
    assert TEXT["complainant.contact"] not in str(body)
    assert step(body, "CommitteeHearingHeld", "minutes") == TEXT["minutes"]
    assert step(body, "JudgementGiven", "reasoning") == TEXT["reasoning"]
    assert [c["summary"] for c in contacts(body)] == [None]
    assert TEXT["confidant.summary"] not in str(body)


async def test_the_auditor_replays_the_case_before_and_after_the_judgement(
    judged: JudgedCase, store: EventStore
) -> None:
    walk = judged.walk
    auditor = token(walk, "auditor", "audit-e2e-history")
    before = await history(walk, auditor, judged.before_judgement)
    now = await history(walk, auditor)

    assert "JudgementGiven" not in [e["type"] for e in before["timeline"]]
    assert (before["state"]["judgement"], before["state"]["hearings_held"]) == (None, 1)
    assert before["recorded_after"] >= 1
    assert now["state"]["judgement"] == "partly_upheld"
    [judgement] = [e for e in now["timeline"] if e["type"] == "JudgementGiven"]
    assert judgement["actor"] == {"id": "e2e-complaints_committee", "role": "complaints_committee"}
    [recorded] = [e for e in await store.read_stream(walk.stream) if e.type == "JudgementGiven"]
    assert datetime.fromisoformat(judgement["recorded_at"]) == recorded.recorded_at
    assert datetime.fromisoformat(judgement["recorded_at"]) > judged.before_judgement
    occurred = datetime.fromisoformat(judgement["occurred_at"])
    assert occurred == datetime.fromisoformat(recorded.metadata["occurred_at"])
    assert "reasoning" in judgement["withheld"]  # the history shows the handling, no personal value
    assert TEXT["reasoning"] not in str(now)
    assert len(now["timeline"]) == len(await store.read_stream(walk.stream))
    assert now["chain"]["status"] == "intact"


async def test_the_auditor_finds_the_cases_hash_chain_intact(judged: JudgedCase, store: EventStore) -> None:
    """``klachtspoor verify`` as its own process against the stack's database."""
    code, outcome = await verify(judged.walk)

    assert (code, outcome["intact"], outcome["chain_break"]) == (0, True, None)
    recorded = await store.read_stream(judged.walk.stream)
    assert (outcome["checked"], outcome["streams"], outcome["unchained"]) == (len(recorded), 1, 0)


def _records(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, f"access log: {response.status_code} {response.text}"
    records: list[dict[str, Any]] = response.json()["records"]
    return records


async def test_the_privacy_officer_reads_who_looked_at_a_case_and_what_one_person_saw(
    judged: JudgedCase,
) -> None:
    walk = judged.walk
    readers = {
        "complaints_officer": "kf-e2e-logged",
        "complaints_committee": "cie-e2e-logged",
        "auditor": "audit-e2e-logged",
    }
    shown = {}
    for role, subject in readers.items():
        shown[subject] = (await case_file(walk, token(walk, role, subject)))["shown"]
    refused = await escalation_get(
        walk, f"/cases/{walk.case_id}/file", token(walk, "administrator", "adm-e2e")
    )
    assert refused.status_code == 403, refused.text
    officer = token(walk, "privacy_officer", "fg-e2e-0001")

    log = _records(await escalation_get(walk, f"/access-log/cases/{walk.case_id}", officer))

    by_subject: dict[str, list[dict[str, Any]]] = {}
    for record in log:
        by_subject.setdefault(record["subject"], []).append(record)
    for role, subject in readers.items():
        [record] = by_subject[subject]
        assert (record["role"], record["outcome"], record["status"]) == (role, "served", 200)
        assert (record["channel"], record["case_id"]) == (FILE_CHANNEL, str(walk.case_id))
        assert list(record["shown"]) == shown[subject]
    [refusal] = by_subject["adm-e2e"]
    assert (refusal["role"], refusal["outcome"], refusal["status"], refusal["shown"]) == (
        "administrator",
        "refused",
        403,
        [],
    )
    assert all(r["case_id"] == str(walk.case_id) for r in log)
    replayed = await history(walk, token(walk, "auditor", "audit-e2e-logged"))  # a second look
    person = _records(await escalation_get(walk, "/access-log/people/audit-e2e-logged", officer))
    assert [(r["case_id"], r["role"], r["outcome"], r["channel"]) for r in person] == [
        (str(walk.case_id), "auditor", "served", FILE_CHANNEL),
        (str(walk.case_id), "auditor", "served", HISTORY_CHANNEL),
    ]
    assert list(person[1]["shown"]) == ["state", "terms", "timeline", "chain"]
    assert replayed["case_id"] == str(walk.case_id)
    assert TEXT["complainant.contact"] not in str(log) + str(person)


async def test_the_privacy_officer_erases_a_case_and_the_file_shows_the_placeholders(
    stack: Stack, store: EventStore, client: httpx.AsyncClient
) -> None:
    """On a case of its own, so the other tests read theirs whatever the order."""
    erased = await walk_to_judgement(stack, store, client)
    walk = erased.walk
    officer = token(walk, "privacy_officer", "fg-e2e-0002")

    appended = await walk.send("erase", {"reason": "erasure_request"}, "privacy_officer")

    assert appended == ["PersonalDataErased"]
    body = await case_file(walk, token(walk, "complaints_officer", "kf-e2e-after"))
    assert body["erased"] is True
    assert body["complainant"]["name"] == ERASED
    assert body["complainant"]["email"] == ERASED
    assert body["description"]["signal"] == ERASED
    assert body["description"]["complaint"] == ERASED
    assert step(body, "JudgementGiven", "reasoning") == ERASED
    assert step(body, "JudgementGiven", "outcome") == "partly_upheld"  # the handling stays readable
    for value in TEXT.values():
        assert value not in str(body)
    replayed = await history(walk, token(walk, "auditor", "audit-e2e-after"))
    assert (replayed["state"]["erased"], replayed["state"]["judgement"]) == (True, "partly_upheld")
    assert replayed["timeline"][-1]["type"] == "PersonalDataErased"
    code, outcome = await verify(walk)
    assert (code, outcome["intact"]) == (0, True), "erasure changes no stored byte"
    assert outcome["checked"] == len(await store.read_stream(walk.stream))
    refused = await escalation_get(walk, f"/cases/{walk.case_id}/file", officer)
    assert refused.status_code == 403, refused.text
    log = _records(await escalation_get(walk, f"/access-log/cases/{walk.case_id}", officer))
    assert [(r["role"], r["outcome"], r["status"]) for r in log if r["subject"] == "fg-e2e-0002"] == [
        ("privacy_officer", "refused", 403)
    ]
