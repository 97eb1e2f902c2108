"""What every real water heater, heater, bath heater and simple sensor document becomes.

Each document's natural entity is made (a water heater, a climate, binary sensors with device
classes), from the plan the mapping tables give, without Home Assistant running.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, MagicMock

import pytest
from homeassistant.components.binary_sensor import BinarySensorDeviceClass
from homeassistant.components.climate import ClimateEntityFeature, HVACMode
from homeassistant.components.water_heater import WaterHeaterEntityFeature
from homeassistant.const import Platform

from custom_components.xiaomi_aiot.binary_sensor import XiaomiBinarySensor
from custom_components.xiaomi_aiot.climate import XiaomiClimate
from custom_components.xiaomi_aiot.mapping import DevicePlan, plan_device
from custom_components.xiaomi_aiot.miot import MiotSpec
from custom_components.xiaomi_aiot.water_heater import XiaomiWaterHeater
from harness.real_specs import REAL_SPEC_FILES, real_document, real_models


def models_of(*device_types: str) -> list[Any]:
    """The real documents whose device type is one of these."""
    return [
        model
        for model in real_models()
        if not isinstance(model, str) or real_document(model)["type"].split(":")[3] in device_types
    ]


def spec_of(model: str) -> MiotSpec:
    """A real document, parsed."""
    return MiotSpec.from_dict(real_document(model))


def fake_coordinator(spec: MiotSpec, values: dict[tuple[int, int], Any]) -> MagicMock:
    """A coordinator without Home Assistant or a device: the spec, values, and a write spy."""
    coordinator = MagicMock(info=None, did="1", names={})
    coordinator.spec = coordinator.device.spec = spec
    coordinator.plan = plan_device(spec)
    coordinator.value.side_effect = values.get
    coordinator.async_write = AsyncMock()
    return coordinator


def test_the_real_documents_have_the_types_these_tests_cover() -> None:
    """Three water heaters, two heaters, a bath heater; a door and a leak sensor."""
    if not REAL_SPEC_FILES.is_dir():
        pytest.skip("no real documents")
    assert len(models_of("water-heater")) == 3
    assert len(models_of("heater")) == 2
    assert len(models_of("bath-heater")) == 1
    assert models_of("submersion-sensor") == ["lumi.sensor_wleak.aq1"]


@pytest.mark.parametrize("model", models_of("water-heater"))
def test_every_real_water_heater_is_a_water_heater_with_its_target_temperature(
    model: str,
) -> None:
    """On/off, a target temperature in the spec's range (readable or not), its modes."""
    spec = spec_of(model)
    coordinator = fake_coordinator(spec, {})
    (item,) = coordinator.plan.role_items(Platform.WATER_HEATER)

    entity = XiaomiWaterHeater(coordinator, item)

    assert item.main
    target = spec.find("water-heater", "target-temperature")
    assert target is not None
    assert target.value_range is not None
    assert (entity.min_temp, entity.max_temp) == (target.value_range.min, target.value_range.max)
    assert WaterHeaterEntityFeature.TARGET_TEMPERATURE in entity.supported_features
    assert WaterHeaterEntityFeature.ON_OFF in entity.supported_features
    mode = spec.find("water-heater", "mode")
    assert (entity.operation_list is not None) == (mode is not None)
    # The target temperature is the water heater's, not also a number of its own.
    assert target.key not in {p.prop.key for p in coordinator.plan.properties}


@pytest.mark.parametrize("model", models_of("heater"))
def test_every_real_heater_is_a_climate_that_heats(model: str) -> None:
    """Off or heat, to a target temperature; the room's temperature from `environment`."""
    spec = spec_of(model)
    room = spec.find("environment", "temperature")
    assert room is not None
    coordinator = fake_coordinator(spec, {room.key: 19.5})
    (item,) = coordinator.plan.role_items(Platform.CLIMATE)

    entity = XiaomiClimate(coordinator, item)

    assert item.main
    assert entity.hvac_modes == [HVACMode.OFF, HVACMode.HEAT]
    assert ClimateEntityFeature.TARGET_TEMPERATURE in entity.supported_features
    assert entity.current_temperature == 19.5


