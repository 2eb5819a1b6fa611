"""``python -m services.escalation``: the escalation process (HTTP on ``settings.escalation_port``)."""

from __future__ import annotations

import uvicorn

from klachtspoor import observability
from services.escalation.bootstrap import bootstrap
from services.escalation.settings import EscalationSettings


def main() -> None:
    settings = EscalationSettings()
    observability.configure("escalation", log_level="INFO")
    uvicorn.run(bootstrap(settings), host=settings.http_host, port=settings.escalation_port, log_config=None)


if __name__ == "__main__":
    main()
