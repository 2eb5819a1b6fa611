"""Response models of the reporting API: frozen, codes with their Dutch labels next to them."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from contracts.vocabulary import Category
from klachtspoor.disclosure import ProtectedTable, Published, column_percentages, percentage
from services.reporting.domain.case import CaseView, OpenTerm
from services.reporting.domain.events import TimelineEntry
from services.reporting.domain.labels import EVENT_TYPE_LABELS, vocabulary_label
from services.reporting.domain.status import STATUS_LABELS
from services.reporting.domain.tables import Period, PublishedDimension, PublishedHandlingTime, value_label


class Response(BaseModel):
    model_config = ConfigDict(frozen=True)


class Labelled(Response):
    code: str
    label: str | None


class Deadline(Response):
    kind: Labelled
    due_on: date
    suspended: bool


class CaseSummary(Response):
    case_id: UUID
    reference: str | None
    status: Labelled
    opened_at: datetime
    received_on: date | None
    next_deadline: Deadline | None
    last_event_at: datetime
    categories: tuple[Labelled, ...]


class CaseDetail(CaseSummary):
    version: int
    """Version of the last event applied: the number of events in the case minus one."""
    running_terms: tuple[Deadline, ...]


class CaseList(Response):
    items: tuple[CaseSummary, ...]
    total: int
    limit: int
    offset: int


class TimelineItem(Response):
    version: int
    event_id: UUID
    type: Labelled
    actor_id: str
    actor_role: Labelled
    occurred_at: datetime
    recorded_at: datetime


class Timeline(Response):
    case_id: UUID
    items: tuple[TimelineItem, ...]


class Cell(Response):
    """A published figure: a count, or ``value`` null and ``suppressed`` true (CSV: ``x``)."""

    value: int | None
    suppressed: bool


class HandlingTime(Response):
    """Working days from receipt to the end, over the period's ended cases; all null and ``suppressed``
    when fewer than the threshold ended (``cases_ended`` 0 and no median when none did)."""

    cases_ended: int | None
    median_working_days: float | None
    p90_working_days: int | None
    suppressed: bool


class StatisticsRow(Response):
    value: Labelled
    cells: tuple[Cell, ...]
    total: Cell
    percentages: tuple[float | None, ...]
    """Each cell as a percentage of its column total; null on a base under ``percentage_base``."""
    total_percentage: float | None
    """The row total as a percentage of the table's total; null on a base under ``percentage_base``."""


class StatisticsTable(Response):
    """One dimension of one period: a row per value, a column per quarter, totals, under ``threshold``."""

    tenant: str
    dimension: str
    period: str
    columns: tuple[str, ...]
    rows: tuple[StatisticsRow, ...]
    column_totals: tuple[Cell, ...]
    total: Cell
    threshold: int
    percentage_base: int
    handling_time: HandlingTime


def _category(category: Category) -> Labelled:
    return Labelled(code=category.value, label=vocabulary_label(category))


def _deadline(term: OpenTerm) -> Deadline:
    kind = Labelled(code=term.deadline.value, label=vocabulary_label(term.deadline))
    return Deadline(kind=kind, due_on=term.due_on, suspended=term.suspended)


def _summary_fields(view: CaseView) -> dict[str, object]:
    deadline = view.next_deadline
    return {
        "case_id": view.case_id,
        "reference": view.reference,
        "status": Labelled(code=view.status.value, label=STATUS_LABELS[view.status]),
        "opened_at": view.opened_at,
        "received_on": view.received_on,
        "next_deadline": None if deadline is None else _deadline(deadline),
        "last_event_at": view.last_event_at,
        "categories": tuple(_category(c) for c in view.categories),
    }


def case_summary(view: CaseView) -> CaseSummary:
    return CaseSummary.model_validate(_summary_fields(view))


def case_detail(view: CaseView) -> CaseDetail:
    return CaseDetail.model_validate(
        {
            **_summary_fields(view),
            "version": view.version,
            "running_terms": tuple(_deadline(t) for t in view.terms),
        }
    )


def timeline_item(entry: TimelineEntry) -> TimelineItem:
    return TimelineItem(
        version=entry.version,
        event_id=entry.event_id,
        type=Labelled(code=entry.type, label=EVENT_TYPE_LABELS.get(entry.type)),
        actor_id=entry.actor.id,
        actor_role=Labelled(code=entry.actor.role.value, label=vocabulary_label(entry.actor.role)),
        occurred_at=entry.occurred_at,
        recorded_at=entry.recorded_at,
    )


def _cell(cell: Published) -> Cell:
    return Cell(value=cell.value, suppressed=cell.suppressed)


def statistics_table(
    tenant: str,
    dimension: PublishedDimension,
    period: Period,
    table: ProtectedTable,
    handling: PublishedHandlingTime,
) -> StatisticsTable:
    """The response of a protected table: only a :class:`ProtectedTable` holds what may be shown."""
    shares = column_percentages(table)
    rows = tuple(
        StatisticsRow(
            value=Labelled(code=code, label=value_label(dimension, code)),
            cells=tuple(_cell(c) for c in cells),
            total=_cell(total),
            percentages=share,
            total_percentage=percentage(total, table.total, table.percentage_base),
        )
        for code, cells, total, share in zip(table.rows, table.cells, table.row_totals, shares, strict=True)
    )
    return StatisticsTable(
        tenant=tenant,
        dimension=dimension.value,
        period=str(period),
        columns=table.columns,
        rows=rows,
        column_totals=tuple(_cell(c) for c in table.column_totals),
        total=_cell(table.total),
        threshold=table.threshold,
        percentage_base=table.percentage_base,
        handling_time=HandlingTime(
            cases_ended=handling.cases_ended,
            median_working_days=handling.median,
            p90_working_days=handling.p90,
            suppressed=handling.suppressed,
        ),
    )
