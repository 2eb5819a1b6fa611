"""Small PostgreSQL helpers shared by the launcher, the benchmarks and the tests."""

from __future__ import annotations

import re
import uuid

import asyncpg

_NAME_RE = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def with_database(url: str, name: str) -> str:
    """The same server URL pointing at another database (query parameters kept)."""
    head, _, query = url.partition("?")
    scheme, _, rest = head.partition("://")
    authority = rest.split("/", 1)[0]
    return f"{scheme}://{authority}/{name}" + (f"?{query}" if query else "")


def scratch_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


async def create_database(server_url: str, name: str) -> str:
    """Create an empty database and return its URL."""
    if not _NAME_RE.fullmatch(name):
        raise ValueError(f"Database name {name!r} is not a plain lower-case identifier")
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return with_database(server_url, name)


async def drop_database(server_url: str, name: str) -> None:
    if not _NAME_RE.fullmatch(name):
        raise ValueError(f"Database name {name!r} is not a plain lower-case identifier")
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()
