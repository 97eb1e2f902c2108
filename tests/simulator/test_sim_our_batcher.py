"""PropertyBatcher over our app client: a home's devices read in few real ``prop/get`` calls."""

from __future__ import annotations

import asyncio
import math
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from custom_components.xiaomi_aiot.miot.bundle import load_bundled_spec
from custom_components.xiaomi_aiot.miot.mi_account import MiAccount
from custom_components.xiaomi_aiot.miot.mi_api import PROP_GET_PATH, MiAppClient
from custom_components.xiaomi_aiot.miot.mi_batch import BATCH_LIMIT, PropertyBatcher
from simulator.cloud import CloudServer

KINDS = ("vehicle", "phone", "wearable")
HOME: dict[str, Any] = {
    "home_name": "Batch Home",
    "rooms": ["Garage"],
    "devices": [
        {"id": f"{kind}-{n:02d}", "kind": kind, "name": f"{kind} {n}"}
        | ({"room": "Garage"} if kind == "vehicle" else {"person": f"Person {n}"})
        for n in range(30)
        for kind in (KINDS[n % len(KINDS)],)
    ],
}


@pytest.fixture
async def counted_cloud(
    start_simulator: Callable[..., Any],
) -> AsyncIterator[tuple[CloudServer, Counter[str]]]:
    """The home's cloud on loopback, and the paths of the requests it was sent."""
    paths: Counter[str] = Counter()

    @web.middleware
    async def count(request: web.Request, handler: Any) -> web.StreamResponse:
        paths[request.path] += 1
        response: web.StreamResponse = await handler(request)
        return response

    server = CloudServer(await start_simulator(HOME))
    server.app.middlewares.insert(0, count)  # outermost: it sees Xiaomi-host requests too
    await server.start(port=0)
    try:
        yield server, paths
    finally:
        await server.stop()


async def test_thirty_devices_cost_one_request_per_batch_limit_of_properties(
    counted_cloud: tuple[CloudServer, Counter[str]],
) -> None:
    cloud, paths = counted_cloud
    sim = cloud.simulator
    account = sim.home.account
    polled = {
        str(device.did): [
            (prop.siid, prop.piid)
            for prop in load_bundled_spec(device.model).properties()
            if prop.readable and prop.service != "device-information"
        ]
        for device in sim.devices.values()
    }
    properties = sum(len(keys) for keys in polled.values())
    async with aiohttp.ClientSession() as session:
        tokens = await MiAccount(session, via=cloud.url).sign_in(account.username, account.password)
        batcher = PropertyBatcher(MiAppClient(session, tokens, "cn", via=cloud.url).get_properties)
        before = paths["/app" + PROP_GET_PATH]
        async with asyncio.timeout(60):
            results = await asyncio.gather(
                *(batcher.get(did, keys) for did, keys in polled.items())
            )

    assert len(polled) == 30
    assert properties > BATCH_LIMIT
    assert paths["/app" + PROP_GET_PATH] - before == math.ceil(properties / BATCH_LIMIT)
    by_did = {str(device.did): device for device in sim.devices.values()}
    for (did, keys), got in zip(polled.items(), results, strict=True):
        assert [(r.did, r.siid, r.piid) for r in got] == [(did, s, p) for s, p in keys]
        assert all(r.ok for r in got), got
        assert [r.value for r in got] == [by_did[did].get(s, p) for s, p in keys]
