"""What the car's, a phone's and a watch's specs become: the plan, and the entities' conversions."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.components.climate import HVACMode
from homeassistant.const import EntityCategory, Platform

from custom_components.xiaomi_aiot.climate import XiaomiClimate
from custom_components.xiaomi_aiot.device_tracker import XiaomiTracker, wgs84_position
from custom_components.xiaomi_aiot.entity import XiaomiRoleEntity
from custom_components.xiaomi_aiot.mapping import (
    UNITS,
    Datum,
    DevicePlan,
    PropertyItem,
    plan_device,
)
from custom_components.xiaomi_aiot.miot import load_bundled_spec
from custom_components.xiaomi_aiot.miot.geo import distance, wgs84_to_gcj02
from harness.mapping import fake_coordinator, role

CAR = "xiaomi.vehicle.su7"
PHONE = "xiaomi.phone.p1"
WATCH = "xiaomi.watch.w1"

# Tiananmen, WGS-84, and where a GCJ-02 source puts it: a few hundred metres off.
TIANANMEN = (39.907500, 116.391400)


def plan_of(model: str) -> DevicePlan:
    """The entity plan of a bundled model."""
    return plan_device(load_bundled_spec(model))


def by_name(plan: DevicePlan) -> dict[str, PropertyItem]:
    """A plan's generic entities by their spec property names."""
    return {item.prop.name: item for item in plan.properties}


def shown_as(item: PropertyItem) -> tuple[Platform, str | None, str | None, str | None, str | None]:
    """How a generic entity shows its property: platform, name key, classes and unit."""
    traits = item.traits
    unit = UNITS.get(item.prop.unit or "")
    return item.platform, traits.translation_key, traits.device_class, traits.state_class, unit


def role_entity[T: XiaomiRoleEntity](
    cls: type[T], model: str, platform: Platform, **values: Any
) -> T:
    """A role entity of a bundled model whose role properties have the given values."""
    spec = load_bundled_spec(model)
    item = role(plan_device(spec), platform)
    keyed = {item.properties[name.replace("_", "-")].key: v for name, v in values.items()}
    return cls(fake_coordinator(spec, keyed), item)


def written(entity: XiaomiClimate) -> list[dict[tuple[int, int], Any]]:
    """Every write an entity asked its coordinator for."""
    return [call.args[0] for call in entity.coordinator.async_write.call_args_list]


# --- the car --------------------------------------------------------------------------------


def test_car_lock_cabin_climate_and_location_are_named_parts_of_the_car() -> None:
    """The car is not a lock: its lock, climate and tracker are named, not the car's name."""
    plan = plan_of(CAR)
    roles = {item.role.platform: item for item in plan.roles}
    assert set(roles) == {Platform.LOCK, Platform.CLIMATE, Platform.DEVICE_TRACKER}
    assert {item.role.translation_key for item in plan.roles} == {
        "lock",
        "cabin_climate",
        "location",
    }
    assert not any(item.main for item in plan.roles)
    assert set(roles[Platform.LOCK].actions) == {"lock", "unlock"}
    assert set(roles[Platform.CLIMATE].properties) == {"on", "target-temperature"}
    assert set(roles[Platform.DEVICE_TRACKER].properties) == {"latitude", "longitude"}


def test_a_home_tv_and_an_air_conditioner_still_carry_their_device_name() -> None:
    """Where the service is what the device is, the role entity is the device.

    The home lock has no role entity: it cannot lock or unlock (its status is a sensor).
    """
    assert role(plan_of("xiaomi.tv.v1"), Platform.MEDIA_PLAYER).main
    assert role(plan_of("xiaomi.aircondition.mc4"), Platform.CLIMATE).main
    assert plan_of("loock.lock.v6").role_items(Platform.LOCK) == []


def test_car_position_is_only_the_tracker_not_sensors() -> None:
    """Latitude and longitude make the tracker; heading and speed stay sensors."""
    items = by_name(plan_of(CAR))
    assert "latitude" not in items
    assert "longitude" not in items
    heading, speed = items["heading"], items["speed"]
    assert (heading.platform, heading.traits.translation_key) == (Platform.SENSOR, "heading")
    assert heading.traits.category == EntityCategory.DIAGNOSTIC
    assert not heading.traits.enabled
    assert heading.traits.state_class is None
    assert UNITS[heading.prop.unit or ""] == "°"
    assert speed.traits.device_class == "speed"
    assert speed.traits.category == EntityCategory.DIAGNOSTIC
    assert UNITS[speed.prop.unit or ""] == "km/h"


