"""History as of a moment, from the stored events alone: what was recorded by T, not what occurred by T."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from lifecycle_given import (
    CASE_ID,
    OFFICER,
    STEP_BY_STEP,
    TENANT,
    THURSDAY,
    filed,
    opened,
    requested,
    started,
    weeks,
)

from contracts.base import Actor
from contracts.envelope import Envelope
from contracts.events import AnyEvent, TermExtended
from contracts.personal import Path
from contracts.vocabulary import DeadlineKind, EscalationStep, Judge, Role
from klachtspoor.eventstore.streams import case_stream
from services.escalation.domain.history import (
    WITHHELD,
    AsOfBeforeCase,
    AsOfNotAware,
    CaseHistory,
    NoEvents,
    PolicyNotPinned,
    history,
    reveals,
    reveals_any,
)

INTAKE = Actor(id="account-intake", role=Role.CARE_WORKER)
DIRECTOR = Actor(id="dir-0001", role=Role.DIRECTOR)
DAY = datetime(2026, 3, 5, tzinfo=UTC)


def at(hour: int, minute: int = 0) -> datetime:
    return DAY + timedelta(hours=hour, minutes=minute)


def stored(event: AnyEvent, occurred: datetime, recorded: datetime, actor: Actor = OFFICER) -> Envelope:
    envelope = Envelope.wrap(
        event,
        event_id=uuid4(),
        tenant=TENANT,
        stream=case_stream(TENANT, str(CASE_ID)),
        case_id=CASE_ID,
        actor=actor,
        occurred_at=occurred,
        correlation_id=uuid4(),
    )
    return envelope.model_copy(update={"recorded_at": recorded})


SIGNAL, PIN = (stored(e, at(9), at(9, 1), INTAKE) for e in opened(STEP_BY_STEP))
FILED = stored(filed(EscalationStep.COMPLAINTS_OFFICER), at(10), at(10))
TERM = stored(started(DeadlineKind.JUDGEMENT, THURSDAY, weeks(6)), at(10), at(10))
LATE_REQUEST = stored(requested(Judge.DIRECTOR), at(11), at(13), DIRECTOR)
"""Asked for at 11:00, recorded only at 13:00, after the extension recorded at 12:00."""
EXTENDED = stored(
    TermExtended(
        deadline=DeadlineKind.JUDGEMENT,
        previous_due_on=date(2026, 4, 16),
        new_due_on=date(2026, 4, 30),
        reason="Hoorzitting.",
    ),
    at(12),
    at(12),
)
CASE = (SIGNAL, PIN, FILED, TERM, EXTENDED, LATE_REQUEST)


def replay(as_of: datetime, events: tuple[Envelope, ...] = CASE) -> CaseHistory:
    return history(events, STEP_BY_STEP, as_of)


def types(answer: CaseHistory) -> list[str]:
    return [entry.type for entry in answer.timeline]


def test_an_event_recorded_later_about_an_earlier_moment_is_absent_before_and_marked_late_after() -> None:
    between = replay(at(12, 30))
    assert "JudgementRequested" not in types(between)
    assert between.state.judge is None
    assert between.recorded_after == 1
    assert not any(entry.recorded_late for entry in between.timeline)

    after = replay(at(13, 30))
    late = [entry for entry in after.timeline if entry.recorded_late]
    assert [entry.type for entry in late] == ["JudgementRequested"]
    assert late[0].occurred_at == at(11) and late[0].recorded_at == at(13)
    assert after.state.judge is Judge.DIRECTOR
    assert after.recorded_after == 0


def test_the_moment_it_occurred_is_not_enough_only_the_moment_it_was_recorded() -> None:
    assert "JudgementRequested" not in types(replay(at(11, 30)))
    assert "JudgementRequested" in types(replay(at(13)))


def test_the_timeline_says_who_did_what_in_which_role_and_when() -> None:
    answer = replay(at(13))
    entries = {entry.type: entry for entry in answer.timeline}
    assert [entry.version for entry in answer.timeline] == list(range(len(CASE)))
    assert entries["JudgementRequested"].actor == DIRECTOR
    assert entries["JudgementRequested"].label == "Oordeel gevraagd"
    assert entries["SignalReceived"].actor == INTAKE
    assert entries["TermExtended"].occurred_at == at(12)


def test_terms_and_their_due_dates_are_those_the_moment_knew() -> None:
    before = replay(at(11))
    (term,) = before.terms
    assert term.kind is DeadlineKind.JUDGEMENT
    assert term.due_on == date(2026, 4, 16) and not term.extended

    (extended,) = replay(at(12)).terms
    assert extended.due_on == date(2026, 4, 30) and extended.extended
    assert not extended.overdue


def test_a_running_term_is_overdue_once_the_moments_dutch_day_is_past_its_due_date() -> None:
    (on_the_day,) = replay(datetime(2026, 4, 30, 21, 59, tzinfo=UTC)).terms  # 23:59 in Amsterdam
    (day_after,) = replay(datetime(2026, 4, 30, 22, 0, tzinfo=UTC)).terms  # 00:00 on 1 May
    assert on_the_day.running and not on_the_day.overdue
    assert day_after.running and day_after.overdue


def test_the_pinned_policy_is_the_one_recorded_by_then() -> None:
    assert replay(at(10)).policy is not None
    assert replay(at(10)).policy.policy_id == STEP_BY_STEP.id  # type: ignore[union-attr]
    unpinned = (SIGNAL,)
    assert history(unpinned, None, at(10)).policy is None
    with pytest.raises(PolicyNotPinned):
        history(unpinned, STEP_BY_STEP, at(10))
    with pytest.raises(PolicyNotPinned):
        history(CASE, None, at(10))
    other_version = STEP_BY_STEP.model_copy(update={"version": STEP_BY_STEP.version + 1})
    with pytest.raises(PolicyNotPinned):
        history(CASE, other_version, at(10))


def test_personal_values_are_withheld_by_name_and_unmarked_fields_shown() -> None:
    signal = replay(at(10)).timeline[0]
    assert set(signal.withheld) == {"complainant.name", "complainant.email", "description"}
    assert signal.payload["description"] == WITHHELD
    assert signal.payload["complainant"]["name"] == WITHHELD
    assert signal.payload["complainant"]["phone"] is None  # absent: nothing to withhold
    assert signal.payload["channel"] == "phone"
    assert signal.revealed == ()
    dumped = replay(at(13)).model_dump_json()
    assert "Voorbeeld Ouder" not in dumped and "o@example.org" not in dumped
    assert "Het gesprek hielp niet." not in dumped and "Hoorzitting." not in dumped


def test_a_reveal_rule_shows_what_it_allows_and_the_answer_names_it_for_the_access_log() -> None:
    def description_only(role: Role, event_type: str, path: Path) -> bool:
        return role is Role.COMPLAINTS_OFFICER and path == ("description",)

    answer = history(CASE, STEP_BY_STEP, at(13), role=Role.COMPLAINTS_OFFICER, reveal=description_only)
    signal, filing = answer.timeline[0], answer.timeline[2]
    assert signal.payload["description"] == "Mijn kind wordt niet gehoord."
    assert signal.revealed == ("description",) and "description" not in signal.withheld
    assert filing.payload["description"] == "Het gesprek hielp niet."
    assert answer.shown() == (
        "state",
        "terms",
        "timeline",
        "chain",
        "timeline.complaint_filed.description",
        "timeline.signal_received.description",
    )
    assert replay(at(13)).shown() == ("state", "terms", "timeline", "chain")
    assert reveals_any(description_only, Role.COMPLAINTS_OFFICER)
    assert not reveals_any(description_only, Role.AUDITOR)
    assert not any(reveals_any(reveals, role) for role in Role)  # so no replay needs a key today


def test_bad_moments_are_refused_naming_the_moment() -> None:
    with pytest.raises(AsOfBeforeCase, match="before the case's first event was recorded"):
        replay(at(8, 59))
    with pytest.raises(AsOfNotAware):
        replay(datetime(2026, 3, 5, 12, 0))
    with pytest.raises(NoEvents):
        replay(at(12), ())


def test_an_event_without_a_store_time_is_refused() -> None:
    unstored = SIGNAL.model_copy(update={"recorded_at": None})
    with pytest.raises(ValueError, match="recorded_at"):
        history((unstored,), None, at(12))


def test_the_replay_is_a_prefix_of_the_stream_even_if_store_times_are_out_of_order() -> None:
    """Store times come from each append's transaction; a later version with an earlier time does not
    show up in a replay that leaves out the version before it."""
    early = stored(requested(Judge.DIRECTOR), at(10), at(10, 30), DIRECTOR)
    out_of_order = (SIGNAL, PIN, FILED.model_copy(update={"recorded_at": at(11)}), early)
    assert types(history(out_of_order, STEP_BY_STEP, at(10, 45))) == [
        "SignalReceived",
        "ProcedurePolicyPinned",
    ]


def test_the_same_events_give_the_same_history() -> None:
    assert replay(at(13)) == replay(at(13))
    assert isinstance(replay(at(13)).timeline[0].event_id, UUID)
