"""Running ``klachtspoor`` commands in a test as the operator would: against the test's database with its
master key, the repository's tenants and policies, and no EventStoreDB.

Used by the escalation CLI's tests (tests/services/escalation/test_escalation_cli.py) and notify's
(tests/services/notify/test_notifications_cli.py).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from klachtspoor.cli.main import app
from klachtspoor.settings import Settings, get_settings

REPO = Path(__file__).resolve().parents[1]


async def run_cli(settings: Settings, *args: str, env: dict[str, str] | None = None) -> Result:
    """Invoke the command in a thread (it runs its own event loop), with settings read afresh; ``env``
    adds or overrides variables (previous master keys, ``FORCE_COLOR`` to draw progress bars)."""
    env = {
        "KLACHTSPOOR_DATABASE_URL": settings.database_url,
        "KLACHTSPOOR_MASTER_KEY": settings.master_key,
        "KLACHTSPOOR_TENANTS_FILE": str(REPO / "config" / "tenants.yaml"),
        "KLACHTSPOOR_POLICIES_DIR": str(REPO / "policies"),
        "KLACHTSPOOR_EVENTSTORE_URL": "",
        "COLUMNS": "300",  # a table row on one line
        **(env or {}),
    }

    def invoke() -> Result:
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(app, list(args), env=env)
        finally:
            get_settings.cache_clear()

    return await asyncio.to_thread(invoke)
