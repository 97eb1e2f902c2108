"""Lights: on/off, brightness, colour temperature, colour and modes, as each spec offers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.components.light import (
    ATTR_BRIGHTNESS,
    ATTR_BRIGHTNESS_STEP_PCT,
    ATTR_COLOR_MODE,
    ATTR_COLOR_TEMP_KELVIN,
    ATTR_EFFECT,
    ATTR_EFFECT_LIST,
    ATTR_MAX_COLOR_TEMP_KELVIN,
    ATTR_MIN_COLOR_TEMP_KELVIN,
    ATTR_RGB_COLOR,
    ATTR_SUPPORTED_COLOR_MODES,
    ColorMode,
)
from homeassistant.components.light import DOMAIN as LIGHT_DOMAIN
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_FRIENDLY_NAME,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util.color import value_to_brightness

from custom_components.xiaomi_aiot.const import DOMAIN
from harness.hass import SetUpDevice
from harness.platforms import (
    MatchSnapshots,
    assert_a_refused_write_is_translated,
    next_poll,
    translated_error,
)
from simulator import Simulator

CEILING = "light.living_room_ceiling_light"  # yeelink.light.color1: everything
BEDSIDE = "light.bedside_lamp"  # yeelink.light.ct2: brightness and colour temperature, off
DESK = "light.desk_lamp"  # yeelink.light.mono1: brightness only
ON, BRIGHTNESS, COLOR, COLOR_TEMPERATURE, MODE = ((2, piid) for piid in (1, 2, 3, 4, 5))


@pytest.fixture(autouse=True)
def only_lights() -> Iterator[None]:
    """Set up the light platform only."""
    with patch("custom_components.xiaomi_aiot.integration.PLATFORMS", [Platform.LIGHT]):
        yield


async def turn_on(hass: HomeAssistant, entity_id: str, **data: Any) -> None:
    """Call light.turn_on and wait for it."""
    await hass.services.async_call(
        LIGHT_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
    )


async def turn_off(hass: HomeAssistant, entity_id: str) -> None:
    """Call light.turn_off and wait for it."""
    await hass.services.async_call(
        LIGHT_DOMAIN, SERVICE_TURN_OFF, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )


async def test_lights_match_their_snapshots(devices_match_snapshots: MatchSnapshots) -> None:
    """One light per device, named after it, with the colour modes its model has."""
    await devices_match_snapshots("living-room-light", "bedroom-light", "study-lamp")


async def test_each_light_offers_what_its_model_can_do(
    hass: HomeAssistant, set_up_device: SetUpDevice
) -> None:
    """Colour modes, kelvin range and modes come from each model's spec."""
    for device in ("living-room-light", "bedroom-light", "study-lamp"):
        await set_up_device(device)

    ceiling = hass.states.get(CEILING)
    assert ceiling.attributes[ATTR_FRIENDLY_NAME] == "Living Room Ceiling Light"
    assert set(ceiling.attributes[ATTR_SUPPORTED_COLOR_MODES]) == {
        ColorMode.COLOR_TEMP,
        ColorMode.RGB,
    }
    assert ceiling.attributes[ATTR_MIN_COLOR_TEMP_KELVIN] == 1700
    assert ceiling.attributes[ATTR_MAX_COLOR_TEMP_KELVIN] == 6500
    assert ceiling.attributes[ATTR_EFFECT_LIST] == ["color", "day"]
    bedside = hass.states.get(BEDSIDE)
    assert bedside.state == STATE_OFF
    assert bedside.attributes[ATTR_SUPPORTED_COLOR_MODES] == [ColorMode.COLOR_TEMP]
    assert bedside.attributes[ATTR_MIN_COLOR_TEMP_KELVIN] == 2700
    desk = hass.states.get(DESK)
    assert desk.attributes[ATTR_SUPPORTED_COLOR_MODES] == [ColorMode.BRIGHTNESS]
    assert ATTR_EFFECT_LIST not in desk.attributes


