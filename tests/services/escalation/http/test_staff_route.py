"""A whole case through the staff API under the published SO! Trainingsbureau procedure: a signal opened
by intake's decider, the mentor, the manager, the complaints officer's mediation, a complaint, its
admissibility, the director's judgement (its term extended once), measures, closing; the stream and the
derived deadlines checked on the way."""

from __future__ import annotations

from datetime import date
from typing import Any

from staff_helpers import Staff, on

from contracts.vocabulary import Role

CONVERSATION = "record-informal-conversation"


async def test_a_whole_case_walks_through_the_staff_api(staff: Staff) -> None:
    staff.clock.now = on(date(2026, 3, 5))
    case_id = await staff.open_case()
    assert await staff.types(case_id) == ["SignalReceived", "CaseReferenceAssigned", "ProcedurePolicyPinned"]

    async def send(day: date, name: str, role: Role, body: dict[str, Any]) -> dict[str, Any]:
        staff.clock.now = on(day)
        answer: dict[str, Any] = (await staff.as_role(case_id, name, body, role.value)).json()
        return answer

    talk = {"held_on": "2026-03-06", "step": "care_worker", "result": "unresolved"}
    first = await send(date(2026, 3, 6), CONVERSATION, Role.CARE_WORKER, talk)
    assert (first["appended"], first["version"], first["replayed"]) == (
        ["InformalConversationHeld"],
        3,
        False,
    )
    up = {"to_step": "manager", "reason": "unresolved"}
    await send(date(2026, 3, 9), "escalate", Role.CARE_WORKER, up)
    talk = {"held_on": "2026-03-10", "step": "manager", "result": "unresolved", "with_staff_id": "mgr-1"}
    await send(date(2026, 3, 10), CONVERSATION, Role.MANAGER, talk)
    up = {"to_step": "complaints_officer", "reason": "unresolved"}
    await send(date(2026, 3, 11), "escalate", Role.MANAGER, up)
    await send(date(2026, 3, 11), "assign-complaints-officer", Role.MANAGER, {"officer_id": "kf-0001"})
    mediator = {"mediator_role": "complaints_officer", "mediator_id": "kf-0001"}
    await send(date(2026, 3, 12), "start-mediation", Role.COMPLAINTS_OFFICER, mediator)
    await send(date(2026, 3, 13), "conclude-mediation", Role.COMPLAINTS_OFFICER, {"result": "unresolved"})
    complaint = {
        "filed_with": "complaints_officer",
        "channel": "letter",
        "received_on": "2026-03-16",
        "written": True,
        "description": "Bemiddeling heeft niet geholpen.",
    }
    filed = await send(date(2026, 3, 16), "file-complaint", Role.COMPLAINTS_OFFICER, complaint)
    assert filed["appended"] == ["ComplaintFiled", "TermStarted", "TermStarted"]
    admissible = {"admissible": True}
    await send(date(2026, 3, 17), "decide-admissibility", Role.COMPLAINTS_OFFICER, admissible)
    request = {"judge": "director", "requested_on": "2026-03-18", "written": True}
    asked = await send(date(2026, 3, 18), "request-judgement", Role.COMPLAINTS_OFFICER, request)
    assert asked["appended"] == ["JudgementRequested", "TermStarted"]

    running = await staff.deadlines(case_id, staff.token("director"))
    assert running.status_code == 200, running.text
    terms = {d["kind"]: d for d in running.json()["deadlines"]}
    assert running.json()["policy"] == {"policy_id": "so-trainingsbureau", "policy_version": 1}
    assert set(terms) == {"judgement", "disputes_committee_filing"}  # admissibility was met
    assert (terms["judgement"]["due_on"], terms["judgement"]["extended"]) == ("2026-04-29", False)
    assert terms["judgement"]["warning_on"] < terms["judgement"]["due_on"]

    extend = {"deadline": "judgement", "new_due_on": "2026-05-27", "reason": "Wacht op stukken."}
    await send(date(2026, 4, 20), "extend-term", Role.DIRECTOR, extend)
    extended = {
        d["kind"]: d for d in (await staff.deadlines(case_id, staff.token("director"))).json()["deadlines"]
    }
    assert (extended["judgement"]["due_on"], extended["judgement"]["extended"]) == ("2026-05-27", True)

    judgement = {
        "judge": "director",
        "outcome": "partly_upheld",
        "reasoning": "Deels gegrond.",
        "given_on": "2026-05-20",
    }
    judged = await send(date(2026, 5, 20), "give-judgement", Role.DIRECTOR, judgement)
    assert judged["appended"] == ["JudgementGiven", "NotificationRequested", "TermStarted"]
    measures = {"measures_taken": True, "measures": ["Teamtraining."], "implementation_due_on": "2026-09-01"}
    await send(date(2026, 6, 10), "announce-measures", Role.DIRECTOR, measures)
    closing = {"resolution": "judged", "outcome": "partly_upheld"}
    closed = await send(date(2026, 6, 15), "close", Role.COMPLAINTS_OFFICER, closing)
    assert closed["appended"] == ["CaseClosed", "NotificationRequested", "TermStarted"]

    case = await staff.load(case_id)
    assert [e.type for e in case.events] == [
        "SignalReceived",
        "CaseReferenceAssigned",
        "ProcedurePolicyPinned",
        "InformalConversationHeld",
        "EscalatedToNextStep",
        "InformalConversationHeld",
        "EscalatedToNextStep",
        "ComplaintsOfficerAssigned",
        "MediationStarted",
        "MediationConcluded",
        "ComplaintFiled",
        "TermStarted",
        "TermStarted",
        "AdmissibilityDecided",
        "JudgementRequested",
        "TermStarted",
        "TermExtended",
        "NotificationRequested",
        "JudgementGiven",
        "NotificationRequested",
        "TermStarted",
        "MeasuresAnnounced",
        "NotificationRequested",
        "CaseClosed",
        "NotificationRequested",
        "TermStarted",
    ]
    assert closed["version"] == case.version == len(case.events) - 1
    closing_events = [e for e in case.events if str(e.causation_id) == closed["command_id"]]
    assert len(closing_events) == 3
    assert {(e.actor.id, e.actor.role) for e in closing_events} == {("account-0001", Role.COMPLAINTS_OFFICER)}
    assert {e.occurred_at for e in closing_events} == {on(date(2026, 6, 15))}
    judgement_given = next(e for e in case.events if e.type == "JudgementGiven")
    assert judgement_given.actor.role is Role.DIRECTOR

    after = await staff.deadlines(case_id, staff.token("auditor"), include_finished=True)
    by_kind = {d["kind"]: d for d in after.json()["deadlines"]}
    assert by_kind["judgement"]["running"] is False
    assert (by_kind["retention"]["due_on"], by_kind["retention"]["running"]) == ("2028-06-15", True)
    only_running = (await staff.deadlines(case_id, staff.token("auditor"))).json()["deadlines"]
    assert [d["kind"] for d in only_running] == [k for k, d in by_kind.items() if d["running"]]
