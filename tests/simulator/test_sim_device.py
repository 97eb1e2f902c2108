"""A virtual device and its miIO methods, without sockets."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.xiaomi_aiot.miot.errors import MiotSpecError
from simulator import FaultError, Simulator, StateError, VirtualDevice, load_home
from simulator.rpc import handle

HOME = {
    "rooms": ["Hall"],
    "devices": [
        {"id": "lamp", "kind": "light", "name": "Lamp", "room": "Hall"},
        {"id": "ac", "kind": "air_conditioner", "name": "AC", "room": "Hall"},
        {"id": "tv", "kind": "television", "name": "TV", "room": "Hall", "state": {"volume": 20}},
        {"id": "door", "kind": "lock", "name": "Door", "room": "Hall"},
        {"id": "spk", "kind": "speaker", "name": "Speaker", "room": "Hall"},
        {"id": "car", "kind": "vehicle", "name": "Car", "state": {"battery-level": 80}},
    ],
}


class Clock:
    """A settable clock."""

    def __init__(self) -> None:
        """Start at 1000 s."""
        self.now = 1000.0

    def __call__(self) -> float:
        """The time."""
        return self.now


@pytest.fixture
def clock() -> Clock:
    """A settable clock."""
    return Clock()


@pytest.fixture
def sim(clock: Clock) -> Simulator:
    """A simulator that is never started: devices only."""
    return Simulator(load_home(HOME), first_address="127.200.0.2", seed=3, clock=clock)


def result(device: VirtualDevice, method: str, params: Any) -> Any:
    """The result of a call, which must not be an error."""
    reply = handle(device, method, params)
    assert "result" in reply, reply
    return reply["result"]


def test_addresses(sim: Simulator) -> None:
    """LAN devices get consecutive addresses; cloud devices none."""
    addresses = {d.id: d.address for d in sim.devices.values()}
    assert addresses == {
        "lamp": "127.200.0.2",
        "ac": "127.200.0.3",
        "tv": "127.200.0.4",
        "door": "127.200.0.5",
        "spk": "127.200.0.6",
        "car": None,
    }
    assert sim.devices["lamp"].port == 54321
    assert sim.devices["car"].port is None
    assert sim.device_at("127.200.0.3") is sim.devices["ac"]
    assert [d.id for d in sim.lan_devices()] == ["lamp", "ac", "tv", "door", "spk"]


def test_bad_simulator_arguments() -> None:
    """Ports and addresses are checked."""
    home = load_home(HOME)
    with pytest.raises(ValueError, match="port"):
        Simulator(home, port=70000)
    with pytest.raises(ValueError, match="no address left"):
        Simulator(home, first_address="255.255.255.254")


def test_get_properties_codes(sim: Simulator) -> None:
    """0 with a value, -4001 not readable, -4003 missing; did echoed."""
    spk = sim.devices["spk"]
    items = [
        {"did": "v", "siid": 2, "piid": 1},
        {"did": "t", "siid": 5, "piid": 1},
        {"siid": 9, "piid": 1},
    ]
    assert result(spk, "get_properties", items) == [
        {"did": "v", "siid": 2, "piid": 1, "code": 0, "value": 30},
        {"did": "t", "siid": 5, "piid": 1, "code": -4001},
        {"did": str(spk.did), "siid": 9, "piid": 1, "code": -4003},
    ]


def test_set_properties_codes(sim: Simulator) -> None:
    """0 stores the canonical value; -4002, -4003, -4005 store nothing."""
    ac = sim.devices["ac"]
    items = [
        {"did": "a", "siid": 2, "piid": 4, "value": 23.5},
        {"did": "b", "siid": 2, "piid": 1, "value": 1},
        {"did": "c", "siid": 4, "piid": 7, "value": 20},
        {"did": "d", "siid": 2, "piid": 99, "value": 1},
        {"did": "e", "siid": 2, "piid": 4, "value": 99},
        {"did": "f", "siid": 2, "piid": 2},
    ]
    codes = [entry["code"] for entry in result(ac, "set_properties", items)]
    assert codes == [0, 0, -4002, -4003, -4005, -4005]
    assert ac.get(2, 4) == 23.5
    assert ac.get(2, 1) is True
    assert ac.get(4, 7) == 26


@pytest.mark.parametrize(
    ("method", "params", "code"),
    [
        ("get_prop", ["power"], -32601),
        ("get_properties", {"siid": 2}, -32602),
        ("get_properties", [{"siid": "2", "piid": 1}], -32602),
        ("set_properties", [{"siid": True, "piid": 1, "value": 1}], -32602),
        ("action", {"siid": 2}, -32602),
        ("action", {"siid": 2, "aiid": 1, "in": "x"}, -32602),
        (None, [], -32600),
    ],
)
def test_request_errors(sim: Simulator, method: Any, params: Any, code: int) -> None:
    """Unknown methods and bad params answer an error, not a result."""
    reply = handle(sim.devices["lamp"], method, params)
    assert reply["error"]["code"] == code
    assert reply["error"]["message"]


def test_info(sim: Simulator) -> None:
    """miIO.info has the model, firmware and network, and no token."""
    lamp = sim.devices["lamp"]
    info = result(lamp, "miIO.info", [])
    assert set(info) == {"model", "fw_ver", "hw_ver", "mac", "life", "ap", "netif"}
    assert info["model"] == "yeelink.light.color1"
    assert info["netif"]["localIp"] == "127.200.0.2"
    assert set(info["ap"]) == {"ssid", "rssi", "bssid"}
    assert lamp.token not in str(info)


def test_actions(sim: Simulator) -> None:
    """Effects: toggle, TV actions without state to change, lock events, speaker texts."""
    lamp, tv, door, spk = (sim.devices[i] for i in ("lamp", "tv", "door", "spk"))
    toggle = result(lamp, "action", {"did": "x", "siid": 2, "aiid": 1, "in": []})
    assert toggle == {"did": "x", "siid": 2, "aiid": 1, "code": 0, "out": []}
    assert lamp.get(2, 1) is True
    result(lamp, "action", [{"siid": 2, "aiid": 1}])
    assert lamp.get(2, 1) is False

    # The real TV's spec has no power property or playing state: its actions change nothing.
    keys = [(p["siid"], p["piid"]) for p in tv.describe()["properties"]]
    before = [tv.get(*key) for key in keys]
    for siid, aiid in ((3, 1), (3, 2), (2, 2), (6, 1)):
        done = result(tv, "action", {"siid": siid, "aiid": aiid, "in": []})
        assert done["code"] == 0
    assert [tv.get(*key) for key in keys] == before

    # The real lock has no lock or unlock action; its events come from the door (emit_event).
    assert result(door, "action", {"siid": 2, "aiid": 2, "in": []})["code"] == -4003
    door.emit_event("lock-opened", {"operation-method": "Password", "operation-id": 7})
    assert [e["name"] for e in door.events] == ["lock-opened"]
    assert door.events[0]["arguments"] == [
        {"piid": 1, "name": "operation-method", "value": 1},
        {"piid": 2, "name": "operation-id", "value": 7},
        {"piid": 4, "name": "current-time", "value": ""},
    ]

    result(spk, "action", {"siid": 5, "aiid": 1, "in": ["hello"]})
    result(spk, "action", {"siid": 5, "aiid": 5, "in": ["turn on the light", True]})
    assert list(spk.spoken) == ["hello", "turn on the light"]
    assert spk.get(5, 2) is True
    for n in range(60):
        result(spk, "action", {"siid": 5, "aiid": 1, "in": [f"n{n}"]})
    assert len(spk.spoken) == 50
    assert spk.spoken[-1] == "n59"
    assert spk.describe()["spoken"][0] == "n10"


def test_action_errors(sim: Simulator) -> None:
    """-4003 for a missing action, -4005 for bad inputs."""
    spk = sim.devices["spk"]
    missing = result(spk, "action", {"siid": 5, "aiid": 9, "in": []})
    assert missing["code"] == -4003
    assert "out" not in missing
    assert result(spk, "action", {"siid": 5, "aiid": 1, "in": []})["code"] == -4005
    assert result(spk, "action", {"siid": 5, "aiid": 1, "in": [5]})["code"] == -4005
    assert not spk.spoken


def test_set_by_hand_and_listeners(sim: Simulator) -> None:
    """set() accepts any property and descriptions; listeners hear real changes only."""
    ac = sim.devices["ac"]
    heard: list[tuple[int, int, Any]] = []
    ac.listeners.append(lambda siid, piid, value: heard.append((siid, piid, value)))

    def broken(siid: int, piid: int, value: Any) -> None:
        raise ZeroDivisionError

    ac.listeners.append(broken)  # a broken listener does not stop the others
    assert ac.set(2, 2, "Heat") == 5
    assert ac.set(4, 7, 30.5) == 30.5  # read-only, but by hand
    ac.set(4, 7, 30.5)  # no change, no call
    handle(ac, "set_properties", [{"siid": 2, "piid": 1, "value": True}])
    assert heard == [(2, 2, 5), (4, 7, 30.5), (2, 1, True)]
    with pytest.raises(StateError, match=r"outside 16\.\.31"):
        ac.set(2, 4, 40)
    with pytest.raises(MiotSpecError):
        ac.set(9, 9, 1)
    with pytest.raises(MiotSpecError):
        sim.devices["car"].get(99, 1)


def test_describe(sim: Simulator) -> None:
    """The admin JSON of LAN and cloud devices."""
    lamp = sim.devices["lamp"].describe()
    for key in ("id", "did", "kind", "model", "name", "room", "address", "token", "online"):
        assert key in lamp
    assert {"siid": 2, "piid": 2, "service": "light", "name": "brightness", "value": 100} in lamp[
        "properties"
    ]
    car = sim.devices["car"].describe()
    assert car["address"] is None
    assert {"siid": 2, "piid": 1, "service": "battery", "name": "battery-level", "value": 80} in (
        car["properties"]
    )


def test_clock_ids_and_reboot(sim: Simulator, clock: Clock) -> None:
    """A random uptime at start; reboot restarts it and forgets message ids."""
    lamp = sim.devices["lamp"]
    start = lamp.stamp()
    assert start >= 3600
    clock.now += 10
    assert lamp.stamp() == start + 10
    assert lamp.remember(5)
    assert not lamp.remember(5)
    for n in range(200, 328):
        lamp.remember(n)
    assert lamp.remember(5)  # pushed out of the last 128
    lamp.apply_faults({"reboot": True})
    assert lamp.stamp() == 0
    assert lamp.remember(300)
    assert lamp.faults.as_dict()["offline"] is False


def test_fault_settings(sim: Simulator) -> None:
    """Faults accumulate, null resets, token changes, bad input changes nothing."""
    lamp = sim.devices["lamp"]
    lamp.apply_faults({"loss": 0.5, "delay": 1, "property_errors": {"2.1": -4004}})
    lamp.apply_faults({"batch_limit": 3, "loss": None})
    assert lamp.faults.as_dict() == {
        "loss": 0.0,
        "delay": 1.0,
        "duplicate": 0.0,
        "corrupt": 0.0,
        "garbage": 0.0,
        "malformed": 0.0,
        "offline": False,
        "no_push": False,
        "legacy": False,
        "busy": False,
        "batch_limit": 3,
        "property_errors": {"2.1": -4004},
    }
    lamp.apply_faults({"token": "AA" * 16, "offline": True})
    assert lamp.token == "aa" * 16
    assert lamp.codec.token == bytes.fromhex("aa" * 16)
    assert not lamp.online
    with pytest.raises(FaultError, match="duplicate"):
        lamp.apply_faults({"batch_limit": None, "duplicate": "often"})
    assert lamp.faults.batch_limit == 3


def test_a_busy_device_answers_user_ack_timeout_to_miot_methods(sim: Simulator) -> None:
    """busy: -9999 to get/set_properties and actions; miIO.info still answers; off again."""
    ac = sim.devices["ac"]
    ac.apply_faults({"busy": True})
    timeout = {"error": {"code": -9999, "message": "user ack timeout"}}
    assert handle(ac, "get_properties", [{"siid": 2, "piid": 1}]) == timeout
    assert handle(ac, "set_properties", [{"siid": 2, "piid": 1, "value": True}]) == timeout
    assert ac.get(2, 1) is False
    assert "model" in result(ac, "miIO.info", [])
    ac.apply_faults({"busy": False})
    assert result(ac, "get_properties", [{"siid": 2, "piid": 1}])[0]["code"] == 0


def test_batch_limit_and_property_errors(sim: Simulator) -> None:
    """-5001 over the limit; forced codes on get and set."""
    ac = sim.devices["ac"]
    ac.apply_faults({"batch_limit": 2, "property_errors": {"2.1": -4004}})
    three = [{"siid": 2, "piid": p} for p in (1, 2, 3)]
    assert handle(ac, "get_properties", three) == {
        "error": {"code": -5001, "message": "too many properties"}
    }
    got = result(ac, "get_properties", three[:2])
    assert [(e["code"], "value" in e) for e in got] == [(-4004, False), (0, True)]
    put = result(ac, "set_properties", [{"siid": 2, "piid": 1, "value": True}])
    assert put[0]["code"] == -4004
    assert ac.get(2, 1) is False
