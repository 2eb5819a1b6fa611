"""The formal route: a judgement asked of the director or the committee, the committee's hearing, the
written and reasoned judgement, the provider's measures within a month, and referral outside."""

from __future__ import annotations

from datetime import date

from contracts.commands import (
    AnnounceMeasures,
    GiveJudgement,
    RecordHearing,
    ReferExternally,
    RequestJudgement,
    ScheduleHearing,
)
from contracts.events import (
    AnyEvent,
    CommitteeHearingHeld,
    CommitteeHearingScheduled,
    JudgementGiven,
    JudgementRequested,
    MeasuresAnnounced,
    ReferredExternally,
)
from contracts.policy import ProcedurePolicy, TermStart
from contracts.vocabulary import (
    DeadlineKind,
    EscalationStep,
    ExternalBody,
    HearingParty,
    Judge,
    NotificationKind,
    ReferralReason,
)
from services.escalation.domain.case.guards import require_open, require_policy
from services.escalation.domain.case.notices import letters
from services.escalation.domain.case.state import CaseState, ComplaintFacts
from services.escalation.domain.errors import CommandRejected, Rule
from services.escalation.domain.procedure.ladder import require_move
from services.escalation.domain.terms.deadlines import STATUTORY_TERMS
from services.escalation.domain.terms.start import start_term

MIN_COMMITTEE_MEMBERS = 3
"""Jeugdwet: a complaints committee has at least three members."""


def request_judgement(
    command: RequestJudgement, state: CaseState, policy: ProcedurePolicy | None
) -> list[AnyEvent]:
    """Asking the director or committee for a judgement moves the case to that step and starts its term."""
    require_open(command, state)
    pinned = require_policy(command, state, policy)
    where = f"(Case: {command.case_id})"
    if state.complaint is None:
        raise CommandRejected(Rule.COMPLAINT_NOT_FILED, f"file a complaint before asking a judgement {where}")
    if state.admissible is False:
        raise CommandRejected(Rule.COMPLAINT_INADMISSIBLE, f"the complaint was found inadmissible {where}")
    if state.judgement is not None:
        raise CommandRejected(
            Rule.JUDGEMENT_ALREADY_GIVEN, f"a judgement ({state.judgement.value}) was given already {where}"
        )
    if state.judge is not None:
        raise CommandRejected(
            Rule.JUDGEMENT_ALREADY_REQUESTED,
            f"a judgement was asked of the {state.judge.value} already {where}",
        )
    step = EscalationStep(command.judge.value)
    require_move(pinned, state.step, step, None)
    if pinned.step(step).written_request and not command.written:
        raise CommandRejected(
            Rule.WRITTEN_REQUEST_REQUIRED,
            f"policy {pinned.id} v{pinned.version} asks the {step.value} for a judgement in writing only "
            f"{where}",
        )
    default = STATUTORY_TERMS[DeadlineKind.JUDGEMENT]
    at = TermStart.JUDGEMENT_REQUESTED
    return [
        JudgementRequested(judge=command.judge, requested_on=command.requested_on, written=command.written),
        *start_term(
            pinned,
            DeadlineKind.JUDGEMENT,
            at,
            _request_dates(command, state.complaint),
            step,
            default=default,
        ),
    ]


def _request_dates(command: RequestJudgement, complaint: ComplaintFacts) -> dict[TermStart, date]:
    """The days a judgement term may count from: the complaint's receipt, the request, and the day the
    judge received the complaint (its receipt when it was filed with the judge, else the request)."""
    filed_with_judge = complaint.filed_with.value == command.judge.value
    return {
        TermStart.COMPLAINT_RECEIVED: complaint.received_on,
        TermStart.COMPLAINT_RECEIVED_BY_STEP: complaint.received_on
        if filed_with_judge
        else command.requested_on,
        TermStart.JUDGEMENT_REQUESTED: command.requested_on,
    }


