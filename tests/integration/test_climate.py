"""Air conditioners: HVAC modes, target temperature on the spec's step, fan modes and swing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.components.climate import (
    ATTR_CURRENT_TEMPERATURE,
    ATTR_FAN_MODE,
    ATTR_FAN_MODES,
    ATTR_HVAC_MODE,
    ATTR_HVAC_MODES,
    ATTR_MAX_TEMP,
    ATTR_MIN_TEMP,
    ATTR_SWING_MODE,
    ATTR_SWING_MODES,
    ATTR_TARGET_TEMP_STEP,
    SERVICE_SET_FAN_MODE,
    SERVICE_SET_HVAC_MODE,
    SERVICE_SET_SWING_MODE,
    SERVICE_SET_TEMPERATURE,
    HVACMode,
)
from homeassistant.components.climate import DOMAIN as CLIMATE_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_FRIENDLY_NAME,
    ATTR_TEMPERATURE,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from harness.hass import SetUpDevice
from harness.platforms import (
    MatchSnapshots,
    assert_a_refused_write_is_translated,
    next_poll,
    translated_error,
)
from simulator import Simulator

LIVING_ROOM = "climate.living_room_air_conditioner"  # on, cool, 24 °C, fan auto
BEDROOM = "climate.bedroom_air_conditioner"  # off, heat, 22 °C
ON, MODE, TARGET = (2, 1), (2, 2), (2, 4)
FAN_LEVEL, VERTICAL_SWING = (3, 2), (3, 4)
INDOOR_TEMPERATURE = (4, 7)


@pytest.fixture(autouse=True)
def only_climate() -> Iterator[None]:
    """Set up the climate platform only."""
    with patch("custom_components.xiaomi_aiot.integration.PLATFORMS", [Platform.CLIMATE]):
        yield


async def call(hass: HomeAssistant, service: str, entity_id: str, **data: Any) -> None:
    """Call a climate service and wait for it."""
    await hass.services.async_call(
        CLIMATE_DOMAIN, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
    )


async def test_air_conditioners_match_their_snapshots(
    devices_match_snapshots: MatchSnapshots,
) -> None:
    """One climate entity per air conditioner, named after the device."""
    await devices_match_snapshots("living-room-ac", "bedroom-ac")


async def test_air_conditioner_offers_the_modes_range_and_step_of_its_spec(
    hass: HomeAssistant, set_up_device: SetUpDevice
) -> None:
    """Off plus the spec's modes (no auto); 16..31 °C in 0.5 steps; fan levels; swing."""
    await set_up_device("living-room-ac")

    state = hass.states.get(LIVING_ROOM)
    assert state.attributes[ATTR_FRIENDLY_NAME] == "Living Room Air Conditioner"
    assert state.state == HVACMode.COOL
    assert state.attributes[ATTR_HVAC_MODES] == [
        HVACMode.OFF,
        HVACMode.COOL,
        HVACMode.DRY,
        HVACMode.FAN_ONLY,
        HVACMode.HEAT,
    ]
    assert (state.attributes[ATTR_MIN_TEMP], state.attributes[ATTR_MAX_TEMP]) == (16, 31)
    assert state.attributes[ATTR_TARGET_TEMP_STEP] == 0.5
    assert state.attributes[ATTR_FAN_MODES] == ["auto", *(f"level{n}" for n in range(1, 8))]
    assert state.attributes[ATTR_SWING_MODES] == ["off", "vertical"]
    assert state.attributes[ATTR_CURRENT_TEMPERATURE] == 28.5
    assert state.attributes[ATTR_TEMPERATURE] == 24


@pytest.mark.parametrize(
    ("hvac_mode", "mode_on_device"),
    [
        (HVACMode.HEAT, 5),
        (HVACMode.COOL, 2),
        (HVACMode.DRY, 3),
        (HVACMode.FAN_ONLY, 4),
    ],
)
async def test_choosing_a_mode_powers_on_in_that_mode(
    hass: HomeAssistant,
    sim: Simulator,
    set_up_device: SetUpDevice,
    hvac_mode: HVACMode,
    mode_on_device: int,
) -> None:
    """The bedroom unit is off: a mode turns it on and sets the mode in one go."""
    await set_up_device("bedroom-ac")
    assert hass.states.get(BEDROOM).state == HVACMode.OFF

    await call(hass, SERVICE_SET_HVAC_MODE, BEDROOM, **{ATTR_HVAC_MODE: hvac_mode})

    device = sim.devices["bedroom-ac"]
    assert device.get(*ON) is True
    assert device.get(*MODE) == mode_on_device
    assert hass.states.get(BEDROOM).state == hvac_mode


