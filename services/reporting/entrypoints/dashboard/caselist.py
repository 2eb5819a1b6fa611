"""The drill-down: the cases behind a figure, and one case. Case readers only (managers get 403, as in
the API): the list is the API's case list, filtered to what the figure counted.

A figure of the overview names its filter directly (status, highest step, a term due in a range, a
breach); a statistics figure of the trends names its period, dimension and value, and the cases are the
ones the statistics count there (the same facts and the same rules, ``domain/figures.py``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Final
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from contracts.vocabulary import DeadlineKind
from services.reporting.adapters.dashboard import CaseFilter
from services.reporting.domain.dashboard import STEPS, DueBucket, bucket_of, due_range
from services.reporting.domain.figures import Dimension
from services.reporting.domain.status import CaseStatus
from services.reporting.domain.tables import PERIOD_PATTERN, PublishedDimension, value_label
from services.reporting.entrypoints.dashboard import labels
from services.reporting.entrypoints.dashboard.access import dashboard_reader, signed_in
from services.reporting.entrypoints.dashboard.render import DashboardError, page
from services.reporting.entrypoints.dashboard.session import PATH
from services.reporting.entrypoints.http import CASE_READERS, reader_of

PAGE_SIZE: Final = 50
router = APIRouter(prefix=PATH, include_in_schema=False)


def _pick(request: Request, name: str, allowed: dict[str, str] | frozenset[str]) -> str | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    if value not in allowed:
        raise DashboardError(422, f"De waarde van {name!r} is onbekend.")
    return value


def _page_number(request: Request) -> int:
    text = request.query_params.get("pagina", "1")
    if not text.isdigit() or not 1 <= int(text) <= 100_000:
        raise DashboardError(422, "Het paginanummer moet een getal van 1 of meer zijn.")
    return int(text)


async def _filter(request: Request, tenant: str, today: date) -> tuple[CaseFilter, list[str]]:
    """The filter of the query and how the page describes it, in Dutch."""
    kinds = frozenset(k.value for k in DeadlineKind)
    wanted, said = CaseFilter(), list[str]()
    if _pick(request, "lopend", frozenset({"ja"})):
        wanted, said = replace(wanted, open_only=True), [*said, "lopende zaken"]
    if status := _pick(request, "status", frozenset(s.value for s in CaseStatus)):
        wanted = replace(wanted, status=CaseStatus(status))
        said.append(f"status: {labels.status_label(status)}")
    if step := _pick(request, "trede", frozenset(STEPS)):
        wanted = replace(wanted, step=step)
        said.append(f"hoogste trede: {labels.step_label(step)}")
    bucket = _pick(request, "wanneer", frozenset(b.value for b in DueBucket))
    if kind := _pick(request, "termijn", kinds):
        wanted = replace(wanted, deadline=DeadlineKind(kind))
        said.append(f"termijn: {labels.deadline_label(kind)}")
    if bucket:
        low, high = due_range(DueBucket(bucket), today)
        wanted = replace(wanted, due_from=low, due_until=high)
        said.append(f"termijn {labels.BUCKETS[bucket]}")
    if breached := _pick(request, "overschreden", kinds):
        wanted = replace(wanted, breached=DeadlineKind(breached))
        said.append(f"overschreden: {labels.deadline_label(breached)}")
    figure = [request.query_params.get(name) for name in ("periode", "dimensie", "waarde")]
    if any(part is not None for part in figure):
        period, dimension, value = figure
        if period is None or re.fullmatch(PERIOD_PATTERN, period) is None:
            raise DashboardError(422, "Kies een periode zoals 2026 of 2026-Q1.")
        if (
            dimension not in PublishedDimension._value2member_map_
            or value is None
            or not 0 < len(value) <= 100
        ):
            raise DashboardError(422, "Dit cijfer bestaat niet.")
        published = PublishedDimension(str(dimension))
        ids = await dashboard_reader(request).figure_cases(tenant, period, Dimension(published.value), value)
        wanted = replace(wanted, case_ids=ids)
        said.append(
            f"{labels.DIMENSION_TITLES[published].lower()}: {value_label(published, value) or value}, "
            f"{labels.period_label(period)}"
        )
    return wanted, said


@router.get("/{tenant}/zaken", response_class=HTMLResponse)
async def case_list(request: Request, tenant: str) -> HTMLResponse:
    seen = await signed_in(request, tenant, CASE_READERS)
    wanted, said = await _filter(request, tenant, seen.today)
    number = _page_number(request)
    found = await dashboard_reader(request).cases(
        tenant, wanted, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
    )
    query = {k: v for k, v in request.query_params.items() if k != "pagina"}
    pages = max(1, -(-found.total // PAGE_SIZE))
    context = {
        "seen": seen,
        "found": found,
        "said": said,
        "number": number,
        "pages": pages,
        "query": query,
        "bucket_of": lambda due_on: bucket_of(due_on, seen.today),
        "labels": labels,
        "current": "cases",
        "signed_in": True,
    }
    return page(request, "cases.html.j2", context)


@router.get("/{tenant}/zaken/{case_id}", response_class=HTMLResponse)
async def case_page(request: Request, tenant: str, case_id: str) -> HTMLResponse:
    seen = await signed_in(request, tenant, CASE_READERS)
    try:
        wanted = UUID(case_id)
    except ValueError as error:
        raise DashboardError(404, "Deze zaak bestaat niet.") from error
    found = await dashboard_reader(request).cases(tenant, CaseFilter(case_ids=(wanted,)), limit=1, offset=0)
    if not found.cases:
        raise DashboardError(404, "Deze zaak bestaat niet.")
    timeline = await reader_of(request).timeline(tenant, wanted)
    context = {
        "seen": seen,
        "case": found.cases[0],
        "timeline": timeline,
        "bucket_of": lambda due_on: bucket_of(due_on, seen.today),
        "labels": labels,
        "current": "cases",
        "signed_in": True,
    }
    return page(request, "case.html.j2", context)
