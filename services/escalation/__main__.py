"""``python -m services.escalation``: the escalation process (HTTP on ``http_host:escalation_port``, the
bus consumer and the deadline timer in the app's lifespan)."""

from __future__ import annotations

from klachtspoor import observability
from services.escalation.bootstrap import SERVICE_NAME, bootstrap


def main() -> None:
    observability.configure(SERVICE_NAME, log_level="INFO")
    bootstrap().serve()


if __name__ == "__main__":
    main()
