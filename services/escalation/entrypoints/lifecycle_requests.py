"""Request bodies of the lifecycle commands: each command's own fields, without what the server fills in
(``command_id``, ``tenant``, ``case_id``, ``actor``, ``now``).

Each body is derived from its contract command (:class:`~klachtspoor.http.bodies.CommandBody`), so
OpenAPI shows exactly what the decider takes and a field added to a command is in its body at once; a
body declares a field itself only to check it further. The contract's cross-field checks run when the
route builds the command, and a failing one answers 422 naming the fields like any other validation
error.
"""

from __future__ import annotations

from pydantic import field_validator

from contracts.base import CaseId
from contracts.commands import (
    AnnounceMeasures,
    AssignComplaintsOfficer,
    Close,
    ConcludeMediation,
    DecideAdmissibility,
    ErasePersonalData,
    Escalate,
    ExtendTerm,
    FileComplaint,
    GiveJudgement,
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
)
from contracts.values import Complainant
from contracts.vocabulary import Judge
from klachtspoor.http.bodies import CommandBody
from klachtspoor.mailaddress import single_address
from services.escalation.domain import LinkToOriginal


class RecordFirstContactRequest(CommandBody):
    mirrors = RecordFirstContact


class RecordInformalConversationRequest(CommandBody):
    mirrors = RecordInformalConversation


class EscalateRequest(CommandBody):
    mirrors = Escalate


class FileComplaintRequest(CommandBody):
    """A complaint on this open case; it follows the case's pinned policy, so no policy is named here."""

    mirrors = FileComplaint
    filled_in = frozenset({"policy_id", "policy_version"})

    complainant: Complainant | None = None

    @field_validator("complainant")
    @classmethod
    def _one_address(cls, complainant: Complainant | None) -> Complainant | None:
        """As at intake: a complainant's e-mail address is exactly one address, or the mail relays."""
        if complainant is not None and complainant.email is not None:
            single_address(complainant.email)
        return complainant


class DecideAdmissibilityRequest(CommandBody):
    mirrors = DecideAdmissibility


class AssignComplaintsOfficerRequest(CommandBody):
    mirrors = AssignComplaintsOfficer


class StartMediationRequest(CommandBody):
    mirrors = StartMediation


class ConcludeMediationRequest(CommandBody):
    mirrors = ConcludeMediation


class RequestJudgementRequest(CommandBody):
    mirrors = RequestJudgement


class ScheduleHearingRequest(CommandBody):
    mirrors = ScheduleHearing


class RecordHearingRequest(CommandBody):
    mirrors = RecordHearing


class GiveJudgementRequest(CommandBody):
    mirrors = GiveJudgement

    judge: Judge  # declared for the route, which acts as the judge it names


class AnnounceMeasuresRequest(CommandBody):
    mirrors = AnnounceMeasures


class ReferExternallyRequest(CommandBody):
    mirrors = ReferExternally


class ExtendTermRequest(CommandBody):
    mirrors = ExtendTerm


class SuspendTermRequest(CommandBody):
    mirrors = SuspendTerm


class ResumeTermRequest(CommandBody):
    mirrors = ResumeTerm


class WithdrawRequest(CommandBody):
    mirrors = Withdraw


class ReopenRequest(CommandBody):
    mirrors = Reopen


class LinkAsDuplicateRequest(CommandBody):
    mirrors = LinkToOriginal
    filled_in = frozenset({"original_found"})

    original_case_id: CaseId  # declared for the route, which looks the original up


class CloseRequest(CommandBody):
    mirrors = Close


class EraseRequest(CommandBody):
    """Why (``erasure_request`` or ``retention_expired``) and, for a request, its register number."""

    mirrors = ErasePersonalData
