"""The due-date index as a :class:`~klachtspoor.projections.RebuildableProjection`: every case folded
once, event by event, in memory, and its rows written with COPY.

The live handler (:mod:`~services.escalation.adapters.timer_index`) reads a case's whole stream from the
store when one of its events comes in and derives the rows from it; replaying the log from the start,
it therefore computes each case from its complete stream, once, and records the stream's last version.
The fold does the same without the reads: it keeps each stream's folded :class:`CaseState` and its last
version, and derives the rows with :func:`~services.escalation.adapters.timer_rows.state_due_rows` (the
term book the state folded is what the live derivation folds again), so the rows are the live ones.

A case the live handler cannot index (an event that does not validate, a stream id that is no UUID, a
pinned policy that is not loaded) gets no rows there, and every event it handles of that case is parked.
The fold parks the event that failed and every later one of the case, and gives the case no rows either.

Registered in the root ``pyproject.toml`` under ``klachtspoor.projections`` as ``escalation-timer-index``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from uuid import UUID

import asyncpg

from contracts.policy import ProcedurePolicy
from klachtspoor.eventstore.port import LogFilter, RecordedEvent
from klachtspoor.eventstore.streams import StreamName
from klachtspoor.policies import PolicyRegistry
from klachtspoor.projections import RebuildableProjection
from klachtspoor.settings import Settings
from services.escalation.adapters import timer_index
from services.escalation.adapters.schema import apply_schema
from services.escalation.adapters.timer_rows import masked_events, pinned_policy, state_due_rows
from services.escalation.domain import CaseState, evolve, initial_state

TIMER_DUE, TIMER_CASES = timer_index.TABLES
_CASE_COLUMNS = ("stream", "tenant", "case_id", "version")
_DUE_COLUMNS = (
    "stream",
    "deadline",
    "tenant",
    "case_id",
    "due_on",
    "warning_on",
    "warning_at",
    "breach_at",
    "next_at",
)


class CaseNotIndexed(ValueError):
    """An earlier event of the case failed: the live index parks every later one as well."""


@dataclass(slots=True)
class _Case:
    """The fold's own record of a case, changed in place (one object per case, not one per event); the
    state in it is the domain's frozen one."""

    tenant: str
    case_id: UUID
    version: int
    state: CaseState
    policy: ProcedurePolicy | None


class TimerIndexFold:
    def __init__(self, policies: PolicyRegistry) -> None:
        self._policies = policies
        self._cases: dict[str, _Case] = {}
        self._failed: set[str] = set()
        self._dirty: set[str] = set()
        self._written: set[str] = set()

    def feed(self, event: RecordedEvent) -> None:
        stream = event.stream
        if stream in self._failed:
            raise CaseNotIndexed(f"Case stream {stream} could not be indexed at an earlier event")
        try:
            case = self._cases.get(stream)
            if case is None:
                case = _Case(event.tenant, timer_index.case_id_of(event), -1, initial_state(), None)
            state = case.state
            for typed in masked_events([event]):
                state = evolve(state, typed)
            policy = (
                case.policy if state.policy == case.state.policy else pinned_policy(state, self._policies)
            )
        except Exception:
            self._failed.add(stream)
            self._cases.pop(stream, None)
            self._dirty.add(stream)
            raise
        # Nothing above changed the case: it takes the event only now, all of it.
        case.version = max(case.version, event.version)
        case.state = state
        case.policy = policy
        self._cases[stream] = case
        self._dirty.add(stream)

    async def write(self, conn: asyncpg.Connection, tables: Mapping[str, str], *, complete: bool) -> None:
        if not complete or not self._dirty:
            return
        dirty = sorted(self._dirty)
        replaced = [stream for stream in dirty if stream in self._written]
        if replaced:
            await conn.execute(
                f"DELETE FROM {_name(tables[TIMER_DUE])} WHERE stream = ANY($1::text[])", replaced
            )
            await conn.execute(
                f"DELETE FROM {_name(tables[TIMER_CASES])} WHERE stream = ANY($1::text[])", replaced
            )
        cases, due = [], []
        for stream in dirty:
            case = self._cases.get(stream)
            if case is None:
                continue
            cases.append((stream, case.tenant, case.case_id, case.version))
            for row in state_due_rows(case.state, case.policy):
                due.append(
                    (
                        stream,
                        row.deadline.value,
                        case.tenant,
                        case.case_id,
                        row.due_on,
                        row.warning_on,
                        row.warning_at,
                        row.breach_at,
                        row.next_at,
                    )
                )
        schema, _, name = tables[TIMER_CASES].partition(".")
        await conn.copy_records_to_table(name, schema_name=schema, columns=list(_CASE_COLUMNS), records=cases)
        schema, _, name = tables[TIMER_DUE].partition(".")
        await conn.copy_records_to_table(name, schema_name=schema, columns=list(_DUE_COLUMNS), records=due)
        self._written.update(dirty)
        self._dirty = set()


def _name(table: str) -> str:
    schema, _, name = table.partition(".")
    return f'"{schema}"."{name}"'


def timer_index_rebuild(settings: Settings) -> RebuildableProjection:
    """``klachtspoor.projections`` entry ``escalation-timer-index``."""
    if not settings.database_url:
        raise ValueError("KLACHTSPOOR_DATABASE_URL is not set: escalation's due-date index lives there")
    policies = PolicyRegistry.from_settings(settings)
    return RebuildableProjection(
        name=timer_index.PROJECTION_NAME,
        tables=timer_index.TABLES,
        filter=LogFilter(stream_prefixes=(StreamName.prefix("case"),)),
        prepare=apply_schema,
        fold=partial(TimerIndexFold, policies),
        description="escalation: the due-date index the timer reads (warnings and breaches to record)",
        database_url=settings.database_url,
        per_stream=True,
    )
