"""``python -m services.notify``: the notify process (settings from ``KLACHTSPOOR_*`` variables)."""

from __future__ import annotations

import uvicorn

from klachtspoor.logs import configure_logging
from services.notify.bootstrap import bootstrap


def main() -> None:
    configure_logging()
    service = bootstrap()
    settings = service.settings
    uvicorn.run(service.app, host=settings.http_host, port=settings.notify_port, log_config=None)


if __name__ == "__main__":
    main()
