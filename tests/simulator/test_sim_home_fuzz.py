"""Fuzzing the home file: any JSON-like document loads as a `Home` or raises `HomeFileError`."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import Home, HomeFileError, load_home
from simulator.faults import FAULT_KEYS
from simulator.home import parse_home
from simulator.kinds import KINDS, LIGHT_FEATURES

DEVICE_KEYS = [
    *("id", "kind", "name", "room", "person", "model", "token", "did"),
    *("features", "state", "faults"),
]
KEYS = st.sampled_from(
    [*DEVICE_KEYS, "rooms", "devices", "account", "home_name", "username", "password"]
)
ROOMS = ["Living Room", "Bedroom"]
PLAUSIBLE = st.sampled_from(
    [
        *ROOMS,
        *KINDS,
        *LIGHT_FEATURES,
        *FAULT_KEYS,
        "lamp",
        "Alice",
        "yeelink.light.color1",
        "xiaomi.aircondition.mc4",
        "xiaomi.tv.v1",
        "xiaomi.vehicle.su7",
        "0123456789abcdef0123456789ABCDEF",
        "brightness",
        "color-temperature",
        "mode",
        "Cool",
        "on",
        "indicator-light.on",
        "target-temperature",
        "2.1",
        "1.1",
        "0.1",
        0.5,
        1,
        0,
        -1,
        300,
        4294967294,
        4294967295,
        10**20,
        10**400,
        float("inf"),
        float("nan"),
        True,
        None,
    ]
)
LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | PLAUSIBLE
JSON = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(KEYS | PLAUSIBLE.filter(lambda v: isinstance(v, str)), inner, max_size=5)
    ),
    max_leaves=25,
)


FIELDS: dict[str, st.SearchStrategy[Any]] = dict.fromkeys(DEVICE_KEYS, JSON | PLAUSIBLE) | {
    "features": st.lists(PLAUSIBLE | st.lists(PLAUSIBLE, max_size=2) | JSON, max_size=3),
    "state": st.dictionaries(
        PLAUSIBLE.map(str) | st.text(max_size=8), PLAUSIBLE | LEAVES, max_size=3
    ),
    "faults": st.dictionaries(
        st.sampled_from(FAULT_KEYS),
        PLAUSIBLE | JSON | st.dictionaries(PLAUSIBLE.map(str), LEAVES, max_size=3),
        max_size=3,
    ),
}


def device(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A nearly valid device of a kind, with random fields on top."""
    base: dict[str, Any] = {"id": "dev", "kind": kind, "name": "Device"}
    if KINDS[kind].person == "required":
        base["person"] = "Alice"
    elif KINDS[kind].room:
        base["room"] = "Living Room"
    return base | fields


NEARLY_VALID_DEVICES = st.builds(
    device,
    st.just("light") | st.sampled_from(sorted(KINDS)),
    st.lists(st.sampled_from(DEVICE_KEYS), min_size=1, max_size=2, unique=True).flatmap(
        lambda keys: st.fixed_dictionaries({key: FIELDS[key] for key in keys})
    ),
)
HOMES = st.one_of(
    JSON,
    st.dictionaries(KEYS, JSON, max_size=5),
    st.fixed_dictionaries(
        {"rooms": st.just(ROOMS) | JSON, "devices": st.lists(JSON | NEARLY_VALID_DEVICES)},
        optional={"home_name": JSON | PLAUSIBLE, "account": JSON},
    ),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOMES)
def test_any_document_loads_or_names_what_is_wrong(document: Any) -> None:
    """A `Home`, or a `HomeFileError` (never another exception) for any document."""
    try:
        home = load_home(document) if isinstance(document, dict) else parse_home(document)
    except HomeFileError as err:
        message = str(err)
        assert message
    else:
        assert isinstance(home, Home)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NEARLY_VALID_DEVICES)
def test_any_field_of_a_device_loads_or_names_what_is_wrong(raw: dict[str, Any]) -> None:
    """One device, valid but for one or two random fields: a `Home` or a `HomeFileError`."""
    try:
        home = load_home({"rooms": ROOMS, "devices": [raw]})
    except HomeFileError as err:
        message = str(err)
        assert message.startswith("devices[0]")
    else:
        assert len(home.devices) == 1
