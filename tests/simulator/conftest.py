"""Fixtures for the simulator's tests: a random loopback base, a simulator factory, raw clients.

Sockets: Home Assistant's test plugin only lets tests reach 127.0.0.1; the repository's
``tests/conftest.py`` has the autouse ``loopback_only`` fixture that opens every loopback
address (127.0.0.0/8), which is what the simulated devices need.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest

from harness.net import first_address
from harness.udp import NewSubscriber, OpenClient, PushClient, RawClient, StartSimulator
from simulator import Home, Simulator, VirtualDevice, load_home


@pytest.fixture
def base_address() -> str:
    """A fresh random first address, 127.x.y.2."""
    return first_address()


@pytest.fixture
async def start_simulator(base_address: str) -> AsyncIterator[StartSimulator]:
    """Start simulators for a home (a `Home`, mapping or YAML text); all are stopped afterwards."""
    started: list[Simulator] = []

    async def start(home: Home | Mapping[str, Any] | str, **kwargs: Any) -> Simulator:
        kwargs.setdefault("first_address", base_address)
        kwargs.setdefault("seed", 1)
        sim = Simulator(home if isinstance(home, Home) else load_home(home), **kwargs)
        await sim.start()
        started.append(sim)
        return sim

    yield start
    for sim in started:
        await sim.stop()


LIGHT_HOME: dict[str, Any] = {
    "rooms": ["Living Room"],
    "devices": [
        {
            "id": "lamp",
            "kind": "light",
            "name": "Lamp",
            "room": "Living Room",
            "token": "0123456789abcdef0123456789abcdef",
            "state": {"on": True, "brightness": 80},
        }
    ],
}


@pytest.fixture
async def udp() -> AsyncIterator[RawClient]:
    """A raw UDP client on 127.0.0.1."""
    loop = asyncio.get_running_loop()
    transport, client = await loop.create_datagram_endpoint(RawClient, local_addr=("127.0.0.1", 0))
    yield client
    transport.close()
    await asyncio.sleep(0)


@pytest.fixture
async def open_udp() -> AsyncIterator[OpenClient]:
    """Open more raw clients, each on its own port of 127.0.0.1; all are closed afterwards."""
    loop = asyncio.get_running_loop()
    transports: list[asyncio.DatagramTransport] = []

    async def open_client() -> RawClient:
        transport, client = await loop.create_datagram_endpoint(
            RawClient, local_addr=("127.0.0.1", 0)
        )
        transports.append(transport)
        return client

    yield open_client
    for transport in transports:
        transport.close()
    await asyncio.sleep(0)


@pytest.fixture
def new_subscriber(open_udp: OpenClient) -> NewSubscriber:
    """Make a `PushClient` of a device on a socket of its own (not subscribed yet)."""

    async def new(device: VirtualDevice) -> PushClient:
        return PushClient(await open_udp(), device)

    return new
