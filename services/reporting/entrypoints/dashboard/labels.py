"""The Dutch words the dashboard shows for codes: the contracts' labels and reporting's own."""

from __future__ import annotations

from datetime import date
from typing import Final

from contracts.vocabulary import Category, DeadlineKind, EscalationStep, Role
from services.reporting.domain.dashboard import BREACHED_COLUMN, DueBucket
from services.reporting.domain.figures import UNKNOWN
from services.reporting.domain.labels import EVENT_TYPE_LABELS, vocabulary_label
from services.reporting.domain.status import STATUS_LABELS, CaseStatus
from services.reporting.domain.tables import PublishedDimension

DIMENSION_TITLES: Final = {
    PublishedDimension.CATEGORY: "Categorieën",
    PublishedDimension.CHANNEL: "Kanalen",
    PublishedDimension.HIGHEST_STEP: "Hoogste trede",
    PublishedDimension.OUTCOME: "Uitkomsten",
    PublishedDimension.TERM_MET: "Termijnen gehaald",
    PublishedDimension.TERM_BREACHED: "Termijnen overschreden",
    PublishedDimension.MEASURES: "Maatregelen",
}
DIMENSION_ROW_HEADERS: Final = {
    PublishedDimension.CATEGORY: "categorie",
    PublishedDimension.CHANNEL: "kanaal",
    PublishedDimension.HIGHEST_STEP: "hoogste trede",
    PublishedDimension.OUTCOME: "uitkomst",
    PublishedDimension.TERM_MET: "termijn",
    PublishedDimension.TERM_BREACHED: "termijn",
    PublishedDimension.MEASURES: "maatregelen",
}
BUCKETS: Final = {DueBucket.OVERDUE.value: "verlopen", DueBucket.THIS_WEEK.value: "deze week"}
COLUMNS: Final = {BREACHED_COLUMN: "lopende zaken", **BUCKETS}


def status_label(code: str) -> str:
    return STATUS_LABELS[CaseStatus(code)] if code in CaseStatus._value2member_map_ else code


def step_label(code: str) -> str:
    if code == UNKNOWN:
        return "onbekend"
    if code in EscalationStep._value2member_map_:
        return vocabulary_label(EscalationStep(code)) or code
    return code


def deadline_label(code: str) -> str:
    if code in DeadlineKind._value2member_map_:
        return vocabulary_label(DeadlineKind(code)) or code
    return code


def column_label(code: str) -> str:
    return COLUMNS.get(code, code)


def quarter_label(code: str) -> str:
    """``2026-Q1`` as ``kwartaal 1`` (the page names the year)."""
    _, _, quarter = code.partition("-Q")
    return f"kwartaal {quarter}" if quarter else code


def role_label(role: Role) -> str:
    return vocabulary_label(role) or role.value


MONTHS: Final = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def short_date(day: date) -> str:
    """``2 mrt 2026``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def period_label(code: str) -> str:
    """``2026`` as itself, ``2026-Q1`` as ``1e kwartaal 2026``."""
    year, _, quarter = code.partition("-Q")
    return f"{quarter}e kwartaal {year}" if quarter else year


def event_label(code: str) -> str:
    return EVENT_TYPE_LABELS.get(code) or code


def category_label(category: Category) -> str:
    return vocabulary_label(category) or category.value
