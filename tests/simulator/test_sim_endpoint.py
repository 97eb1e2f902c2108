"""The miIO UDP endpoint, seen by a raw client on real loopback sockets."""

from __future__ import annotations

import hashlib
import json
import random
import struct
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from custom_components.xiaomi_aiot.miot.errors import MiotChecksumError
from custom_components.xiaomi_aiot.miot.packet import HEADER, HELLO, MAGIC, FrameCodec
from simulator import Simulator

type StartSimulator = Callable[..., Awaitable[Simulator]]

TOKEN = "0123456789abcdef0123456789abcdef"
HOME: dict[str, Any] = {
    "rooms": ["Hall"],
    "devices": [
        {
            "id": "lamp",
            "kind": "light",
            "name": "Lamp",
            "room": "Hall",
            "token": TOKEN,
            "state": {"on": True, "brightness": 80},
        },
        {"id": "car", "kind": "vehicle", "name": "Car"},
        {"id": "ac", "kind": "air_conditioner", "name": "AC", "room": "Hall"},
    ],
}


@pytest.fixture
async def sim(start_simulator: StartSimulator) -> Simulator:
    """A running simulator with a lamp, a car and an air conditioner."""
    return await start_simulator(HOME)


async def test_hello(sim: Simulator, udp: Any) -> None:
    """A hello is answered with the did and clock, checksum all 0xff, no payload."""
    lamp = sim.devices["lamp"]
    udp.send(lamp, HELLO)
    reply = await udp.receive()
    magic, length, reserved, did, stamp, checksum = HEADER.unpack(reply)
    assert (magic, length, reserved, did) == (MAGIC, 32, 0, lamp.did)
    assert checksum == b"\xff" * 16
    assert abs(stamp - lamp.stamp()) <= 1
    assert stamp >= 3600  # a device that has been up for a while
    own = HEADER.pack(MAGIC, 32, 0xFFFFFFFF, lamp.did, 0xFFFFFFFF, b"\xff" * 16)
    udp.send(lamp, own)
    assert len(await udp.receive()) == 32
    other = HEADER.pack(MAGIC, 32, 0xFFFFFFFF, lamp.did + 1, 0xFFFFFFFF, b"\xff" * 16)
    udp.send(lamp, other)
    await udp.silence()


async def test_each_device_has_its_own_address(sim: Simulator, udp: Any) -> None:
    """The air conditioner follows the lamp; the car has no endpoint."""
    lamp, car, ac = sim.devices["lamp"], sim.devices["car"], sim.devices["ac"]
    assert car.address is None
    assert ac.address == sim.first_address.rsplit(".", 1)[0] + ".3"
    assert (await udp.hello(lamp)).did == lamp.did
    assert (await udp.hello(ac)).did == ac.did


async def test_get_properties(sim: Simulator, udp: Any) -> None:
    """A get_properties encoded with FrameCodec gets its values, with the request's id."""
    lamp = sim.devices["lamp"]
    frame = await udp.hello(lamp)
    params = [{"did": "on", "siid": 2, "piid": 1}, {"did": "b", "siid": 2, "piid": 2}]
    packet = FrameCodec(TOKEN).encode(
        frame.did,
        frame.stamp + 1,
        json.dumps({"id": 42, "method": "get_properties", "params": params}).encode(),
    )
    udp.send(lamp, packet)
    reply = FrameCodec(TOKEN).decode(await udp.receive())
    assert reply.did == lamp.did
    assert json.loads(reply.payload) == {
        "id": 42,
        "result": [
            {"did": "on", "siid": 2, "piid": 1, "code": 0, "value": True},
            {"did": "b", "siid": 2, "piid": 2, "code": 0, "value": 80},
        ],
        "exe_time": 0,
    }


async def test_set_and_action_over_udp(sim: Simulator, udp: Any) -> None:
    """Writes and actions change the device's state."""
    lamp = sim.devices["lamp"]
    reply = await udp.call(lamp, "set_properties", [{"did": "x", "siid": 2, "piid": 2, "value": 5}])
    assert reply["result"] == [{"did": "x", "siid": 2, "piid": 2, "code": 0}]
    assert lamp.get(2, 2) == 5
    reply = await udp.call(lamp, "action", {"did": "x", "siid": 2, "aiid": 1, "in": []})
    assert reply["result"]["code"] == 0
    assert lamp.get(2, 1) is False
    reply = await udp.call(lamp, "miIO.info")
    assert reply["result"]["model"] == "yeelink.light.color1"
    reply = await udp.call(lamp, "get_prop", ["power"])
    assert reply["error"] == {"code": -32601, "message": "Method not found"}


async def test_wrong_token(sim: Simulator, udp: Any) -> None:
    """A wrong checksum gets an error the client cannot verify with its (wrong) token."""
    lamp = sim.devices["lamp"]
    wrong = "ff" * 16
    udp.send(lamp, udp.packet(lamp, "miIO.info", token=wrong))
    reply = await udp.receive()
    with pytest.raises(MiotChecksumError):
        FrameCodec(wrong).decode(reply)
    decoded = FrameCodec(TOKEN).decode(reply)
    assert decoded.did == lamp.did
    assert json.loads(decoded.payload) == {
        "id": 0,
        "error": {"code": -30001, "message": "checksum error"},
    }


