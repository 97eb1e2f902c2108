"""Water heaters, as the real models they are: on/off, target temperature, operation modes.

Viomi's e1 cannot be asked its target temperature (the property is write-only): the entity
offers it, and shows the last one set, across polls.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.components.water_heater import (
    ATTR_OPERATION_LIST,
    ATTR_OPERATION_MODE,
    SERVICE_SET_OPERATION_MODE,
    SERVICE_SET_TEMPERATURE,
    WaterHeaterEntityFeature,
)
from homeassistant.components.water_heater import DOMAIN as WATER_HEATER_DOMAIN
from homeassistant.const import (
    ATTR_SUPPORTED_FEATURES,
    ATTR_TEMPERATURE,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from harness.hass import later, until
from harness.platforms import (
    MatchSnapshots,
    call_service,
    set_up_real,
    translated_error,
)
from harness.real_specs import ABSENT, REAL_SPEC_FILES
from simulator import VirtualDevice
from simulator.cloud import CloudServer

pytestmark = pytest.mark.skipif(not REAL_SPEC_FILES.is_dir(), reason=ABSENT)

E1 = "viomi.waterheater.e1"
TARGET, ON, MODE = (2, 1), (2, 4), (2, 6)


@pytest.fixture(autouse=True)
def only_water_heaters() -> Iterator[None]:
    """Set up the water heater platform only."""
    with patch("custom_components.xiaomi_aiot.integration.PLATFORMS", [Platform.WATER_HEATER]):
        yield


async def call(hass: HomeAssistant, service: str, entity_id: str, **data: Any) -> None:
    """Call a water heater service and wait for it."""
    await call_service(hass, WATER_HEATER_DOMAIN, service, entity_id, **data)


@pytest.fixture
async def e1(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> tuple[VirtualDevice, str]:
    """Viomi's e1, set up from the spec server; its water heater's entity id."""
    return await set_up_real(hass, real_device, WATER_HEATER_DOMAIN, "water_heater-2")


@pytest.mark.parametrize("real_device", [E1], indirect=True)
@pytest.mark.usefixtures("e1")
async def test_a_real_water_heater_matches_its_snapshot(
    devices_match_snapshots: MatchSnapshots,
) -> None:
    """One water heater named after the device; status a sensor beside it."""
    await devices_match_snapshots()


@pytest.mark.parametrize("real_device", [E1], indirect=True)
async def test_water_heater_offers_on_off_temperature_and_the_modes_of_its_spec(
    hass: HomeAssistant, e1: tuple[VirtualDevice, str]
) -> None:
    """Off plus Normal, Heat, Delay; 30..75 °C."""
    _, entity = e1
    attributes = hass.states.get(entity).attributes

    assert attributes[ATTR_OPERATION_LIST] == [STATE_OFF, "normal", "heat", "delay"]
    assert (attributes["min_temp"], attributes["max_temp"]) == (30, 75)
    assert attributes[ATTR_SUPPORTED_FEATURES] == (
        WaterHeaterEntityFeature.TARGET_TEMPERATURE
        | WaterHeaterEntityFeature.OPERATION_MODE
        | WaterHeaterEntityFeature.ON_OFF
    )


@pytest.mark.parametrize(("asked", "sent"), [(47, 47), (47.4, 47), (52.6, 53)])
@pytest.mark.parametrize("real_device", [E1], indirect=True)
async def test_a_write_only_target_temperature_is_set_snapped_and_kept(
    hass: HomeAssistant, e1: tuple[VirtualDevice, str], asked: float, sent: int
) -> None:
    """The device gets the nearest whole degree; the entity shows it after the next poll."""
    device, entity = e1

    await call(hass, SERVICE_SET_TEMPERATURE, entity, **{ATTR_TEMPERATURE: asked})
    await later(hass)

    assert device.get(*TARGET) == sent
    assert hass.states.get(entity).attributes[ATTR_TEMPERATURE] == sent


@pytest.mark.parametrize("real_device", [E1], indirect=True)
async def test_operation_mode_powers_on_in_that_mode_and_off(
    hass: HomeAssistant, e1: tuple[VirtualDevice, str]
) -> None:
    """heat is the mode list's 1; off powers off."""
    device, entity = e1

    await call(hass, SERVICE_SET_OPERATION_MODE, entity, **{ATTR_OPERATION_MODE: "heat"})
    assert (device.get(*ON), device.get(*MODE)) == (True, 1)
    assert hass.states.get(entity).state == "heat"

    await call(hass, SERVICE_SET_OPERATION_MODE, entity, **{ATTR_OPERATION_MODE: STATE_OFF})
    assert device.get(*ON) is False
    assert hass.states.get(entity).state == STATE_OFF


@pytest.mark.parametrize("real_device", [E1], indirect=True)
async def test_turn_on_and_off_reach_the_device(
    hass: HomeAssistant, e1: tuple[VirtualDevice, str]
) -> None:
    """The power switch at 2.4."""
    device, entity = e1

    await call(hass, SERVICE_TURN_OFF, entity)
    assert device.get(*ON) is False
    await call(hass, SERVICE_TURN_ON, entity)
    assert device.get(*ON) is True


@pytest.mark.parametrize("real_device", [E1], indirect=True)
async def test_a_mode_the_heater_lacks_is_refused_with_a_translated_error(
    hass: HomeAssistant, e1: tuple[VirtualDevice, str]
) -> None:
    """Home Assistant checks the operation list; nothing reaches the device."""
    device, entity = e1
    before = device.get(*MODE)

    with pytest.raises(ServiceValidationError):
        await call(hass, SERVICE_SET_OPERATION_MODE, entity, **{ATTR_OPERATION_MODE: "eco"})

    assert device.get(*MODE) == before


@pytest.mark.parametrize("real_device", ["viomi.waterheater.m1"], indirect=True)
async def test_a_readable_water_heater_shows_the_water_temperature(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """The m1's water temperature at 2.3 and target at 2.2, as the device has them."""
    device, entity = await set_up_real(hass, real_device, WATER_HEATER_DOMAIN, "water_heater-2")

    device.set(2, 3, 48)
    device.set(2, 2, 50)
    await later(hass)

    attributes = hass.states.get(entity).attributes
    assert (attributes["current_temperature"], attributes[ATTR_TEMPERATURE]) == (48, 50)


@pytest.mark.parametrize("real_device", ["viomi.waterheater.m1"], indirect=True)
async def test_a_device_refusal_is_a_translated_error(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """A mode written while the device is offline: a translated error, not a traceback."""
    device, entity = await set_up_real(hass, real_device, WATER_HEATER_DOMAIN, "water_heater-2")
    device.apply_faults({"offline": True})

    await translated_error(
        call(hass, SERVICE_SET_OPERATION_MODE, entity, **{ATTR_OPERATION_MODE: "kitchen"})
    )


@pytest.mark.parametrize("real_device", [E1], indirect=True)
async def test_a_water_temperature_no_poll_can_read_shows_when_the_device_reports_it(
    hass: HomeAssistant, e1: tuple[VirtualDevice, str]
) -> None:
    """The e1's temperature (2.2) is notify-only: it arrives by push, and a poll keeps it."""
    device, entity = e1
    assert hass.states.get(entity).attributes["current_temperature"] is None

    device.set(2, 2, 45)
    await until(hass, lambda: hass.states.get(entity).attributes["current_temperature"] == 45)
    await later(hass)

    assert hass.states.get(entity).attributes["current_temperature"] == 45
