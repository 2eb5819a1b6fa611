"""The figures of one ``bench e2e`` step, and where its mail latency goes.

The stages come from the event store: each case's ``SignalReceived`` and ``NotificationRequested`` carry
``recorded_at``, PostgreSQL's clock at the start of the appending transaction
(the same machine's clock as the bench's and the sink's), so each mail's latency splits into intake's part,
the way through relay, NATS and escalation to the request of the mail, and the way from there through relay,
NATS and notify to the sink's acceptance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import asyncpg
from pydantic import BaseModel, ConfigDict

from klachtspoor.eventstore.streams import case_stream
from klachtspoor_devtools.bench.e2e_load import Submission
from klachtspoor_devtools.bench.stats import percentile
from klachtspoor_devtools.devstack.guide import DEMO_TENANT

RECEIVED, REQUESTED = "SignalReceived", "NotificationRequested"
STAGES = {
    "intake (scheduled -> SignalReceived)": ("scheduled", RECEIVED),
    "relay, NATS, escalation (-> NotificationRequested)": (RECEIVED, REQUESTED),
    "relay, NATS, notify, SMTP (-> mail accepted)": (REQUESTED, "mail"),
}


class StepResult(BaseModel):
    """One step's figures; latencies in milliseconds, from the scheduled submission time."""

    model_config = ConfigDict(frozen=True)

    rate: float
    duration: float
    submissions: int
    errors: int
    error_kinds: dict[str, int]
    mails: int
    missing_mails: int
    duplicate_mails: int
    mail_ms: dict[str, float]
    http_ms: dict[str, float]
    achieved_rate: float
    mail_rate: float
    generator_lag_max_ms: float
    backlog_mid: int
    backlog_end: int
    cpu_cores: dict[str, float]
    """Share of one core per process while submitting (1.0: a whole core)."""
    cpu_ms_per_submission: dict[str, float]
    """CPU milliseconds per process from the first submission until the last mail, per submission
    (warm-up included): what one signal costs each process, idle work included."""
    stages_ms: dict[str, dict[str, float]] = {}
    """Where the mail latency goes, per stage (see :func:`stages`); empty without PostgreSQL's store."""

    def passed(self, p99_bound_ms: float) -> bool:
        """Every mail came, nothing failed, p99 within the bound, and the backlog stayed within what
        that bound allows at this rate (Little's law: in flight = rate x latency)."""
        return (
            self.errors == 0
            and self.missing_mails == 0
            and self.submissions > 0
            and self.mail_ms["p99"] <= p99_bound_ms
            and self.backlog_end <= self.rate * p99_bound_ms / 1000 + 1
        )


@dataclass(frozen=True)
class Timed:
    """A measured submission with the acceptance time of its first mail (None: none came)."""

    submission: Submission
    mail_at: float | None
    mails: int

    @property
    def mail_latency(self) -> float | None:
        return None if self.mail_at is None else self.mail_at - self.submission.scheduled


def summarise(
    rate: float,
    duration: float,
    timed: Sequence[Timed],
    backlog_mid: int,
    backlog_end: int,
    cpu: dict[str, float],
    cpu_per_submission: dict[str, float],
    recorded: Mapping[str, Mapping[str, float]] | None = None,
) -> StepResult:
    submissions = [t.submission for t in timed]
    failed = [s for s in submissions if not s.ok]
    kinds = Counter(str(s.status) if s.status is not None else (s.error or "?").split(":")[0] for s in failed)
    mailed = [t for t in timed if t.mail_latency is not None]
    mail_ms = [1000 * t.mail_latency for t in mailed if t.mail_latency is not None]
    http_ms = [1000 * s.http_latency for s in submissions if s.ok]
    starts = sorted(s.started for s in submissions)
    span = starts[-1] - starts[0] if len(starts) > 1 else 0.0
    accepted = sorted(t.mail_at for t in mailed if t.mail_at is not None)
    mail_span = accepted[-1] - submissions[0].scheduled if accepted and submissions else 0.0
    return StepResult(
        rate=rate,
        duration=duration,
        submissions=len(submissions),
        errors=len(failed),
        error_kinds=dict(kinds),
        mails=len(mailed),
        missing_mails=sum(1 for s in submissions if s.ok) - len(mailed),
        duplicate_mails=sum(max(0, t.mails - 1) for t in timed),
        mail_ms=_percentiles(mail_ms, (0.5, 0.95, 0.99)),
        http_ms=_percentiles(http_ms, (0.5, 0.99)),
        achieved_rate=round((len(starts) - 1) / span, 1) if span > 0 else 0.0,
        mail_rate=round(len(accepted) / mail_span, 1) if mail_span > 0 else 0.0,
        generator_lag_max_ms=round(
            max((1000 * (s.started - s.scheduled) for s in submissions), default=0), 1
        ),
        backlog_mid=backlog_mid,
        backlog_end=backlog_end,
        cpu_cores=cpu,
        cpu_ms_per_submission=cpu_per_submission,
        stages_ms=stages(timed, recorded or {}),
    )


def _percentiles(values: Sequence[float], shares: Sequence[float]) -> dict[str, float]:
    figures = {f"p{round(share * 100)}": round(percentile(values, share), 1) for share in shares}
    figures["max"] = round(max(values, default=0.0), 1)
    return figures


def stages(
    timed: Sequence[Timed], recorded: Mapping[str, Mapping[str, float]]
) -> dict[str, dict[str, float]]:
    """Per stage, p50/p99/max in ms over the mailed submissions whose case shows both ends."""
    spans: dict[str, list[float]] = {name: [] for name in STAGES}
    for one in timed:
        case_id = one.submission.case_id
        events = recorded.get(case_stream(DEMO_TENANT, case_id)) if case_id else None
        if not events or one.mail_at is None:
            continue
        moments = {**events, "scheduled": one.submission.scheduled, "mail": one.mail_at}
        for name, (start, end) in STAGES.items():
            if start in moments and end in moments:
                spans[name].append(1000 * (moments[end] - moments[start]))
    return {name: _percentiles(values, (0.5, 0.99)) for name, values in spans.items() if values}


async def recorded_times(database_url: str, streams: Sequence[str]) -> dict[str, dict[str, float]]:
    """Stream -> event type -> ``recorded_at`` (Unix time) of the stage events; empty when the services
    keep their events elsewhere (EventStoreDB)."""
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(
            "SELECT stream_name, type, extract(epoch FROM recorded_at)::float8 AS at"
            " FROM eventstore.events WHERE stream_name = ANY($1::text[]) AND type = ANY($2::text[])",
            list(streams),
            [RECEIVED, REQUESTED],
        )
    except asyncpg.UndefinedTableError:
        return {}
    finally:
        await connection.close()
    found: dict[str, dict[str, float]] = {}
    for row in rows:
        found.setdefault(row["stream_name"], {})[row["type"]] = row["at"]
    return found
