"""Humidifiers and dehumidifiers, as the real models they are, against the simulator being them.

The integration fetches each model's real document from the simulated spec server; a service
call changes the simulated device at the real ids.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from homeassistant.components.humidifier import HumidifierDeviceClass
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from harness.hass import add_by_hand, entity_of
from harness.platforms import (
    assert_a_refused_power_on_is_translated,
    changed_by_hand,
    set_up_real,
    translated_error,
)
from harness.real_specs import ABSENT, REAL_SPEC_FILES, models_of
from simulator import VirtualDevice
from simulator.cloud import CloudServer

pytestmark = pytest.mark.skipif(not REAL_SPEC_FILES.is_dir(), reason=ABSENT)

HUMIDIFIER_TYPES = ("humidifier", "dehumidifier")
CA4 = "zhimi.humidifier.ca4"


@pytest.mark.parametrize("real_device", [CA4], indirect=True)
async def test_a_real_humidifier_matches_its_snapshot(
    real_device_matches_snapshots: Callable[[], Awaitable[None]],
) -> None:
    """Its entities: one humidifier entity, and what remains of the spec around it."""
    await real_device_matches_snapshots()


CALLS = {
    "turn_off": ("turn_off", {}, {(2, 1): False}),
    "turn_on": ("turn_on", {}, {(2, 1): True}),
    "set_humidity": ("set_humidity", {"humidity": 65}, {(2, 6): 65}),
    "set_mode": ("set_mode", {"mode": "level2"}, {(2, 5): 2}),
    "set_mode_auto": ("set_mode", {"mode": "auto"}, {(2, 5): 0}),
}


@pytest.mark.parametrize("real_device", [CA4], indirect=True)
@pytest.mark.parametrize(("service", "data", "expected"), CALLS.values(), ids=list(CALLS))
async def test_a_real_humidifier_obeys_at_its_real_ids(
    hass: HomeAssistant,
    real_device: tuple[VirtualDevice, CloudServer],
    service: str,
    data: dict[str, Any],
    expected: dict[tuple[int, int], Any],
) -> None:
    """zhimi.humidifier.ca4: on 2.1, fan level 2.5 (its modes), target humidity 2.6."""
    device, entity = await set_up_real(hass, real_device, "humidifier", "humidifier-2")
    await changed_by_hand(hass, device, {(2, 1): service == "turn_off", (2, 5): 3, (2, 6): 40})

    await hass.services.async_call(
        "humidifier", service, {"entity_id": entity, **data}, blocking=True
    )

    assert {key: device.get(*key) for key in expected} == expected


@pytest.mark.parametrize("real_device", [CA4], indirect=True)
async def test_a_real_humidifier_shows_the_rooms_humidity_and_its_target(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """The environment's relative humidity (3.9) is the current humidity."""
    device, entity = await set_up_real(hass, real_device, "humidifier", "humidifier-2")

    await changed_by_hand(hass, device, {(2, 1): True, (3, 9): 42, (2, 6): 55, (2, 5): 1})

    state = hass.states.get(entity)
    assert state.state == "on"
    assert state.attributes["current_humidity"] == 42
    assert state.attributes["humidity"] == 55
    assert state.attributes["mode"] == "level1"
    assert state.attributes["device_class"] == HumidifierDeviceClass.HUMIDIFIER
    assert (state.attributes["min_humidity"], state.attributes["max_humidity"]) == (30, 80)


@pytest.mark.parametrize("real_device", [CA4], indirect=True)
async def test_a_mode_the_humidifier_lacks_is_refused_in_words(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """Nothing is written for a mode outside the spec's list."""
    device, entity = await set_up_real(hass, real_device, "humidifier", "humidifier-2")
    before = device.get(2, 5)

    await translated_error(
        hass.services.async_call(
            "humidifier", "set_mode", {"entity_id": entity, "mode": "turbo"}, blocking=True
        ),
        ServiceValidationError,
    )
    assert device.get(2, 5) == before


@pytest.mark.parametrize("real_device", models_of(HUMIDIFIER_TYPES), indirect=True)
async def test_every_real_humidifier_gets_a_humidifier_that_fails_in_words(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """Each real document of these types: a humidifier entity, a refused command translated."""
    device, server = real_device
    await add_by_hand(hass, device, server.url)
    assert device.spec is not None
    kind = device.spec.device_type
    siid = next(s.siid for s in device.spec.services.values() if s.name == kind)
    entity = entity_of(hass, device, "humidifier", f"humidifier-{siid}")
    state = hass.states.get(entity)
    assert state.state in ("on", "off")
    assert state.attributes["device_class"] == kind
    await assert_a_refused_power_on_is_translated(hass, device, "humidifier", entity)
