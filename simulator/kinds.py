"""The device kinds a home file may use, and the model each one gets by default."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

LIGHT_FEATURES = frozenset({"brightness", "color_temp", "color"})


@dataclass(frozen=True, slots=True)
class Kind:
    """What a kind of device is: LAN (a miIO endpoint) or cloud only; both have a spec."""

    name: str
    lan: bool
    device_type: str | None = None  # the spec's device type, e.g. "air-conditioner"
    default_model: str | None = None
    room: bool = True  # may have a room
    person: str = "no"  # "no", "optional" or "required"


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("light", lan=True, device_type="light", default_model="yeelink.light.color1"),
        Kind(
            "air_conditioner",
            lan=True,
            device_type="air-conditioner",
            default_model="xiaomi.aircondition.mc4",
        ),
        Kind("television", lan=True, device_type="television", default_model="xiaomi.tv.v1"),
        Kind("lock", lan=True, device_type="lock", default_model="loock.lock.v6"),
        Kind("speaker", lan=True, device_type="speaker", default_model="xiaomi.wifispeaker.lx06"),
        Kind(
            "vehicle",
            lan=False,
            device_type="vehicle",
            default_model="xiaomi.vehicle.su7",
            person="optional",
        ),
        Kind(
            "phone",
            lan=False,
            device_type="phone",
            default_model="xiaomi.phone.p1",
            room=False,
            person="required",
        ),
        Kind(
            "wearable",
            lan=False,
            device_type="watch",
            default_model="xiaomi.watch.w1",
            room=False,
            person="required",
        ),
    )
}

# Starting values of cloud-only kinds, by spec property name (applied where the model has the
# property; the home file's `state` comes on top). Positions are GCJ-02, in Beijing.
KIND_STATE: dict[str, dict[str, bool | int | float | str]] = {
    "vehicle": {
        "battery-level": 80,
        "driving-range": 560,
        "odometer": 12345.6,
        "charge-limit": 90,
        "status": "Locked",
        "target-temperature": 22,
        "temperature": 24,
        "front-left-pressure": 250,
        "front-right-pressure": 250,
        "rear-left-pressure": 255,
        "rear-right-pressure": 255,
        "latitude": 39.990419,  # Haidian district
        "longitude": 116.311598,
        "heading": 90,
    },
    "phone": {
        "battery-level": 76,
        "latitude": 39.909187,  # near Tiananmen
        "longitude": 116.397451,
        "accuracy": 15,
    },
    "wearable": {
        "battery-level": 64,
        "step-count": 6200,
        "heart-rate": 72,
        "spo2": 98,
        "sleep-duration": 430,
        "worn": True,
    },
}


def light_model(features: Collection[str]) -> str:
    """The bundled light model for a set of features."""
    wanted = frozenset(features)
    if wanted <= {"brightness"}:
        return "yeelink.light.mono1"
    if wanted <= {"brightness", "color_temp"}:
        return "yeelink.light.ct2"
    return "yeelink.light.color1"
