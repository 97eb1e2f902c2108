"""The home file: validation errors name the key; defaults and overrides of state."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from simulator import HomeFileError, load_home
from simulator.home import default_did

DEMO = Path(__file__).parents[2] / "simulator" / "homes" / "demo.yaml"


def home(*devices: Any, rooms: list[str] | None = None) -> dict[str, Any]:
    """A home document with rooms Living Room and Bedroom by default."""
    names = ["Living Room", "Bedroom"] if rooms is None else rooms
    return {"rooms": names, "devices": list(devices)}


def light(**extra: Any) -> dict[str, Any]:
    """A valid light, plus or minus some keys."""
    device = {"id": "lamp", "kind": "light", "name": "Lamp", "room": "Living Room"} | extra
    return {k: v for k, v in device.items() if v is not None}


AC = {"id": "ac", "kind": "air_conditioner", "name": "AC", "room": "Bedroom"}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"devices": [], "colour": 1}, "colour: unknown key"),
        ({"rooms": []}, "devices: required"),
        ({"devices": {"id": "x"}}, "devices: expected a list"),
        ({"rooms": "Hall", "devices": []}, "rooms: expected a list"),
        (home(rooms=["Hall", "Hall"]), "rooms[1]: duplicate room 'Hall'"),
        (home("lamp"), "devices[0]: expected a mapping"),
        (home(light(colour="red")), "devices[0].colour: unknown key"),
        (home(light(id=None)), "devices[0].id: required"),
        (home(light(id="a b")), "devices[0].id: 'a b' must be"),
        (home(light(name=None)), "devices[0].name: required"),
        (home(light(kind="toaster")), "devices[0].kind: 'toaster' is not one of"),
        (home(light(room="Garage")), "devices[0].room: 'Garage' is not one of the rooms"),
        (home(light(), light()), "devices[1].id: duplicate id 'lamp'"),
        (home(light(person="Alice")), "devices[0].person: a light has a room"),
        (
            home({"id": "p", "kind": "phone", "name": "P"}),
            "devices[0].person: required for a phone",
        ),
        (
            home({"id": "p", "kind": "phone", "name": "P", "person": "A", "room": "Bedroom"}),
            "devices[0].room: a phone has a person",
        ),
        (home(light(model="yeelink.light.nope")), "devices[0].model: 'yeelink.light.nope' has"),
        (home(light(model="xiaomi.tv.v1")), "devices[0].model: 'xiaomi.tv.v1' is a television"),
        (home(light(token="abc")), "devices[0].token: 'abc' is not 32 hexadecimal"),
        (home(light(token=12345678901234567890123456789012)), "devices[0].token:"),
        (home(light(did=0)), "devices[0].did: 0 is not an integer"),
        (home(light(did=7), light(id="b", did=7)), "devices[1].did: 7 is already used by 'lamp'"),
        (home(AC | {"features": ["color"]}), "devices[0].features: only lights"),
        (home(light(features="color")), "devices[0].features: expected a list"),
        (home(light(features=["color", "hue"])), "devices[0].features[1]: 'hue' is not one"),
        (home(light(state=[1])), "devices[0].state: expected a mapping"),
        (
            home(light(state={"brightness": 300})),
            "devices[0].state.brightness: 300 is outside 1..100",
        ),
        (home(light(state={"brightness": True})), "devices[0].state.brightness: True is not"),
        (home(light(state={"brightness": 5.5})), "devices[0].state.brightness: 5.5 is not an"),
        (home(light(state={"brightnes": 3})), "devices[0].state.brightnes: no property named"),
        (home(light(state={"nothing.on": True})), "devices[0].state.nothing.on: no property"),
        (home(light(state={"on": "yes"})), "devices[0].state.on: 'yes' is not a boolean"),
        (home(light(state={"mode": "Disco"})), "devices[0].state.mode: 'Disco' is not one of"),
        (home(light(state={"mode": 9})), "devices[0].state.mode: 9 is not one of 1 (Color)"),
        (
            home({"id": "car", "kind": "vehicle", "name": "Car", "state": [1]}),
            "devices[0].state: expected a mapping",
        ),
        (home(light(state={True: True})), "devices[0].state.True: a property name is a string"),
        (
            home(AC | {"state": {"target-temperature": 24.3}}),
            "devices[0].state.target-temperature: 24.3 is not a multiple of 0.5 from 16",
        ),
        (home(light(faults={"loss": 1.5})), "devices[0].faults.loss: 1.5 is outside 0..1"),
        (home(light(faults={"lag": 1})), "devices[0].faults.lag: unknown fault"),
        (home(light(faults=[1])), "devices[0].faults: expected an object"),
        (
            home(light(faults={"property_errors": {"9.9": -4004}})),
            "devices[0].faults.property_errors.9.9: no property 9.9",
        ),
        (
            home({"id": "car", "kind": "vehicle", "name": "Car", "state": {"soc": 80}}),
            "devices[0].state.soc: no property named 'soc'",
        ),
    ],
)
def test_errors_name_the_key(document: dict[str, Any], message: str) -> None:
    """Each problem raises HomeFileError whose message starts with the key path."""
    with pytest.raises(HomeFileError) as err:
        load_home(document)
    assert str(err.value).startswith(message), str(err.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("devices: [\n", "home: line"),
        ("rooms: []\nrooms: []\ndevices: []\n", "home: line 2: key 'rooms' appears twice"),
        ("- a\n- b\n", "home: expected a mapping"),
    ],
)
def test_yaml_errors(text: str, message: str) -> None:
    """YAML syntax problems and repeated keys are HomeFileErrors too."""
    with pytest.raises(HomeFileError, match=re.escape(message)):
        load_home(text)


def test_missing_file(tmp_path: Path) -> None:
    """An unreadable file is reported with its path."""
    with pytest.raises(HomeFileError, match="cannot read the home file"):
        load_home(tmp_path / "none.yaml")


def test_yaml_on_is_a_key_and_descriptions_work(tmp_path: Path) -> None:
    """`on:` is not read as a boolean; value lists take descriptions, case-insensitively."""
    path = tmp_path / "home.yaml"
    path.write_text(
        "rooms: [Bedroom]\n"
        "devices:\n"
        "  - {id: ac, kind: air_conditioner, name: AC, room: Bedroom,\n"
        "     state: {on: true, mode: cool, fan-level: level7, indicator-light.on: true}}\n"
    )
    for source in (path, str(path), path.read_text()):
        (ac,) = load_home(source).devices
        assert ac.state[2, 1] is True  # bare "on" is the first service's: air-conditioner
        assert ac.state[2, 2] == 2  # Cool
        assert ac.state[3, 2] == 7  # Level7
        assert ac.state[6, 1] is True  # indicator-light.on


def test_defaults() -> None:
    """Unset properties start at sensible values that fit the spec."""
    loaded = load_home(
        home(
            light(),
            AC,
            {"id": "door", "kind": "lock", "name": "Door", "room": "Bedroom"},
            {"id": "spk", "kind": "speaker", "name": "Speaker", "room": "Bedroom"},
        )
    )
    lamp, ac, door, speaker = loaded.devices
    assert lamp.model == "yeelink.light.color1"
    assert lamp.state == {
        (1, 1): "yeelink",
        (1, 2): "yeelink.light.color1",
        (1, 3): f"{lamp.did:09d}",
        (1, 4): "",  # name
        (1, 5): "2.1.9_0041",
        (2, 1): False,
        (2, 2): 100,
        (2, 3): 0xFFFFFF,  # color
        (2, 4): 4000,  # color-temperature
        (2, 5): 1,  # mode: Color
        (3, 1): -100,  # brightness-delta, write-only
        (3, 2): -100,  # ct-delta, write-only
        (3, 3): 1,  # ct-adjust-alexa, write-only
    }
    assert ac.model == "xiaomi.aircondition.mc4"
    assert ac.state[2, 4] == 26  # target-temperature
    assert ac.state[4, 7] == 26  # temperature
    assert ac.state[2, 1] is False
    assert door.state[2, 5] == 0  # status: Open, the first listed value
    assert door.state[4, 1] == 100  # battery
    assert speaker.state[2, 1] == 30  # volume
    assert speaker.state[5, 1] == ""  # text-content
    spec = ac.spec
    assert spec is not None
    for prop in spec.properties():
        assert prop.validate(ac.state[prop.key]) == ac.state[prop.key]


@pytest.mark.parametrize(
    ("features", "model"),
    [
        (None, "yeelink.light.color1"),
        (["brightness", "color_temp", "color"], "yeelink.light.color1"),
        (["color"], "yeelink.light.color1"),
        (["brightness", "color_temp"], "yeelink.light.ct2"),
        (["color_temp"], "yeelink.light.ct2"),
        (["brightness"], "yeelink.light.mono1"),
        ([], "yeelink.light.mono1"),
    ],
)
def test_light_model_from_features(features: list[str] | None, model: str) -> None:
    """A light's default model follows its features."""
    (lamp,) = load_home(home(light(features=features))).devices
    assert lamp.model == model


