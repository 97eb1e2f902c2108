"""Sensors: read-only properties with their device classes, units and named states."""

from __future__ import annotations

from collections.abc import Iterator
from unittest.mock import patch

import pytest
from homeassistant.components.sensor import (
    ATTR_OPTIONS,
    ATTR_STATE_CLASS,
    SensorDeviceClass,
    SensorStateClass,
)
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    ATTR_FRIENDLY_NAME,
    ATTR_UNIT_OF_MEASUREMENT,
    PERCENTAGE,
    EntityCategory,
    Platform,
    UnitOfEnergy,
    UnitOfTemperature,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from harness.hass import SetUpDevice
from harness.platforms import (
    MatchSnapshots,
    humidifier_device,
    next_poll,
)
from simulator import Simulator

BATTERY = "sensor.front_door_lock_battery"
LOCK_STATUS = "sensor.front_door_lock_lock_status"
AC = "sensor.living_room_air_conditioner"
LOCK_STATUS_PROPERTY, BATTERY_LEVEL = (2, 5), (4, 1)
AC_ELECTRICITY = (8, 1)


@pytest.fixture(autouse=True)
def only_sensors() -> Iterator[None]:
    """Set up the sensor platform only."""
    with patch("custom_components.xiaomi_aiot.integration.PLATFORMS", [Platform.SENSOR]):
        yield


@pytest.mark.usefixtures("all_entities_enabled")
async def test_sensors_match_their_snapshots(devices_match_snapshots: MatchSnapshots) -> None:
    """The lock's status and battery; each air conditioner's temperature and electricity."""
    await devices_match_snapshots("front-door-lock", "living-room-ac", "bedroom-ac")


async def test_lock_sensors_are_named_and_classed(
    hass: HomeAssistant, set_up_device: SetUpDevice, entity_registry: er.EntityRegistry
) -> None:
    """Battery in %, a diagnostic; the lock's status an enumeration of translated states."""
    await set_up_device("front-door-lock")

    battery = hass.states.get(BATTERY)
    assert battery.state == "86"
    assert battery.attributes[ATTR_FRIENDLY_NAME] == "Front Door Lock Battery"
    assert battery.attributes[ATTR_DEVICE_CLASS] == SensorDeviceClass.BATTERY
    assert battery.attributes[ATTR_UNIT_OF_MEASUREMENT] == PERCENTAGE
    assert entity_registry.async_get(BATTERY).entity_category is EntityCategory.DIAGNOSTIC
    status = hass.states.get(LOCK_STATUS)
    assert status.state == "others"
    assert status.attributes[ATTR_FRIENDLY_NAME] == "Front Door Lock Lock status"
    assert status.attributes[ATTR_OPTIONS] == ["open", "others"]
    assert entity_registry.async_get(LOCK_STATUS).translation_key == "lock_status"


async def test_the_lock_emits_no_sensor_for_its_event_arguments(
    hass: HomeAssistant, set_up_device: SetUpDevice, entity_registry: er.EntityRegistry
) -> None:
    """Method, key id, alarms and times cannot be read (the events carry them): two sensors;
    the battery level, a low-battery event's argument too, keeps its sensor."""
    entry = await set_up_device("front-door-lock")

    entities = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    assert sorted(entity.entity_id for entity in entities) == [BATTERY, LOCK_STATUS]


@pytest.mark.parametrize(("value", "shown"), [(0, "open"), (255, "others")])
async def test_lock_status_changed_at_the_door_shows_at_the_next_poll(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice, value: int, shown: str
) -> None:
    """The status sensor's state is the spec value's name."""
    await set_up_device("front-door-lock")
    device = sim.devices["front-door-lock"]
    device.set(*LOCK_STATUS_PROPERTY, 0 if value else 255)
    await next_poll(hass)

    device.set(*LOCK_STATUS_PROPERTY, value)
    await next_poll(hass)

    assert hass.states.get(LOCK_STATUS).state == shown


async def test_battery_running_low_shows_at_the_next_poll(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """86 % yesterday, 15 % today."""
    await set_up_device("front-door-lock")

    sim.devices["front-door-lock"].set(*BATTERY_LEVEL, 15)
    await next_poll(hass)

    assert hass.states.get(BATTERY).state == "15"


async def test_air_conditioner_sensors_have_units_and_state_classes(
    hass: HomeAssistant,
    sim: Simulator,
    set_up_device: SetUpDevice,
    entity_registry: er.EntityRegistry,
) -> None:
    """Temperature in °C is a measurement; the unit's spec has no humidity or fault."""
    await set_up_device("living-room-ac")

    temperature = hass.states.get(f"{AC}_temperature")
    assert temperature.state == "28.5"
    assert temperature.attributes[ATTR_UNIT_OF_MEASUREMENT] == UnitOfTemperature.CELSIUS
    assert temperature.attributes[ATTR_STATE_CLASS] == SensorStateClass.MEASUREMENT
    for missing in ("humidity", "fault"):
        assert entity_registry.async_get(f"{AC}_{missing}") is None


async def test_electricity_counted_by_the_air_conditioner_shows_at_the_next_poll(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The vendor's electricity counter has no unit in the spec: kWh, for the energy dashboard."""
    await set_up_device("living-room-ac")

    sim.devices["living-room-ac"].set(*AC_ELECTRICITY, 12.34)
    await next_poll(hass)

    energy = hass.states.get(f"{AC}_energy")
    assert energy.state == "12.34"
    assert energy.attributes[ATTR_UNIT_OF_MEASUREMENT] == UnitOfEnergy.KILO_WATT_HOUR
    assert energy.attributes[ATTR_DEVICE_CLASS] == SensorDeviceClass.ENERGY
    assert energy.attributes[ATTR_STATE_CLASS] == SensorStateClass.TOTAL_INCREASING


async def test_a_shared_property_name_names_the_sensor_in_any_service(
    hass: HomeAssistant, entity_registry: er.EntityRegistry
) -> None:
    """A water level is named by the shared names table, whichever service it is in."""
    async with humidifier_device(hass, **{"water-level": 90}) as (device, entry):
        entities = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
        assert sorted(entity.entity_id for entity in entities) == [
            "sensor.bedroom_humidifier_humidity",
            "sensor.bedroom_humidifier_water_level",
        ]
        water = hass.states.get("sensor.bedroom_humidifier_water_level")
        assert water.state == "90"
        assert water.attributes[ATTR_FRIENDLY_NAME] == "Bedroom Humidifier Water level"
        assert ATTR_UNIT_OF_MEASUREMENT not in water.attributes
        # The table knows environment/relative-humidity: named by its device class.
        humidity = hass.states.get("sensor.bedroom_humidifier_humidity")
        assert humidity.attributes[ATTR_DEVICE_CLASS] == SensorDeviceClass.HUMIDITY

        device.set(2, 5, 12)
        await next_poll(hass)
        assert hass.states.get("sensor.bedroom_humidifier_water_level").state == "12"