async def test_mode_off_powers_off_and_keeps_the_mode(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Off is the power switch, not a mode: cooling comes back on turn_on."""
    await set_up_device("living-room-ac")
    device = sim.devices["living-room-ac"]

    await call(hass, SERVICE_SET_HVAC_MODE, LIVING_ROOM, **{ATTR_HVAC_MODE: HVACMode.OFF})
    assert device.get(*ON) is False
    assert device.get(*MODE) == 2
    assert hass.states.get(LIVING_ROOM).state == HVACMode.OFF

    await call(hass, SERVICE_TURN_ON, LIVING_ROOM)
    assert device.get(*ON) is True
    assert hass.states.get(LIVING_ROOM).state == HVACMode.COOL

    await call(hass, SERVICE_TURN_OFF, LIVING_ROOM)
    assert device.get(*ON) is False


@pytest.mark.parametrize("temperature", [25.5, 16, 31])
async def test_target_temperature_is_set_on_the_spec_step(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice, temperature: float
) -> None:
    """Half degrees and both ends of the range reach the device."""
    await set_up_device("living-room-ac")

    await call(hass, SERVICE_SET_TEMPERATURE, LIVING_ROOM, **{ATTR_TEMPERATURE: temperature})

    assert sim.devices["living-room-ac"].get(*TARGET) == temperature
    assert hass.states.get(LIVING_ROOM).attributes[ATTR_TEMPERATURE] == temperature


async def test_temperature_with_a_mode_sets_both(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """set_temperature with an hvac_mode powers on in that mode at that temperature."""
    await set_up_device("bedroom-ac")

    await call(
        hass,
        SERVICE_SET_TEMPERATURE,
        BEDROOM,
        **{ATTR_TEMPERATURE: 20, ATTR_HVAC_MODE: HVACMode.HEAT},
    )

    device = sim.devices["bedroom-ac"]
    assert (device.get(*ON), device.get(*MODE), device.get(*TARGET)) == (True, 5, 20)
    state = hass.states.get(BEDROOM)
    assert (state.state, state.attributes[ATTR_TEMPERATURE]) == (HVACMode.HEAT, 20)


async def test_temperature_outside_the_spec_range_is_refused(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """40 °C is beyond 31: HA's own range check refuses it, nothing reaches the device."""
    await set_up_device("living-room-ac")

    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, SERVICE_SET_TEMPERATURE, LIVING_ROOM, **{ATTR_TEMPERATURE: 40})

    assert caught.value.translation_key == "temp_out_of_range"
    assert sim.devices["living-room-ac"].get(*TARGET) == 24


@pytest.mark.parametrize(("asked", "on_device"), [(24.3, 24.5), (24.2, 24.0), (25.74, 25.5)])
async def test_temperature_off_the_spec_step_is_sent_as_its_nearest_step(
    hass: HomeAssistant,
    sim: Simulator,
    set_up_device: SetUpDevice,
    asked: float,
    on_device: float,
) -> None:
    """A temperature within range but between the spec's half degrees: the nearest one."""
    await set_up_device("living-room-ac")

    await call(hass, SERVICE_SET_TEMPERATURE, LIVING_ROOM, **{ATTR_TEMPERATURE: asked})

    assert sim.devices["living-room-ac"].get(*TARGET) == on_device


@pytest.mark.parametrize("hvac_mode", [HVACMode.HEAT_COOL, HVACMode.AUTO])
async def test_a_mode_the_unit_lacks_is_refused_with_a_translated_error(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice, hvac_mode: HVACMode
) -> None:
    """set_temperature does not check its hvac_mode against the entity's: the entity does.

    The unit's mode list has no auto mode, so auto is refused like heat/cool.
    """
    await set_up_device("bedroom-ac")

    error = await translated_error(
        call(
            hass,
            SERVICE_SET_TEMPERATURE,
            BEDROOM,
            **{ATTR_TEMPERATURE: 20, ATTR_HVAC_MODE: hvac_mode},
        ),
        ServiceValidationError,
    )

    assert error.translation_key == "invalid_option"
    device = sim.devices["bedroom-ac"]
    assert (device.get(*ON), device.get(*TARGET)) == (False, 22)


