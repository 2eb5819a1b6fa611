"""``python -m services.escalation``: the escalation process (HTTP on ``settings.escalation_port``)."""

from __future__ import annotations

import uvicorn

from klachtspoor.logs import configure_logging
from klachtspoor.settings import get_settings
from services.escalation.bootstrap import bootstrap


def main() -> None:
    settings = get_settings()
    configure_logging()
    uvicorn.run(bootstrap(settings), host=settings.http_host, port=settings.escalation_port, log_config=None)


if __name__ == "__main__":
    main()
