"""Fans and air purifiers, as the real models they are, against the simulator being them.

The integration fetches each model's real document from the simulated spec server; a service
call changes the simulated device at the real ids.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from homeassistant.core import HomeAssistant

from harness.hass import add_by_hand, entity_of, later
from harness.platforms import (
    assert_a_refused_power_on_is_translated,
    changed_by_hand,
    set_up_real,
)
from harness.real_specs import ABSENT, REAL_SPEC_FILES, models_of
from simulator import VirtualDevice
from simulator.cloud import CloudServer

pytestmark = pytest.mark.skipif(not REAL_SPEC_FILES.is_dir(), reason=ABSENT)

FAN_TYPES = ("fan", "air-purifier")


@pytest.mark.parametrize("real_device", ["dmaker.fan.p5", "zhimi.airpurifier.ma4"], indirect=True)
async def test_a_real_fan_and_purifier_match_their_snapshots(
    real_device_matches_snapshots: Callable[[], Awaitable[None]],
) -> None:
    """Their entities: one fan entity, and what remains of the spec around it."""
    await real_device_matches_snapshots()


CALLS = {
    "turn_off": ("turn_off", {}, {(2, 1): False}),
    "turn_on": ("turn_on", {}, {(2, 1): True}),
    "set_percentage": ("set_percentage", {"percentage": 50}, {(2, 1): True, (2, 4): 2}),
    "turn_on_at_a_percentage": ("turn_on", {"percentage": 100}, {(2, 1): True, (2, 4): 4}),
    "set_percentage_zero": ("set_percentage", {"percentage": 0}, {(2, 1): False}),
    "set_preset_mode": (
        "set_preset_mode",
        {"preset_mode": "straight_wind"},
        {(2, 1): True, (2, 3): 1},
    ),
    "oscillate": ("oscillate", {"oscillating": True}, {(2, 2): True}),
    "stop_oscillating": ("oscillate", {"oscillating": False}, {(2, 2): False}),
}


@pytest.mark.parametrize("real_device", ["dmaker.fan.p5"], indirect=True)
@pytest.mark.parametrize(("service", "data", "expected"), CALLS.values(), ids=list(CALLS))
async def test_a_real_fan_obeys_at_its_real_ids(
    hass: HomeAssistant,
    real_device: tuple[VirtualDevice, CloudServer],
    service: str,
    data: dict[str, Any],
    expected: dict[tuple[int, int], Any],
) -> None:
    """dmaker.fan.p5: on 2.1, swing 2.2, mode 2.3, fan level 2.4 (levels 1 to 4)."""
    device, entity = await set_up_real(hass, real_device, "fan", "fan-2")
    for key, value in expected.items():
        if isinstance(value, bool):
            device.set(*key, not value)  # so that the call has something to change
    await later(hass)

    await hass.services.async_call("fan", service, {"entity_id": entity, **data}, blocking=True)

    assert {key: device.get(*key) for key in expected} == expected


@pytest.mark.parametrize("real_device", ["dmaker.fan.p5"], indirect=True)
async def test_a_real_fan_shows_its_speed_as_a_percentage(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """Level 3 of 4 is 75 %, in the mode the device is in."""
    device, entity = await set_up_real(hass, real_device, "fan", "fan-2")

    await changed_by_hand(hass, device, {(2, 1): True, (2, 4): 3, (2, 3): 0})

    state = hass.states.get(entity)
    assert state.state == "on"
    assert state.attributes["percentage"] == 75
    assert state.attributes["preset_mode"] == "natural_wind"


@pytest.mark.parametrize("real_device", ["dmaker.fan.p9"], indirect=True)
async def test_a_real_fans_stepless_speed_and_motor_control(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """dmaker.fan.p9: speed is its 1..100 speed level (2.11), turning its motor-control (2.10)."""
    device, fan = await set_up_real(hass, real_device, "fan", "fan-2")
    left = entity_of(hass, device, "button", "c-2-10-1")
    right = entity_of(hass, device, "button", "c-2-10-2")

    await hass.services.async_call(
        "fan", "set_percentage", {"entity_id": fan, "percentage": 37}, blocking=True
    )
    assert device.get(2, 11) == 37
    await hass.services.async_call("button", "press", {"entity_id": left}, blocking=True)
    assert device.get(2, 10) == 1
    await hass.services.async_call("button", "press", {"entity_id": right}, blocking=True)
    assert device.get(2, 10) == 2


@pytest.mark.parametrize("real_device", ["zhimi.airpurifier.ma4"], indirect=True)
async def test_a_real_purifier_changes_preset_and_resets_its_filter(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """zhimi.airpurifier.ma4: mode 2.5; the filter reset (4.1) makes the filter new (4.3)."""
    device, fan = await set_up_real(hass, real_device, "fan", "fan-2")
    reset = entity_of(hass, device, "button", "a-4-1")
    life = entity_of(hass, device, "sensor", "p-4-3")
    device.set(4, 3, 12)

    await hass.services.async_call(
        "fan", "set_preset_mode", {"entity_id": fan, "preset_mode": "sleep"}, blocking=True
    )
    await hass.services.async_call("button", "press", {"entity_id": reset}, blocking=True)
    await later(hass)

    assert device.get(2, 5) == 1
    assert device.get(4, 3) == 100
    assert hass.states.get(life).state == "100"
    assert hass.states.get(fan).attributes["preset_mode"] == "sleep"


@pytest.mark.parametrize("real_device", models_of(FAN_TYPES), indirect=True)
async def test_every_real_fan_and_purifier_gets_a_fan_that_fails_in_words(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """Each real document of these types: a fan entity, and a refused command translated."""
    device, server = real_device
    await add_by_hand(hass, device, server.url)
    entity = entity_of(hass, device, "fan", f"fan-{fan_service(device)}")
    assert hass.states.get(entity).state in ("on", "off")
    await assert_a_refused_power_on_is_translated(hass, device, "fan", entity)


def fan_service(device: VirtualDevice) -> int:
    """The siid of the device's fan or air-purifier service."""
    assert device.spec is not None
    return next(s.siid for s in device.spec.services.values() if s.name in FAN_TYPES)


@pytest.mark.parametrize("real_device", ["zhimi.airp.mb5"], indirect=True)
async def test_a_filter_reset_that_takes_the_used_time_sets_it_to_zero(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """zhimi.airp.mb5's reset-filter-life (4.1) takes filter-used-time (4.3): it is given 0."""
    device, reset = await set_up_real(hass, real_device, "button", "a-4-1")
    device.set(4, 1, 3)
    device.set(4, 3, 4321)

    await hass.services.async_call("button", "press", {"entity_id": reset}, blocking=True)

    assert (device.get(4, 1), device.get(4, 3)) == (100, 0)