def schedule_hearing(
    command: ScheduleHearing, state: CaseState, policy: ProcedurePolicy | None
) -> list[AnyEvent]:
    require_open(command, state)
    require_policy(command, state, policy)
    _require_committee_pending(state, str(command.case_id))
    if command.hearing_id in state.hearings_scheduled:
        raise CommandRejected(
            Rule.HEARING_ALREADY_SCHEDULED,
            f"hearing {command.hearing_id} is scheduled already (Case: {command.case_id})",
        )
    return [
        CommitteeHearingScheduled(
            hearing_id=command.hearing_id, scheduled_for=command.scheduled_for, form=command.form
        ),
        *letters(
            state, policy, command.command_id, NotificationKind.HEARING_INVITATION, str(command.hearing_id)
        ),
    ]


def record_hearing(
    command: RecordHearing, state: CaseState, policy: ProcedurePolicy | None
) -> list[AnyEvent]:
    """A committee of at least three with an independent chair heard the parties; a party that refused to
    be heard is recorded as such (``declined_to_be_heard``), so the judgement may follow without it."""
    require_open(command, state)
    require_policy(command, state, policy)
    where = f"(Case: {command.case_id})"
    if command.hearing_id not in state.hearings_scheduled:
        raise CommandRejected(
            Rule.HEARING_NOT_SCHEDULED, f"hearing {command.hearing_id} was not scheduled {where}"
        )
    if command.hearing_id in state.hearings_held:
        raise CommandRejected(
            Rule.HEARING_ALREADY_HELD, f"hearing {command.hearing_id} was held already {where}"
        )
    if command.members_present < MIN_COMMITTEE_MEMBERS:
        raise CommandRejected(
            Rule.COMMITTEE_TOO_SMALL,
            f"{command.members_present} members present; a committee has at least {MIN_COMMITTEE_MEMBERS} "
            f"{where}",
        )
    if not command.chair_independent:
        raise CommandRejected(
            Rule.CHAIR_NOT_INDEPENDENT, f"the chair must not be employed by the provider {where}"
        )
    return [
        CommitteeHearingHeld(
            hearing_id=command.hearing_id,
            form=command.form,
            parties_heard=command.parties_heard,
            declined_to_be_heard=command.declined_to_be_heard,
            members_present=command.members_present,
            chair_independent=command.chair_independent,
            minutes=command.minutes,
        )
    ]


def give_judgement(
    command: GiveJudgement, state: CaseState, policy: ProcedurePolicy | None
) -> list[AnyEvent]:
    """The written, reasoned judgement; it starts the provider's month to announce measures."""
    require_open(command, state)
    pinned = require_policy(command, state, policy)
    where = f"(Case: {command.case_id})"
    if state.judgement is not None:
        raise CommandRejected(
            Rule.JUDGEMENT_ALREADY_GIVEN, f"a judgement ({state.judgement.value}) was given already {where}"
        )
    if state.judge is None:
        raise CommandRejected(Rule.JUDGEMENT_NOT_REQUESTED, f"nobody was asked for a judgement {where}")
    if command.judge is not state.judge:
        raise CommandRejected(
            Rule.JUDGE_MISMATCH,
            f"the {command.judge.value} judges, but the {state.judge.value} was asked {where}",
        )
    if command.judge is Judge.COMPLAINTS_COMMITTEE and not state.hearings_held:
        raise CommandRejected(
            Rule.HEARING_NOT_HELD, f"the committee judges only after hearing both sides {where}"
        )
    if command.judge is Judge.COMPLAINTS_COMMITTEE:
        _require_both_sides(state, where)
    step = EscalationStep(command.judge.value)
    default = STATUTORY_TERMS[DeadlineKind.MEASURES_NOTICE]
    at, given = TermStart.JUDGEMENT_GIVEN, {TermStart.JUDGEMENT_GIVEN: command.given_on}
    return [
        JudgementGiven(
            judge=command.judge,
            outcome=command.outcome,
            reasoning=command.reasoning,
            recommendations=command.recommendations,
            given_on=command.given_on,
        ),
        *letters(state, policy, command.command_id, NotificationKind.JUDGEMENT),
        *start_term(pinned, DeadlineKind.MEASURES_NOTICE, at, given, step, default=default),
        *start_term(pinned, DeadlineKind.OMBUDSMAN_FILING, at, given),
    ]


