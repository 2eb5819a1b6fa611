"""The fault run's checks on crafted observations: each passes on a sound run and fails, naming what is
wrong, when one thing is off."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from klachtspoor_devtools.chaos import checks
from klachtspoor_devtools.chaos.checks import Event
from klachtspoor_devtools.chaos.faults import Applied
from klachtspoor_devtools.chaos.load import DOSSIER_CHANNEL, FILE_CHANNEL, LoadRecord, Outcome
from klachtspoor_devtools.chaos.schedule import Fault, FaultKind

CASE = "11111111-1111-1111-1111-111111111111"
STREAM = f"case:demo:{CASE}"
ACK = "aaaaaaaa-0000-0000-0000-000000000001"
CLOSED = "aaaaaaaa-0000-0000-0000-000000000002"


def requested(notification: str, kind: str, channel: str = "email") -> Event:
    data = {"notification_id": notification, "kind": kind, "recipient": "complainant", "channel": channel}
    return Event("NotificationRequested", data)


def sent(notification: str) -> Event:
    return Event(
        "NotificationSent", {"notification_id": notification, "message_id": f"<{notification}@klachtspoor>"}
    )


HANDED_AT = 1_800_000_000.0


def mailed(*notifications: str, times: int = 1) -> dict[str, list[float]]:
    """Each mail handed over ``times`` times, a second apart from ``HANDED_AT``."""
    return {f"<{n}@klachtspoor>": [HANDED_AT + i for i in range(times)] for n in notifications}


OPENED = [Event("SignalReceived"), Event("CaseReferenceAssigned", {"reference": "KS-2026-000001"})]
ACKNOWLEDGED = [*OPENED, requested(ACK, "acknowledgement"), sent(ACK)]
CLOSED_CASE = [*ACKNOWLEDGED, Event("CaseClosed"), requested(CLOSED, "case_closed"), sent(CLOSED)]


def record(*outcomes: Outcome) -> LoadRecord:
    return LoadRecord(outcomes=list(outcomes))


def signal(status: int = 201, case_id: str = CASE) -> Outcome:
    return Outcome("signal", 0, status, 1, case_id=case_id, reference="KS-2026-000001")


def failed(check: checks.Check, *phrases: str) -> None:
    assert not check.passed, check
    for phrase in phrases:
        assert phrase in check.detail, check.detail


# every accepted submission has its case


def test_accepted_submissions_in_their_cases_pass() -> None:
    close = Outcome("command", 5, 200, 1, case_id=CASE, appended=("CaseClosed",))
    public = Outcome("public", 9, 201, 1, reference="KS-2026-000001")
    check = checks.accepted_have_cases(record(signal(), close, public), {STREAM: CLOSED_CASE})
    assert check.passed, check
    assert check.detail == "1 signals, 1 public filings, 1 closes: each in its case"


def test_an_accepted_signal_without_its_case_fails() -> None:
    failed(checks.accepted_have_cases(record(signal()), {}), f"signal 0 accepted as case {CASE}")


def test_a_refused_signal_is_not_expected_to_have_a_case() -> None:
    assert checks.accepted_have_cases(record(signal(status=503)), {}).passed


def test_an_accepted_public_filing_without_its_case_fails() -> None:
    public = Outcome("public", 9, 201, 1, reference="KS-2026-000099")
    failed(checks.accepted_have_cases(record(public), {STREAM: OPENED}), "KS-2026-000099 accepted, no case")


def test_an_accepted_close_missing_from_the_case_fails() -> None:
    close = Outcome("command", 5, 200, 1, case_id=CASE, appended=("CaseClosed",))
    failed(checks.accepted_have_cases(record(close), {STREAM: ACKNOWLEDGED}), "its stream has no CaseClosed")


# every case has exactly its letters, none twice


def test_a_case_with_its_letters_each_mailed_once_passes() -> None:
    check = checks.letters_as_prescribed({STREAM: CLOSED_CASE}, mailed(ACK, CLOSED))
    assert check.passed, check
    assert check.detail == "1 cases, 2 letters, each prescribed, sent once and mailed once"


def test_a_missing_letter_fails() -> None:
    failed(
        checks.letters_as_prescribed({STREAM: OPENED}, {}),
        "letters {}, its events prescribe {'acknowledgement': 1}",
    )


def test_a_letter_requested_twice_fails() -> None:
    twice = [*ACKNOWLEDGED, requested(CLOSED, "acknowledgement"), sent(CLOSED)]
    failed(checks.letters_as_prescribed({STREAM: twice}, mailed(ACK, CLOSED)), "'acknowledgement': 2")


def test_a_mail_handed_over_twice_fails() -> None:
    failed(
        checks.letters_as_prescribed({STREAM: ACKNOWLEDGED}, mailed(ACK, times=2)),
        "handed to the SMTP server 2 times",
    )


@pytest.mark.parametrize(
    "answers",
    [[], [Event("NotificationParked", {"notification_id": ACK})], [sent(ACK), sent(ACK)]],
    ids=["unanswered", "parked", "sent twice"],
)
def test_a_letter_not_sent_exactly_once_fails(answers: Sequence[Event]) -> None:
    events = [*OPENED, requested(ACK, "acknowledgement"), *answers]
    failed(checks.letters_as_prescribed({STREAM: events}, mailed(ACK)), f"notification {ACK} answered")


def test_a_letter_in_the_dossier_needs_no_mail() -> None:
    events = [*OPENED, requested(ACK, "acknowledgement", channel="dossier"), sent(ACK)]
    assert checks.letters_as_prescribed({STREAM: events}, {}).passed


def test_a_case_closed_before_its_acknowledgement_gets_only_the_closure_letter() -> None:
    events = [*OPENED, Event("CaseClosed"), requested(CLOSED, "case_closed"), sent(CLOSED)]
    assert checks.expected_letters(events) == {"case_closed": 1}
    assert checks.letters_as_prescribed({STREAM: events}, mailed(CLOSED)).passed
    assert checks.expected_letters(CLOSED_CASE) == {"acknowledgement": 1, "case_closed": 1}


def test_an_inadmissible_complaint_prescribes_its_notice() -> None:
    decided = [
        Event("AdmissibilityDecided", {"admissible": False}),
        Event("AdmissibilityDecided", {"admissible": True}),
    ]
    assert checks.expected_letters(decided) == {"admissibility_decision": 1}


# every warning and breach at most once per term and due date


def test_warnings_once_per_term_and_due_date_pass() -> None:
    warned = [
        Event("DeadlineWarningReached", {"deadline": "handling", "due_on": "2026-12-10"}),
        Event("DeadlineWarningReached", {"deadline": "handling", "due_on": "2027-01-07"}),
        Event("DeadlineBreached", {"deadline": "handling", "due_on": "2026-12-10"}),
    ]
    check = checks.terms_at_most_once({STREAM: warned})
    assert check.passed and check.detail == "3 warnings and breaches, none twice"


def test_a_breach_twice_for_the_same_due_date_fails() -> None:
    twice = [Event("DeadlineBreached", {"deadline": "handling", "due_on": "2026-12-10"})] * 2
    failed(checks.terms_at_most_once({STREAM: twice}), "DeadlineBreached for handling due 2026-12-10 2 times")


def test_a_late_complaints_term_warned_and_breached_passes_and_one_not_yet_breached_fails() -> None:
    late = {"late-1"}
    done = [
        Event("DeadlineWarningReached", {"deadline": "admissibility", "due_on": "2026-11-17"}),
        Event("DeadlineBreached", {"deadline": "admissibility", "due_on": "2026-11-17"}),
    ]
    check = checks.terms_at_most_once({"case:demo:late-1": done}, late)
    assert check.passed and "each of the 1 late complaints' terms warned and breached" in check.detail
    assert checks.terms_still_due({"case:demo:late-1": done[:1]}, late) == {"late-1"}
    failed(
        checks.terms_at_most_once({"case:demo:late-1": done[:1]}, late),
        "case late-1: its late admissibility term was not warned and breached",
    )


def test_the_late_cases_are_those_whose_complaint_was_filed() -> None:
    record = LoadRecord(
        outcomes=[
            Outcome("late_complaint", 19, 200, 1, case_id="a", appended=("ComplaintFiled", "TermStarted")),
            Outcome("late_complaint", 39, 409, 1, case_id="b"),
            Outcome("signal", 40, 201, 1, case_id="c"),
        ]
    )
    assert checks.late_cases(record) == {"a"}


# the rest


def test_projections_pass_only_when_compared_and_equal() -> None:
    assert checks.projections_match({"reporting-cases": [], "escalation-timer-index": []}).passed
    failed(
        checks.projections_match({"reporting-cases": ["reporting.cases: 1 rows only live"]}),
        "reporting-cases",
    )
    failed(checks.projections_match({}), "no projection was compared")


def test_chains_pass_or_fail_as_verify_said() -> None:
    assert checks.chains_verify(True, "3 streams").passed
    failed(checks.chains_verify(False, "exit 1: version 4"), "version 4")


def parked(subscriber: str, event_id: str | None) -> checks.Parked:
    return checks.Parked(subscriber, event_id, f"{subscriber}: SignalReceived {event_id} (ValueError: bad)")


BY = frozenset({"escalation", "reporting"})


def test_anything_parked_fails_unless_poisoned_on_purpose() -> None:
    assert checks.nothing_parked([]).detail == "nothing parked (nothing poisoned)"
    failed(checks.nothing_parked([parked("reporting.cases", "e1")]), "reporting.cases", "ValueError: bad")
    failed(checks.nothing_parked([parked("notify", None)], {"e1"}, BY), "notify: SignalReceived None")
    both = [parked(s, e) for e in ("e1", "e2") for s in ("escalation", "reporting")]
    check = checks.nothing_parked(both, {"e1", "e2"}, BY)
    assert check.passed, check.detail
    assert check.detail == "nothing but the 2 poisoned events, each parked by escalation, reporting"
    failed(checks.nothing_parked([*both, parked("timer", "e3")], {"e1", "e2"}, BY), "timer: ")


def test_a_poisoned_event_not_parked_by_every_subscriber_that_reads_it_fails() -> None:
    one = [parked("escalation", "e1"), parked("reporting", "e1")]
    failed(checks.nothing_parked(one, {"e1", "e2"}, BY), "e2 not parked by escalation, reporting")
    fewer = [*one, parked("reporting", "e2")]
    failed(checks.nothing_parked(fewer, {"e1", "e2"}, BY), "poisoned event e2 not parked by escalation")
    assert checks.poisons_unparked(fewer, {"e1", "e2"}, BY) == {"e2"}
    more = [*fewer, parked("escalation", "e2"), parked("timer", "e2")]
    assert checks.nothing_parked(more, {"e1", "e2"}, BY).passed


def test_every_served_read_needs_its_access_record() -> None:
    reads = record(
        Outcome("file_read", 1, 200, 1, case_id=CASE),
        Outcome("file_read", 2, 200, 1, case_id=CASE),
        Outcome("dossier_read", 3, 200, 1, case_id=CASE),
        Outcome("dossier_read", 4, 404, 1, case_id=None),
    )
    logged = {(CASE, FILE_CHANNEL): 2, (CASE, DOSSIER_CHANNEL): 1}
    check = checks.reads_logged(reads, logged)
    assert check.passed and check.detail == "3 reads, each in the access log"
    failed(
        checks.reads_logged(reads, {**logged, (CASE, FILE_CHANNEL): 1}), f"2 reads of case {CASE}", "1 logged"
    )
    failed(checks.reads_logged(reads, {(CASE, FILE_CHANNEL): 2}), "through POST /v1/public", "0 logged")


def test_only_faults_that_can_cut_notify_off_after_a_handover_are_crashes() -> None:
    def applied(kind: FaultKind, target: str | None = None) -> Applied:
        return Applied(Fault(at=0, kind=kind, target=target), began=0, seconds=0.5, note="", wall=100.0)

    assert applied(FaultKind.KILL, "notify").crash_window(2) == (98.0, 102.5)
    assert applied(FaultKind.PAUSE, "notify").crash_window(2) == (98.0, 102.5)
    assert applied(FaultKind.POSTGRES_RESTART).crash_window(2) == (98.0, 102.5)
    assert applied(FaultKind.KILL, "intake").crash_window(2) is None
    assert applied(FaultKind.NATS_DOWN).crash_window(2) is None
    assert applied(FaultKind.SMTP_REFUSAL).crash_window(2) is None
