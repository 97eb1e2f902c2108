"""Numbers: writable numeric properties with a range, within the spec's bounds and step.

The demo home's only ones are the air conditioners' fan percentage; the tests use the test-only
humidifier (see `harness.platforms`), whose number has a unit and a coarse step.
"""

from __future__ import annotations

from collections.abc import Iterator
from unittest.mock import patch

import pytest
from homeassistant.components.number import (
    ATTR_MAX,
    ATTR_MIN,
    ATTR_STEP,
    ATTR_VALUE,
    SERVICE_SET_VALUE,
)
from homeassistant.components.number import DOMAIN as NUMBER_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_FRIENDLY_NAME,
    ATTR_UNIT_OF_MEASUREMENT,
    PERCENTAGE,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.xiaomi_aiot.mapping import generic_platform, plan_device
from custom_components.xiaomi_aiot.miot import MiotSpec
from harness.platforms import (
    HUMIDIFIER_SPEC,
    assert_a_refused_write_is_translated,
    assert_entities_match_snapshots,
    humidifier_device,
    next_poll,
)

TARGET = "number.bedroom_humidifier_target_humidity"
TARGET_PROPERTY = (2, 3)


@pytest.fixture(autouse=True)
def only_numbers() -> Iterator[None]:
    """Set up the number platform only."""
    with patch("custom_components.xiaomi_aiot.integration.PLATFORMS", [Platform.NUMBER]):
        yield


async def set_value(hass: HomeAssistant, value: float) -> None:
    """Set the humidifier's target humidity and wait."""
    await hass.services.async_call(
        NUMBER_DOMAIN,
        SERVICE_SET_VALUE,
        {ATTR_ENTITY_ID: TARGET, ATTR_VALUE: value},
        blocking=True,
    )


def one_property_spec(fmt: str, access: list[str], **extra: object) -> MiotSpec:
    """A spec with a single property in a service no role claims."""
    return MiotSpec.from_dict(
        {
            "type": "urn:miot-spec-v2:device:kettle:0000A009:test:1",
            "services": [
                {
                    "iid": 2,
                    "type": "urn:miot-spec-v2:service:kettle:00007813:test:1",
                    "properties": [
                        {
                            "iid": 1,
                            "type": "urn:miot-spec-v2:property:target-temperature:00000021:test:1",
                            "format": fmt,
                            "access": access,
                            **extra,
                        }
                    ],
                }
            ],
        }
    )


@pytest.mark.parametrize(
    ("fmt", "access", "extra", "platform"),
    [
        ("uint8", ["read", "write"], {"value-range": [16, 28, 1]}, Platform.NUMBER),
        ("float", ["read", "write", "notify"], {"value-range": [16, 28, 0.5]}, Platform.NUMBER),
        ("int32", ["read", "write"], {}, Platform.SENSOR),
        ("uint8", ["read"], {"value-range": [16, 28, 1]}, Platform.SENSOR),
        # A write-only number is a command (a light's brightness step): it shows what was sent.
        ("uint8", ["write"], {"value-range": [16, 28, 1]}, Platform.NUMBER),
        ("int32", ["write"], {}, None),
    ],
)
def test_only_a_writable_number_with_a_range_becomes_a_number(
    fmt: str, access: list[str], extra: dict[str, object], platform: Platform | None
) -> None:
    """Without a range there is no slider; without write it is a sensor; write-only without a
    range, nothing."""
    spec = one_property_spec(fmt, access, **extra)

    assert generic_platform(spec.property(2, 1)) == platform
    plan = plan_device(spec)
    assert [item.prop.key for item in plan.property_items(Platform.NUMBER)] == (
        [(2, 1)] if platform == Platform.NUMBER else []
    )
    assert (Platform.NUMBER in plan.platforms) is (platform == Platform.NUMBER)


def test_no_demo_model_makes_a_number_but_the_humidifier_does() -> None:
    """Why the tests below use the test-only humidifier."""
    plan = plan_device(HUMIDIFIER_SPEC)
    assert [item.prop.name for item in plan.property_items(Platform.NUMBER)] == ["target-humidity"]