async def test_light_turns_off_and_back_on(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Off and on reach the device; turning on alone keeps its brightness."""
    await set_up_device("living-room-light")
    device = sim.devices["living-room-light"]

    await turn_off(hass, CEILING)
    assert device.get(*ON) is False
    assert hass.states.get(CEILING).state == STATE_OFF

    await turn_on(hass, CEILING)
    assert device.get(*ON) is True
    assert device.get(*BRIGHTNESS) == 80
    assert hass.states.get(CEILING).state == STATE_ON


@pytest.mark.parametrize(
    ("brightness", "on_device"),
    [(255, 100), (128, 50), (26, 10), (3, 1), (1, 1)],
)
async def test_light_brightness_goes_from_0_255_to_the_spec_range(
    hass: HomeAssistant,
    sim: Simulator,
    set_up_device: SetUpDevice,
    brightness: int,
    on_device: int,
) -> None:
    """HA's 1..255 scale maps onto the spec's 1..100; the lowest HA values stay at least 1."""
    await set_up_device("study-lamp")

    await turn_on(hass, DESK, **{ATTR_BRIGHTNESS: brightness})

    assert sim.devices["study-lamp"].get(*BRIGHTNESS) == on_device
    shown = hass.states.get(DESK).attributes[ATTR_BRIGHTNESS]
    assert shown == value_to_brightness((1, 100), on_device)


async def test_light_dims_when_asked_to_go_darker(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """A relative step down from 80 % lands lower on the device, and the light stays on."""
    await set_up_device("living-room-light")

    await turn_on(hass, CEILING, **{ATTR_BRIGHTNESS_STEP_PCT: -50})

    device = sim.devices["living-room-light"]
    assert device.get(*BRIGHTNESS) == 30
    assert device.get(*ON) is True
    assert hass.states.get(CEILING).attributes[ATTR_BRIGHTNESS] == value_to_brightness((1, 100), 30)


async def test_brightness_set_on_the_device_shows_on_the_0_255_scale_at_the_next_poll(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """A dimmer turned by hand to 1 % shows as brightness 3 once polled."""
    await set_up_device("living-room-light")
    assert hass.states.get(CEILING).attributes[ATTR_BRIGHTNESS] == 204  # 80 %

    sim.devices["living-room-light"].set(*BRIGHTNESS, 1)
    assert hass.states.get(CEILING).attributes[ATTR_BRIGHTNESS] == 204
    await next_poll(hass)

    assert hass.states.get(CEILING).attributes[ATTR_BRIGHTNESS] == 3


@pytest.mark.parametrize(
    ("entity_id", "device_id", "kelvin", "on_device"),
    [
        (CEILING, "living-room-light", 3000, 3000),
        (CEILING, "living-room-light", 1700, 1700),
        (CEILING, "living-room-light", 9000, 6500),
        (BEDSIDE, "bedroom-light", 2000, 2700),
        (BEDSIDE, "bedroom-light", 6500, 6500),
    ],
)
async def test_colour_temperature_is_set_in_kelvin_within_the_spec_range(
    hass: HomeAssistant,
    sim: Simulator,
    set_up_device: SetUpDevice,
    *,
    entity_id: str,
    device_id: str,
    kelvin: int,
    on_device: int,
) -> None:
    """Kelvin goes to the device as is, kept within the model's own range."""
    await set_up_device(device_id)

    await turn_on(hass, entity_id, **{ATTR_COLOR_TEMP_KELVIN: kelvin})

    device = sim.devices[device_id]
    assert device.get(*device.resolve("color-temperature").key) == on_device
    assert device.get(*ON) is True
    state = hass.states.get(entity_id)
    assert state.attributes[ATTR_COLOR_MODE] == ColorMode.COLOR_TEMP
    assert state.attributes[ATTR_COLOR_TEMP_KELVIN] == on_device


async def test_rgb_colour_goes_to_the_device_as_one_rgb_integer(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Orange is 0xFF8000 on the device, and the light is then in colour mode."""
    await set_up_device("living-room-light")

    await turn_on(hass, CEILING, **{ATTR_RGB_COLOR: (255, 128, 0)})

    assert sim.devices["living-room-light"].get(*COLOR) == 0xFF8000
    state = hass.states.get(CEILING)
    assert state.attributes[ATTR_COLOR_MODE] == ColorMode.RGB
    assert state.attributes[ATTR_RGB_COLOR] == (255, 128, 0)


async def test_colour_changed_on_the_device_shows_at_the_next_poll(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """A colour set from the phone app reaches HA with the next poll."""
    await set_up_device("living-room-light")
    await turn_on(hass, CEILING, **{ATTR_RGB_COLOR: (255, 0, 0)})

    sim.devices["living-room-light"].set(*COLOR, 0x0000FF)
    await next_poll(hass)

    assert hass.states.get(CEILING).attributes[ATTR_RGB_COLOR] == (0, 0, 255)


async def test_effect_chooses_the_light_mode(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The effect list is the spec's modes; choosing "color" writes its value."""
    await set_up_device("living-room-light")

    await turn_on(hass, CEILING, **{ATTR_EFFECT: "color"})

    assert sim.devices["living-room-light"].get(*MODE) == 1
    assert hass.states.get(CEILING).attributes[ATTR_EFFECT] == "color"


async def test_an_effect_the_light_lacks_is_refused_with_a_translated_error(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """An unknown effect is not silently dropped: nothing is written and the user is told."""
    await set_up_device("living-room-light")
    device = sim.devices["living-room-light"]
    await turn_off(hass, CEILING)

    error = await translated_error(
        turn_on(hass, CEILING, **{ATTR_EFFECT: "disco"}), ServiceValidationError
    )

    assert error.translation_key == "invalid_option"
    assert "disco" in str(error)
    assert "color" in str(error)
    assert device.get(*ON) is False
    assert device.get(*MODE) == 2


async def test_written_state_shows_at_once_and_the_next_poll_confirms_the_device(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """A write shows before any poll; the poll after it shows what the device really has.

    The first write is followed by a poll at once; a second one within seconds waits for
    the next poll, so what it shows in between is the written (optimistic) value.
    """
    await set_up_device("living-room-light")
    device = sim.devices["living-room-light"]
    await turn_on(hass, CEILING, **{ATTR_BRIGHTNESS: 128})
    assert device.get(*BRIGHTNESS) == 50

    await turn_on(hass, CEILING, **{ATTR_BRIGHTNESS: 255})
    assert device.get(*BRIGHTNESS) == 100
    device.set(*BRIGHTNESS, 10)  # changed by hand before HA polls again
    assert hass.states.get(CEILING).attributes[ATTR_BRIGHTNESS] == 255

    await next_poll(hass)
    assert hass.states.get(CEILING).attributes[ATTR_BRIGHTNESS] == value_to_brightness((1, 100), 10)


async def test_a_change_made_on_the_device_shows_at_the_next_poll(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Turned off at the wall switch app: HA shows it off after its next poll."""
    await set_up_device("living-room-light")

    sim.devices["living-room-light"].set(*ON, False)
    assert hass.states.get(CEILING).state == STATE_ON
    await next_poll(hass)

    assert hass.states.get(CEILING).state == STATE_OFF


async def test_a_write_the_device_refuses_is_a_translated_device_error(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The device answers an error code for brightness: the user sees the code."""
    await set_up_device("living-room-light")
    device = sim.devices["living-room-light"]
    await assert_a_refused_write_is_translated(
        device, "2.2", turn_on(hass, CEILING, **{ATTR_BRIGHTNESS: 26})
    )
    assert device.get(*BRIGHTNESS) == 80


async def test_an_offline_light_cannot_be_switched(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """A device that does not answer gives the translated connection error."""
    await set_up_device("study-lamp")
    device = sim.devices["study-lamp"]
    device.apply_faults({"offline": True})

    error = await translated_error(turn_off(hass, DESK))

    assert error.translation_key == "cannot_connect"
    assert device.get(*ON) is True


async def test_a_light_reset_with_a_new_token_asks_for_it_when_used(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The device refuses the old token: the call fails with a translated error, and HA
    starts a reauthentication flow so the user can enter the new one."""
    await set_up_device("study-lamp")
    device = sim.devices["study-lamp"]
    device.apply_faults({"token": "ab" * 16})

    error = await translated_error(turn_off(hass, DESK))

    assert error.translation_key == "invalid_token"
    assert device.get(*ON) is True
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
