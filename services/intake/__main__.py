"""``python -m services.intake``: the intake HTTP service on ``settings.http_host:settings.intake_port``."""

from __future__ import annotations

import uvicorn

from klachtspoor import observability
from services.intake.bootstrap import bootstrap
from services.intake.settings import IntakeSettings


def main() -> None:
    observability.configure("intake", log_level="INFO")
    settings = IntakeSettings()
    uvicorn.run(bootstrap(settings), host=settings.http_host, port=settings.intake_port, log_config=None)


if __name__ == "__main__":
    main()
