"""``python -m services.notify``: the notify process (settings from ``KLACHTSPOOR_*`` variables)."""

from __future__ import annotations

import uvicorn

from klachtspoor import observability
from services.notify.bootstrap import bootstrap


def main() -> None:
    observability.configure("notify", log_level="INFO")
    service = bootstrap()
    settings = service.settings
    uvicorn.run(service.app, host=settings.http_host, port=settings.notify_port, log_config=None)


if __name__ == "__main__":
    main()
