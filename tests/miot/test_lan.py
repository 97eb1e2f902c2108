"""The library against the simulator over real UDP: handshake, batches, writes, actions, faults."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from custom_components.xiaomi_aiot.miot import (
    MiotAuthenticationError,
    MiotConnectionError,
    MiotDeviceError,
    MiotValueError,
    load_bundled_spec,
)
from custom_components.xiaomi_aiot.miot.device import MiotDevice, PropertyResult
from custom_components.xiaomi_aiot.miot.lan import DeviceSession
from custom_components.xiaomi_aiot.miot.udp import LanSocket
from harness.net import first_address
from simulator import Simulator, VirtualDevice, load_home

HOME: dict[str, Any] = {
    "rooms": ["Living Room"],
    "devices": [
        {"id": "ac", "kind": "air_conditioner", "name": "AC", "room": "Living Room"},
        {"id": "lamp", "kind": "light", "name": "Lamp", "room": "Living Room"},
        {"id": "lock", "kind": "lock", "name": "Lock", "room": "Living Room"},
        {"id": "speaker", "kind": "speaker", "name": "Speaker", "room": "Living Room"},
    ],
}

type Connect = Callable[..., MiotDevice]


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    """The home above on a random loopback range."""
    base = first_address()
    simulator = Simulator(load_home(HOME), first_address=base, seed=7)
    await simulator.start()
    yield simulator
    await simulator.stop()


@pytest.fixture(params=["own socket", "shared socket"])
async def connect(sim: Simulator, request: pytest.FixtureRequest) -> AsyncIterator[Connect]:
    """Open a MiotDevice to a simulated device; sessions close afterwards.

    Every test runs twice: sessions with their own sockets, and sessions sharing one.
    """
    sessions: list[DeviceSession] = []
    shared = LanSocket() if request.param == "shared socket" else None

    def open_device(device_id: str, **kwargs: Any) -> MiotDevice:
        device = sim.devices[device_id]
        assert device.address is not None
        token = kwargs.pop("token", device.token)
        kwargs.setdefault("timeout", 0.5)
        kwargs.setdefault("socket", shared)
        session = DeviceSession(device.address, token, port=device.port, **kwargs)
        sessions.append(session)
        return MiotDevice(session, load_bundled_spec(device.model))

    yield open_device
    for session in sessions:
        session.close()
    if shared is not None:
        assert shared.sessions == 0
        shared.close()


def readable(device: MiotDevice) -> list[tuple[int, int]]:
    """Every readable property of a device's spec."""
    return [prop.key for prop in device.spec.properties() if prop.readable]


async def test_handshake_learns_the_device_id_and_info(sim: Simulator, connect: Connect) -> None:
    """Hello gives the did; miIO.info gives model, firmware and MAC."""
    device = connect("ac")
    assert isinstance(device.transport, DeviceSession)
    assert await device.transport.handshake() == sim.devices["ac"].did
    info = await device.info()
    assert info.model == "xiaomi.aircondition.mc4"
    assert info.mac is not None
    assert info.firmware is not None


async def test_reads_more_properties_than_a_batch_in_batches_of_fifteen(
    sim: Simulator, connect: Connect
) -> None:
    """22 properties arrive in two requests, none over 15, each with its value."""
    sim.devices["ac"].apply_faults({"batch_limit": 15})
    device = connect("ac")
    keys = readable(device)
    assert len(keys) > 15
    results = await device.read_properties(keys)
    # The device refuses batches over 15: had one been sent, the limit would have shrunk.
    assert device.batch_limit == 15
    assert {key: result.value for key, result in results.items()} == {
        key: sim.devices["ac"].get(*key) for key in keys
    }


async def test_a_device_with_a_smaller_batch_limit_gets_smaller_batches(
    sim: Simulator, connect: Connect
) -> None:
    """A device that refuses large batches still answers everything, in smaller ones."""
    sim.devices["ac"].apply_faults({"batch_limit": 4})
    device = connect("ac")
    results = await device.read_properties(readable(device))
    assert all(result.ok for result in results.values())
    assert device.batch_limit <= 4


