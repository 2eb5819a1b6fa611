"""What a fault run proves once the load is drained: pure functions over what was observed (the case
streams, the sink's deliveries, the load's outcomes, the access log, parked events, the chain and
projection reports), each returning a :class:`Check` that passes or names what is wrong.

Pure so that each can be shown to fail on crafted input (tests/unit/test_chaos_checks.py): a check
that cannot fail proves nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from klachtspoor_devtools.chaos.load import DOSSIER_CHANNEL, FILE_CHANNEL, LoadRecord

SHOWN = 3
"""Offending items named in a failed check's detail (then "and N more")."""
LETTER_ON = {
    "SignalReceived": "acknowledgement",
    "CaseClosed": "case_closed",
    "ComplaintWithdrawn": "withdrawal_confirmed",
    "TermExtended": "term_extended",
    "TermSuspended": "term_suspended",
    "CommitteeHearingScheduled": "hearing_invitation",
    "JudgementGiven": "judgement",
    "MeasuresAnnounced": "measures",
}
"""The letter to the complainant each event prescribes (docs/letters.md, "Every letter")."""
TERM_EVENTS = ("DeadlineWarningReached", "DeadlineBreached")
ANSWERS = ("NotificationSent", "NotificationParked")


@dataclass(frozen=True)
class Event:
    """The part of a recorded event the checks read (types and non-personal fields)."""

    type: str
    data: Mapping[str, Any] = field(default_factory=dict)


Cases = Mapping[str, Sequence[Event]]
"""Case stream name -> its events in order."""


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


def _verdict(name: str, problems: Sequence[str], fine: str) -> Check:
    if not problems:
        return Check(name, True, fine)
    more = f" and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
    return Check(name, False, "; ".join(problems[:SHOWN]) + more)


def _case_id(stream: str) -> str:
    return stream.rsplit(":", 1)[-1]


def accepted_have_cases(load: LoadRecord, cases: Cases) -> Check:
    """Every accepted signal and public filing has its case; every accepted close is in its case."""
    by_id = {_case_id(stream): events for stream, events in cases.items()}
    references = {
        str(e.data.get("reference"))
        for events in cases.values()
        for e in events
        if e.type == "CaseReferenceAssigned"
    }
    problems: list[str] = []
    signals = [o for o in load.of("signal") if o.accepted]
    for outcome in signals:
        events = by_id.get(str(outcome.case_id), ())
        if not any(e.type == "SignalReceived" for e in events):
            problems.append(f"signal {outcome.index} accepted as case {outcome.case_id}, which has no signal")
    public = [o for o in load.of("public") if o.accepted]
    problems += [
        f"public filing {o.reference} accepted, no case has it"
        for o in public
        if o.reference not in references
    ]
    closes = [o for o in load.of("command") if o.accepted and "CaseClosed" in o.appended]
    for outcome in closes:
        if not any(e.type == "CaseClosed" for e in by_id.get(str(outcome.case_id), ())):
            problems.append(f"case {outcome.case_id} was closed (200), its stream has no CaseClosed")
    fine = f"{len(signals)} signals, {len(public)} public filings, {len(closes)} closes: each in its case"
    return _verdict("every accepted submission has its case", problems, fine)


def expected_letters(events: Iterable[Event]) -> Counter[str]:
    """The letters to the complainant the case's events prescribe, by kind.

    A signal closed before escalation reacted to it gets no acknowledgement (escalation acknowledges only
    an open case: ``services/escalation/domain/case/acknowledgement.py``), only the closure letter."""
    kinds: Counter[str] = Counter()
    acknowledged = False
    for event in events:
        if event.type == "NotificationRequested" and event.data.get("kind") == "acknowledgement":
            acknowledged = True
        if event.type == "CaseClosed" and not acknowledged:
            kinds.pop("acknowledgement", None)
        if event.type in LETTER_ON:
            kinds[LETTER_ON[event.type]] += 1
        elif event.type == "AdmissibilityDecided" and event.data.get("admissible") is False:
            kinds["admissibility_decision"] += 1
    return kinds


def _at_a_crash(moment: float, crashes: Sequence[tuple[float, float]]) -> bool:
    return any(start <= moment <= end for start, end in crashes)


def letters_as_prescribed(
    cases: Cases, handovers: Mapping[str, Sequence[float]], crashes: Sequence[tuple[float, float]] = ()
) -> Check:
    """Each case requested exactly the letters its events prescribe; each request answered once, sent
    (never parked); each mail handed to the SMTP server once.

    ``handovers``: Message-ID -> when the SMTP server accepted it, each time (Unix time). A second
    handover *with the same Message-ID* is the one window notify cannot close (the server's 250, then a
    crash or an outage before ``NotificationSent`` is recorded: docs/services/notify.md); it passes
    only when every earlier handover fell in one of ``crashes`` (notify killed or stopped, PostgreSQL
    down: (start, end) Unix times), and is counted in the detail."""
    problems: list[str] = []
    letters = again = 0
    for stream, events in cases.items():
        requested = [e for e in events if e.type == "NotificationRequested"]
        to_complainant = Counter(
            str(e.data["kind"]) for e in requested if e.data.get("recipient") == "complainant"
        )
        expected = expected_letters(events)
        if to_complainant != expected:
            problems.append(
                f"{stream}: letters {dict(to_complainant)}, its events prescribe {dict(expected)}"
            )
        answers: dict[str, list[Event]] = {}
        for event in events:
            if event.type in ANSWERS:
                answers.setdefault(str(event.data["notification_id"]), []).append(event)
        for request in requested:
            notification = str(request.data["notification_id"])
            given = answers.get(notification, [])
            letters += 1
            if [e.type for e in given] != ["NotificationSent"]:
                problems.append(f"{stream}: notification {notification} answered {[e.type for e in given]}")
                continue
            if request.data.get("channel") != "email":
                continue
            message_id = str(given[0].data.get("message_id"))
            times = sorted(handovers.get(message_id, ()))
            if len(times) > 1 and all(_at_a_crash(moment, crashes) for moment in times[:-1]):
                again += 1
            elif len(times) != 1:
                problems.append(f"{stream}: mail {message_id} handed to the SMTP server {len(times)} times")
    fine = f"{len(cases)} cases, {letters} letters, each prescribed, sent once and mailed once"
    if again:
        fine += f" ({again} handed over again, same Message-ID, after a crash right after the handover)"
    return _verdict("every case has exactly its letters, none twice", problems, fine)


