"""History as of a moment: the case exactly as the events recorded by then showed it. Pure: no I/O, no clock.

*Recorded*, not occurred: the replay at T holds the stream's events up to the first one the store recorded
after T (``recorded_at``, the store's time; a stream's order is the order its events were recorded in).
An event recorded later about an earlier moment is therefore not in the replay at T, and every replay
that holds it marks it ``recorded_late``: its ``occurred_at`` lies before the ``recorded_at`` of an event
recorded (strictly) before it, so some replay between the two showed the case without it. The events of
one append share their store time and the time of the command that decided them, so none of them is late
against another.

The state, the terms and the pinned policy are folded from those events alone (never a read model), the
terms under the policy version the case pinned by then; each term's ``overdue`` is judged on the Dutch
calendar day of T.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Sequence
from datetime import UTC, datetime

from contracts.base import Event
from contracts.envelope import Envelope
from contracts.labels import event_label
from contracts.policy import ProcedurePolicy
from contracts.vocabulary import Role
from klachtspoor.calendar import local_date
from services.escalation.domain.case.state import CaseState, fold
from services.escalation.domain.history.reveal import Reveal, Rule, masked_payload, reveals, rule_of
from services.escalation.domain.history.views import (
    CaseHistory,
    CaseStateView,
    ChainCheck,
    ChainStatus,
    ComplaintView,
    PinnedPolicyView,
    TermView,
    TimelineEntry,
)
from services.escalation.domain.terms.deadlines import Deadline, book_deadlines

NOT_CHECKED = ChainCheck(status=ChainStatus.NOT_CHECKED, checked=0, detail="the chain was not checked")
"""What a history says of its chain when its caller checked none (the pure function alone)."""


class HistoryError(ValueError):
    """The moment asked for cannot be replayed; the message names the moment, never case content, and
    ``rule`` names the rule it broke (a schema cannot say "not in the future")."""

    rule = "history"


class NoEvents(HistoryError):
    rule = "case_has_no_events"

    def __init__(self) -> None:
        super().__init__("The case has no events")


class AsOfNotAware(HistoryError):
    rule = "as_of_without_time_zone"

    def __init__(self) -> None:
        super().__init__("as_of needs a time zone (e.g. 2026-03-05T10:00:00Z)")


class AsOfBeforeCase(HistoryError):
    rule = "as_of_before_case"

    def __init__(self, as_of: datetime, first: datetime) -> None:
        self.as_of, self.first = as_of, first
        super().__init__(
            f"as_of {as_of.isoformat()} is before the case's first event was recorded ({first.isoformat()})"
        )


class PolicyNotPinned(ValueError):
    """The caller passed another policy than the case pinned: a bug of the caller, not a bad moment."""

    def __init__(self, expected: PinnedPolicyView | None, given: ProcedurePolicy | None) -> None:
        found = None if given is None else f"{given.id} v{given.version}"
        super().__init__(f"The case pinned {expected}, the replay was given {found}")


def recorded_by(envelopes: Sequence[Envelope], as_of: datetime) -> tuple[Envelope, ...]:
    """The stream's events up to (not including) the first one recorded after ``as_of``."""
    if as_of.tzinfo is None:
        raise AsOfNotAware()
    visible: list[Envelope] = []
    for envelope in envelopes:
        if _recorded(envelope) > as_of:
            break
        visible.append(envelope)
    return tuple(visible)


def history(
    envelopes: Sequence[Envelope],
    policy: ProcedurePolicy | None,
    as_of: datetime,
    *,
    role: Role = Role.AUDITOR,
    reveal: Reveal = reveals,
    chain: ChainCheck = NOT_CHECKED,
) -> CaseHistory:
    """The case as recorded by ``as_of``, read in ``role``. ``policy`` is the version the case pinned by
    then (None when it pinned none by then); another one raises :class:`PolicyNotPinned`."""
    if not envelopes:
        raise NoEvents()
    visible = recorded_by(envelopes, as_of)
    if not visible:
        raise AsOfBeforeCase(as_of, _recorded(envelopes[0]))
    events = [envelope.event for envelope in visible]
    state = fold(events)
    pinned = (
        None
        if state.policy is None
        else PinnedPolicyView(policy_id=state.policy.policy_id, policy_version=state.policy.version)
    )
    if (pinned is None) != (policy is None) or (
        pinned is not None
        and policy is not None
        and (policy.id, policy.version) != (pinned.policy_id, pinned.policy_version)
    ):
        raise PolicyNotPinned(pinned, policy)
    first = visible[0]
    return CaseHistory(
        case_id=first.case_id,
        tenant=first.tenant,
        as_of=as_of.astimezone(UTC),
        policy=pinned,
        state=state_view(state),
        terms=tuple(term_view(d, as_of) for d in book_deadlines(state.terms, policy)),
        timeline=timeline(visible, role, reveal),
        recorded_after=len(envelopes) - len(visible),
        chain=chain,
    )


def timeline(visible: Sequence[Envelope], role: Role, reveal: Reveal) -> tuple[TimelineEntry, ...]:
    entries: list[TimelineEntry] = []
    # The store times of the entries so far, sorted: the events of one append share theirs, so an event
    # is late only against one recorded strictly before it.
    recorded_before: list[datetime] = []
    rules: dict[type[Event], Rule] = {}  # the reveal rule asked once per event type
    for envelope in visible:
        recorded = _recorded(envelope)
        earlier = bisect_left(recorded_before, recorded)
        latest = recorded_before[earlier - 1] if earlier else None
        kind = type(envelope.event)
        rule = rules.get(kind)
        if rule is None:
            rule = rules[kind] = rule_of(kind, role, reveal)
        masked = masked_payload(envelope.event, role, reveal, rule=rule)
        entries.append(
            TimelineEntry(
                version=len(entries),
                event_id=envelope.event_id,
                type=envelope.type,
                label=event_label(envelope.type),
                actor=envelope.actor,
                occurred_at=envelope.occurred_at.astimezone(UTC),
                recorded_at=recorded,
                recorded_late=latest is not None and envelope.occurred_at < latest,
                payload=masked.payload,
                withheld=masked.withheld,
                revealed=masked.revealed,
            )
        )
        insort(recorded_before, recorded)
    return tuple(entries)


def state_view(state: CaseState) -> CaseStateView:
    complaint = state.complaint
    return CaseStateView(
        opened=state.opened,
        received_on=state.received_on,
        reference=state.reference,
        step=state.step,
        complaint=None
        if complaint is None
        else ComplaintView(filed_with=complaint.filed_with, received_on=complaint.received_on),
        admissible=state.admissible,
        officer_id=state.officer_id,
        mediation_running=state.mediation_running,
        mediation_result=state.mediation_result,
        judge=state.judge,
        judgement=state.judgement,
        hearings_scheduled=len(state.hearings_scheduled),
        hearings_held=len(state.hearings_held),
        measures_taken=state.measures_taken,
        referrals=tuple(sorted(state.referrals)),
        closed=state.closed,
        resolution=state.resolution,
        erased=state.erased,
    )


def term_view(deadline: Deadline, as_of: datetime) -> TermView:
    today = local_date(as_of)
    return TermView(
        **deadline.facts(),
        overdue=deadline.running and not deadline.suspended and today > deadline.due_on,
    )


def _recorded(envelope: Envelope) -> datetime:
    if envelope.recorded_at is None:
        raise ValueError(f"Event {envelope.event_id} has no recorded_at: replay reads stored events only")
    return envelope.recorded_at.astimezone(UTC)
