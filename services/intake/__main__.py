"""``python -m services.intake``: the intake HTTP service on ``http_host:intake_port``."""

from __future__ import annotations

from klachtspoor import observability
from services.intake.bootstrap import SERVICE_NAME, bootstrap


def main() -> None:
    observability.configure(SERVICE_NAME, log_level="INFO")
    bootstrap().serve()


if __name__ == "__main__":
    main()
