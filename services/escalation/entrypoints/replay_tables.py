"""How ``klachtspoor replay`` shows a history to people: Dutch headings and labels, rich tables.

Only the rendering; the answer is the same :class:`CaseHistory` the endpoint returns (``--json``).
Withheld personal fields are shown by name in the timeline, never by value.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table

from contracts.labels import LABELLED, label
from contracts.vocabulary import ConversationResult, Judge, TermUnit
from services.escalation.domain.history import CaseHistory, ChainCheck, ChainStatus
from services.escalation.domain.history.views import CaseStateView, ComplaintView, TermView

_CHAIN = {
    ChainStatus.INTACT: "[green]keten intact[/]",
    ChainStatus.BROKEN: "[bold red]keten verbroken[/]",
    ChainStatus.NOT_CHECKED: "[yellow]keten niet gecontroleerd[/]",
}


def render(answer: CaseHistory) -> RenderableType:
    return Group(_heading(answer), _state(answer.state), _terms(answer.terms), _timeline(answer))


def _heading(answer: CaseHistory) -> Panel:
    policy = (
        "geen"
        if answer.policy is None
        else f"{answer.policy.policy_id} versie {answer.policy.policy_version}"
    )
    lines = [
        f"zaak [bold]{answer.case_id}[/] (tenant {answer.tenant})",
        f"stand per {_moment(answer.as_of)} (vastgelegd, niet gebeurd)",
        f"klachtenregeling: {policy}",
        _chain(answer.chain),
    ]
    if answer.recorded_after:
        lines.append(f"{answer.recorded_after} later vastgelegde gebeurtenissen vallen buiten deze stand")
    return Panel("\n".join(lines), title="Geschiedenis van de zaak", expand=False)


def _chain(chain: ChainCheck) -> str:
    text = f"{_CHAIN[chain.status]} ({chain.checked} gebeurtenissen gecontroleerd)"
    if chain.first_break is not None:
        b = chain.first_break
        text += f"\neerste breuk: versie {b.version} ({b.event_id}): {b.problem}"
    elif chain.detail:
        text += f": {chain.detail}"
    return text


_OTHER_LABELS: dict[str, str] = {
    Judge.DIRECTOR: "directeur",
    Judge.COMPLAINTS_COMMITTEE: "klachtencommissie",
    ConversationResult.RESOLVED: "opgelost",
    ConversationResult.PARTLY_RESOLVED: "deels opgelost",
    ConversationResult.UNRESOLVED: "niet opgelost",
}
"""Codes of the state the contracts have no Dutch label for (yet)."""

_UNITS = {
    TermUnit.HOURS: "uur",
    TermUnit.WORKING_DAYS: "werkdagen",
    TermUnit.DAYS: "dagen",
    TermUnit.WEEKS: "weken",
    TermUnit.MONTHS: "maanden",
    TermUnit.YEARS: "jaar",
}

_STATE_LABELS = {
    "opened": "geopend",
    "received_on": "ontvangen op",
    "reference": "kenmerk",
    "step": "stap",
    "complaint": "klacht ingediend bij, op",
    "admissible": "in behandeling genomen",
    "officer_id": "klachtenfunctionaris",
    "mediation_running": "bemiddeling loopt",
    "mediation_result": "uitkomst bemiddeling",
    "judge": "oordeel gevraagd aan",
    "judgement": "oordeel",
    "hearings_scheduled": "hoorzittingen gepland",
    "hearings_held": "hoorzittingen gehouden",
    "measures_taken": "maatregelen",
    "referrals": "extern doorverwezen naar",
    "closed": "afgesloten",
    "resolution": "afloop",
    "erased": "persoonsgegevens verwijderd",
}


def _state(state: CaseStateView) -> Table:
    table = Table("toestand", "waarde", title="Toestand", title_justify="left")
    for name, heading in _STATE_LABELS.items():
        table.add_row(heading, _value(getattr(state, name)))
    return table


def _terms(terms: tuple[TermView, ...]) -> RenderableType:
    if not terms:
        return "Geen termijnen."
    table = Table(title="Termijnen", title_justify="left")
    for column in ("termijn", "gestart", "duur", "uiterlijk", "waarschuwing", "stand"):
        table.add_column(column)
    for t in terms:
        table.add_row(
            label(t.kind),
            t.started_on.isoformat(),
            f"{t.term.amount} {_UNITS[t.term.unit]}",
            t.due_on.isoformat() + (" (verlengd)" if t.extended else ""),
            t.warning_on.isoformat(),
            _term_status(t),
        )
    return table


def _term_status(t: TermView) -> str:
    if t.met:
        return "gehaald"
    if t.stopped:
        return "gestopt"
    if t.suspended:
        return "opgeschort"
    return "[red]verlopen[/]" if t.overdue else "loopt"


def _timeline(answer: CaseHistory) -> Table:
    table = Table(title="Tijdlijn", title_justify="left")
    for column in ("#", "vastgelegd (UTC)", "gebeurd (UTC)", "wat", "wie", "rol", "afgeschermd"):
        table.add_column(column, overflow="fold")
    for e in answer.timeline:
        late = " [bold yellow]laat vastgelegd[/]" if e.recorded_late else ""
        table.add_row(
            str(e.version),
            _moment(e.recorded_at),
            _moment(e.occurred_at) + late,
            e.label or e.type,
            e.actor.id,
            label(e.actor.role),
            ", ".join(e.withheld) or "—",
        )
    return table


def _value(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, StrEnum):
        return label(value) if type(value) in LABELLED else _OTHER_LABELS.get(value, value.value)
    if isinstance(value, tuple):
        return ", ".join(_value(v) for v in value) or "—"
    if isinstance(value, ComplaintView):
        return f"{_value(value.filed_with)}, {value.received_on.isoformat()}"
    return str(value)


def _moment(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="seconds").removesuffix("+00:00")