def test_model_overrides_features() -> None:
    """An explicit model wins over features."""
    (lamp,) = load_home(home(light(features=["color"], model="yeelink.light.mono1"))).devices
    assert lamp.model == "yeelink.light.mono1"


def test_identity() -> None:
    """did: 9 digits from the id unless given; token: random unless given, lowercase."""
    first = load_home(home(light(), light(id="b", did=42, token="AB" * 16)))
    second = load_home(home(light()))
    lamp, other = first.devices
    assert lamp.did == default_did("lamp") == second.devices[0].did
    assert 100_000_000 <= lamp.did <= 999_999_999
    assert other.did == 42
    assert other.token == "ab" * 16
    assert re.fullmatch(r"[0-9a-f]{32}", lamp.token)
    assert lamp.token != second.devices[0].token


def test_cloud_kinds() -> None:
    """Vehicles, phones and wearables are cloud only, with a default model, spec and state."""
    loaded = load_home(
        home(
            {"id": "car", "kind": "vehicle", "name": "Car", "state": {"battery-level": 60}},
            {"id": "car2", "kind": "vehicle", "name": "Car 2", "person": "Bob", "room": "Bedroom"},
            {"id": "phone", "kind": "phone", "name": "Phone", "person": "Alice"},
            {"id": "watch", "kind": "wearable", "name": "Watch", "person": "Alice"},
        )
    )
    car, car2, phone, watch = loaded.devices
    assert not any(d.lan for d in loaded.devices)
    assert (car.model, phone.model, watch.model) == (
        "xiaomi.vehicle.su7",
        "xiaomi.phone.p1",
        "xiaomi.watch.w1",
    )
    assert car.spec is not None
    assert car.spec.device_type == "vehicle"
    assert car.room is None
    assert car.person is None
    assert car.state[2, 1] == 60  # battery-level, from the home file
    assert car.state[9, 1] == 39.990419  # latitude, the kind's default
    assert car2.person == "Bob"
    assert phone.person == watch.person == "Alice"


def test_demo_home() -> None:
    """The demo home has what the docs promise."""
    demo = load_home(DEMO)
    assert demo.rooms == ("Living Room", "Bedroom", "Study", "Hallway")
    kinds = [d.kind for d in demo.devices]
    models = {d.model for d in demo.devices if d.kind == "light"}
    assert models == {"yeelink.light.color1", "yeelink.light.ct2", "yeelink.light.mono1"}
    assert kinds.count("air_conditioner") == 2
    assert kinds.count("phone") == 2
    for kind in ("television", "lock", "speaker", "wearable", "vehicle"):
        assert kind in kinds
    assert sum(d.lan for d in demo.devices) == 8
    assert all(d.person for d in demo.devices if d.kind in ("phone", "wearable"))
    assert {d.room for d in demo.devices if d.lan} == set(demo.rooms)
