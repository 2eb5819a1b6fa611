"""Folding a rebuild in several processes, each taking one share of the streams.

A projection whose state and rows are independent per stream (``RebuildableProjection.per_stream``) can
be folded by N processes at once: every process reads the whole log, but decodes, folds and writes only
the streams of its share (:func:`~klachtspoor.projections.folding.share_of`), into the same shadow tables
on a connection of its own. The rebuilding process folds share 0 itself and drives the others over a
pipe, phase by phase, so the swap stays one transaction in the rebuilding process
(:mod:`klachtspoor.projections.rebuild`).

Decoding and folding are pure Python, held to one core by the interpreter lock; processes are how a
rebuild uses the other cores. A share process started with ``spawn`` imports the projection's code on
its own; it is a daemon and ends when its pipe closes, so it never outlives the rebuild.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from typing import Any

from klachtspoor import pgconnect
from klachtspoor.bootstrap import open_adapter
from klachtspoor.eventstore.port import LogFilter
from klachtspoor.projections.folding import FoldState, LocalFolder, ShareFold, bulk_collection
from klachtspoor.projections.model import BatchFold
from klachtspoor.settings import Settings
from klachtspoor.subscriptions.tables import error_type_name

_TIMEOUTS = pgconnect.Timeouts(command=3600.0, acquire=10.0)
_POLL_SECONDS = 0.5
_STOP_SECONDS = 10.0


def default_processes() -> int:
    """The cores this process may run on, at most 4 (past that the reads of the log dominate)."""
    return max(1, min(len(os.sched_getaffinity(0)), 4))


class ShareFailed(RuntimeError):
    """A share's process failed or ended before its fold was done; the rebuild stops, nothing swapped."""


class RemoteFolder:
    """A share folded in a process of its own, told each phase over a pipe."""

    def __init__(
        self,
        settings: Settings,
        database_url: str,
        log_filter: LogFilter | None,
        fold: Callable[[], BatchFold],
        shadows: Mapping[str, str],
        *,
        share: int,
        shares: int,
        page: int,
        write_every: int,
    ) -> None:
        self.share = share
        context = multiprocessing.get_context("spawn")
        self._pipe, child = context.Pipe()
        arguments = (child, settings, database_url, log_filter, fold, dict(shadows), share, shares, page)
        self._process = context.Process(
            target=_serve, args=(*arguments, write_every), name=f"rebuild-share-{share}", daemon=True
        )
        self._process.start()
        child.close()

    async def read_to_head(self, *, complete: bool) -> FoldState:
        self._pipe.send(complete)
        outcome, value = await asyncio.to_thread(self._receive)
        if outcome == "failed":
            raise ShareFailed(f"Share {self.share} of the rebuild failed: {value}")
        assert isinstance(value, FoldState)
        return value

    def _receive(self) -> tuple[str, Any]:
        while not self._pipe.poll(_POLL_SECONDS):
            if not self._process.is_alive():
                raise self._ended()
        try:
            reply: tuple[str, Any] = self._pipe.recv()
        except (EOFError, OSError):  # it died with the pipe half written, or closed it dying
            self._process.join(_STOP_SECONDS)
            raise self._ended() from None
        return reply

    def _ended(self) -> ShareFailed:
        code = self._process.exitcode
        return ShareFailed(f"Share {self.share} of the rebuild: its process ended (exit code {code})")

    async def close(self) -> None:
        """Tell the process to stop (it rolls nothing back: its writes are in shadows) and wait for it."""
        with contextlib.suppress(BrokenPipeError, OSError):  # it has ended already
            self._pipe.send(None)
        await asyncio.to_thread(self._process.join, _STOP_SECONDS)
        if self._process.is_alive():
            self._process.kill()
            await asyncio.to_thread(self._process.join)
        self._pipe.close()


def _serve(
    pipe: Connection,
    settings: Settings,
    database_url: str,
    log_filter: LogFilter | None,
    fold: Callable[[], BatchFold],
    shadows: dict[str, str],
    share: int,
    shares: int,
    page: int,
    write_every: int,
) -> None:
    """The share process: one phase per message (``complete`` as a bool), ``None`` or a closed pipe ends."""
    asyncio.run(
        _serve_phases(
            pipe, settings, database_url, log_filter, fold, shadows, share, shares, page, write_every
        )
    )


async def _serve_phases(
    pipe: Connection,
    settings: Settings,
    database_url: str,
    log_filter: LogFilter | None,
    fold: Callable[[], BatchFold],
    shadows: dict[str, str],
    share: int,
    shares: int,
    page: int,
    write_every: int,
) -> None:
    store = await open_adapter(settings, pool_size=2)
    conn = await pgconnect.connect(database_url, _TIMEOUTS)
    folder = LocalFolder(
        store, conn, log_filter, ShareFold(fold(), share, shares), shadows, page=page, write_every=write_every
    )
    try:
        with bulk_collection():
            while True:
                try:
                    complete = await asyncio.to_thread(pipe.recv)
                except EOFError:
                    return  # the rebuilding process has gone
                if complete is None:
                    return
                try:
                    state = await folder.read_to_head(complete=bool(complete))
                except Exception as error:
                    pipe.send(("failed", f"{error_type_name(error)}: {error}"))
                    return
                pipe.send(("done", state))
    finally:
        await folder.close()
        await conn.close()
        await store.close()