async def test_writes_change_the_device(sim: Simulator, connect: Connect) -> None:
    """A validated write reaches the device; an invalid one is refused before sending."""
    device = connect("ac")
    await device.write_property(2, 4, 26.5)
    assert sim.devices["ac"].get(2, 4) == 26.5
    with pytest.raises(MiotValueError):
        await device.write_property(2, 4, 40)
    with pytest.raises(MiotValueError):
        await device.write_property(4, 7, 20.0)  # read-only
    assert sim.devices["ac"].get(2, 4) == 26.5


async def test_a_write_answers_each_value_as_the_spec_types_it(
    sim: Simulator, connect: Connect
) -> None:
    """The library checks a write once and says what it sent: a boolean's 1 is True, a whole
    brightness of 30.0 is 30; callers show those values, not the ones they passed."""
    device = connect("lamp")
    written = await device.write_properties({(2, 1): 1, (2, 2): 30.0})
    assert written == {(2, 1): PropertyResult(0, True), (2, 2): PropertyResult(0, 30)}
    assert written[(2, 1)].value is True
    assert type(written[(2, 2)].value) is int
    assert sim.devices["lamp"].get(2, 1) is True
    assert sim.devices["lamp"].get(2, 2) == 30


async def test_actions_run_on_the_device(sim: Simulator, connect: Connect) -> None:
    """Toggle flips a light; play-text makes a speaker speak."""
    lamp = connect("lamp")
    before = sim.devices["lamp"].get(2, 1)
    await lamp.call_action(2, 1)
    assert sim.devices["lamp"].get(2, 1) is (not before)
    speaker = connect("speaker")
    await speaker.call_action(5, 1, ["晚上好"])
    assert sim.devices["speaker"].describe()["spoken"][-1] == "晚上好"


async def test_a_property_error_code_is_kept_for_that_property_only(
    sim: Simulator, connect: Connect
) -> None:
    """One failing property does not fail the read of the others."""
    sim.devices["ac"].apply_faults({"property_errors": {"2.4": -4004}})
    device = connect("ac")
    results = await device.read_properties([(2, 1), (2, 4)])
    assert results[(2, 4)].code == -4004
    assert results[(2, 4)].value is None
    assert results[(2, 1)].ok


async def test_an_unknown_method_is_a_device_error(connect: Connect) -> None:
    """The device's error code and message come back as a typed error."""
    device = connect("lamp")
    with pytest.raises(MiotDeviceError) as caught:
        await device.transport.send("no_such_method")
    assert caught.value.code == -32601


@pytest.mark.parametrize(
    "faults",
    [
        {"loss": 0.3},
        {"duplicate": 1.0},
        {"garbage": 1.0},
        {"corrupt": 0.3},
        {"malformed": 0.3},
        {"delay": 0.05},
    ],
    ids=["loss", "duplicates", "garbage", "some-corrupted", "some-malformed", "delay"],
)
async def test_requests_survive_recoverable_faults(
    sim: Simulator, connect: Connect, faults: dict[str, Any]
) -> None:
    """Lost, duplicated, corrupted, malformed and garbage packets cost retries, not errors."""
    sim.devices["lamp"].apply_faults(faults)
    device = connect("lamp", retries=4, timeout=0.2)
    for brightness in (10, 20, 30, 40, 50):
        await device.write_property(2, 2, brightness)
        result = await device.read_properties([(2, 2)])
        assert result[(2, 2)].value == brightness
    assert sim.devices["lamp"].get(2, 2) == 50


async def test_a_device_that_never_answers_is_a_connection_error(
    sim: Simulator, connect: Connect
) -> None:
    """Offline: every attempt times out; back online: the same session works again."""
    sim.devices["lamp"].apply_faults({"offline": True})
    device = connect("lamp", timeout=0.2, retries=1)
    with pytest.raises(MiotConnectionError):
        await device.read_properties([(2, 1)])
    sim.devices["lamp"].apply_faults({"offline": False})
    assert (await device.read_properties([(2, 1)]))[(2, 1)].ok