CAR_ENTITIES = {
    "battery-level": (Platform.SENSOR, None, "battery", "measurement", "%"),
    "driving-range": (Platform.SENSOR, "driving_range", "distance", "measurement", "km"),
    "odometer": (Platform.SENSOR, "odometer", "distance", "total_increasing", "km"),
    "charging-state": (Platform.SENSOR, "charging_state", "enum", None, None),
    "charging-power": (Platform.SENSOR, "charging_power", "power", "measurement", "kW"),
    "time-to-full": (Platform.SENSOR, "time_to_full", "duration", None, "min"),
    "charge-limit": (Platform.NUMBER, "charge_limit", "battery", None, "%"),
    "plug-connected": (Platform.BINARY_SENSOR, "charging_plug", "plug", None, None),
    "front-left-door-open": (Platform.BINARY_SENSOR, "front_left_door", "door", None, None),
    "front-right-door-open": (Platform.BINARY_SENSOR, "front_right_door", "door", None, None),
    "rear-left-door-open": (Platform.BINARY_SENSOR, "rear_left_door", "door", None, None),
    "rear-right-door-open": (Platform.BINARY_SENSOR, "rear_right_door", "door", None, None),
    "trunk-open": (Platform.BINARY_SENSOR, "trunk", "opening", None, None),
    "windows-open": (Platform.BINARY_SENSOR, "windows", "window", None, None),
    "temperature": (Platform.SENSOR, "cabin_temperature", "temperature", "measurement", "°C"),
    "front-left-pressure": (
        Platform.SENSOR,
        "front_left_tire_pressure",
        "pressure",
        "measurement",
        "kPa",
    ),
    "rear-right-pressure": (
        Platform.SENSOR,
        "rear_right_tire_pressure",
        "pressure",
        "measurement",
        "kPa",
    ),
}


@pytest.mark.parametrize(("name", "expected"), CAR_ENTITIES.items())
def test_car_property_becomes_the_entity_its_owner_expects(
    name: str, expected: tuple[Platform, str | None, str | None, str | None, str | None]
) -> None:
    """Each of the car's readings has its platform, name, classes and unit, in plain view."""
    item = by_name(plan_of(CAR))[name]
    assert shown_as(item) == expected
    assert item.traits.category is None
    assert item.traits.enabled


def test_car_buttons_flash_the_lights_and_find_the_car() -> None:
    """The vehicle service's actions are buttons; lock and unlock belong to the lock."""
    buttons = {item.action.name: item.traits.translation_key for item in plan_of(CAR).buttons}
    assert buttons == {"flash-lights": "flash_lights", "find-car": "find_car"}


def test_every_car_property_is_shown_once() -> None:
    """No reading is lost, none is shown twice."""
    plan = plan_of(CAR)
    spec = load_bundled_spec(CAR)
    shown = [item.prop.key for item in plan.properties] + [
        prop.key for item in plan.roles for prop in item.properties.values()
    ]
    expected = [p.key for p in spec.properties() if p.service != "device-information"]
    assert sorted(shown) == sorted(expected)


async def test_cabin_climate_without_a_mode_list_is_off_or_heat_cool() -> None:
    """On/off is the HVAC mode; heat/cool turns it on, off turns it off."""
    climate = role_entity(XiaomiClimate, CAR, Platform.CLIMATE, on=True, target_temperature=22.0)
    assert climate.hvac_modes == [HVACMode.OFF, HVACMode.HEAT_COOL]
    assert climate.hvac_mode == HVACMode.HEAT_COOL
    assert (climate.min_temp, climate.max_temp, climate.target_temperature_step) == (16, 32, 0.5)
    assert climate.target_temperature == 22.0
    values = climate.coordinator.values
    values[(7, 3)] = 24.5
    assert climate.current_temperature == 24.5

    await climate.async_set_hvac_mode(HVACMode.OFF)
    await climate.async_set_hvac_mode(HVACMode.HEAT_COOL)
    await climate.async_set_temperature(temperature=20, hvac_mode=HVACMode.HEAT_COOL)
    assert written(climate) == [
        {(7, 1): False},
        {(7, 1): True},
        {(7, 1): True, (7, 2): 20.0},
    ]
    values[(7, 1)] = False
    assert climate.hvac_mode == HVACMode.OFF
    values[(7, 1)] = None
    assert climate.hvac_mode is None


# --- positions ------------------------------------------------------------------------------


def test_a_gcj02_position_is_shown_in_wgs84() -> None:
    """Zones and maps are WGS-84: the offset is undone, to the micro-degree the device reports."""
    reported = wgs84_to_gcj02(*TIANANMEN)
    assert distance(*reported, *TIANANMEN) > 100
    position = wgs84_position(*reported, Datum.GCJ02)
    assert position is not None
    assert distance(*position, *TIANANMEN) < 0.2


def test_a_wgs84_position_is_shown_as_it_is() -> None:
    """Only the datums table's device types are converted."""
    assert wgs84_position(39.9, 116.4, Datum.WGS84) == (39.9, 116.4)


