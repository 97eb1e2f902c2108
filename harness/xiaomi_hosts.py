"""Runs the simulator's cloud for `requests` clients that reach it through `XiaomiHostsAdapter`.

The adapter and `routed_sessions` live in `harness.xiaomi_adapter` (which imports only
`requests`, so the mijiaAPI driver can use it outside this environment); they are re-exported
here.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from harness.xiaomi_adapter import XiaomiHostsAdapter, is_xiaomi, routed_sessions
from simulator import Simulator
from simulator.cloud import CloudServer

__all__ = [
    "TIMEOUT",
    "XiaomiHostsAdapter",
    "blocking",
    "is_xiaomi",
    "routed_sessions",
    "serving_cloud",
]

TIMEOUT = 60.0


@asynccontextmanager
async def serving_cloud(sim: Simulator) -> AsyncIterator[CloudServer]:
    """The simulator's cloud, listening on a free loopback port until the block ends."""
    server = CloudServer(sim)
    await server.start(port=0)
    try:
        yield server
    finally:
        await server.stop()


async def blocking[T](call: Callable[[], T]) -> T:
    """Run a blocking client call in a thread (within `TIMEOUT`)."""
    loop = asyncio.get_running_loop()
    return await asyncio.wait_for(loop.run_in_executor(None, call), TIMEOUT)
