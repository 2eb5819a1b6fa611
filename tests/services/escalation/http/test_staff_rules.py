"""Rules of the procedures over HTTP: a duplicate links only to a case of the same tenant, the committee
records its own first contact after an earlier step had one, and judges only when both sides were heard
or one refused on record. Each rejection answers a problem document and appends nothing."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from staff_helpers import OTHER_PROVIDER, Staff, on

IK_BEN_ER_OOK = "ik-ben-er-ook"
SAVE = "save-veilig-thuis-utrecht"
OPENING = ["SignalReceived", "CaseReferenceAssigned", "ProcedurePolicyPinned"]


async def test_a_duplicate_links_only_to_a_case_of_the_same_tenant(staff: Staff) -> None:
    case_id = await staff.open_case()
    officer = staff.token("complaints_officer")
    for original in (uuid4(), await _case_of_another_tenant(staff)):
        refused = await staff.command(
            case_id, "link-as-duplicate", {"original_case_id": str(original)}, officer
        )
        assert refused.status_code == 409, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["rule"] == "duplicate_original_unknown"
    assert await staff.types(case_id) == OPENING
    original = await staff.open_case()
    linked = await staff.command(case_id, "link-as-duplicate", {"original_case_id": str(original)}, officer)
    assert linked.status_code == 200, linked.text
    assert linked.json()["appended"][:2] == ["CaseLinkedAsDuplicate", "CaseClosed"]


async def _case_of_another_tenant(staff: Staff) -> UUID:
    """A case in another tenant's stream, under the same id scheme."""
    other = Staff(staff.client, staff.repository, OTHER_PROVIDER, staff.private_key, staff.clock)
    return await other.open_case()


async def test_the_committee_records_its_own_first_contact_after_the_first_step_had_one(staff: Staff) -> None:
    """Ik ben er ook!: the begeleider contacted the client; the complaint then reached the committee one
    step at a time, and the committee's own first contact within two working days is recorded."""
    staff.clock.now = on(date(2026, 3, 5))
    case_id = await staff.open_case(policy=IK_BEN_ER_OOK)
    first = await staff.as_role(case_id, "record-first-contact", {"channel": "phone"}, "care_worker")
    assert first.json()["appended"] == ["FirstContactMade"]
    for to_step, role in (
        ("confidant", "care_worker"),
        ("municipal_generalist", "care_worker"),
        ("complaints_committee", "municipal_generalist"),
    ):
        await staff.as_role(case_id, "escalate", {"to_step": to_step, "reason": "unresolved"}, role)
    complaint = {
        "filed_with": "complaints_committee",
        "channel": "web_form",
        "received_on": "2026-03-09",
        "written": True,
        "description": "Het hielp niet.",
    }
    filed = await staff.as_role(case_id, "file-complaint", complaint, "complaints_committee")
    assert "TermStarted" in filed.json()["appended"]
    staff.clock.now = on(date(2026, 3, 10))
    contacted = await staff.as_role(
        case_id, "record-first-contact", {"channel": "email"}, "complaints_committee"
    )
    assert contacted.json()["appended"] == ["FirstContactMade"]
    deadlines = await staff.deadlines(case_id, staff.token("complaints_committee"))
    assert "first_contact" not in {d["kind"] for d in deadlines.json()["deadlines"]}


async def test_the_committee_judges_only_after_hearing_both_sides(staff: Staff) -> None:
    staff.clock.now = on(date(2026, 3, 5))
    case_id = await staff.open_case(policy=SAVE)
    committee = "complaints_committee"
    complaint = {
        "filed_with": committee,
        "channel": "letter",
        "received_on": "2026-03-05",
        "written": True,
        "description": "Het hielp niet.",
    }
    await staff.as_role(case_id, "file-complaint", complaint, committee)
    request = {"judge": committee, "requested_on": "2026-03-05", "written": True}
    await staff.as_role(case_id, "request-judgement", request, committee)
    judgement = {"judge": committee, "outcome": "upheld", "reasoning": "Gegrond.", "given_on": "2026-03-20"}

    async def hear(parties: list[str], declined: list[str]) -> None:
        hearing_id = str(uuid4())
        scheduled = {"hearing_id": hearing_id, "scheduled_for": "2026-03-12T10:00:00+01:00", "form": "oral"}
        await staff.as_role(case_id, "schedule-hearing", scheduled, committee)
        held = {
            "hearing_id": hearing_id,
            "form": "oral",
            "parties_heard": parties,
            "declined_to_be_heard": declined,
            "members_present": 3,
            "chair_independent": True,
        }
        recorded = await staff.as_role(case_id, "record-hearing", held, committee)
        assert recorded.json()["appended"] == ["CommitteeHearingHeld"]

    await hear(["complainant"], [])
    one_side = await staff.command(case_id, "give-judgement", judgement, staff.token(committee))
    assert (one_side.status_code, one_side.json()["rule"]) == (409, "both_sides_not_heard")
    # The provider heard, the person complained about refusing on record: both sides now are.
    await hear(["provider"], ["person_complained_about"])
    event = (await staff.load(case_id)).events[-1].event
    assert getattr(event, "declined_to_be_heard", None) == ("person_complained_about",)
    judged = await staff.as_role(case_id, "give-judgement", judgement, committee)
    assert judged.json()["appended"][0] == "JudgementGiven"
