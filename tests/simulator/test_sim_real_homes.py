"""The two homes named as real households name them: what they hold, every device answering."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness.real_specs import ABSENT, REAL_SPEC_FILES
from harness.udp import RawClient, StartSimulator
from simulator import load_home

HOMES = Path(__file__).parents[2] / "simulator" / "homes"

pytestmark = pytest.mark.skipif(not REAL_SPEC_FILES.is_dir(), reason=ABSENT)


@pytest.mark.parametrize("name", ["real_zh", "real_en"])
async def test_a_real_home_has_what_a_household_has_and_every_device_answers(
    name: str, start_simulator: StartSimulator, udp: RawClient
) -> None:
    """Lights in two rooms (one in colour), two ACs, the rest; each LAN device answers a read.

    Every LAN device answers a hello with its did and `get_properties` of its first readable
    property with code 0; every cloud device (car, phones, wearable) is in the cloud's home.
    """
    home = load_home(HOMES / f"{name}.yaml")
    kinds = [device.kind for device in home.devices]
    assert kinds.count("air_conditioner") == 2
    assert kinds.count("phone") == 2
    for kind in ("television", "speaker", "lock", "vehicle", "wearable"):
        assert kind in kinds, kind
    lights = [device for device in home.devices if device.kind == "light"]
    assert len({light.room for light in lights}) >= 2
    assert "yeelink.light.color1" in {light.model for light in lights}
    types = {device.spec.type.split(":")[3] for device in home.devices if device.spec}
    assert {"curtain", "fan", "air-purifier"} <= types
    assert all(device.person for device in home.devices if device.kind in ("phone", "wearable"))

    sim = await start_simulator(home)
    for device in sim.lan_devices():
        assert device.spec is not None
        header = await udp.hello(device)
        assert header.did == device.did, device.id
        readable = next(
            prop
            for service in device.spec.services.values()
            for prop in service.properties.values()
            if "read" in prop.access
        )
        params: list[dict[str, Any]] = [
            {"did": str(device.did), "siid": readable.siid, "piid": readable.piid}
        ]
        reply = await udp.call(device, "get_properties", params)
        assert reply["result"][0]["code"] == 0, (device.id, reply)
    assert {device.id for device in sim.devices.values() if device.address is None} == {
        device.id for device in home.devices if not device.lan
    }