async def test_other_did_is_dropped(sim: Simulator, udp: Any) -> None:
    """A packet addressed to another did is ignored, even with the right token."""
    lamp = sim.devices["lamp"]
    udp.send(lamp, udp.packet(lamp, "miIO.info", did=lamp.did + 1))
    await udp.silence()


@pytest.mark.parametrize(("offset", "answered"), [(0, True), (120, True), (-120, True)])
async def test_stamp_within_window(sim: Simulator, udp: Any, offset: int, answered: bool) -> None:
    """Stamps up to 120 s from the device clock are accepted."""
    lamp = sim.devices["lamp"]
    reply = await udp.call(lamp, "miIO.info", stamp=lamp.stamp() + offset)
    assert "result" in reply


@pytest.mark.parametrize("offset", [125, -125, 100_000])
async def test_stamp_out_of_window(sim: Simulator, udp: Any, offset: int) -> None:
    """Stamps further than 120 s from the device clock are dropped."""
    lamp = sim.devices["lamp"]
    udp.send(lamp, udp.packet(lamp, "miIO.info", stamp=lamp.stamp() + offset))
    await udp.silence()


async def test_repeated_id_is_dropped(sim: Simulator, udp: Any) -> None:
    """A message id among the last 128 is ignored; a new one is answered."""
    lamp = sim.devices["lamp"]
    assert (await udp.call(lamp, "miIO.info", msg_id=7))["id"] == 7
    udp.send(lamp, udp.packet(lamp, "miIO.info", msg_id=7))
    await udp.silence()
    assert (await udp.call(lamp, "miIO.info", msg_id=8))["id"] == 8


def _signed(payload: bytes, did: int, stamp: int) -> bytes:
    """A packet with a valid checksum around an arbitrary (undecryptable) body."""
    prefix = struct.pack(">HHIII", MAGIC, 32 + len(payload), 0, did, stamp)
    checksum = hashlib.md5(prefix + bytes.fromhex(TOKEN) + payload).digest()
    return prefix + checksum + payload


async def test_garbage_never_hurts(sim: Simulator, udp: Any) -> None:
    """Garbage of every shape is dropped silently, and the device keeps answering."""
    lamp = sim.devices["lamp"]
    codec = FrameCodec(TOKEN)
    stamp = lamp.stamp()
    rng = random.Random(7)
    junk = [
        b"",
        b"\x21",
        b"\x21\x31" + b"\0" * 10,
        HELLO[:31],
        struct.pack(">HH", MAGIC, 0xFFFF) + b"\0" * 60,
        struct.pack(">HH", MAGIC, 16) + b"\0" * 28,
        _signed(b"\x01" * 16, lamp.did, stamp),
        _signed(b"\x01" * 17, lamp.did, stamp),
        codec.encode(lamp.did, stamp, b"not json"),
        codec.encode(lamp.did, stamp, b"\xff\xfe"),
        codec.encode(lamp.did, stamp, b"[1, 2]"),
        codec.encode(lamp.did, stamp, b'{"id": "7", "method": "miIO.info"}'),
        codec.encode(lamp.did, stamp, b'{"id": true, "method": "miIO.info"}'),
        codec.encode(lamp.did, stamp, b"[" * 100_00 + b"]" * 100_00),
        *(rng.randbytes(rng.randint(1, 200)) for _ in range(100)),
        *(b"\x21\x31" + rng.randbytes(rng.randint(30, 200)) for _ in range(100)),
    ]
    for packet in junk:
        udp.send(lamp, packet)
    await udp.silence()
    reply = await udp.call(lamp, "get_properties", [{"siid": 2, "piid": 2}])
    assert reply["result"][0]["value"] == 80
    reply = await udp.call(lamp, "miIO.info", msg_id=99)
    assert reply["id"] == 99


async def test_request_without_method(sim: Simulator, udp: Any) -> None:
    """A JSON object with an id but no method is an invalid request."""
    lamp = sim.devices["lamp"]
    packet = FrameCodec(TOKEN).encode(lamp.did, lamp.stamp(), b'{"id": 3}')
    udp.send(lamp, packet)
    reply = json.loads(FrameCodec(TOKEN).decode(await udp.receive()).payload)
    assert reply == {"id": 3, "error": {"code": -32600, "message": "Invalid request"}}


async def test_start_failure_cleans_up(
    sim: Simulator, start_simulator: StartSimulator, udp: Any
) -> None:
    """A second home whose second address is taken fails, naming the device, and closes."""
    first = sim.first_address.rsplit(".", 1)[0] + ".1"
    with pytest.raises(OSError, match="ac: cannot listen on") as err:
        await start_simulator(HOME, first_address=first)
    assert sim.first_address in str(err.value)
    assert (await udp.hello(sim.devices["lamp"])).did == sim.devices["lamp"].did
    again = await start_simulator(HOME, first_address=first.rsplit(".", 1)[0] + ".50")
    assert again.running
    await again.start()  # already started: nothing happens
    await again.stop()
    await again.stop()  # twice is harmless
    assert again.lan_devices()[0].address is not None