def test_a_position_is_no_more_precise_than_a_device_reports() -> None:
    """A micro-degree: the spec's step, about a tenth of a metre."""
    assert wgs84_position(39.90000012, 116.39999987, Datum.WGS84) == (39.9, 116.4)


@pytest.mark.parametrize(("latitude", "longitude"), [(None, 116.4), (39.9, None), (None, None)])
def test_a_position_with_a_coordinate_missing_is_unknown(
    latitude: float | None, longitude: float | None
) -> None:
    """Half a position is no position."""
    assert wgs84_position(latitude, longitude, Datum.GCJ02) is None


def test_car_tracker_shows_the_car_in_wgs84_by_gps() -> None:
    """The car reports GCJ-02; the tracker converts it; the car reports no accuracy."""
    latitude, longitude = wgs84_to_gcj02(*TIANANMEN)
    tracker = role_entity(
        XiaomiTracker, CAR, Platform.DEVICE_TRACKER, latitude=latitude, longitude=longitude
    )
    assert tracker.source_type == "gps"
    assert tracker.latitude is not None
    assert tracker.longitude is not None
    assert distance(tracker.latitude, tracker.longitude, *TIANANMEN) < 0.2
    assert tracker.location_accuracy == 0


def test_phone_tracker_takes_its_accuracy_from_the_spec() -> None:
    """The phone's accuracy property is the tracker's GPS accuracy, in metres."""
    latitude, longitude = wgs84_to_gcj02(*TIANANMEN)
    tracker = role_entity(
        XiaomiTracker,
        PHONE,
        Platform.DEVICE_TRACKER,
        latitude=latitude,
        longitude=longitude,
        accuracy=15,
    )
    assert tracker.location_accuracy == 15
    assert tracker.latitude is not None
    assert tracker.longitude is not None
    assert distance(tracker.latitude, tracker.longitude, *TIANANMEN) < 0.2


def test_tracker_without_a_position_has_no_accuracy() -> None:
    """An accuracy without a position means nothing."""
    tracker = role_entity(XiaomiTracker, PHONE, Platform.DEVICE_TRACKER, accuracy=15)
    assert (tracker.latitude, tracker.longitude, tracker.location_accuracy) == (None, None, 0)


# --- people ---------------------------------------------------------------------------------


def test_phone_is_a_tracker_a_battery_a_charging_state_and_a_ring_button() -> None:
    """The location service is the tracker; accuracy is not also a sensor."""
    plan = plan_of(PHONE)
    tracker = role(plan, Platform.DEVICE_TRACKER)
    assert set(tracker.properties) == {"latitude", "longitude", "accuracy"}
    assert not tracker.main
    items = by_name(plan)
    assert set(items) == {"battery-level", "charging-state"}
    assert items["battery-level"].traits.device_class == "battery"
    assert items["battery-level"].traits.category is None
    charging = items["charging-state"]
    assert (charging.platform, charging.traits.translation_key) == (
        Platform.SENSOR,
        "charging_state",
    )
    assert [choice.name for choice in charging.prop.value_list] == [
        "not_charging",
        "charging",
        "fully_charged",
    ]
    assert [item.traits.translation_key for item in plan.buttons] == ["ring_phone"]


WATCH_ENTITIES = {
    "battery-level": (Platform.SENSOR, None, "battery", "measurement", "%"),
    "step-count": (Platform.SENSOR, "steps", None, "total_increasing", None),
    "heart-rate": (Platform.SENSOR, "heart_rate", None, "measurement", "bpm"),
    "spo2": (Platform.SENSOR, "blood_oxygen", None, "measurement", "%"),
    "sleep-duration": (Platform.SENSOR, "sleep_duration", "duration", "measurement", "min"),
    "worn": (Platform.BINARY_SENSOR, "worn", None, None, None),
}


@pytest.mark.parametrize(("name", "expected"), WATCH_ENTITIES.items())
def test_watch_property_becomes_a_health_or_activity_entity(
    name: str, expected: tuple[Platform, str | None, str | None, str | None, str | None]
) -> None:
    """Steps count up through the day and start again; the rest are measurements."""
    item = by_name(plan_of(WATCH))[name]
    assert shown_as(item) == expected
    assert item.traits.category is None


def test_watch_has_no_tracker_and_no_buttons() -> None:
    """The watch's spec has no location service and no actions."""
    plan = plan_of(WATCH)
    assert plan.roles == ()
    assert plan.buttons == ()
    assert set(by_name(plan)) == set(WATCH_ENTITIES)


def test_a_lock_battery_stays_a_diagnostic() -> None:
    """Battery traits by device type do not leak to home devices."""
    battery = by_name(plan_of("loock.lock.v6")).get("battery-level")
    assert battery is not None
    assert battery.traits.category == EntityCategory.DIAGNOSTIC
