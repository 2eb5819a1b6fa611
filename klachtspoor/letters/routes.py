"""Where a complainant can go after a judgement or a decision not to handle the complaint, with the term
for it: the procedure's own next formal step (a committee after a director's judgement) and the outside
bodies the policy names (``external_bodies``), in that order.

A route's term is the case's own running term when it has one (``disputes_committee_filing``,
``ombudsman_filing``: a date), else the policy's term as the procedure words it (``binnen 1 jaar na
ontvangst van de klacht``), else none: a letter never states a term the procedure does not set.
"""

from __future__ import annotations

from contracts.labels import label
from contracts.policy import ProcedurePolicy
from contracts.values import Term
from contracts.vocabulary import DeadlineKind, EscalationStep, ExternalBody, TermUnit
from klachtspoor.letters.lines import RouteLine
from klachtspoor.letters.state import CaseMailState

FILING_TERMS = {
    ExternalBody.DISPUTES_COMMITTEE: DeadlineKind.DISPUTES_COMMITTEE_FILING,
    ExternalBody.OMBUDSMAN: DeadlineKind.OMBUDSMAN_FILING,
}
"""The bodies a complainant must go to within a term the procedure sets."""

WEBSITES = {
    ExternalBody.DISPUTES_COMMITTEE: "https://www.degeschillencommissiezorg.nl",
    ExternalBody.OMBUDSMAN: "https://www.nationaleombudsman.nl",
    ExternalBody.SKJ_DISCIPLINARY: "https://skjeugd.nl",
    ExternalBody.INSPECTORATE: "https://www.igj.nl",
}
"""The public sites of the national bodies (organisations, not people)."""

_UNITS = {
    TermUnit.HOURS: ("uur", "uur"),
    TermUnit.WORKING_DAYS: ("werkdag", "werkdagen"),
    TermUnit.DAYS: ("dag", "dagen"),
    TermUnit.WEEKS: ("week", "weken"),
    TermUnit.MONTHS: ("maand", "maanden"),
    TermUnit.YEARS: ("jaar", "jaar"),
}


def dutch_term(term: Term) -> str:
    """``6 weken``, ``1 jaar``, ``2 werkdagen``."""
    one, more = _UNITS[term.unit]
    return f"{term.amount} {one if term.amount == 1 else more}"


def routes_onwards(state: CaseMailState, policy: ProcedurePolicy | None) -> tuple[RouteLine, ...]:
    if policy is None:
        return ()
    routes: list[RouteLine] = []
    committee = _committee_after(state, policy)
    if committee is not None:
        routes.append(committee)
    for body in policy.external_bodies:
        kind = FILING_TERMS.get(body)
        due_on = state.terms.get(kind) if kind is not None else None
        within = None
        if kind is not None and due_on is None:
            term = policy.term(kind)
            within = f"binnen {dutch_term(term.term)} na {term.starts}" if term is not None else None
        routes.append(RouteLine(body.value, label(body), due_on, within, WEBSITES.get(body)))
    return tuple(routes)


def _committee_after(state: CaseMailState, policy: ProcedurePolicy) -> RouteLine | None:
    """The complaints committee, when it is a later rung of the ladder than the step the case is at."""
    committee = EscalationStep.COMPLAINTS_COMMITTEE
    if committee not in policy.steps or state.step is None or state.step not in policy.steps:
        return None
    if policy.steps.index(state.step) >= policy.steps.index(committee):
        return None
    if state.judgement is not None and state.judgement.judge.value == committee.value:
        return None
    rung = policy.step(committee)
    return RouteLine(committee.value, rung.label, website=rung.website)