LATE_TERM = "admissibility"
"""The term a late complaint lets run past its due date (``Mix.late_every``)."""


def late_cases(load: LoadRecord) -> set[str]:
    """The case ids whose late complaint was filed (their term is past its due date from the start)."""
    return {
        str(o.case_id) for o in load.of("late_complaint") if o.accepted and "ComplaintFiled" in o.appended
    }


def terms_still_due(cases: Cases, late: AbstractSet[str]) -> set[str]:
    """The late cases whose term does not have both its warning and its breach yet."""
    by_id = {_case_id(stream): events for stream, events in cases.items()}
    return {
        case_id
        for case_id in late
        if {e.type for e in by_id.get(case_id, ()) if e.data.get("deadline") == LATE_TERM} < set(TERM_EVENTS)
    }


def terms_at_most_once(cases: Cases, late: AbstractSet[str] = frozenset()) -> Check:
    """Every deadline warning and breach at most once per case, term and due date; and every late
    complaint's term (``late``: its case ids) warned and breached, so the check is never passed by a
    run in which no term fell due."""
    seen = Counter(
        (stream, e.type, str(e.data.get("deadline")), str(e.data.get("due_on")))
        for stream, events in cases.items()
        for e in events
        if e.type in TERM_EVENTS
    )
    problems = [f"{s}: {t} for {d} due {due} {n} times" for (s, t, d, due), n in seen.items() if n > 1]
    problems += [
        f"case {case_id}: its late {LATE_TERM} term was not warned and breached"
        for case_id in sorted(terms_still_due(cases, late))
    ]
    fine = f"{sum(seen.values())} warnings and breaches, none twice"
    if late:
        fine += f"; each of the {len(late)} late complaints' terms warned and breached"
    return _verdict("every warning and breach at most once per term and due date", problems, fine)


def projections_match(differences: Mapping[str, Sequence[str]]) -> Check:
    """Every projection's tables equal a fresh rebuild's; ``differences``: projection -> what differs."""
    problems = [f"{name}: {', '.join(found)}" for name, found in differences.items() if found]
    fine = f"{len(differences)} projections equal their rebuild"
    if not differences:
        return Check("every projection equals a fresh rebuild", False, "no projection was compared")
    return _verdict("every projection equals a fresh rebuild", problems, fine)


def chains_verify(intact: bool, detail: str) -> Check:
    return Check("every chain verifies", intact, detail)


@dataclass(frozen=True)
class Parked:
    """One thing parked: a subscriber's parked event (``event_id``), or a parked notification (None)."""

    subscriber: str
    event_id: str | None
    description: str


def parked_by(parked: Sequence[Parked], poisoned: AbstractSet[str]) -> dict[str, set[str]]:
    """Poisoned event id -> the subscribers that parked it."""
    found: dict[str, set[str]] = {event_id: set() for event_id in poisoned}
    for item in parked:
        if item.event_id in found:
            found[item.event_id].add(item.subscriber)
    return found


def poisons_unparked(parked: Sequence[Parked], poisoned: AbstractSet[str], by: AbstractSet[str]) -> set[str]:
    """The poisoned events not (yet) parked by every subscriber of ``by``."""
    found = parked_by(parked, poisoned)
    return {event_id for event_id, subscribers in found.items() if not by <= subscribers}


def nothing_parked(
    parked: Sequence[Parked], poisoned: AbstractSet[str] = frozenset(), by: AbstractSet[str] = frozenset()
) -> Check:
    """Nothing parked but the events the run poisoned on purpose (``poisoned``: their ids), and each of
    those parked by every subscriber that reads them (``by``): one that did not park it skipped it, or
    still holds it up; and with nothing poisoned and parked the check would not be put to the test."""
    problems = [item.description for item in parked if item.event_id not in poisoned]
    found = parked_by(parked, poisoned)
    for event_id, subscribers in sorted(found.items()):
        if missing := sorted(by - subscribers):
            problems.append(f"poisoned event {event_id} not parked by {', '.join(missing)}")
    every = set().union(*found.values())
    fine = (
        f"nothing but the {len(poisoned)} poisoned events, each parked by {', '.join(sorted(every))}"
        if poisoned
        else "nothing parked (nothing poisoned)"
    )
    return _verdict("nothing is parked that was not deliberately poisoned", problems, fine)


def reads_logged(load: LoadRecord, served: Mapping[tuple[str, str], int]) -> Check:
    """Every served read has its record: ``served`` counts served access records per (case, channel)."""
    channel = {"dossier_read": DOSSIER_CHANNEL, "file_read": FILE_CHANNEL}
    reads = Counter(
        (str(o.case_id), channel[o.kind])
        for kind in channel
        for o in load.of(kind)
        if o.accepted and o.case_id
    )
    problems = [
        f"{n} reads of case {case} through {via}, {served.get((case, via), 0)} logged"
        for (case, via), n in reads.items()
        if served.get((case, via), 0) < n
    ]
    fine = f"{sum(reads.values())} reads, each in the access log"
    return _verdict("the access log holds a record for every read", problems, fine)
