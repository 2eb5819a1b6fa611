"""The one given-when-then helper of the lifecycle decider tests, two procedure policies and the events and
commands the tests start from."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from uuid import UUID, uuid5

from contracts.base import Actor, Command
from contracts.events import (
    AnyEvent,
    ComplaintFiled,
    JudgementGiven,
    JudgementRequested,
    NotificationRequested,
    ProcedurePolicyPinned,
    SignalReceived,
    TermStarted,
)
from contracts.policy import (
    PolicyStep,
    PolicyTerm,
    ProcedurePolicy,
    Regime,
    StepOrder,
    TermExtension,
    TermStart,
)
from contracts.values import Complainant, Term
from contracts.vocabulary import (
    AdmissibilityGround,
    Category,
    Channel,
    ComplainantCapacity,
    DeadlineKind,
    EscalationReason,
    EscalationStep,
    Judge,
    NotificationChannel,
    NotificationKind,
    Outcome,
    Recipient,
    Role,
    TermUnit,
)
from klachtspoor.calendar import add_term
from services.escalation.domain import CaseState, CommandRejected, decide, evolve, initial_state
from services.escalation.domain.commands import Command as CaseCommand
from tests.deciders import Spec, spec

CASE_ID = UUID("00000000-0000-4000-8000-00000000ca5e")
COMMAND_ID = UUID("00000000-0000-4000-8000-0000000c0111")
TENANT = "demo"
THURSDAY = date(2026, 3, 5)
NOW = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
OFFICER = Actor(id="kf-0001", role=Role.COMPLAINTS_OFFICER)

C = TypeVar("C", bound=Command)


def weeks(n: int) -> Term:
    return Term(amount=n, unit=TermUnit.WEEKS)


def _step(
    step: EscalationStep, role: Role, *skippable: EscalationReason, written: bool = False
) -> PolicyStep:
    return PolicyStep(
        step=step, handled_by=role, label=step.value, skippable_when=skippable, written_request=written
    )


STEP_BY_STEP = ProcedurePolicy(
    id="stap-voor-stap",
    version=2,
    title="Stap voor stap",
    source="test",
    regime=Regime.JEUGDWET,
    order=StepOrder.ONE_BY_ONE,
    ladder=(
        _step(EscalationStep.CARE_WORKER, Role.CARE_WORKER, EscalationReason.CLIENT_FEELS_UNSAFE),
        _step(EscalationStep.MANAGER, Role.MANAGER, EscalationReason.CLIENT_CHOICE),
        _step(EscalationStep.COMPLAINTS_OFFICER, Role.COMPLAINTS_OFFICER),
        _step(EscalationStep.DIRECTOR, Role.DIRECTOR, written=True),
    ),
    terms=(
        PolicyTerm(
            kind=DeadlineKind.ADMISSIBILITY,
            term=weeks(4),
            counts_from=TermStart.COMPLAINT_RECEIVED,
            starts="ontvangst",
        ),
        PolicyTerm(
            kind=DeadlineKind.JUDGEMENT,
            step=EscalationStep.DIRECTOR,
            term=weeks(6),
            extension=TermExtension(maximum=weeks(4)),
            counts_from=TermStart.JUDGEMENT_REQUESTED,
            starts="verzoek",
        ),
        PolicyTerm(
            kind=DeadlineKind.DISPUTES_COMMITTEE_FILING,
            term=Term(amount=1, unit=TermUnit.YEARS),
            applies_atw=False,
            counts_from=TermStart.COMPLAINT_RECEIVED,
            starts="indiening",
        ),
        PolicyTerm(
            kind=DeadlineKind.RETENTION,
            term=Term(amount=2, unit=TermUnit.YEARS),
            applies_atw=False,
            counts_from=TermStart.CASE_CLOSED,
            starts="afsluiting",
        ),
    ),
    admissibility_grounds=(
        AdmissibilityGround.PREVIOUSLY_HANDLED,
        AdmissibilityGround.OLDER_THAN_ONE_YEAR,
        AdmissibilityGround.CRIMINAL_INVESTIGATION,
    ),
    categories=(Category.TREATMENT,),
    complainants=tuple(ComplainantCapacity),
    child_min_age_alone=12,
)
"""Steps one by one (the care worker may be passed when the client feels unsafe, the manager by choice),
a director's judgement on a written request, extension once by at most 4 weeks, a minimum age of 12."""

COMMITTEE = ProcedurePolicy(
    id="naar-de-commissie",
    version=1,
    title="Rechtstreeks naar de commissie",
    source="test",
    regime=Regime.JEUGDWET,
    order=StepOrder.CLIENT_CHOOSES,
    ladder=(
        _step(EscalationStep.CARE_WORKER, Role.CARE_WORKER),
        _step(EscalationStep.CONFIDANT, Role.CONFIDANT),
        _step(EscalationStep.COMPLAINTS_COMMITTEE, Role.COMPLAINTS_COMMITTEE),
    ),
    terms=(
        PolicyTerm(
            kind=DeadlineKind.FIRST_CONTACT,
            step=EscalationStep.COMPLAINTS_COMMITTEE,
            term=Term(amount=2, unit=TermUnit.WORKING_DAYS),
            counts_from=TermStart.COMPLAINT_RECEIVED_BY_STEP,
            starts="ontvangst door de commissie",
        ),
        PolicyTerm(
            kind=DeadlineKind.JUDGEMENT,
            term=weeks(6),
            warning_share=0.5,
            extension=TermExtension(maximum=None),
            counts_from=TermStart.JUDGEMENT_REQUESTED,
            starts="verzoek",
        ),
    ),
    admissibility_grounds=(AdmissibilityGround.OLDER_THAN_ONE_YEAR,),
    categories=(Category.TREATMENT,),
    complainants=(ComplainantCapacity.CLIENT, ComplainantCapacity.LEGAL_REPRESENTATIVE),
)
"""The complainant chooses the step (straight to the committee), which contacts within 2 working days;
no cap on extending the judgement term; no minimum age; no surviving relatives or authorised persons."""


