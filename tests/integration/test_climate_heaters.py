"""Heaters and bath heaters, as the real models they are: heat or off, target temperature,
the room's temperature, and a bath heater's modes (dry, quick heat, defog presets, idle)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN
from homeassistant.components.button import SERVICE_PRESS
from homeassistant.components.climate import (
    ATTR_CURRENT_TEMPERATURE,
    ATTR_HVAC_MODE,
    ATTR_HVAC_MODES,
    ATTR_PRESET_MODE,
    ATTR_PRESET_MODES,
    SERVICE_SET_HVAC_MODE,
    SERVICE_SET_PRESET_MODE,
    SERVICE_SET_TEMPERATURE,
    HVACMode,
)
from homeassistant.components.climate import DOMAIN as CLIMATE_DOMAIN
from homeassistant.const import ATTR_TEMPERATURE, SERVICE_TURN_OFF, Platform
from homeassistant.core import HomeAssistant

from harness.hass import entity_of, later
from harness.platforms import (
    MatchSnapshots,
    call_service,
    set_up_real,
)
from harness.real_specs import ABSENT, REAL_SPEC_FILES
from simulator import VirtualDevice
from simulator.cloud import CloudServer

pytestmark = pytest.mark.skipif(not REAL_SPEC_FILES.is_dir(), reason=ABSENT)

HEATER, BATH_HEATER = "zhimi.heater.za2", "yeelink.bhf_light.v5"
HEATER_ON, HEATER_TARGET, ROOM_TEMPERATURE = (2, 2), (2, 6), (5, 8)
BATH_MODE, BATH_TARGET, BATH_TEMPERATURE = (3, 1), (3, 5), (3, 6)
DRY, DEFOG, QUICK_HEAT, IDLE = 1, 2, 4, 5


@pytest.fixture(autouse=True)
def only_climate() -> Iterator[None]:
    """Set up the climate platform only."""
    with patch("custom_components.xiaomi_aiot.integration.PLATFORMS", [Platform.CLIMATE]):
        yield


@pytest.fixture
async def climate(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> tuple[VirtualDevice, str]:
    """The real model set up from the spec server; its climate entity's id."""
    return await set_up_real(hass, real_device, CLIMATE_DOMAIN)


async def call(hass: HomeAssistant, service: str, entity_id: str, **data: Any) -> None:
    """Call a climate service and wait for it."""
    await call_service(hass, CLIMATE_DOMAIN, service, entity_id, **data)


@pytest.mark.parametrize("real_device", [HEATER, BATH_HEATER], indirect=True)
@pytest.mark.usefixtures("climate")
async def test_real_heaters_match_their_snapshots(devices_match_snapshots: MatchSnapshots) -> None:
    """The climate entity is the device, named after it; a bath heater's light is a part."""
    await devices_match_snapshots()


@pytest.mark.parametrize("real_device", [HEATER], indirect=True)
async def test_a_heater_heats_or_is_off(
    hass: HomeAssistant, climate: tuple[VirtualDevice, str]
) -> None:
    """Heat powers on at 2.2; off powers off."""
    device, entity = climate
    assert hass.states.get(entity).attributes[ATTR_HVAC_MODES] == [HVACMode.OFF, HVACMode.HEAT]

    await call(hass, SERVICE_SET_HVAC_MODE, entity, **{ATTR_HVAC_MODE: HVACMode.HEAT})
    assert device.get(*HEATER_ON) is True
    assert hass.states.get(entity).state == HVACMode.HEAT

    await call(hass, SERVICE_SET_HVAC_MODE, entity, **{ATTR_HVAC_MODE: HVACMode.OFF})
    assert device.get(*HEATER_ON) is False
    assert hass.states.get(entity).state == HVACMode.OFF


@pytest.mark.parametrize(("asked", "sent"), [(22, 22), (22.6, 23), (16, 16)])
@pytest.mark.parametrize("real_device", [HEATER], indirect=True)
async def test_a_heater_target_is_set_on_its_whole_degrees(
    hass: HomeAssistant, climate: tuple[VirtualDevice, str], asked: float, sent: float
) -> None:
    """16..28 °C in whole degrees at 2.6."""
    device, entity = climate

    await call(hass, SERVICE_SET_TEMPERATURE, entity, **{ATTR_TEMPERATURE: asked})

    assert device.get(*HEATER_TARGET) == sent
    assert hass.states.get(entity).attributes[ATTR_TEMPERATURE] == sent


