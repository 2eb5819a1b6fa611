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

CommandRequest = CommandBody
"""The base of every escalation request body."""


class RecordFirstContactRequest(CommandRequest):
    mirrors = RecordFirstContact


class RecordInformalConversationRequest(CommandRequest):
    mirrors = RecordInformalConversation


class EscalateRequest(CommandRequest):
    mirrors = Escalate


class FileComplaintRequest(CommandRequest):
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


class DecideAdmissibilityRequest(CommandRequest):
    mirrors = DecideAdmissibility


class AssignComplaintsOfficerRequest(CommandRequest):
    mirrors = AssignComplaintsOfficer


class StartMediationRequest(CommandRequest):
    mirrors = StartMediation


class ConcludeMediationRequest(CommandRequest):
    mirrors = ConcludeMediation


class RequestJudgementRequest(CommandRequest):
    mirrors = RequestJudgement


class ScheduleHearingRequest(CommandRequest):
    mirrors = ScheduleHearing


class RecordHearingRequest(CommandRequest):
    mirrors = RecordHearing


class GiveJudgementRequest(CommandRequest):
    mirrors = GiveJudgement

    judge: Judge  # declared for the route, which acts as the judge it names


class AnnounceMeasuresRequest(CommandRequest):
    mirrors = AnnounceMeasures


class ReferExternallyRequest(CommandRequest):
    mirrors = ReferExternally


class ExtendTermRequest(CommandRequest):
    mirrors = ExtendTerm


class SuspendTermRequest(CommandRequest):
    mirrors = SuspendTerm


class ResumeTermRequest(CommandRequest):
    mirrors = ResumeTerm


class WithdrawRequest(CommandRequest):
    mirrors = Withdraw


class ReopenRequest(CommandRequest):
    mirrors = Reopen


class LinkAsDuplicateRequest(CommandRequest):
    mirrors = LinkToOriginal
    filled_in = frozenset({"original_found"})

    original_case_id: CaseId  # declared for the route, which looks the original up


class CloseRequest(CommandRequest):
    mirrors = Close
