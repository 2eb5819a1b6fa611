"""One case's relayed events one after the other, in arrival order; other cases meanwhile."""

from __future__ import annotations

import asyncio

from klachtspoor.relay.concurrency import StreamTurns


async def test_one_streams_messages_wait_their_turn_in_order_while_others_go_ahead() -> None:
    turns, log = StreamTurns(), []
    release = asyncio.Event()

    async def handle(stream: str, n: int, hold: bool = False) -> None:
        async with turns.of(stream):
            log.append(f"{stream}:{n} start")
            if hold:
                await release.wait()
            log.append(f"{stream}:{n} end")

    first = asyncio.create_task(handle("case-a", 1, hold=True))
    await asyncio.sleep(0)
    waiting = [asyncio.create_task(handle("case-a", n)) for n in (2, 3)]
    other = asyncio.create_task(handle("case-b", 1))
    await other
    assert log == ["case-a:1 start", "case-b:1 start", "case-b:1 end"]
    assert len(turns) == 1  # case-b's lock went with its last message
    release.set()
    await asyncio.gather(first, *waiting)
    assert log[3:] == ["case-a:1 end", "case-a:2 start", "case-a:2 end", "case-a:3 start", "case-a:3 end"]
    assert len(turns) == 0


async def test_a_failing_handler_gives_the_turn_to_the_next() -> None:
    turns = StreamTurns()

    async def fail() -> None:
        async with turns.of("case-a"):
            raise RuntimeError("boom")

    results = await asyncio.gather(fail(), fail(), return_exceptions=True)
    assert [type(r) for r in results] == [RuntimeError, RuntimeError]
    async with turns.of("case-a"):
        assert len(turns) == 1
    assert len(turns) == 0
