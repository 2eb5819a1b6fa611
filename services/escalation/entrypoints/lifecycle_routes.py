"""The informal and formal route of a case over HTTP: one ``POST …/commands/<name>`` per command.

Each route checks the roles of :mod:`~services.escalation.entrypoints.roles`, builds the contract command
from its body and runs it through the staff workflow (:class:`StaffCall.run`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from contracts.commands import (
    AnnounceMeasures,
    AssignComplaintsOfficer,
    ConcludeMediation,
    DecideAdmissibility,
    Escalate,
    FileComplaint,
    GiveJudgement,
    RecordFirstContact,
    RecordHearing,
    RecordInformalConversation,
    ReferExternally,
    RequestJudgement,
    ScheduleHearing,
    StartMediation,
)
from contracts.vocabulary import Role
from services.escalation.entrypoints import roles
from services.escalation.entrypoints.lifecycle_requests import (
    AnnounceMeasuresRequest,
    AssignComplaintsOfficerRequest,
    ConcludeMediationRequest,
    DecideAdmissibilityRequest,
    EscalateRequest,
    FileComplaintRequest,
    GiveJudgementRequest,
    RecordFirstContactRequest,
    RecordHearingRequest,
    RecordInformalConversationRequest,
    ReferExternallyRequest,
    RequestJudgementRequest,
    ScheduleHearingRequest,
    StartMediationRequest,
)
from services.escalation.entrypoints.staff_access import CommandAccepted, StaffCall, command_route, staff

router = APIRouter()
INFORMAL, FORMAL = "informal route", "formal route"


@router.post(
    **command_route("record-first-contact", "Record the first contact", roles.RECORD_FIRST_CONTACT, INFORMAL)
)
async def record_first_contact(
    body: RecordFirstContactRequest, call: Annotated[StaffCall, Depends(staff(roles.RECORD_FIRST_CONTACT))]
) -> CommandAccepted:
    return await call.run(call.build(RecordFirstContact, body))


@router.post(
    **command_route(
        "record-informal-conversation",
        "Record a conversation at an informal step",
        roles.RECORD_INFORMAL_CONVERSATION,
        INFORMAL,
    )
)
async def record_informal_conversation(
    body: RecordInformalConversationRequest,
    call: Annotated[StaffCall, Depends(staff(roles.RECORD_INFORMAL_CONVERSATION))],
) -> CommandAccepted:
    return await call.run(call.build(RecordInformalConversation, body))


@router.post(
    **command_route("escalate", "Move the case to a next step of the ladder", roles.ESCALATE, INFORMAL)
)
async def escalate(
    body: EscalateRequest, call: Annotated[StaffCall, Depends(staff(roles.ESCALATE))]
) -> CommandAccepted:
    return await call.run(call.build(Escalate, body))


@router.post(
    **command_route(
        "assign-complaints-officer", "Assign a complaints officer", roles.ASSIGN_COMPLAINTS_OFFICER, INFORMAL
    )
)
async def assign_complaints_officer(
    body: AssignComplaintsOfficerRequest,
    call: Annotated[StaffCall, Depends(staff(roles.ASSIGN_COMPLAINTS_OFFICER))],
) -> CommandAccepted:
    return await call.run(call.build(AssignComplaintsOfficer, body))


@router.post(**command_route("start-mediation", "Start mediation", roles.MEDIATION, INFORMAL))
async def start_mediation(
    body: StartMediationRequest, call: Annotated[StaffCall, Depends(staff(roles.MEDIATION))]
) -> CommandAccepted:
    return await call.run(call.build(StartMediation, body))


@router.post(**command_route("conclude-mediation", "Conclude mediation", roles.MEDIATION, INFORMAL))
async def conclude_mediation(
    body: ConcludeMediationRequest, call: Annotated[StaffCall, Depends(staff(roles.MEDIATION))]
) -> CommandAccepted:
    return await call.run(call.build(ConcludeMediation, body))


@router.post(**command_route("file-complaint", "File a complaint on this case", roles.FILE_COMPLAINT, FORMAL))
async def file_complaint(
    body: FileComplaintRequest, call: Annotated[StaffCall, Depends(staff(roles.FILE_COMPLAINT))]
) -> CommandAccepted:
    return await call.run(call.build(FileComplaint, body))


@router.post(
    **command_route(
        "decide-admissibility", "Decide whether the complaint is handled", roles.DECIDE_ADMISSIBILITY, FORMAL
    )
)
async def decide_admissibility(
    body: DecideAdmissibilityRequest, call: Annotated[StaffCall, Depends(staff(roles.DECIDE_ADMISSIBILITY))]
) -> CommandAccepted:
    return await call.run(call.build(DecideAdmissibility, body))


@router.post(
    **command_route("request-judgement", "Record a request for a judgement", roles.REQUEST_JUDGEMENT, FORMAL)
)
async def request_judgement(
    body: RequestJudgementRequest, call: Annotated[StaffCall, Depends(staff(roles.REQUEST_JUDGEMENT))]
) -> CommandAccepted:
    return await call.run(call.build(RequestJudgement, body))


@router.post(**command_route("schedule-hearing", "Schedule a hearing", roles.SCHEDULE_HEARING, FORMAL))
async def schedule_hearing(
    body: ScheduleHearingRequest, call: Annotated[StaffCall, Depends(staff(roles.SCHEDULE_HEARING))]
) -> CommandAccepted:
    return await call.run(call.build(ScheduleHearing, body))


@router.post(**command_route("record-hearing", "Record a hearing held", roles.RECORD_HEARING, FORMAL))
async def record_hearing(
    body: RecordHearingRequest, call: Annotated[StaffCall, Depends(staff(roles.RECORD_HEARING))]
) -> CommandAccepted:
    return await call.run(call.build(RecordHearing, body))


@router.post(
    **command_route(
        "give-judgement", "Give the judgement, as the judge it names", roles.GIVE_JUDGEMENT, FORMAL
    )
)
async def give_judgement(
    body: GiveJudgementRequest, call: Annotated[StaffCall, Depends(staff(roles.GIVE_JUDGEMENT))]
) -> CommandAccepted:
    judge = call.acting_as(Role(body.judge.value))
    return await judge.run(judge.build(GiveJudgement, body))


@router.post(
    **command_route(
        "announce-measures", "Announce whether measures are taken", roles.ANNOUNCE_MEASURES, FORMAL
    )
)
async def announce_measures(
    body: AnnounceMeasuresRequest, call: Annotated[StaffCall, Depends(staff(roles.ANNOUNCE_MEASURES))]
) -> CommandAccepted:
    return await call.run(call.build(AnnounceMeasures, body))


@router.post(**command_route("refer-externally", "Refer to an external body", roles.REFER_EXTERNALLY, FORMAL))
async def refer_externally(
    body: ReferExternallyRequest, call: Annotated[StaffCall, Depends(staff(roles.REFER_EXTERNALLY))]
) -> CommandAccepted:
    return await call.run(call.build(ReferExternally, body))
