"""Runs the simulator's cloud for `requests` clients that reach it through `XiaomiHostsAdapter`.

The adapter and `routed_sessions` live in `harness.xiaomi_adapter` (which imports only
`requests`, so the mijiaAPI driver can use it outside this environment); they are re-exported
here, with `harness.simulated.serving_cloud`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from harness.simulated import serving_cloud
from harness.xiaomi_adapter import XiaomiHostsAdapter, is_xiaomi, routed_sessions

__all__ = [
    "TIMEOUT",
    "XiaomiHostsAdapter",
    "blocking",
    "is_xiaomi",
    "routed_sessions",
    "serving_cloud",
]

TIMEOUT = 60.0


async def blocking[T](call: Callable[[], T]) -> T:
    """Run a blocking client call in a thread (within `TIMEOUT`)."""
    loop = asyncio.get_running_loop()
    return await asyncio.wait_for(loop.run_in_executor(None, call), TIMEOUT)
