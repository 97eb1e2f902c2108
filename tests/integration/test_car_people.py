"""The car, a phone and a watch through a real account entry, against the simulator's cloud."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from homeassistant.components.button import SERVICE_PRESS
from homeassistant.components.climate import (
    ATTR_HVAC_MODE,
    SERVICE_SET_HVAC_MODE,
    SERVICE_SET_TEMPERATURE,
    HVACMode,
)
from homeassistant.components.lock import LockState
from homeassistant.components.number import ATTR_VALUE, SERVICE_SET_VALUE
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_FRIENDLY_NAME,
    ATTR_GPS_ACCURACY,
    ATTR_LATITUDE,
    ATTR_LONGITUDE,
    ATTR_TEMPERATURE,
    ATTR_UNIT_OF_MEASUREMENT,
    SERVICE_LOCK,
    SERVICE_UNLOCK,
    STATE_HOME,
    STATE_NOT_HOME,
    STATE_ON,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.xiaomi_aiot.miot.geo import distance, gcj02_to_wgs84
from harness.hass import device_of, sign_in
from simulator import Simulator
from simulator.cloud import CloudServer

CAR, PHONE, WATCH = "su7", "bob-phone", "alice-watch"
BOB_GCJ02 = (39.983424, 116.322987)
"""Where the demo home puts Bob's phone (Zhongguancun), in GCJ-02."""


def device_entities(hass: HomeAssistant, sim: Simulator, device_id: str) -> list[er.RegistryEntry]:
    """The entities of one simulated device, by entity id."""
    device = device_of(hass, sim.devices[device_id].did)
    assert device is not None
    entries = er.async_entries_for_device(er.async_get(hass), device.id)
    return sorted(entries, key=lambda entry: entry.entity_id)


async def call(hass: HomeAssistant, domain: str, service: str, entity_id: str, **data: Any) -> None:
    """Call a service on one entity and wait for it."""
    await hass.services.async_call(
        domain, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
    )


def actions(cloud: CloudServer, device_id: str) -> Iterable[str]:
    """The names of the actions the cloud ran on a device."""
    return [entry.get("name", "?") for entry in cloud.actions if entry["id"] == device_id]


@pytest.mark.usefixtures("all_entities_enabled")
@pytest.mark.parametrize("device_id", [CAR, PHONE, WATCH])
async def test_car_and_people_entities_match_their_snapshots(
    hass: HomeAssistant,
    sim: Simulator,
    account: MockConfigEntry,
    versioned_snapshot: SnapshotAssertion,
    device_id: str,
) -> None:
    """Every entity of the car, Bob's phone and Alice's watch: registry entry and state."""
    extended = versioned_snapshot
    entries = device_entities(hass, sim, device_id)
    assert entries
    for entry in entries:
        assert entry == extended(name=f"{entry.entity_id}-entry")
        state = hass.states.get(entry.entity_id)
        assert state is not None, entry.entity_id
        assert state == extended(name=f"{entry.entity_id}-state")


async def test_the_car_shows_what_its_owner_looks_at(
    hass: HomeAssistant, account: MockConfigEntry
) -> None:
    """Battery, range and plug in plain view, named in the user's words."""
    battery = hass.states.get("sensor.xiaomi_su7_battery")
    assert battery is not None
    assert battery.state == "72"
    driving_range = hass.states.get("sensor.xiaomi_su7_range")
    assert driving_range is not None
    assert (driving_range.state, driving_range.attributes[ATTR_UNIT_OF_MEASUREMENT]) == (
        "498",
        "km",
    )
    assert hass.states.get("binary_sensor.xiaomi_su7_charging_plug").state == STATE_ON  # type: ignore[union-attr]
    assert hass.states.get("sensor.xiaomi_su7_charging_state").state == "not_charging"  # type: ignore[union-attr]
    assert hass.states.get("sensor.xiaomi_su7_heading") is None  # disabled by default
    lock = hass.states.get("lock.xiaomi_su7_door_lock")
    assert lock is not None
    assert lock.state == LockState.LOCKED
    assert lock.attributes[ATTR_FRIENDLY_NAME] == "Xiaomi SU7 Door lock"


async def test_the_car_is_located_in_wgs84(
    hass: HomeAssistant, sim: Simulator, account: MockConfigEntry
) -> None:
    """The car reports GCJ-02; its tracker is where the same spot is on a WGS-84 map."""
    car = sim.devices[CAR]
    reported = (car.get(9, 1), car.get(9, 2))
    state = hass.states.get("device_tracker.xiaomi_su7_location")
    assert state is not None
    position = (state.attributes[ATTR_LATITUDE], state.attributes[ATTR_LONGITUDE])
    assert distance(*position, *gcj02_to_wgs84(*reported)) < 0.2
    assert distance(*position, *reported) > 100
    assert state.attributes[ATTR_GPS_ACCURACY] == 0
    assert state.attributes["source_type"] == "gps"


