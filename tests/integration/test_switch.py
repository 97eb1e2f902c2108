"""Switches: writable booleans such as the air conditioner's eco mode and its beep."""

from __future__ import annotations

from collections.abc import Iterator
from unittest.mock import patch

import pytest
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_FRIENDLY_NAME,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    EntityCategory,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from harness.hass import SetUpDevice
from harness.platforms import (
    MatchSnapshots,
    assert_a_refused_write_is_translated,
    humidifier_device,
    next_poll,
)
from simulator import Simulator

ECO = "switch.living_room_air_conditioner_eco"
AC = "switch.living_room_air_conditioner"
ECO_PROPERTY = (2, 7)


@pytest.fixture(autouse=True)
def only_switches() -> Iterator[None]:
    """Set up the switch platform only."""
    with patch("custom_components.xiaomi_aiot.integration.PLATFORMS", [Platform.SWITCH]):
        yield


async def call(hass: HomeAssistant, service: str, entity_id: str) -> None:
    """Call a switch service and wait for it."""
    await hass.services.async_call(
        SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )


@pytest.mark.usefixtures("all_entities_enabled")
async def test_switches_match_their_snapshots(devices_match_snapshots: MatchSnapshots) -> None:
    """Every writable boolean of both air conditioners, each with a translated name."""
    await devices_match_snapshots("living-room-ac", "bedroom-ac")


async def test_niche_switches_are_disabled_and_settings_are_configuration(
    hass: HomeAssistant, set_up_device: SetUpDevice, entity_registry: er.EntityRegistry
) -> None:
    """Beep and indicator light start disabled, as configuration; the unit has no child lock."""
    await set_up_device("living-room-ac")

    for name in ("beep", "indicator_light"):
        entity = entity_registry.async_get(f"{AC}_{name}")
        assert entity.disabled_by is er.RegistryEntryDisabler.INTEGRATION
        assert entity.entity_category is EntityCategory.CONFIG
        assert hass.states.get(f"{AC}_{name}") is None
    assert entity_registry.async_get(f"{AC}_child_lock") is None
    eco = entity_registry.async_get(ECO)
    assert (eco.disabled_by, eco.entity_category) == (None, None)


async def test_eco_switch_has_its_translated_name(
    hass: HomeAssistant, set_up_device: SetUpDevice
) -> None:
    """The UI shows "Living Room Air Conditioner Eco"; the heater is the auxiliary heater."""
    await set_up_device("living-room-ac")

    assert hass.states.get(ECO).attributes[ATTR_FRIENDLY_NAME] == "Living Room Air Conditioner Eco"
    heater = hass.states.get(f"{AC}_auxiliary_heater")
    assert heater.attributes[ATTR_FRIENDLY_NAME] == "Living Room Air Conditioner Auxiliary heater"


async def test_eco_turns_on_and_off(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The switch writes the eco property."""
    await set_up_device("living-room-ac")
    device = sim.devices["living-room-ac"]

    await call(hass, SERVICE_TURN_ON, ECO)
    assert device.get(*ECO_PROPERTY) is True
    assert hass.states.get(ECO).state == STATE_ON

    await call(hass, SERVICE_TURN_OFF, ECO)
    assert device.get(*ECO_PROPERTY) is False
    assert hass.states.get(ECO).state == STATE_OFF


@pytest.mark.usefixtures("all_entities_enabled")
async def test_beep_turns_on(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Another service's switch (the alarm service's beep) writes its own property."""
    await set_up_device("living-room-ac")

    await call(hass, SERVICE_TURN_ON, f"{AC}_beep")

    assert sim.devices["living-room-ac"].get(5, 1) is True


async def test_eco_shows_at_once_and_the_next_poll_confirms_the_device(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """A second switch within seconds shows on before the poll; the poll shows the device."""
    await set_up_device("living-room-ac")
    device = sim.devices["living-room-ac"]
    await call(hass, SERVICE_TURN_ON, f"{AC}_sleep_mode")

    await call(hass, SERVICE_TURN_ON, ECO)
    assert device.get(*ECO_PROPERTY) is True
    device.set(*ECO_PROPERTY, False)  # turned off on the remote before HA polls again
    assert hass.states.get(ECO).state == STATE_ON

    await next_poll(hass)
    assert hass.states.get(ECO).state == STATE_OFF


async def test_eco_changed_on_the_remote_shows_at_the_next_poll(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Eco pressed on the remote reaches HA with the next poll."""
    await set_up_device("living-room-ac")

    sim.devices["living-room-ac"].set(*ECO_PROPERTY, True)
    await next_poll(hass)

    assert hass.states.get(ECO).state == STATE_ON


async def test_a_switch_the_device_refuses_is_a_translated_device_error(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The unit answers an error code for eco: the switch stays off and the user sees why."""
    await set_up_device("living-room-ac")
    device = sim.devices["living-room-ac"]
    await assert_a_refused_write_is_translated(device, "2.7", call(hass, SERVICE_TURN_ON, ECO))
    assert device.get(*ECO_PROPERTY) is False
    await next_poll(hass)
    assert hass.states.get(ECO).state == STATE_OFF


async def test_a_services_on_property_is_a_power_switch(
    hass: HomeAssistant, entity_registry: er.EntityRegistry
) -> None:
    """A boolean "on" of any service is a switch named by the shared names table: Power."""
    async with humidifier_device(hass) as (device, entry):
        entities = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
        assert [entity.entity_id for entity in entities] == ["switch.bedroom_humidifier_power"]
        await call(hass, SERVICE_TURN_ON, "switch.bedroom_humidifier_power")
        assert device.get(2, 1) is True