@pytest.mark.parametrize("model", models_of("bath-heater"))
def test_every_real_bath_heater_is_a_climate_of_its_modes_and_a_light(model: str) -> None:
    """Idle is off; dry is dry; quick heat and the defog modes are heat, and presets."""
    spec = spec_of(model)
    plan = plan_device(spec)
    (climate,) = plan.role_items(Platform.CLIMATE)
    (light,) = plan.role_items(Platform.LIGHT)
    mode = climate.properties["mode"]
    coordinator = fake_coordinator(spec, {mode.key: 2})

    entity = XiaomiClimate(coordinator, climate)

    assert climate.main
    assert not light.main
    assert entity.hvac_modes == [HVACMode.OFF, HVACMode.DRY, HVACMode.HEAT]
    assert entity.preset_modes == ["defog", "quick_defog", "quick_heat"]
    assert (entity.hvac_mode, entity.preset_mode) == (HVACMode.HEAT, "defog")


DEVICE_CLASSES = {
    "isa.magnet.dw2hl": {BinarySensorDeviceClass.DOOR, BinarySensorDeviceClass.LIGHT},
    "lumi.sensor_magnet.v2": {BinarySensorDeviceClass.DOOR},
    "lumi.motion.bmgl01": {BinarySensorDeviceClass.LIGHT, BinarySensorDeviceClass.MOTION},
    "lumi.sensor_motion.v2": {BinarySensorDeviceClass.MOTION},
    "lumi.sensor_smoke.v1": {BinarySensorDeviceClass.SMOKE},
    "lumi.sensor_wleak.aq1": {BinarySensorDeviceClass.MOISTURE},
}


def binary_classes(plan: DevicePlan) -> set[str | None]:
    """The device classes of a plan's binary sensors, of properties and of events."""
    return {item.traits.device_class for item in plan.property_items(Platform.BINARY_SENSOR)} | {
        item.states.device_class for item in plan.event_sensors
    }


@pytest.mark.parametrize(
    "model",
    models_of("magnet-sensor", "motion-sensor", "smoke-sensor", "submersion-sensor"),
)
def test_every_real_simple_sensor_gets_binary_sensors_with_device_classes(model: str) -> None:
    """A door, motion, smoke or leak sensor: a binary sensor of that class, unnamed (HA's
    name for the class names it)."""
    spec = spec_of(model)
    plan = plan_device(spec)

    assert binary_classes(plan) == DEVICE_CLASSES[model]
    for item in plan.property_items(Platform.BINARY_SENSOR):
        entity = XiaomiBinarySensor(fake_coordinator(spec, {}), item)
        assert entity.device_class == item.traits.device_class
        assert not hasattr(entity, "_attr_name")


@pytest.mark.parametrize(
    ("values", "on"),
    [
        ({(2, 2): True, (2, 1): 2}, {"door": False, "light": True}),
        ({(2, 2): False, (2, 1): 1}, {"door": True, "light": False}),
    ],
)
def test_a_magnet_in_contact_is_a_closed_door(values: dict[Any, Any], on: dict[str, bool]) -> None:
    """contact-state true is a closed door; illumination "Strong" is light."""
    if not REAL_SPEC_FILES.is_dir():
        pytest.skip("no real documents")
    spec = spec_of("isa.magnet.dw2hl")
    coordinator = fake_coordinator(spec, values)

    states = {
        str(entity.device_class): entity.is_on
        for item in coordinator.plan.property_items(Platform.BINARY_SENSOR)
        if (entity := XiaomiBinarySensor(coordinator, item))
    }

    assert states == on


@pytest.mark.parametrize("model", models_of("gateway"))
def test_a_gateway_illumination_in_lux_stays_a_measurement(model: str) -> None:
    """The motion sensor service's illumination is Weak / Strong only as a value list."""
    spec = spec_of(model)
    illumination = spec.find("motion-sensor", "illumination")
    if illumination is None:
        pytest.skip(f"{model} has no illumination")

    platforms = {
        item.platform for item in plan_device(spec).properties if item.prop is illumination
    }

    assert platforms == {Platform.SENSOR}


STRINGS = json.loads(
    (Path(__file__).parents[1] / "custom_components/xiaomi_aiot/strings.json").read_text("utf-8")
)


@pytest.mark.parametrize("model", models_of("water-heater", "motion-sensor"))
def test_a_named_value_list_sensor_has_every_value_translated(model: str) -> None:
    """A water heater's heating status, a motion sensor's no-motion time: each value named."""
    plan = plan_device(spec_of(model))
    translations = STRINGS["entity"]["sensor"]

    for item in plan.property_items(Platform.SENSOR):
        key = item.traits.translation_key
        if key is None or not item.prop.value_list:
            continue
        states = translations[key]["state"]
        assert {choice.name for choice in item.prop.value_list} <= set(states), key
