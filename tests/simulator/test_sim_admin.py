"""The admin API over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from simulator import Simulator
from simulator.admin import AdminServer

type StartSimulator = Callable[..., Awaitable[Simulator]]

HOME: dict[str, Any] = {
    "rooms": ["Living Room"],
    "devices": [
        {"id": "lamp", "kind": "light", "name": "Lamp", "room": "Living Room"},
        {"id": "ac", "kind": "air_conditioner", "name": "客厅空调", "room": "Living Room"},
        {"id": "phone", "kind": "phone", "name": "Phone", "person": "Alice"},
    ],
}
DEVICE_KEYS = {"id", "did", "kind", "model", "name", "room", "address", "token", "online"}


class Admin:
    """A client for one admin server."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        """Talk to `url`."""
        self.session = session
        self.url = url

    async def get(self, path: str) -> tuple[int, Any]:
        """GET a path: status and JSON."""
        async with self.session.get(self.url + path) as response:
            return response.status, await response.json()

    async def post(
        self, path: str, body: Any = None, *, data: str | None = None
    ) -> tuple[int, Any]:
        """POST JSON (or raw data): status and JSON."""
        kwargs: dict[str, Any] = {"data": data} if data is not None else {"json": body}
        async with self.session.post(self.url + path, **kwargs) as response:
            assert response.content_type == "application/json"
            return response.status, await response.json()


@pytest.fixture
async def sim(start_simulator: StartSimulator) -> Simulator:
    """A running simulator."""
    return await start_simulator(HOME)


@pytest.fixture
async def admin(sim: Simulator) -> AsyncIterator[Admin]:
    """An admin server on a free port, and a client for it."""
    server = AdminServer(sim)
    port = await server.start(port=0)
    assert server.url == f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        yield Admin(session, server.url)
    await server.stop()


async def test_list_and_get(admin: Admin, sim: Simulator) -> None:
    """Every device, with the contract's fields; one device; 404 as JSON."""
    status, devices = await admin.get("/devices")
    assert status == 200
    assert [d["id"] for d in devices] == ["lamp", "ac", "phone"]
    for device in devices:
        assert set(device) >= DEVICE_KEYS | {"properties"}
    lamp, ac, phone = devices
    assert lamp["address"] == sim.first_address
    assert lamp["token"] == sim.devices["lamp"].token
    assert lamp["online"] is True
    assert lamp["model"] == "yeelink.light.color1"
    assert ac["name"] == "客厅空调"
    assert phone["address"] is None
    assert phone["person"] == "Alice"
    assert {"siid": 2, "piid": 1, "service": "air-conditioner", "name": "on", "value": False} in ac[
        "properties"
    ]
    status, one = await admin.get("/devices/lamp")
    assert (status, one) == (200, lamp)
    assert await admin.get("/devices/nope") == (404, {"error": "no device 'nope'"})
    status, body = await admin.get("/nowhere")
    assert status == 404
    assert "error" in body
    status, summary = await admin.get("/")
    assert summary["endpoints"] == 2
    assert summary["running"] is True


async def test_set_properties(admin: Admin, sim: Simulator) -> None:
    """Valid changes apply as if by hand (any access); listeners hear them."""
    heard: list[tuple[int, int, Any]] = []
    sim.devices["ac"].listeners.append(lambda *change: heard.append(change))
    status, device = await admin.post(
        "/devices/ac/properties",
        [
            {"siid": 2, "piid": 1, "value": True},
            {"siid": 4, "piid": 7, "value": 31.5},
            {"name": "mode", "value": "Dry"},
        ],
    )
    assert status == 200
    values = {(p["siid"], p["piid"]): p["value"] for p in device["properties"]}
    assert values[2, 1] is True
    assert values[4, 7] == 31.5
    assert values[2, 2] == 3
    assert sim.devices["ac"].get(2, 2) == 3
    assert heard == [(2, 1, True), (4, 7, 31.5), (2, 2, 3)]
    status, _ = await admin.post("/devices/ac/properties", {"siid": 2, "piid": 1, "value": False})
    assert status == 200
    assert sim.devices["ac"].get(2, 1) is False


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"x": 1}, "[0].x: unknown key"),
        ("text", "expected a list"),
        ([1], "[0]: expected an object"),
        ([{"siid": 2, "piid": 2}], "[0].value: required"),
        ([{"siid": "2", "piid": 2, "value": 1}], "[0].siid: '2' is not an integer"),
        ([{"siid": 9, "piid": 1, "value": 1}], "[0]: no property 9.1"),
        ([{"name": "brightnes", "value": 1}], "[0]: no property named 'brightnes'"),
        ([{"name": 5, "value": 1}], "[0].name: 5 is not a property name"),
        (
            [{"siid": 2, "piid": 1, "value": True}, {"siid": 2, "piid": 2, "value": 300}],
            "[1].value: 300 is outside 1..100",
        ),
    ],
)
async def test_set_properties_errors(admin: Admin, sim: Simulator, body: Any, message: str) -> None:
    """Bad items answer 400 with a message, and nothing changes."""
    status, answer = await admin.post("/devices/lamp/properties", body)
    assert status == 400
    assert answer["error"].startswith(message), answer
    assert sim.devices["lamp"].get(2, 1) is False


async def test_errors_of_other_kinds(admin: Admin) -> None:
    """Unknown device, invalid JSON, a property the cloud device does not have."""
    assert (await admin.post("/devices/nope/faults", {}))[0] == 404
    status, answer = await admin.post("/devices/lamp/properties", data="{not json")
    assert status == 400
    assert "not valid JSON" in answer["error"]
    status, answer = await admin.post("/devices/phone/properties", [{"siid": 2, "piid": 1}])
    assert status == 400
    status, answer = await admin.post(
        "/devices/phone/properties", [{"siid": 9, "piid": 1, "value": 1}]
    )
    assert (status, answer) == (400, {"error": "[0]: no property 9.1"})


async def test_faults(admin: Admin, sim: Simulator) -> None:
    """Fault settings change and show; bad ones answer 400."""
    status, device = await admin.post(
        "/devices/lamp/faults", {"offline": True, "property_errors": {"2.2": -4004}}
    )
    assert status == 200
    assert device["online"] is False
    assert device["faults"]["offline"] is True
    assert device["faults"]["property_errors"] == {"2.2": -4004}
    assert not sim.devices["lamp"].online
    status, answer = await admin.post("/devices/lamp/faults", {"loss": 2})
    assert (status, answer) == (400, {"error": "loss: 2 is outside 0..1"})
    status, answer = await admin.post("/devices/lamp/faults", ["loss"])
    assert status == 400
    new_token = "cd" * 16
    status, device = await admin.post("/devices/lamp/faults", {"token": new_token})
    assert device["token"] == new_token
    assert device["faults"]["offline"] is True  # untouched


async def test_start_stop_twice(sim: Simulator) -> None:
    """Stopping a server that never started is harmless; a port can be reused."""
    server = AdminServer(sim)
    await server.stop()
    port = await server.start()
    await server.stop()
    again = AdminServer(sim)
    assert await again.start(port) == port
    with pytest.raises(OSError, match="address already in use"):
        await AdminServer(sim).start(port)  # busy
    await again.stop()