COMPLAINANT_SIDE = frozenset({HearingParty.COMPLAINANT})
OTHER_SIDE = frozenset({HearingParty.PERSON_COMPLAINED_ABOUT, HearingParty.PROVIDER})
"""Hoor en wederhoor: the complainant, and the person complained about or the provider answering for them."""


def _require_both_sides(state: CaseState, where: str) -> None:
    """Each side was heard at a hearing held, or is on record as having refused to be heard."""
    missing = [
        name
        for name, side in (("the complainant", COMPLAINANT_SIDE), ("the other side", OTHER_SIDE))
        if not side & state.hearing_parties
    ]
    if missing:
        raise CommandRejected(
            Rule.BOTH_SIDES_NOT_HEARD,
            f"{' and '.join(missing)} neither heard nor on record as refusing to be heard {where}",
        )


def announce_measures(
    command: AnnounceMeasures, state: CaseState, policy: ProcedurePolicy | None
) -> list[AnyEvent]:
    require_open(command, state)
    require_policy(command, state, policy)
    where = f"(Case: {command.case_id})"
    if state.judgement is None:
        raise CommandRejected(
            Rule.JUDGEMENT_NOT_GIVEN, f"measures follow a judgement; none was given {where}"
        )
    if state.measures_taken is not None:
        raise CommandRejected(Rule.MEASURES_ALREADY_ANNOUNCED, f"measures were announced already {where}")
    return [
        MeasuresAnnounced(
            measures_taken=command.measures_taken,
            measures=command.measures,
            implementation_due_on=command.implementation_due_on,
            explanation=command.explanation,
        ),
        *letters(state, policy, command.command_id, NotificationKind.MEASURES),
    ]


def refer_externally(
    command: ReferExternally, state: CaseState, policy: ProcedurePolicy | None
) -> list[AnyEvent]:
    """Referral to a body outside; "route exhausted" needs a judgement, a structural situation without
    measures goes to the inspectorate only after the provider announced none."""
    require_open(command, state)
    require_policy(command, state, policy)
    where = f"(Case: {command.case_id})"
    if command.body in state.referrals:
        raise CommandRejected(Rule.ALREADY_REFERRED, f"referred to the {command.body.value} already {where}")
    if command.reason is ReferralReason.INTERNAL_ROUTE_EXHAUSTED and state.judgement is None:
        raise CommandRejected(
            Rule.INTERNAL_ROUTE_NOT_EXHAUSTED,
            f"the internal route ends with a judgement; none was given {where}",
        )
    if command.reason is ReferralReason.STRUCTURAL_SITUATION_WITHOUT_MEASURES and (
        command.body is not ExternalBody.INSPECTORATE or state.measures_taken is not False
    ):
        raise CommandRejected(
            Rule.NO_STRUCTURAL_SITUATION,
            f"a structural situation goes to the inspectorate once the provider announced no measures; "
            f"body {command.body.value}, measures {_measures(state)} {where}",
        )
    return [ReferredExternally(body=command.body, reason=command.reason, explanation=command.explanation)]


def _measures(state: CaseState) -> str:
    return {None: "not announced", True: "taken", False: "none"}[state.measures_taken]


def _require_committee_pending(state: CaseState, case_id: str) -> None:
    if not state.judgement_pending:
        raise CommandRejected(Rule.JUDGEMENT_NOT_REQUESTED, f"no judgement is pending (Case: {case_id})")
    if state.judge is not Judge.COMPLAINTS_COMMITTEE:
        judge = state.judge.value if state.judge else "nobody"
        raise CommandRejected(
            Rule.HEARING_ONLY_FOR_COMMITTEE,
            f"only the committee holds hearings; the {judge} judges (Case: {case_id})",
        )
