"""python-miio, an independent miIO implementation, talks to the simulator.

If the simulator and our own client shared a symmetric protocol bug, python-miio would not
understand the simulator.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from miio.device import Device
from miio.exceptions import DeviceException

from harness.real_documents import document, fits, properties, require_documents
from simulator import Simulator, load_home

pytestmark = pytest.mark.interop

type StartSimulator = Callable[..., Awaitable[Simulator]]

TOKEN = "00112233445566778899aabbccddeeff"
REAL_MODEL = "zhimi.airpurifier.mb3"
HOME: dict[str, Any] = {
    "rooms": ["Bedroom"],
    "devices": [
        {
            "id": "ac",
            "kind": "air_conditioner",
            "name": "AC",
            "room": "Bedroom",
            "token": TOKEN,
            "state": {"on": True, "mode": "Cool", "target-temperature": 24},
        }
    ],
}


async def test_python_miio(start_simulator: StartSimulator) -> None:
    """info, get_properties, set_properties and action through python-miio."""
    sim = await start_simulator(HOME)
    ac = sim.devices["ac"]
    assert ac.address is not None
    client = Device(ac.address, TOKEN, timeout=2)

    def talk() -> tuple[Any, ...]:
        info = client.info()
        got = client.send("get_properties", [{"did": "mode", "siid": 2, "piid": 2}])
        put = client.send("set_properties", [{"did": "t", "siid": 2, "piid": 4, "value": 26.5}])
        done = client.send("action", {"did": "x", "siid": 9, "aiid": 1, "in": []})
        return info, got, put, done

    info, got, put, done = await asyncio.get_running_loop().run_in_executor(None, talk)
    assert info.model == "xiaomi.aircondition.mc4"
    assert info.network_interface["localIp"] == ac.address
    assert got == [{"did": "mode", "siid": 2, "piid": 2, "code": 0, "value": 2}]
    assert put == [{"did": "t", "siid": 2, "piid": 4, "code": 0}]
    assert done["code"] == -4003
    assert ac.get(2, 4) == 26.5


async def test_python_miio_wrong_token(start_simulator: StartSimulator) -> None:
    """python-miio with another token cannot read the device's answer."""
    sim = await start_simulator(HOME)
    ac = sim.devices["ac"]
    assert ac.address is not None
    client = Device(ac.address, "ff" * 16, timeout=1)
    with pytest.raises(DeviceException):
        await asyncio.get_running_loop().run_in_executor(None, client.info)


async def test_python_miio_reads_a_real_model(start_simulator: StartSimulator) -> None:
    """python-miio reads a property of a device simulated from a real document."""
    folder = require_documents()
    doc = document(REAL_MODEL)
    siid, prop = next(
        (siid, prop) for siid, prop in properties(doc) if "read" in prop["access"] and siid > 1
    )
    home = {
        "devices": [
            {"id": "real", "kind": "device", "name": "R", "model": REAL_MODEL, "token": TOKEN}
        ]
    }
    sim = await start_simulator(load_home(home, specs=folder))
    device = sim.devices["real"]
    assert device.address is not None
    client = Device(device.address, TOKEN, timeout=2)

    def talk() -> tuple[Any, Any]:
        info = client.info()
        return info, client.send(
            "get_properties", [{"did": "p", "siid": siid, "piid": prop["iid"]}]
        )

    info, got = await asyncio.get_running_loop().run_in_executor(None, talk)
    assert info.model == REAL_MODEL
    (answer,) = got
    assert (answer["siid"], answer["piid"], answer["code"]) == (siid, prop["iid"], 0)
    assert fits(prop, answer["value"])
