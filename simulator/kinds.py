"""The device kinds a home file may use, and the model each one gets by default."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

LIGHT_FEATURES = frozenset({"brightness", "color_temp", "color"})


@dataclass(frozen=True, slots=True)
class Kind:
    """What a kind of device is: LAN (a miIO endpoint with a spec) or cloud only."""

    name: str
    lan: bool
    device_type: str | None = None  # the spec's device type for LAN kinds, e.g. "air-conditioner"
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
        Kind("vehicle", lan=False, person="optional"),
        Kind("phone", lan=False, room=False, person="required"),
        Kind("wearable", lan=False, room=False, person="required"),
    )
}


def light_model(features: Collection[str]) -> str:
    """The bundled light model for a set of features."""
    wanted = frozenset(features)
    if wanted <= {"brightness"}:
        return "yeelink.light.mono1"
    if wanted <= {"brightness", "color_temp"}:
        return "yeelink.light.ct2"
    return "yeelink.light.color1"
