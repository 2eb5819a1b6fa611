"""``python -m tests.esdb_server [--port N]``: the test server as a process of its own.

For what needs an EventStoreDB outside the test process: the services and the relay in end-to-end
tests, and ``klachtspoor bench eventstore --eventstore-url``. It prints its URL on the first line of
standard output, then serves until SIGTERM or SIGINT. Its log lives in memory and ends with it.
"""

from __future__ import annotations

import argparse
import asyncio
import signal

from .server import start_server


async def serve(port: int) -> None:
    running = await start_server(port=port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(running.url, flush=True)
    try:
        await stop.wait()
    finally:
        await running.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.esdb_server", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: a free one)")
    asyncio.run(serve(parser.parse_args().port))


if __name__ == "__main__":
    main()
