"""Bad input answers 422 naming the field and writes nothing; the request bodies are the contract
commands' own fields (a pure check, so the two cannot drift apart)."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from pydantic import BaseModel, ValidationError
from staff_helpers import Staff

from contracts.base import Command
from contracts.commands import (
    AnnounceMeasures,
    AssignComplaintsOfficer,
    Close,
    ConcludeMediation,
    DecideAdmissibility,
    Escalate,
    ExtendTerm,
    FileComplaint,
    GiveConsent,
    GiveJudgement,
    LiftConfidentiality,
    RecordFirstContact,
    RecordHearing,
    RecordInformalConversation,
    ReferExternally,
    Reopen,
    RequestJudgement,
    ResumeTerm,
    ScheduleHearing,
    StartMediation,
    SuspendTerm,
    Withdraw,
    WithdrawConsent,
)
from services.escalation.domain.commands import (
    ConfidantContactsOrganisation,
    ConfidantRegistersContact,
    LinkToOriginal,
    RaiseSafetyConcernCommand,
)
from services.escalation.entrypoints import lifecycle_requests as lr
from services.escalation.entrypoints import support_requests as sr

SERVER_FILLED = {"command_id", "tenant", "case_id", "actor", "now"}
BODIES: list[tuple[type[BaseModel], type[Command], set[str]]] = [
    (lr.RecordFirstContactRequest, RecordFirstContact, set()),
    (lr.RecordInformalConversationRequest, RecordInformalConversation, set()),
    (lr.EscalateRequest, Escalate, set()),
    (lr.FileComplaintRequest, FileComplaint, {"policy_id", "policy_version"}),
    (lr.DecideAdmissibilityRequest, DecideAdmissibility, set()),
    (lr.AssignComplaintsOfficerRequest, AssignComplaintsOfficer, set()),
    (lr.StartMediationRequest, StartMediation, set()),
    (lr.ConcludeMediationRequest, ConcludeMediation, set()),
    (lr.RequestJudgementRequest, RequestJudgement, set()),
    (lr.ScheduleHearingRequest, ScheduleHearing, set()),
    (lr.RecordHearingRequest, RecordHearing, set()),
    (lr.GiveJudgementRequest, GiveJudgement, set()),
    (lr.AnnounceMeasuresRequest, AnnounceMeasures, set()),
    (lr.ReferExternallyRequest, ReferExternally, set()),
    (lr.ExtendTermRequest, ExtendTerm, set()),
    (lr.SuspendTermRequest, SuspendTerm, set()),
    (lr.ResumeTermRequest, ResumeTerm, set()),
    (lr.WithdrawRequest, Withdraw, set()),
    (lr.ReopenRequest, Reopen, set()),
    (lr.LinkAsDuplicateRequest, LinkToOriginal, {"original_found"}),
    (lr.CloseRequest, Close, set()),
    (sr.RegisterConfidantContactRequest, ConfidantRegistersContact, {"confidant_id", "organisation"}),
    (sr.ContactOrganisationRequest, ConfidantContactsOrganisation, {"organisation"}),
    (sr.GiveConsentRequest, GiveConsent, set()),
    (sr.WithdrawConsentRequest, WithdrawConsent, set()),
    (sr.RaiseSafetyConcernRequest, RaiseSafetyConcernCommand, set()),
    (sr.LiftConfidentialityRequest, LiftConfidentiality, set()),
]


@pytest.mark.parametrize(("body", "command", "filled"), BODIES, ids=[b[0].__name__ for b in BODIES])
def test_a_request_body_has_the_commands_fields_and_is_frozen_and_strict(
    body: type[BaseModel], command: type[Command], filled: set[str]
) -> None:
    fields = {
        name: field for name, field in command.model_fields.items() if name not in SERVER_FILLED | filled
    }
    assert set(body.model_fields) == set(fields)
    for name, field in fields.items():
        mirrored = body.model_fields[name]
        assert _bare(mirrored.annotation) == _bare(field.annotation), name
        assert mirrored.is_required() == field.is_required(), name
    assert body.model_config.get("frozen") is True
    assert body.model_config.get("extra") == "forbid"
    with pytest.raises(ValidationError):
        body.model_validate({"not_a_field": 1})


def _bare(annotation: Any) -> Any:
    """The type without ``Annotated`` validators: a body's ``JsonDate | None`` mirrors ``date | None``."""
    if get_origin(annotation) is Annotated:
        return _bare(get_args(annotation)[0])
    if get_origin(annotation) is Union:
        return reduce(or_, (_bare(arg) for arg in get_args(annotation)))
    return annotation


def _fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


async def test_invalid_bodies_answer_422_naming_the_field_and_append_nothing(staff: Staff) -> None:
    case_id = await staff.open_case()
    token = staff.token("care_worker", "complaints_officer")
    talk = {"held_on": "2026-03-05", "step": "care_worker", "result": "unresolved"}
    cases: list[tuple[str, dict[str, Any], list[str]]] = [
        ("record-informal-conversation", {k: v for k, v in talk.items() if k != "step"}, ["body.step"]),
        ("record-informal-conversation", {**talk, "mood": "boos"}, ["body.mood"]),
        ("record-informal-conversation", {**talk, "result": "maybe"}, ["body.result"]),
        ("record-informal-conversation", {**talk, "held_on": "gisteren"}, ["body.held_on"]),
        # The contract's own cross-field rules: a formal step is not an informal conversation, an
        # inadmissible complaint names its ground.
        ("record-informal-conversation", {**talk, "step": "director"}, ["body"]),
        ("decide-admissibility", {"admissible": False}, ["body"]),
    ]
    for name, body, fields in cases:
        response = await staff.command(case_id, name, body, token)
        assert response.status_code == 422, (name, body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert _fields(response) == fields, (name, body)
        assert response.json()["detail"].startswith("Check these fields: ")
    assert len(await staff.types(case_id)) == 3


async def test_a_bad_case_id_or_idempotency_key_is_named_too(staff: Staff) -> None:
    token = staff.token("care_worker")
    path = f"/v1/tenants/{staff.tenant}/cases/niet-een-uuid/commands/withdraw"
    bad_case = await staff.client.post(path, json={}, headers={"Authorization": f"Bearer {token}"})
    assert (bad_case.status_code, _fields(bad_case)) == (422, ["path.case_id"])
    case_id = await staff.open_case()
    bad_key = await staff.command(case_id, "withdraw", {}, token, key="met spatie")
    assert (bad_key.status_code, _fields(bad_key)) == (422, ["header.Idempotency-Key"])
    assert len(await staff.types(case_id)) == 3