@pytest.mark.parametrize("real_device", [HEATER], indirect=True)
async def test_a_heater_shows_the_room_temperature(
    hass: HomeAssistant, climate: tuple[VirtualDevice, str]
) -> None:
    """The environment service's temperature, at the next poll."""
    device, entity = climate

    device.set(*ROOM_TEMPERATURE, 19.5)
    await later(hass)

    assert hass.states.get(entity).attributes[ATTR_CURRENT_TEMPERATURE] == 19.5


@pytest.mark.parametrize(
    ("hvac_mode", "mode"),
    [(HVACMode.DRY, DRY), (HVACMode.HEAT, QUICK_HEAT), (HVACMode.OFF, IDLE)],
)
@pytest.mark.parametrize("real_device", [BATH_HEATER], indirect=True)
async def test_a_bath_heater_mode_is_its_mode_list_entry(
    hass: HomeAssistant, climate: tuple[VirtualDevice, str], hvac_mode: HVACMode, mode: int
) -> None:
    """Dry, quick heat, idle: the bath heater has no power switch, idle is off."""
    device, entity = climate

    await call(hass, SERVICE_SET_HVAC_MODE, entity, **{ATTR_HVAC_MODE: hvac_mode})

    assert device.get(*BATH_MODE) == mode
    assert hass.states.get(entity).state == hvac_mode


@pytest.mark.parametrize("real_device", [BATH_HEATER], indirect=True)
async def test_a_bath_heater_defogs_as_a_preset_of_heat(
    hass: HomeAssistant, climate: tuple[VirtualDevice, str]
) -> None:
    """Defog is one of three ways to heat: a preset."""
    device, entity = climate
    presets = hass.states.get(entity).attributes[ATTR_PRESET_MODES]
    assert presets == ["defog", "quick_defog", "quick_heat"]

    await call(hass, SERVICE_SET_PRESET_MODE, entity, **{ATTR_PRESET_MODE: "defog"})

    assert device.get(*BATH_MODE) == DEFOG
    state = hass.states.get(entity)
    assert (state.state, state.attributes[ATTR_PRESET_MODE]) == (HVACMode.HEAT, "defog")


@pytest.mark.parametrize("real_device", [BATH_HEATER], indirect=True)
async def test_a_bath_heater_turns_off_by_going_idle(
    hass: HomeAssistant, climate: tuple[VirtualDevice, str]
) -> None:
    """turn_off with no power switch: the idle mode."""
    device, entity = climate
    device.set(*BATH_MODE, QUICK_HEAT)

    await call(hass, SERVICE_TURN_OFF, entity)

    assert device.get(*BATH_MODE) == IDLE


@pytest.mark.parametrize("real_device", [BATH_HEATER], indirect=True)
async def test_a_bath_heater_target_and_temperature(
    hass: HomeAssistant, climate: tuple[VirtualDevice, str]
) -> None:
    """25..45 °C at 3.5; its own temperature at 3.6."""
    device, entity = climate
    device.set(*BATH_TEMPERATURE, 27)

    await call(hass, SERVICE_SET_TEMPERATURE, entity, **{ATTR_TEMPERATURE: 40})
    await later(hass)

    assert device.get(*BATH_TARGET) == 40
    attributes = hass.states.get(entity).attributes
    assert (attributes[ATTR_TEMPERATURE], attributes[ATTR_CURRENT_TEMPERATURE]) == (40, 27)


@pytest.mark.parametrize("real_device", [BATH_HEATER], indirect=True)
async def test_a_bath_heater_stop_button_stops_everything(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """Its stop-working action (3.1): idle, no heating, no warm air, no ventilation."""
    with patch(
        "custom_components.xiaomi_aiot.integration.PLATFORMS", [Platform.CLIMATE, Platform.BUTTON]
    ):
        device, stop = await set_up_real(hass, real_device, BUTTON_DOMAIN, "a-3-1")
    device.set(*BATH_MODE, QUICK_HEAT)
    device.set(3, 2, True)

    await call_service(hass, BUTTON_DOMAIN, SERVICE_PRESS, stop)

    assert (device.get(*BATH_MODE), device.get(3, 2), device.get(3, 3)) == (IDLE, False, False)
    await later(hass)
    assert (
        hass.states.get(entity_of(hass, device, CLIMATE_DOMAIN, "climate-3")).state == HVACMode.OFF
    )
