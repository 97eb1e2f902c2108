"""A simulated home on loopback addresses of its own, and its Xiaomi cloud on a free port."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from harness.net import first_address
from simulator import Simulator, load_home
from simulator.cloud import CloudServer


@asynccontextmanager
async def serving_cloud(sim: Simulator, **options: Any) -> AsyncIterator[CloudServer]:
    """The simulator's cloud, listening on a free loopback port until the block ends."""
    server = CloudServer(sim, **options)
    await server.start(port=0)
    try:
        yield server
    finally:
        await server.stop()


@asynccontextmanager
async def simulated_home(
    home: Path | Mapping[str, Any], seed: int, folder: Path | None = None, **cloud: Any
) -> AsyncIterator[tuple[Simulator, CloudServer]]:
    """A home file's (or mapping's) devices on a random loopback range, and its cloud, running
    until the block ends. `folder`: where the home's spec documents are; `cloud`: the cloud's
    options (`token_lifetime`...)."""
    loaded = await asyncio.get_running_loop().run_in_executor(None, load_home, home, folder)
    sim = Simulator(loaded, first_address=first_address(), seed=seed)
    await sim.start()
    try:
        async with serving_cloud(sim, **cloud) as server:
            yield sim, server
    finally:
        await sim.stop()
