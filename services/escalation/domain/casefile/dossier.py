"""The complainant's own dossier (docs/public.md): the case as the person who filed it follows it.

Where the case file (:mod:`.view`) shows staff a role's row of the table, the dossier shows the complainant
what is about them and for them: where the case stands, the next step on the ladder, the running terms
with their due dates, every letter sent to them with its text, what they wrote and added, and what they
may do now (withdraw, add information, ask for the next step). Never staff notes, minutes, the confidant's
part or anything about other people. Pure: the caller renders the letters' texts and the Dutch wording
(templates), and logs the read with :attr:`Dossier.shown`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from contracts.envelope import Envelope
from contracts.events import ComplainantInformationAdded, ComplaintFiled, DossierSecretIssued, SignalReceived
from contracts.policy import ProcedurePolicy
from contracts.vocabulary import (
    DeadlineKind,
    EscalationStep,
    NotificationKind,
    Outcome,
    Recipient,
    Resolution,
)
from services.escalation.domain.case.dossier import requestable_step
from services.escalation.domain.case.state import CaseState
from services.escalation.domain.casefile.letters import LetterStatus, letters_of
from services.escalation.domain.casefile.reader import Frozen
from services.escalation.domain.terms.deadlines import running_deadlines

HIDDEN_TERMS = frozenset({DeadlineKind.RETENTION})
"""Terms the dossier leaves out: how long the file is kept is not a step of the complaint."""
SHOWN_ORDER = (
    "dossier.status",
    "dossier.terms",
    "dossier.complaint",
    "dossier.additions",
    "dossier.letters",
    "dossier.letters.text",
)


class Standing(StrEnum):
    """Where the case stands, in the words the complainant reads (the templates say each in Dutch)."""

    RECEIVED = "received"
    IN_HANDLING = "in_handling"
    MEDIATION = "mediation"
    INADMISSIBLE = "inadmissible"
    JUDGEMENT_REQUESTED = "judgement_requested"
    JUDGED = "judged"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class DossierTerm(Frozen):
    kind: DeadlineKind
    due_on: date
    suspended: bool


class DossierLetter(Frozen):
    notification_id: UUID
    kind: NotificationKind
    status: LetterStatus
    requested_at: datetime
    sent_at: datetime | None = None
    text: str | None = None
    pdf: str | None = None
    """Where the letter's PDF is served, once sent (the same PDF the mail carried, made again from the
    events); None before it was sent."""


class DossierAddition(Frozen):
    added_at: datetime
    text: str


class Dossier(Frozen):
    case_id: UUID
    reference: str | None
    received_on: date | None
    standing: Standing
    step: EscalationStep | None
    step_label: str | None
    next_step: EscalationStep | None
    next_step_label: str | None
    outcome: Outcome | None
    resolution: Resolution | None
    terms: tuple[DossierTerm, ...]
    description: str | None
    additions: tuple[DossierAddition, ...]
    letters: tuple[DossierLetter, ...]
    may_withdraw: bool
    may_add_information: bool
    may_request: EscalationStep | None
    may_request_label: str | None
    shown: tuple[str, ...]


def current_secret(envelopes: Sequence[Envelope]) -> tuple[int, str] | None:
    """The newest dossier secret's hash and the case version it was issued at (None: no dossier)."""
    for version in range(len(envelopes) - 1, -1, -1):
        event = envelopes[version].event
        if isinstance(event, DossierSecretIssued):
            return version, event.secret_hash
    return None


def dossier(
    case_id: UUID,
    envelopes: Sequence[Envelope],
    state: CaseState,
    policy: ProcedurePolicy | None,
    texts: Mapping[UUID, str],
    pdf_link: Callable[[UUID], str] | None = None,
) -> Dossier:
    """``texts``: each sent letter's text by notification id (rendered by the caller); ``pdf_link``: where
    a sent letter's PDF is served (the JSON route's path, or the pages')."""
    events = [envelope.event for envelope in envelopes]
    terms = tuple(
        DossierTerm(kind=d.kind, due_on=d.due_on, suspended=d.suspended)
        for d in sorted(running_deadlines(events, policy), key=lambda d: d.due_on)
        if d.kind not in HIDDEN_TERMS and not state.closed
    )
    letters = tuple(
        DossierLetter(
            notification_id=letter.notification_id,
            kind=letter.kind,
            status=letter.status,
            requested_at=letter.requested_at,
            sent_at=letter.sent_at,
            text=texts.get(letter.notification_id),
            pdf=pdf_link(letter.notification_id)
            if pdf_link is not None and letter.sent_at is not None
            else None,
        )
        for letter in letters_of(envelopes)
        if letter.recipient is Recipient.COMPLAINANT
    )
    additions = tuple(
        DossierAddition(added_at=envelope.occurred_at, text=envelope.event.text)
        for envelope in envelopes
        if isinstance(envelope.event, ComplainantInformationAdded)
    )
    shown = {"dossier.status", "dossier.terms"}
    description = _description(events)
    if description is not None:
        shown.add("dossier.complaint")
    if additions:
        shown.add("dossier.additions")
    if letters:
        shown.add("dossier.letters")
    if any(letter.text is not None for letter in letters):
        shown.add("dossier.letters.text")
    following = None if state.closed else _next_step(state.step, policy)
    asked = requestable_step(state, policy)
    return Dossier(
        case_id=case_id,
        reference=state.reference,
        received_on=state.received_on,
        standing=standing(state),
        step=state.step,
        step_label=_label(state.step, policy),
        next_step=following,
        next_step_label=_label(following, policy),
        outcome=state.judgement,
        resolution=state.resolution,
        terms=terms,
        description=description,
        additions=additions,
        letters=letters,
        may_withdraw=state.opened and not state.closed and not state.erased,
        may_add_information=state.opened and not state.closed and not state.erased,
        may_request=asked,
        may_request_label=_label(asked, policy),
        shown=tuple(name for name in SHOWN_ORDER if name in shown),
    )


def standing(state: CaseState) -> Standing:
    if state.closed:
        return Standing.WITHDRAWN if state.resolution is Resolution.WITHDRAWN else Standing.CLOSED
    if state.judgement is not None:
        return Standing.JUDGED
    if state.admissible is False:
        return Standing.INADMISSIBLE
    if state.judge is not None:
        return Standing.JUDGEMENT_REQUESTED
    if state.mediation_running:
        return Standing.MEDIATION
    if state.complaint is not None:
        return Standing.IN_HANDLING
    return Standing.RECEIVED


def _description(events: Sequence[object]) -> str | None:
    """What the complainant wrote: the newest complaint's description, else the signal's."""
    found = None
    for event in events:
        if isinstance(event, SignalReceived | ComplaintFiled):
            found = event.description
    return found


def _next_step(step: EscalationStep | None, policy: ProcedurePolicy | None) -> EscalationStep | None:
    if policy is None:
        return None
    steps = policy.steps
    if step is None or step not in steps:
        return steps[0] if steps and step is None else None
    index = steps.index(step)
    return steps[index + 1] if index + 1 < len(steps) else None


def _label(step: EscalationStep | None, policy: ProcedurePolicy | None) -> str | None:
    """How the procedure names the step (the policy's Dutch label)."""
    if step is None or policy is None or step not in policy.steps:
        return None
    return policy.step(step).label
