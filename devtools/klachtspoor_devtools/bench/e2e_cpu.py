"""CPU time of the stack's processes during a measurement, from Linux ``/proc``: where the time goes.

Each named process counts with its descendants (PostgreSQL's backends are children of the postmaster);
the load generator counts only itself (every stack process descends from it). Elsewhere than Linux the
samples are empty and the report says nothing about CPU.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
LOAD_GENERATOR = "load generator"


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, user + system CPU seconds) of a live process, None when gone or unreadable."""
    try:
        fields = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # After the command: state, ppid, ..., utime (14th field of the line) and stime (15th).
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS


def _all_processes() -> dict[int, tuple[int, float]]:
    found: dict[int, tuple[int, float]] = {}
    for entry in PROC.iterdir() if PROC.is_dir() else ():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            found[int(entry.name)] = stat
    return found


def cpu_seconds(pids: Mapping[str, int]) -> dict[str, float]:
    """CPU seconds used so far by each named process and its live descendants, and the load generator."""
    processes = _all_processes()
    if not processes:
        return {}
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in processes.items():
        children.setdefault(parent, []).append(pid)
    used: dict[str, float] = {}
    for name, root in pids.items():
        total, todo = 0.0, [root]
        while todo:
            pid = todo.pop()
            if pid in processes:
                total += processes[pid][1]
                todo.extend(children.get(pid, ()))
        used[name] = total
    own = processes.get(os.getpid())
    if own is not None:
        used[LOAD_GENERATOR] = own[1]
    return used


def core_shares(before: Mapping[str, float], after: Mapping[str, float], seconds: float) -> dict[str, float]:
    """Per process, the share of one core used between two samples (1.0 = one core all the time)."""
    if seconds <= 0:
        return {}
    return {
        name: round((after[name] - before.get(name, 0.0)) / seconds, 3)
        for name in sorted(after, key=lambda n: before.get(n, 0.0) - after[n])
    }
