"""Each fault's effect, as a raw UDP client sees it."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from custom_components.xiaomi_aiot.miot.errors import MiotError
from custom_components.xiaomi_aiot.miot.packet import HELLO, FrameCodec, read_header
from simulator import Simulator, VirtualDevice

type StartSimulator = Callable[..., Awaitable[Simulator]]

TOKEN = "0123456789abcdef0123456789abcdef"
HOME: dict[str, Any] = {
    "rooms": ["Hall"],
    "devices": [
        {"id": "lamp", "kind": "light", "name": "Lamp", "room": "Hall", "token": TOKEN},
    ],
}


@pytest.fixture
async def lamp(start_simulator: StartSimulator) -> VirtualDevice:
    """The running lamp."""
    sim = await start_simulator(HOME)
    return sim.devices["lamp"]


async def test_loss(lamp: VirtualDevice, udp: Any) -> None:
    """loss=1 ignores everything, hello included; about half get through at 0.5."""
    lamp.apply_faults({"loss": 1})
    udp.send(lamp, HELLO)
    udp.send(lamp, udp.packet(lamp, "miIO.info"))
    await udp.silence()
    lamp.apply_faults({"loss": 0.5})
    for _ in range(200):
        udp.send(lamp, HELLO)
    await asyncio.sleep(0.3)
    assert 50 < udp.queue.qsize() < 150
    while not udp.queue.empty():
        udp.queue.get_nowait()
    lamp.apply_faults({"loss": None})
    assert "result" in await udp.call(lamp, "miIO.info")


async def test_loss_is_repeatable_with_a_seed(start_simulator: StartSimulator, udp: Any) -> None:
    """The same seed drops the same packets."""
    answered: list[set[int]] = []
    for _ in range(2):
        sim = await start_simulator(HOME, seed=99)
        device = sim.devices["lamp"]
        device.apply_faults({"loss": 0.5})
        for msg_id in range(1, 41):
            udp.send(device, udp.packet(device, "miIO.info", msg_id=msg_id))
        await asyncio.sleep(0.3)
        ids = set()
        while not udp.queue.empty():
            ids.add(json.loads(FrameCodec(TOKEN).decode(udp.queue.get_nowait()).payload)["id"])
        answered.append(ids)
        await sim.stop()
    assert answered[0] == answered[1]
    assert 0 < len(answered[0]) < 40


async def test_delay(lamp: VirtualDevice, udp: Any) -> None:
    """Replies come `delay` seconds late."""
    lamp.apply_faults({"delay": 0.3})
    began = time.monotonic()
    assert "result" in await udp.call(lamp, "miIO.info")
    assert time.monotonic() - began >= 0.29


async def test_delayed_reply_is_cancelled_by_stop(
    start_simulator: StartSimulator, udp: Any
) -> None:
    """Stopping the simulator drops pending delayed replies (no lingering timers)."""
    sim = await start_simulator(HOME)
    device = sim.devices["lamp"]
    device.apply_faults({"delay": 0.2})
    udp.send(device, HELLO)
    await asyncio.sleep(0.05)
    await sim.stop()
    await udp.silence(0.4)


async def test_duplicate(lamp: VirtualDevice, udp: Any) -> None:
    """duplicate=1 sends every reply twice."""
    lamp.apply_faults({"duplicate": 1})
    udp.send(lamp, udp.packet(lamp, "miIO.info", msg_id=5))
    first, second = await udp.receive(), await udp.receive()
    assert first == second
    assert json.loads(FrameCodec(TOKEN).decode(first).payload)["id"] == 5
    await udp.silence(0.1)


async def test_corrupt(lamp: VirtualDevice, udp: Any) -> None:
    """corrupt=1 breaks the checksum of encrypted replies; hello replies are unharmed."""
    lamp.apply_faults({"corrupt": 1})
    assert (await udp.hello(lamp)).did == lamp.did
    udp.send(lamp, udp.packet(lamp, "miIO.info"))
    reply = await udp.receive()
    assert read_header(reply).did == lamp.did
    with pytest.raises(MiotError):
        FrameCodec(TOKEN).decode(reply)


async def test_garbage(lamp: VirtualDevice, udp: Any) -> None:
    """garbage=1 sends a packet no client can decode before each reply."""
    lamp.apply_faults({"garbage": 1})
    for msg_id in range(10, 30):
        udp.send(lamp, udp.packet(lamp, "miIO.info", msg_id=msg_id))
        junk, reply = await udp.receive(), await udp.receive()
        with pytest.raises(MiotError):
            FrameCodec(TOKEN).decode(junk)
        assert json.loads(FrameCodec(TOKEN).decode(reply).payload)["id"] == msg_id


async def test_malformed(lamp: VirtualDevice, udp: Any) -> None:
    """malformed=1 sends a reply that decrypts but is not JSON."""
    lamp.apply_faults({"malformed": 1})
    udp.send(lamp, udp.packet(lamp, "get_properties", [{"siid": 2, "piid": 1}]))
    payload = FrameCodec(TOKEN).decode(await udp.receive()).payload
    assert payload.startswith(b'{"id":')
    with pytest.raises(json.JSONDecodeError):
        json.loads(payload)


async def test_offline(lamp: VirtualDevice, udp: Any) -> None:
    """offline answers nothing, hello included, until it is back."""
    lamp.apply_faults({"offline": True})
    udp.send(lamp, HELLO)
    udp.send(lamp, udp.packet(lamp, "miIO.info"))
    await udp.silence()
    lamp.apply_faults({"offline": False})
    assert (await udp.hello(lamp)).did == lamp.did


async def test_reboot(lamp: VirtualDevice, udp: Any) -> None:
    """After a reboot the clock is near zero: old stamps are dropped, old ids are new again."""
    before = await udp.hello(lamp)
    assert "result" in await udp.call(lamp, "miIO.info", msg_id=1, stamp=before.stamp)
    lamp.apply_faults({"reboot": True})
    after = await udp.hello(lamp)
    assert after.stamp <= 2
    udp.send(lamp, udp.packet(lamp, "miIO.info", msg_id=2, stamp=before.stamp))
    await udp.silence()
    assert "result" in await udp.call(lamp, "miIO.info", msg_id=1, stamp=after.stamp)


async def test_token_change(lamp: VirtualDevice, udp: Any) -> None:
    """A new token: the old one now gets the checksum error, the new one works."""
    new = "fe" * 16
    lamp.apply_faults({"token": new})
    udp.send(lamp, udp.packet(lamp, "miIO.info", token=TOKEN))
    reply = await udp.receive()
    with pytest.raises(MiotError):
        FrameCodec(TOKEN).decode(reply)
    assert json.loads(FrameCodec(new).decode(reply).payload)["error"]["code"] == -30001
    assert "result" in await udp.call(lamp, "miIO.info", token=new)


async def test_batch_limit(lamp: VirtualDevice, udp: Any) -> None:
    """More items than batch_limit answer -5001 for the whole request."""
    lamp.apply_faults({"batch_limit": 2})
    items = [{"siid": 2, "piid": piid} for piid in (1, 2, 3)]
    reply = await udp.call(lamp, "get_properties", items, msg_id=77)
    assert reply == {"id": 77, "error": {"code": -5001, "message": "too many properties"}}
    reply = await udp.call(lamp, "set_properties", [{**i, "value": 1} for i in items])
    assert reply["error"]["code"] == -5001
    assert len((await udp.call(lamp, "get_properties", items[:2]))["result"]) == 2


async def test_property_errors(lamp: VirtualDevice, udp: Any) -> None:
    """Chosen properties answer a chosen code on get and set."""
    lamp.apply_faults({"property_errors": {"2.2": -4004}})
    items = [{"siid": 2, "piid": 1}, {"siid": 2, "piid": 2}]
    reply = await udp.call(lamp, "get_properties", items)
    assert [entry["code"] for entry in reply["result"]] == [0, -4004]
    assert "value" not in reply["result"][1]
    reply = await udp.call(lamp, "set_properties", [{"siid": 2, "piid": 2, "value": 10}])
    assert reply["result"][0]["code"] == -4004
    assert lamp.get(2, 2) == 100