async def test_replies_slower_than_the_timeout_are_a_connection_error(
    sim: Simulator, connect: Connect
) -> None:
    """A device slower than the timeout is reported as unreachable, not as a bad token."""
    sim.devices["lamp"].apply_faults({"delay": 0.5})
    device = connect("lamp", timeout=0.2, retries=1)
    with pytest.raises(MiotConnectionError):
        await device.read_properties([(2, 1)])


async def test_a_wrong_token_is_an_authentication_error(connect: Connect) -> None:
    """The device answers with its own token; our checksum never matches."""
    device = connect("lamp", token="ffeeddccbbaa99887766554433221100")
    with pytest.raises(MiotAuthenticationError):
        await device.info()


async def test_every_reply_corrupted_looks_like_a_wrong_token(
    sim: Simulator, connect: Connect
) -> None:
    """Replies that never verify are indistinguishable from a wrong token."""
    sim.devices["lamp"].apply_faults({"corrupt": 1.0})
    with pytest.raises(MiotAuthenticationError):
        await connect("lamp", retries=1).info()


async def test_every_reply_malformed_is_a_connection_error(
    sim: Simulator, connect: Connect
) -> None:
    """Replies that verify but are not JSON are not blamed on the token."""
    sim.devices["lamp"].apply_faults({"malformed": 1.0})
    with pytest.raises(MiotConnectionError):
        await connect("lamp", retries=1).info()


async def test_a_changed_token_is_an_authentication_error_until_the_new_one_is_used(
    sim: Simulator, connect: Connect
) -> None:
    """After a token change the old token fails as authentication; the new one works."""
    device = connect("lamp")
    await device.info()
    new_token = "0f" * 16
    sim.devices["lamp"].apply_faults({"token": new_token})
    with pytest.raises(MiotAuthenticationError):
        await device.info()
    assert (await connect("lamp", token=new_token).info()).model == "yeelink.light.color1"


async def test_a_rebooted_device_is_found_again_with_a_new_handshake(
    sim: Simulator, connect: Connect
) -> None:
    """After a reboot the device drops our stale stamps; the next request re-learns its clock."""
    lamp = sim.devices["lamp"]
    device = connect("lamp")
    assert isinstance(device.transport, DeviceSession)
    await device.info()
    assert device.transport.device_clock() > 3_000  # simulated devices start long booted
    lamp.apply_faults({"reboot": True})
    await device.write_property(2, 1, True)
    assert lamp.get(2, 1) is True
    assert device.transport.device_clock() < 60


async def test_many_devices_are_polled_at_once(connect: Connect, sim: Simulator) -> None:
    """Sessions share the event loop; a slow device does not hold up the others."""
    sim.devices["ac"].apply_faults({"delay": 0.3})
    devices = [connect(device_id) for device_id in ("ac", "lamp", "lock", "speaker")]
    tasks = [asyncio.create_task(d.read_properties(readable(d))) for d in devices]
    slow, *fast = tasks
    await asyncio.gather(*fast)
    assert not slow.done()
    results = [await task for task in tasks]
    assert all(all(r.ok for r in result.values()) for result in results)


def test_simulated_devices_have_distinct_addresses(sim: Simulator) -> None:
    """Each LAN device listens on its own loopback address."""
    addresses = [device.address for device in sim.devices.values()]
    assert len(set(addresses)) == len(addresses)
    assert all(isinstance(device, VirtualDevice) for device in sim.devices.values())


async def test_a_lost_hello_is_said_again(sim: Simulator, connect: Connect) -> None:
    """The handshake retries on silence like any request; an offline device still fails."""
    sim.devices["lamp"].apply_faults({"loss": 0.5})
    device = connect("lamp", retries=6, timeout=0.1)
    assert isinstance(device.transport, DeviceSession)
    assert await device.transport.handshake() == sim.devices["lamp"].did
    sim.devices["lamp"].apply_faults({"offline": True})
    with pytest.raises(MiotConnectionError):
        await connect("lamp", retries=1, timeout=0.1).transport.handshake()  # type: ignore[attr-defined]