CaseSpec = Spec[CaseCommand, CaseState, AnyEvent]


def case_spec(policy: ProcedurePolicy | None) -> CaseSpec:
    """The escalation decider's spec under ``policy`` (see :mod:`tests.deciders`): ``then`` the new
    events, ``then_types`` their types in order (for walking a whole route), or ``then_rejects`` the rule
    (a :class:`Rule` or another module's rule enum) whose rejection decides nothing at all."""
    return spec_per_command(lambda _command: policy)


def spec_per_command(policy_of: Callable[[CaseCommand], ProcedurePolicy | None]) -> CaseSpec:
    """As :func:`case_spec`, with the policy looked up for each command (e.g. its tenant's)."""
    return spec(
        lambda command, state: decide(command, state, policy_of(command)),
        evolve,
        initial_state(),
        rejection=CommandRejected,
        explains=_explains_itself,
    )


def _explains_itself(rejection: BaseException) -> None:
    assert isinstance(rejection, CommandRejected)
    assert rejection.detail, "a rejection explains itself"


def command(cls: type[C], actor: Actor = OFFICER, now: datetime = NOW, **fields: Any) -> C:
    """A validated ``cls`` on the test case, with the ids, tenant, actor and time filled in."""
    base = {"command_id": COMMAND_ID, "tenant": TENANT, "case_id": CASE_ID, "actor": actor, "now": now}
    return cls.model_validate(base | fields)


def pinned(policy: ProcedurePolicy) -> ProcedurePolicyPinned:
    return ProcedurePolicyPinned(policy_id=policy.id, policy_version=policy.version)


def complainant(
    capacity: ComplainantCapacity = ComplainantCapacity.LEGAL_REPRESENTATIVE, **fields: Any
) -> Complainant:
    return Complainant.model_validate(
        {"capacity": capacity, "name": "Voorbeeld Ouder", "email": "o@example.org"} | fields
    )


def signal(
    capacity: ComplainantCapacity = ComplainantCapacity.LEGAL_REPRESENTATIVE, **fields: Any
) -> SignalReceived:
    return SignalReceived(
        channel=Channel.PHONE,
        received_on=THURSDAY,
        complainant=complainant(capacity, **fields),
        description="Mijn kind wordt niet gehoord.",
    )


def opened(policy: ProcedurePolicy, **fields: Any) -> list[AnyEvent]:
    """A signal raised with the care worker, on a case pinned to ``policy``."""
    return [signal(**fields), pinned(policy)]


def filed(
    step: EscalationStep, received_on: date = THURSDAY, conduct_on: date | None = None
) -> ComplaintFiled:
    return ComplaintFiled(
        filed_with=step,
        channel=Channel.LETTER,
        received_on=received_on,
        written=True,
        description="Het gesprek hielp niet.",
        conduct_on=conduct_on,
    )


def started(kind: DeadlineKind, on: date, term: Term, *, atw: bool = True) -> TermStarted:
    return TermStarted(deadline=kind, started_on=on, term=term, due_on=add_term(on, term, follows_atw=atw).on)


def requested(judge: Judge, on: date = THURSDAY) -> JudgementRequested:
    return JudgementRequested(judge=judge, requested_on=on, written=True)


def judged(judge: Judge, outcome: Outcome = Outcome.PARTLY_UPHELD, on: date = THURSDAY) -> JudgementGiven:
    return JudgementGiven(judge=judge, outcome=outcome, reasoning="Deels gegrond.", given_on=on)


def notice(kind: NotificationKind, purpose: str = "", cause: UUID = COMMAND_ID) -> NotificationRequested:
    """The e-mail to the complainant a command with ``cause`` as its id requests."""
    key = f"{kind.value}:{purpose}" if purpose else kind.value
    return NotificationRequested(
        notification_id=uuid5(cause, f"notification:{key}"),
        kind=kind,
        recipient=Recipient.COMPLAINANT,
        channel=NotificationChannel.EMAIL,
    )


def copy(
    kind: NotificationKind,
    recipient: Recipient,
    purpose: str = "",
    cause: UUID = COMMAND_ID,
) -> NotificationRequested:
    """The copy of a letter a command with ``cause`` as its id requests for ``recipient`` (the person
    complained about on paper, an organisation's mailbox by e-mail)."""
    key = f"{kind.value}:{purpose}" if purpose else kind.value
    channel = (
        NotificationChannel.LETTER
        if recipient is Recipient.PERSON_COMPLAINED_ABOUT
        else NotificationChannel.EMAIL
    )
    return NotificationRequested(
        notification_id=uuid5(cause, f"notification:{key}:{recipient.value}"),
        kind=kind,
        recipient=recipient,
        channel=channel,
    )
