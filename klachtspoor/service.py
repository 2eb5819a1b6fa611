"""What every service's ``bootstrap()`` returns: its name, settings, FastAPI app and where it listens.

The same small type for all four services, so each ``__main__`` reads the same (``bootstrap().serve()``)
and a test reaches the app as ``bootstrap(...).app``; what a service runs besides the app (a bus
consumer, a timer, a projection) opens and closes in the app's lifespan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

import uvicorn
from fastapi import FastAPI

from klachtspoor.settings import Settings

S = TypeVar("S", bound=Settings)


@dataclass(frozen=True)
class Service(Generic[S]):
    name: str
    settings: S
    app: FastAPI
    host: str
    port: int

    def serve(self) -> None:
        """Run the app until SIGTERM or SIGINT; the process's logging is left as the caller set it.

        On uvloop (libuv under asyncio): a service is mostly small round trips to PostgreSQL and NATS,
        and the standard loop's selector and transports were a third of its CPU (docs/benchmarks.md)."""
        uvicorn.run(self.app, host=self.host, port=self.port, log_config=None, loop="uvloop")