@pytest.mark.parametrize(
    ("home", "expected"),
    [(gcj02_to_wgs84(*BOB_GCJ02), STATE_HOME), (BOB_GCJ02, STATE_NOT_HOME)],
    ids=["home-in-wgs84", "home-at-the-raw-gcj02-point"],
)
async def test_a_phone_is_home_when_its_converted_position_is_in_the_home_zone(
    hass: HomeAssistant, cloud: CloudServer, home: tuple[float, float], expected: str
) -> None:
    """Home and away come from Home Assistant's zones, which are WGS-84."""
    hass.config.latitude, hass.config.longitude = home
    assert await async_setup_component(hass, "zone", {})
    await hass.async_block_till_done()
    await sign_in(hass, cloud)
    state = hass.states.get("device_tracker.bob_s_phone_location")
    assert state is not None
    assert state.state == expected
    assert state.attributes[ATTR_GPS_ACCURACY] == 15


async def test_the_cabin_climate_turns_on_and_off_and_takes_a_target(
    hass: HomeAssistant, sim: Simulator, account: MockConfigEntry
) -> None:
    """Off and heat/cool are the cabin climate's on and off."""
    car = sim.devices[CAR]
    climate = "climate.xiaomi_su7_cabin_climate"
    state = hass.states.get(climate)
    assert state is not None
    assert state.state == HVACMode.OFF
    assert state.attributes["hvac_modes"] == [HVACMode.OFF, HVACMode.HEAT_COOL]
    assert state.attributes["current_temperature"] == 24
    await call(hass, "climate", SERVICE_SET_HVAC_MODE, climate, **{ATTR_HVAC_MODE: "heat_cool"})
    assert car.get(7, 1) is True
    assert hass.states.get(climate).state == HVACMode.HEAT_COOL  # type: ignore[union-attr]
    await call(hass, "climate", SERVICE_SET_TEMPERATURE, climate, **{ATTR_TEMPERATURE: 20.5})
    assert car.get(7, 2) == 20.5
    await call(hass, "climate", SERVICE_SET_HVAC_MODE, climate, **{ATTR_HVAC_MODE: "off"})
    assert car.get(7, 1) is False
    assert hass.states.get(climate).state == HVACMode.OFF  # type: ignore[union-attr]


async def test_the_car_unlocks_and_locks_through_the_cloud(
    hass: HomeAssistant, sim: Simulator, cloud: CloudServer, account: MockConfigEntry
) -> None:
    """The car's lock runs its lock service's actions."""
    lock = "lock.xiaomi_su7_door_lock"
    await call(hass, "lock", SERVICE_UNLOCK, lock)
    assert hass.states.get(lock).state == LockState.UNLOCKED  # type: ignore[union-attr]
    await call(hass, "lock", SERVICE_LOCK, lock)
    assert hass.states.get(lock).state == LockState.LOCKED  # type: ignore[union-attr]
    assert list(actions(cloud, CAR)) == ["unlock", "lock"]


async def test_buttons_flash_the_lights_find_the_car_and_ring_the_phone(
    hass: HomeAssistant, cloud: CloudServer, account: MockConfigEntry
) -> None:
    """Each button runs its action once."""
    await call(hass, "button", SERVICE_PRESS, "button.xiaomi_su7_flash_lights")
    await call(hass, "button", SERVICE_PRESS, "button.xiaomi_su7_find_car")
    await call(hass, "button", SERVICE_PRESS, "button.bob_s_phone_ring_phone")
    assert list(actions(cloud, CAR)) == ["flash-lights", "find-car"]
    assert list(actions(cloud, PHONE)) == ["ring-phone"]


async def test_the_charge_limit_is_set_in_percent(
    hass: HomeAssistant, sim: Simulator, account: MockConfigEntry
) -> None:
    """A normal control, from 50 to 100 %."""
    number = "number.xiaomi_su7_charge_limit"
    state = hass.states.get(number)
    assert state is not None
    assert (state.state, state.attributes["min"], state.attributes["max"]) == ("90", 50, 100)
    await call(hass, "number", SERVICE_SET_VALUE, number, **{ATTR_VALUE: 80})
    assert sim.devices[CAR].get(4, 4) == 80


async def test_the_watch_shows_steps_heart_rate_and_whether_it_is_worn(
    hass: HomeAssistant, account: MockConfigEntry
) -> None:
    """Steps count in steps, the heart in beats per minute."""
    steps = hass.states.get("sensor.alice_s_watch_steps")
    assert steps is not None
    assert (steps.state, steps.attributes[ATTR_UNIT_OF_MEASUREMENT]) == ("6200", "steps")
    heart = hass.states.get("sensor.alice_s_watch_heart_rate")
    assert heart is not None
    assert (heart.state, heart.attributes[ATTR_UNIT_OF_MEASUREMENT]) == ("72", "bpm")
    assert hass.states.get("binary_sensor.alice_s_watch_wearing").state == STATE_ON  # type: ignore[union-attr]
    assert hass.states.get("sensor.alice_s_watch_blood_oxygen").state == "98"  # type: ignore[union-attr]
    assert hass.states.get("sensor.alice_s_watch_sleep_duration").state == "430"  # type: ignore[union-attr]