async def test_demo_home_numbers_are_the_air_conditioners_fan_percentage(
    hass: HomeAssistant, demo_entries: list[MockConfigEntry], entity_registry: er.EntityRegistry
) -> None:
    """The air conditioner's spec has a writable fan percentage, 1..101; nothing else shown
    is one (the lights' write-only brightness and colour temperature steps are disabled)."""
    numbers = sorted(
        (e.entity_id, e.unique_id.split("-", 1)[1])
        for e in entity_registry.entities.values()
        if e.domain == NUMBER_DOMAIN and not e.disabled_by
    )
    assert numbers == [
        ("number.bedroom_air_conditioner_fan_speed", "p-10-1"),
        ("number.living_room_air_conditioner_fan_speed", "p-10-1"),
    ]
    state = hass.states.get("number.living_room_air_conditioner_fan_speed")
    assert (state.attributes[ATTR_MIN], state.attributes[ATTR_MAX]) == (1, 101)


async def test_number_matches_its_snapshot(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, snapshot: SnapshotAssertion
) -> None:
    """Target humidity: 30..80 % in steps of 10, named from the spec."""
    async with humidifier_device(hass) as (_, entry):
        await assert_entities_match_snapshots(hass, entity_registry, snapshot, [entry])
        state = hass.states.get(TARGET)
        assert state.attributes[ATTR_FRIENDLY_NAME] == "Bedroom Humidifier Target humidity"
        assert (state.attributes[ATTR_MIN], state.attributes[ATTR_MAX]) == (30, 80)
        assert state.attributes[ATTR_STEP] == 10
        assert state.attributes[ATTR_UNIT_OF_MEASUREMENT] == PERCENTAGE


async def test_setting_the_number_writes_an_integer_to_the_device(
    hass: HomeAssistant,
) -> None:
    """HA sends 60.0; the uint8 property gets 60."""
    async with humidifier_device(hass) as (device, _):
        await set_value(hass, 60)

        assert device.get(*TARGET_PROPERTY) == 60
        assert isinstance(device.get(*TARGET_PROPERTY), int)
        assert float(hass.states.get(TARGET).state) == 60


@pytest.mark.parametrize(
    ("value", "on_device"),
    [(44, 40), (46, 50), (50.5, 50), (79.9, 80)],
)
async def test_a_value_off_the_spec_step_is_sent_as_its_nearest_step(
    hass: HomeAssistant, value: float, on_device: int
) -> None:
    """Within range but off the steps of 10 (or a fraction for a uint8): the nearest step,
    as an integer, reaches the device."""
    async with humidifier_device(hass, **{"target-humidity": 60}) as (device, _):
        await set_value(hass, value)

        assert device.get(*TARGET_PROPERTY) == on_device
        assert type(device.get(*TARGET_PROPERTY)) is int


async def test_a_value_outside_the_range_is_refused_by_home_assistant(
    hass: HomeAssistant,
) -> None:
    """90 % is above 80: HA's own check refuses it before it reaches the device."""
    async with humidifier_device(hass, **{"target-humidity": 40}) as (device, _):
        with pytest.raises(ServiceValidationError):
            await set_value(hass, 90)

        assert device.get(*TARGET_PROPERTY) == 40


async def test_a_target_set_on_the_device_shows_at_the_next_poll(
    hass: HomeAssistant,
) -> None:
    """Turned to 70 % on the humidifier's panel."""
    async with humidifier_device(hass) as (device, _):
        device.set(*TARGET_PROPERTY, 70)
        await next_poll(hass)

        assert float(hass.states.get(TARGET).state) == 70


async def test_a_number_the_device_refuses_is_a_translated_device_error(
    hass: HomeAssistant,
) -> None:
    """The device answers an error code for the property: the user sees the code."""
    async with humidifier_device(hass, **{"target-humidity": 40}) as (device, _):
        await assert_a_refused_write_is_translated(device, "2.3", set_value(hass, 60), -4005)
        assert device.get(*TARGET_PROPERTY) == 40
