"""Names, device classes and units of what Xiaomi's real spec documents become.

Every document in the shared folder is planned by the mapping alone (no Home Assistant
instance): no device shows two entities of the same name, at most a fifth of all names are
the spec's own text, every translation key has its strings, and every sensor's device class,
state class and unit are ones Home Assistant accepts together.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass
from homeassistant.components.sensor.const import DEVICE_CLASS_STATE_CLASSES, DEVICE_CLASS_UNITS
from homeassistant.const import CONCENTRATION_MICROGRAMS_PER_CUBIC_METER as MICROGRAMS
from homeassistant.const import Platform

from custom_components.xiaomi_aiot.mapping import (
    NUMBERED,
    UNITS,
    DevicePlan,
    NameSource,
    PlannedItem,
    RoleItem,
    Traits,
    entity_name,
    name_source,
    plan_device,
    sensor_classes,
    spec_element,
    traits_of,
)
from custom_components.xiaomi_aiot.miot.spec import MiotProperty, MiotSpec
from harness.real_specs import REAL_SPEC_FILES, real_document, real_models

COMPONENT = Path(__file__).resolve().parents[1] / "custom_components" / "xiaomi_aiot"
RAW_SHARE_TARGET = 0.20
NOT_UNITS = frozenset({"rgb", "none"})
"""Unit strings of the documents that are no unit of measurement (a colour's encoding)."""


@cache
def plan_of(model: str) -> DevicePlan:
    """The entity plan of a real model's document."""
    return plan_device(MiotSpec.from_dict(real_document(model)))


@cache
def strings(name: str) -> Any:
    """A language file of the integration."""
    return json.loads((COMPONENT / name).read_text("utf-8"))


def entities(plan: DevicePlan) -> list[tuple[Platform, PlannedItem]]:
    """Every entity of a plan, with its platform."""
    return [
        *((item.role.platform, item) for item in plan.roles),
        *((item.platform, item) for item in plan.properties),
        *((Platform.BUTTON, item) for item in plan.buttons),
        *((Platform.EVENT, item) for item in plan.events),
    ]


def spec_text(item: PlannedItem) -> str:
    """The document's text an entity named by the spec shows."""
    assert not isinstance(item, RoleItem)
    element = spec_element(item)
    return element.description or element.name


def shown_name(platform: Platform, item: PlannedItem, language: str) -> str:
    """The name an entity shows in a language, as Home Assistant would make it."""
    name = entity_name(item)
    placeholders = {"index": str(name.index)} if name.index is not None else {}
    match name.source:
        case NameSource.DEVICE:
            return ""
        case NameSource.DEVICE_CLASS:
            assert not isinstance(item, RoleItem)
            return f"device class {item.traits.device_class}"
        case NameSource.SPEC if name.index is None:
            return spec_text(item)
        case NameSource.SPEC:
            placeholders["name"] = spec_text(item)
    text = strings(language)["entity"][platform.value][name.translation_key]["name"]
    return str(text.format(**placeholders))


@pytest.mark.parametrize("model", real_models())
@pytest.mark.parametrize("language", ["translations/en.json", "translations/zh-Hans.json"])
def test_no_device_shows_two_entities_of_the_same_name(model: str, language: str) -> None:
    """Repeated services (a switch's gangs) and shared names are numbered on the device."""
    names = Counter(
        shown_name(platform, item, language) for platform, item in entities(plan_of(model))
    )
    names.pop("", None)
    assert [name for name, count in names.items() if count > 1] == []


@pytest.mark.parametrize("model", real_models())
def test_every_translation_key_a_real_model_uses_has_its_strings(model: str) -> None:
    """In strings.json, English and Chinese, under the platform the entity is on."""
    for language in ("strings.json", "translations/en.json", "translations/zh-Hans.json"):
        section = strings(language)["entity"]
        missing = [
            f"{platform}.{key}"
            for platform, item in entities(plan_of(model))
            if (key := entity_name(item).translation_key)
            and "name" not in section.get(platform.value, {}).get(key, {})
        ]
        assert missing == [], language


@pytest.mark.skipif(not REAL_SPEC_FILES.is_dir(), reason="no real spec documents")
def test_at_most_a_fifth_of_all_names_are_the_specs_own_text() -> None:
    """Over every real document, cameras included; translation keys name the rest."""
    sources = Counter(
        name_source(item) for model in real_models() for _, item in entities(plan_of(model))
    )
    share = sources[NameSource.SPEC] / sum(sources.values())
    print(f"\nnames by source: {dict(sources)}; spec text: {share:.1%}")
    assert share <= RAW_SHARE_TARGET


def test_the_gangs_of_a_switch_are_numbered() -> None:
    """lumi.switch.b2nacn02: two switch services, each "Switch Status" and "Mode"."""
    if not REAL_SPEC_FILES.is_dir():
        pytest.skip("no real spec documents")
    plan = plan_of("lumi.switch.b2nacn02")
    names = {
        (item.prop.siid, item.prop.name): entity_name(item)
        for item in plan.properties
        if item.prop.service == "switch"
    }
    assert names[(2, "on")].translation_key == names[(3, "on")].translation_key == "switch_numbered"
    assert (names[(2, "on")].index, names[(3, "on")].index) == (1, 2)
    assert (names[(2, "mode")].index, names[(3, "mode")].index) == (1, 2)
    assert names[(2, "default-power-on-state")].index is None


def test_a_repeated_spec_text_is_numbered_by_the_generic_key() -> None:
    """Two unknown properties with the same description: "{name} 1", "{name} 2"."""
    document = {
        "type": "urn:miot-spec-v2:device:thing:0000A000:test-thing:1",
        "services": [
            {
                "iid": siid,
                "type": "urn:miot-spec-v2:service:gadget:00007800:test:1",
                "properties": [
                    {
                        "iid": 1,
                        "type": "urn:miot-spec-v2:property:gizmo:00000000:test:1",
                        "description": "Gizmo",
                        "format": "uint8",
                        "access": ["read"],
                    }
                ],
            }
            for siid in (2, 3)
        ],
    }
    plan = plan_device(MiotSpec.from_dict(document))
    names = [entity_name(item) for item in plan.properties]
    assert [(n.source, n.translation_key, n.index) for n in names] == [
        (NameSource.SPEC, NUMBERED, 1),
        (NameSource.SPEC, NUMBERED, 2),
    ]


def real_sensors() -> list[Any]:
    """(model, property) of every numeric sensor of the real documents."""
    if not REAL_SPEC_FILES.is_dir():
        return real_models()
    return [
        pytest.param(model, item.prop, item.traits, id=f"{model}-{item.prop.siid}-{item.prop.piid}")
        for model in real_models()
        for item in plan_of(model).property_items(Platform.SENSOR)
        if not item.prop.value_list
    ]


@pytest.mark.parametrize(("model", "prop", "traits"), real_sensors())
def test_a_sensors_classes_and_unit_are_accepted_together(
    model: str, prop: MiotProperty, traits: Traits
) -> None:
    """Home Assistant warns of a unit or state class its device class does not allow."""
    classes = sensor_classes(prop, traits)
    if classes.device_class is None:
        return
    assert classes.unit in DEVICE_CLASS_UNITS[classes.device_class], model
    if classes.state_class is not None:
        assert classes.state_class in DEVICE_CLASS_STATE_CLASSES[classes.device_class], model


@pytest.mark.parametrize(("model", "prop", "traits"), real_sensors())
def test_every_measurement_has_a_state_class(
    model: str, prop: MiotProperty, traits: Traits
) -> None:
    """A numeric read-only property with a range and a unit that measures: statistics."""
    classes = sensor_classes(prop, traits)
    measures = prop.value_range is not None and prop.unit in UNITS and prop.unit != "arcdegrees"
    if measures:
        assert classes.state_class is not None, model


@pytest.mark.skipif(not REAL_SPEC_FILES.is_dir(), reason="no real spec documents")
def test_every_unit_of_the_documents_is_known() -> None:
    """Each unit string a real document uses is a Home Assistant unit, or none at all."""
    units = {
        prop.unit
        for model in real_models()
        for prop in MiotSpec.from_dict(real_document(model)).properties()
        if prop.unit
    }
    assert units - set(UNITS) - NOT_UNITS == set()


@pytest.mark.parametrize(
    ("name", "device_class", "state_class", "unit"),
    [
        # Home Assistant's own spelling: the micro sign in 2025.4, the Greek mu in 2026.
        ("pm2.5-density", SensorDeviceClass.PM25, SensorStateClass.MEASUREMENT, MICROGRAMS),
        ("pm10-density", SensorDeviceClass.PM10, SensorStateClass.MEASUREMENT, MICROGRAMS),
        ("co2-density", SensorDeviceClass.CO2, SensorStateClass.MEASUREMENT, "ppm"),
        ("temperature", SensorDeviceClass.TEMPERATURE, SensorStateClass.MEASUREMENT, "°C"),
        ("relative-humidity", SensorDeviceClass.HUMIDITY, SensorStateClass.MEASUREMENT, "%"),
        ("battery-level", SensorDeviceClass.BATTERY, SensorStateClass.MEASUREMENT, "%"),
    ],
)
def test_the_air_monitors_sensors_have_their_classes(
    name: str, device_class: SensorDeviceClass, state_class: SensorStateClass, unit: str
) -> None:
    """cgllc.airm.cgdn1 (its PM2.5 has a unit, its CO2 ppm)."""
    if not REAL_SPEC_FILES.is_dir():
        pytest.skip("no real spec documents")
    item = next(
        item
        for item in plan_of("cgllc.airm.cgdn1").property_items(Platform.SENSOR)
        if item.prop.name == name
    )
    classes = sensor_classes(item.prop, item.traits)
    assert (classes.device_class, classes.state_class, classes.unit) == (
        device_class,
        state_class,
        unit,
    )


def test_energy_without_a_unit_is_counted_in_kilowatt_hours() -> None:
    """The energy dashboard takes `total_increasing` kWh; Xiaomi's plugs give no unit."""
    prop = MiotProperty(
        siid=5,
        piid=1,
        type="urn:miot-spec-v2:property:power-consumption:0000002F:test:1",
        name="power-consumption",
        service="power-consumption",
        description="Power Consumption",
        format="float",
        access=frozenset({"read", "notify"}),
    )
    classes = sensor_classes(prop, traits_of("power-consumption", "power-consumption"))
    assert classes.device_class == SensorDeviceClass.ENERGY
    assert classes.state_class == SensorStateClass.TOTAL_INCREASING
    assert classes.unit == "kWh"


def test_a_name_shared_across_services_is_found_by_name_alone() -> None:
    """A fault is a fault in any service; a precise entry wins over the shared one."""
    assert traits_of("washer", "fault").translation_key == "fault"
    assert traits_of("screen", "brightness").translation_key == "screen_brightness"
    assert traits_of("light", "brightness").translation_key == "brightness"
    assert traits_of("gizmo", "no-such-thing") == Traits()
