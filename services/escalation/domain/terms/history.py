"""What happened to each term, folded from the events alone: started, extended, suspended, resumed, met,
stopped. No due date is kept here; :mod:`.deadlines` derives it from these facts and the pinned policy each
time, so a replay always gives the same dates and no stored flag can drift.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from contracts.events import (
    AdmissibilityDecided,
    AnyEvent,
    CaseClosed,
    CaseLinkedAsDuplicate,
    CaseReopened,
    ComplaintWithdrawn,
    FirstContactMade,
    JudgementGiven,
    MeasuresAnnounced,
    PersonalDataErased,
    ReferredExternally,
    TermExtended,
    TermResumed,
    TermStarted,
    TermSuspended,
)
from contracts.values import Term
from contracts.vocabulary import DeadlineKind, ExternalBody
from klachtspoor.frozen import replace

HANDLING_TERMS = frozenset(
    {
        DeadlineKind.ACKNOWLEDGEMENT,
        DeadlineKind.FIRST_CONTACT,
        DeadlineKind.ADMISSIBILITY,
        DeadlineKind.JUDGEMENT,
        DeadlineKind.MEASURES_NOTICE,
    }
)
"""Terms the organisation owes while it handles the case: closing or withdrawing stops them. The others
(the complainant's term to go to a disputes body or the ombudsman, measures being carried out, retention)
run on after closure."""

_FILING_TERMS = {
    ExternalBody.DISPUTES_COMMITTEE: DeadlineKind.DISPUTES_COMMITTEE_FILING,
    ExternalBody.OMBUDSMAN: DeadlineKind.OMBUDSMAN_FILING,
}


@dataclass(frozen=True, slots=True)
class Extension:
    new_due_on: date


@dataclass(frozen=True, slots=True)
class Pause:
    """A finished suspension; dates are None only on events written before they were recorded."""

    suspended_on: date | None
    resumed_on: date | None


@dataclass(frozen=True, slots=True)
class TermRecord:
    """One term's history in order of occurrence: ``changes`` replays on top of the counted due date."""

    kind: DeadlineKind
    started_on: date
    term: Term
    changes: tuple[Extension | Pause, ...] = ()
    suspended: bool = False
    suspended_on: date | None = None
    met: bool = False
    stopped: bool = False

    @property
    def extended(self) -> bool:
        return any(isinstance(change, Extension) for change in self.changes)

    @property
    def running(self) -> bool:
        """Not met and not stopped by the case ending (a suspended term still runs, paused)."""
        return not self.met and not self.stopped


_Change = Callable[[TermRecord], TermRecord]


TermBook = tuple[TermRecord, ...]
"""Every term of a case, in the order they (last) started; at most one record per kind."""


def find(book: TermBook, kind: DeadlineKind) -> TermRecord | None:
    return next((record for record in book if record.kind is kind), None)


def record_term(book: TermBook, event: AnyEvent) -> TermBook:
    """The term book after ``event``; events that touch no term leave it as it is."""
    match event:
        case TermStarted():
            fresh = TermRecord(kind=event.deadline, started_on=event.started_on, term=event.term)
            return (*(r for r in book if r.kind is not event.deadline), fresh)
        case TermExtended():
            return _update(
                book, event.deadline, lambda r: replace(r, changes=(*r.changes, Extension(event.new_due_on)))
            )
        case TermSuspended():
            return _update(
                book, event.deadline, lambda r: replace(r, suspended=True, suspended_on=event.suspended_on)
            )
        case TermResumed():
            return _update(book, event.deadline, lambda r: _resumed(r, event.resumed_on))
        case FirstContactMade():
            return _met(book, DeadlineKind.FIRST_CONTACT)
        case AdmissibilityDecided():
            return _met(book, DeadlineKind.ADMISSIBILITY)
        case JudgementGiven():
            return _met(book, DeadlineKind.JUDGEMENT)
        case MeasuresAnnounced():
            return _met(book, DeadlineKind.MEASURES_NOTICE)
        case ReferredExternally(body=body) if body in _FILING_TERMS:
            return _met(book, _FILING_TERMS[body])
        case PersonalDataErased():
            return _met(book, DeadlineKind.RETENTION)
        case CaseClosed() | ComplaintWithdrawn() | CaseLinkedAsDuplicate():
            return tuple(
                replace(r, stopped=True) if r.kind in HANDLING_TERMS and r.running else r for r in book
            )
        case CaseReopened():
            return tuple(replace(r, stopped=True) if r.kind is DeadlineKind.RETENTION else r for r in book)
        case _:
            return book


def _resumed(record: TermRecord, resumed_on: date | None) -> TermRecord:
    if not record.suspended:
        return record
    pause = Pause(record.suspended_on, resumed_on)
    return replace(record, changes=(*record.changes, pause), suspended=False, suspended_on=None)


def _met(book: TermBook, kind: DeadlineKind) -> TermBook:
    return _update(book, kind, lambda r: replace(r, met=True) if r.running else r)


def _update(book: TermBook, kind: DeadlineKind, change: _Change) -> TermBook:
    return tuple(change(r) if r.kind is kind else r for r in book)