@pytest.mark.parametrize(
    ("fan_mode", "level"), [("level7", 7), ("level1", 1), ("level4", 4), ("auto", 0)]
)
async def test_fan_mode_sets_the_fan_level(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice, fan_mode: str, level: int
) -> None:
    """Fan modes are the spec's fan levels by name."""
    await set_up_device("living-room-ac")
    sim.devices["living-room-ac"].set(*FAN_LEVEL, 2)

    await call(hass, SERVICE_SET_FAN_MODE, LIVING_ROOM, **{ATTR_FAN_MODE: fan_mode})

    assert sim.devices["living-room-ac"].get(*FAN_LEVEL) == level
    assert hass.states.get(LIVING_ROOM).attributes[ATTR_FAN_MODE] == fan_mode


async def test_swing_mode_turns_the_louvres_on_and_off(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The unit swings vertically only: vertical sets its swing property, off clears it."""
    await set_up_device("living-room-ac")
    device = sim.devices["living-room-ac"]

    await call(hass, SERVICE_SET_SWING_MODE, LIVING_ROOM, **{ATTR_SWING_MODE: "vertical"})
    assert device.get(*VERTICAL_SWING) is True
    assert hass.states.get(LIVING_ROOM).attributes[ATTR_SWING_MODE] == "vertical"

    await call(hass, SERVICE_SET_SWING_MODE, LIVING_ROOM, **{ATTR_SWING_MODE: "off"})
    assert device.get(*VERTICAL_SWING) is False
    assert hass.states.get(LIVING_ROOM).attributes[ATTR_SWING_MODE] == "off"


async def test_changes_on_the_remote_show_at_the_next_poll(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Mode, target, fan, swing and room temperature changed on the unit reach HA."""
    await set_up_device("living-room-ac")
    device = sim.devices["living-room-ac"]
    device.set(*MODE, 5)
    device.set(*TARGET, 27.5)
    device.set(*FAN_LEVEL, 2)
    device.set(*VERTICAL_SWING, True)
    device.set(*INDOOR_TEMPERATURE, 21.3)
    assert hass.states.get(LIVING_ROOM).state == HVACMode.COOL

    await next_poll(hass)

    state = hass.states.get(LIVING_ROOM)
    assert state.state == HVACMode.HEAT
    assert state.attributes[ATTR_TEMPERATURE] == 27.5
    assert state.attributes[ATTR_FAN_MODE] == "level2"
    assert state.attributes[ATTR_SWING_MODE] == "vertical"
    assert state.attributes[ATTR_CURRENT_TEMPERATURE] == 21.3


async def test_written_mode_shows_at_once_and_the_next_poll_confirms_the_device(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """A second change within seconds shows its written value until the next poll."""
    await set_up_device("living-room-ac")
    device = sim.devices["living-room-ac"]
    await call(hass, SERVICE_SET_TEMPERATURE, LIVING_ROOM, **{ATTR_TEMPERATURE: 23})

    await call(hass, SERVICE_SET_HVAC_MODE, LIVING_ROOM, **{ATTR_HVAC_MODE: HVACMode.DRY})
    assert device.get(*MODE) == 3
    device.set(*MODE, 2)
    assert hass.states.get(LIVING_ROOM).state == HVACMode.DRY

    await next_poll(hass)
    assert hass.states.get(LIVING_ROOM).state == HVACMode.COOL


async def test_a_target_the_unit_refuses_is_a_translated_device_error(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The unit answers an error code for its target temperature; the user sees the code."""
    await set_up_device("living-room-ac")
    device = sim.devices["living-room-ac"]
    await assert_a_refused_write_is_translated(
        device, "2.4", call(hass, SERVICE_SET_TEMPERATURE, LIVING_ROOM, **{ATTR_TEMPERATURE: 26})
    )
    assert device.get(*TARGET) == 24
