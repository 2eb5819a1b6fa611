"""``python -m services.notify``: the notify process (HTTP health checks on ``http_host:notify_port``, the
JetStream subscriber in the app's lifespan)."""

from __future__ import annotations

from klachtspoor import observability
from services.notify.bootstrap import SERVICE_NAME, bootstrap


def main() -> None:
    observability.configure(SERVICE_NAME, log_level="INFO")
    bootstrap().serve()


if __name__ == "__main__":
    main()
