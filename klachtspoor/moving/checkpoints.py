"""Forgetting every subscriber's checkpoint after a move: a position in the old store means nothing in
the new one (PostgreSQL's are transaction ids and sequence numbers, EventStoreDB's commit positions).

Only the checkpoints go. The reactors' ledgers stay: they hold event ids, which the copy kept, so a
reactor that reads the new store from its beginning skips every event it handled in the old one. Parked
events stay too: a retry reads its event back by stream and version, which the copy kept as well.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from klachtspoor import pgconnect
from klachtspoor.eventstore.port import Position


@dataclass(frozen=True, slots=True)
class Forgotten:
    database: str
    """The database, without credentials."""
    checkpoints: tuple[tuple[str, Position], ...]
    """Each subscriber whose checkpoint was deleted, with the position it had."""


async def forget_checkpoints(database_urls: Iterable[str]) -> list[Forgotten]:
    """Delete every row of ``subscriptions.checkpoints`` in each database (each once); a database
    without the table has nothing to forget. Run it while every subscriber and the relay are stopped:
    a running one keeps its position in memory and would write it back."""
    forgotten = []
    for url in dict.fromkeys(database_urls):
        conn = await pgconnect.connect(url)
        try:
            if await conn.fetchval("SELECT to_regclass('subscriptions.checkpoints')") is None:
                rows = []
            else:
                rows = await conn.fetch(
                    "DELETE FROM subscriptions.checkpoints"
                    " RETURNING subscriber, commit_position, sequence_position"
                )
        finally:
            await conn.close()
        deleted = sorted(
            (row["subscriber"], Position(row["commit_position"], row["sequence_position"])) for row in rows
        )
        forgotten.append(Forgotten(_shown(url), tuple(deleted)))
    return forgotten


def _shown(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}"
