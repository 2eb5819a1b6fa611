"""The stack a fault run starts: ``klachtspoor bench e2e``'s scratch stack (``.dev/chaos-*``, free ports,
the dev SMTP sink) with three differences. Its servers are always embedded, never the configured ones,
since the run restarts PostgreSQL and stops NATS: nobody else's server may be touched. Its supervisor
restarts a child that died. And a few settings are shortened so that the outages end within the run:
notify's ack wait (the pause must outlast it), notify's retry delays after a refused mail, the deadline
timer's interval (the terms the load lets run late are recorded within the run), and the public way
in's limits, which would otherwise refuse the run's own submissions and dossier reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from klachtspoor_devtools.bench.e2e_stack import BenchStack, start_bench_stack
from klachtspoor_devtools.devstack.stack import DATABASE_VAR, NATS_VAR
from klachtspoor_devtools.devstack.supervisor import RestartPolicy

RESTARTS = RestartPolicy(max_restarts=100, initial_backoff=0.2, max_backoff=3.0, stable_after=10.0)
"""Generous but bounded: a service that cannot reach NATS for a minute may die and come back often."""
UNLIMITED = "100000/hour"


def chaos_settings(ack_wait: float) -> dict[str, str]:
    """What the run's children get on top of ``dev up``'s environment."""
    return {
        "KLACHTSPOOR_NOTIFY_ACK_WAIT": f"{ack_wait:g}",
        "KLACHTSPOOR_NOTIFY_RETRY_DELAYS": "[1, 2, 4]",
        "KLACHTSPOOR_PUBLIC_FILING_PER_ADDRESS": UNLIMITED,
        "KLACHTSPOOR_PUBLIC_FILING_OVERALL": UNLIMITED,
        "KLACHTSPOOR_DOSSIER_ATTEMPTS_PER_ADDRESS": UNLIMITED,
        "KLACHTSPOOR_DOSSIER_ATTEMPTS_OVERALL": UNLIMITED,
        "KLACHTSPOOR_DOSSIER_FAILURES_PER_CODE": UNLIMITED,
        "KLACHTSPOOR_ESCALATION_TIMER_INTERVAL": "2",
    }


def start_chaos_stack(
    environ: Mapping[str, str], parent: Path, *, ack_wait: float, keep: bool = False
) -> BenchStack:
    """Start the run's own stack under ``parent`` and wait until every service is ready."""
    own = {name: value for name, value in environ.items() if name not in (DATABASE_VAR, NATS_VAR)}
    return start_bench_stack(
        own, parent, keep=keep, prefix="chaos-", restart=RESTARTS, settings=chaos_settings(ack_wait)
    )
