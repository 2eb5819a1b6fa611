"""``python -m tests.notify_paused``: the notify process, paused after each SMTP handover, for the tests
that kill it in the crash window (the mail handed over, the send not yet recorded).

The product offers the seam (``after_handover`` of notify's bootstrap, which by default records at
once); only this module fills it. ``KLACHTSPOOR_NOTIFY_TEST_PAUSE_AFTER_HANDOVER`` names a file: after
each handover notify writes the notification id there and waits an hour before recording, so the test
knows the moment has come and SIGKILLs it there. Everything else is notify as ``python -m
services.notify`` runs it, with the same settings from the same variables.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path
from uuid import UUID

from klachtspoor import observability
from services.notify.application.delivery import AfterHandover
from services.notify.bootstrap import SERVICE_NAME, bootstrap

PAUSE_AFTER_HANDOVER_VAR = "KLACHTSPOOR_NOTIFY_TEST_PAUSE_AFTER_HANDOVER"
PAUSE_SECONDS = 3600.0
"""Far longer than any test waits: the pause ends with the process."""
REPOSITORY = Path(__file__).resolve().parents[1]

log = logging.getLogger(__name__)


def paused_notify(marker: Path) -> tuple[list[str], dict[str, str]]:
    """The command and the extra environment that start notify paused after each handover; the marker
    file appears once it pauses. It runs from any working directory (the repository is on its path)."""
    python_path = os.pathsep.join(filter(None, [str(REPOSITORY), os.environ.get("PYTHONPATH")]))
    argv = [sys.executable, "-m", "tests.notify_paused"]
    return argv, {PAUSE_AFTER_HANDOVER_VAR: str(marker), "PYTHONPATH": python_path}


def pause_after_handover(marker: Path, seconds: float = PAUSE_SECONDS) -> AfterHandover:
    """Write the notification id to ``marker``, then wait ``seconds`` before the send is recorded."""

    async def pause(notification_id: UUID) -> None:
        await asyncio.to_thread(marker.write_text, str(notification_id), encoding="utf-8")
        log.warning("Pausing after the SMTP handover of %s (%s)", notification_id, PAUSE_AFTER_HANDOVER_VAR)
        await asyncio.sleep(seconds)

    return pause


def main() -> None:
    observability.configure(SERVICE_NAME, log_level="INFO")
    bootstrap(after_handover=pause_after_handover(Path(os.environ[PAUSE_AFTER_HANDOVER_VAR]))).serve()


if __name__ == "__main__":
    main()
