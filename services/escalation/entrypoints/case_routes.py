"""The case as a whole and its terms over HTTP: extend, suspend and resume a term; withdraw, reopen, link
as a duplicate, close; erase its personal data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from contracts.commands import (
    Close,
    ErasePersonalData,
    ExtendTerm,
    Reopen,
    ResumeTerm,
    SuspendTerm,
    Withdraw,
)
from services.escalation.domain import LinkToOriginal
from services.escalation.entrypoints import roles
from services.escalation.entrypoints.lifecycle_requests import (
    CloseRequest,
    EraseRequest,
    ExtendTermRequest,
    LinkAsDuplicateRequest,
    ReopenRequest,
    ResumeTermRequest,
    SuspendTermRequest,
    WithdrawRequest,
)
from services.escalation.entrypoints.staff_access import CommandAccepted, StaffCall, command_route, staff

router = APIRouter()
TERMS, CASE, PRIVACY = "terms", "case", "privacy"


@router.post(**command_route("extend-term", "Extend a running term once", roles.TERMS, TERMS))
async def extend_term(
    body: ExtendTermRequest, call: Annotated[StaffCall, Depends(staff(roles.TERMS))]
) -> CommandAccepted:
    return await call.run(call.build(ExtendTerm, body))


@router.post(**command_route("suspend-term", "Suspend a running term", roles.TERMS, TERMS))
async def suspend_term(
    body: SuspendTermRequest, call: Annotated[StaffCall, Depends(staff(roles.TERMS))]
) -> CommandAccepted:
    return await call.run(call.build(SuspendTerm, body))


@router.post(**command_route("resume-term", "Resume a suspended term", roles.TERMS, TERMS))
async def resume_term(
    body: ResumeTermRequest, call: Annotated[StaffCall, Depends(staff(roles.TERMS))]
) -> CommandAccepted:
    return await call.run(call.build(ResumeTerm, body))


@router.post(**command_route("withdraw", "Record that the complainant withdrew", roles.WITHDRAW, CASE))
async def withdraw(
    body: WithdrawRequest, call: Annotated[StaffCall, Depends(staff(roles.WITHDRAW))]
) -> CommandAccepted:
    return await call.run(call.build(Withdraw, body))


@router.post(**command_route("reopen", "Reopen a closed case", roles.REOPEN, CASE))
async def reopen(
    body: ReopenRequest, call: Annotated[StaffCall, Depends(staff(roles.REOPEN))]
) -> CommandAccepted:
    return await call.run(call.build(Reopen, body))


@router.post(
    **command_route(
        "link-as-duplicate", "Close as a duplicate of another case", roles.LINK_AS_DUPLICATE, CASE
    )
)
async def link_as_duplicate(
    body: LinkAsDuplicateRequest, call: Annotated[StaffCall, Depends(staff(roles.LINK_AS_DUPLICATE))]
) -> CommandAccepted:
    found = await call.case_exists(body.original_case_id)
    return await call.run(call.build(LinkToOriginal, body, original_found=found))


@router.post(**command_route("close", "Close the case with the resolution it reached", roles.CLOSE, CASE))
async def close(
    body: CloseRequest, call: Annotated[StaffCall, Depends(staff(roles.CLOSE))]
) -> CommandAccepted:
    return await call.run(call.build(Close, body))


@router.post(
    **command_route(
        "erase", "Erase the case's personal data for good (its key is shredded)", roles.ERASE, PRIVACY
    )
)
async def erase(
    body: EraseRequest, call: Annotated[StaffCall, Depends(staff(roles.ERASE))]
) -> CommandAccepted:
    return await call.run(call.build(ErasePersonalData, body))
