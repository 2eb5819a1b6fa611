"""``python -m services.reporting`` serves the API and runs the projections;
``python -m services.reporting rebuild`` empties the read model (case list, timeline) and
``python -m services.reporting rebuild statistics`` the statistics' case facts and
``python -m services.reporting rebuild contacts`` the confidant contacts, so the next start replays every
event into them (run it while the service is stopped)."""

from __future__ import annotations

import asyncio
import sys

from klachtspoor import observability, pgconnect
from services.reporting.application import contacts, statistics
from services.reporting.application.projection import rebuild
from services.reporting.bootstrap import SERVICE_NAME, bootstrap
from services.reporting.settings import ReportingSettings

USAGE = "usage: python -m services.reporting [rebuild [statistics|contacts]]"


async def _rebuild(settings: ReportingSettings, *, of: str | None = None) -> None:
    conn = await pgconnect.connect(settings.database_url)
    try:
        match of:
            case "statistics":
                await statistics.rebuild(conn)
            case "contacts":
                await contacts.rebuild(conn)
            case _:
                await rebuild(conn)
    finally:
        await conn.close()


def main(argv: list[str]) -> int:
    match argv:
        case []:
            observability.configure(SERVICE_NAME, log_level="INFO")
            bootstrap().serve()
        case ["rebuild"]:
            observability.configure(SERVICE_NAME, log_level="INFO")
            asyncio.run(_rebuild(ReportingSettings()))
            print("Read model emptied; the projection replays every event when the service starts.")
        case ["rebuild", "statistics"]:
            observability.configure(SERVICE_NAME, log_level="INFO")
            asyncio.run(_rebuild(ReportingSettings(), of="statistics"))
            print("Case facts emptied; the statistics projection replays every event at the next start.")
        case ["rebuild", "contacts"]:
            observability.configure(SERVICE_NAME, log_level="INFO")
            asyncio.run(_rebuild(ReportingSettings(), of="contacts"))
            print("Contact facts emptied; the contacts projection replays every event at the next start.")
        case _:
            print(USAGE, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
