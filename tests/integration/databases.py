"""What a test server holds, for the bench tests that prove a bench drops the database it made."""

from __future__ import annotations

import asyncpg


async def database_names(server_url: str) -> set[str]:
    conn = await asyncpg.connect(server_url)
    try:
        return {row["datname"] for row in await conn.fetch("SELECT datname FROM pg_database")}
    finally:
        await conn.close()
