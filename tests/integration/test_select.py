"""Selects: writable properties with a value list, chosen by the value's name.

No demo model has one, so the tests use the test-only humidifier (see `harness.platforms`).
"""

from __future__ import annotations

from collections.abc import Iterator
from unittest.mock import patch

import pytest
from homeassistant.components.select import ATTR_OPTION, ATTR_OPTIONS, SERVICE_SELECT_OPTION
from homeassistant.components.select import DOMAIN as SELECT_DOMAIN
from homeassistant.const import ATTR_ENTITY_ID, ATTR_FRIENDLY_NAME, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.xiaomi_aiot.mapping import generic_platform, plan_device
from custom_components.xiaomi_aiot.miot import MiotSpec, load_bundled_spec
from harness.platforms import (
    HUMIDIFIER_SPEC,
    assert_entities_match_snapshots,
    humidifier_device,
    next_poll,
    translated_error,
)

FAN_LEVEL = "select.bedroom_humidifier_fan_level"
FAN_LEVEL_PROPERTY = (2, 2)
LEVELS = [
    {"value": 0, "description": "Auto"},
    {"value": 1, "description": "Quiet Mode"},
    {"value": 2, "description": "Turbo-Boost"},
]


@pytest.fixture(autouse=True)
def only_selects() -> Iterator[None]:
    """Set up the select platform only."""
    with patch("custom_components.xiaomi_aiot.integration.PLATFORMS", [Platform.SELECT]):
        yield


async def select(hass: HomeAssistant, option: str) -> None:
    """Choose a fan level and wait."""
    await hass.services.async_call(
        SELECT_DOMAIN,
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: FAN_LEVEL, ATTR_OPTION: option},
        blocking=True,
    )


def fan_spec(access: list[str]) -> MiotSpec:
    """A fan whose only property, outside any role, has a value list."""
    return MiotSpec.from_dict(
        {
            "type": "urn:miot-spec-v2:device:fan:0000A005:test:1",
            "services": [
                {
                    "iid": 2,
                    "type": "urn:miot-spec-v2:service:fan:00007808:test:1",
                    "properties": [
                        {
                            "iid": 2,
                            "type": "urn:miot-spec-v2:property:mode:00000008:test:1",
                            "description": "Mode",
                            "format": "uint8",
                            "access": access,
                            "value-list": LEVELS,
                        }
                    ],
                }
            ],
        }
    )


@pytest.mark.parametrize(
    ("access", "platform"),
    [
        (["read", "write", "notify"], Platform.SELECT),
        (["read", "notify"], Platform.SENSOR),
        (["write"], Platform.SELECT),  # a command: it shows what was sent last
    ],
)
def test_a_writable_value_list_becomes_a_select(
    access: list[str], platform: Platform | None
) -> None:
    """Writable and readable: select; read-only: an enumeration sensor; unreadable: nothing."""
    spec = fan_spec(access)

    assert generic_platform(spec.property(2, 2)) == platform
    assert (Platform.SELECT in plan_device(spec).platforms) is (platform == Platform.SELECT)


def test_a_value_list_offers_its_names_as_translation_keys() -> None:
    """Descriptions become lowercase identifiers: "Quiet Mode" is quiet_mode."""
    prop = fan_spec(["read", "write"]).property(2, 2)
    assert [choice.name for choice in prop.value_list] == ["auto", "quiet_mode", "turbo_boost"]


def test_role_properties_never_become_selects() -> None:
    """The air conditioner's mode and fan level have value lists but belong to the climate."""
    plan = plan_device(load_bundled_spec("xiaomi.aircondition.mc4"))
    assert plan.property_items(Platform.SELECT) == []
    assert Platform.SELECT not in plan.platforms
    assert [
        item.prop.name for item in plan_device(HUMIDIFIER_SPEC).property_items(Platform.SELECT)
    ] == ["fan-level"]


async def test_demo_home_has_no_selects(
    hass: HomeAssistant, demo_entries: list[MockConfigEntry], entity_registry: er.EntityRegistry
) -> None:
    """The demo home's models make no select a user sees: the colour lights' write-only
    command for Alexa's colour temperature steps is one, disabled by default."""
    selects = [e for e in entity_registry.entities.values() if e.domain == SELECT_DOMAIN]
    assert [e.entity_id for e in selects if not e.disabled_by] == []
    assert selects


async def test_select_matches_its_snapshot(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, snapshot: SnapshotAssertion
) -> None:
    """Fan level: the spec's value names as options."""
    async with humidifier_device(hass) as (_, entry):
        await assert_entities_match_snapshots(hass, entity_registry, snapshot, [entry])
        state = hass.states.get(FAN_LEVEL)
        assert state.attributes[ATTR_FRIENDLY_NAME] == "Bedroom Humidifier Fan level"
        assert state.attributes[ATTR_OPTIONS] == ["auto", "level1", "level2", "level3"]
        assert state.state == "auto"


async def test_choosing_an_option_writes_its_value(hass: HomeAssistant) -> None:
    """level2 is value 2 on the device."""
    async with humidifier_device(hass) as (device, _):
        await select(hass, "level2")

        assert device.get(*FAN_LEVEL_PROPERTY) == 2
        assert hass.states.get(FAN_LEVEL).state == "level2"


async def test_an_option_the_device_lacks_is_refused_by_home_assistant(
    hass: HomeAssistant,
) -> None:
    """HA checks options itself; nothing reaches the device."""
    async with humidifier_device(hass, **{"fan-level": "Level1"}) as (device, _):
        with pytest.raises(ServiceValidationError):
            await select(hass, "turbo")

        assert device.get(*FAN_LEVEL_PROPERTY) == 1


async def test_a_level_chosen_on_the_device_shows_at_the_next_poll(hass: HomeAssistant) -> None:
    """Set to level 3 on the device's panel."""
    async with humidifier_device(hass) as (device, _):
        device.set(*FAN_LEVEL_PROPERTY, 3)
        await next_poll(hass)

        assert hass.states.get(FAN_LEVEL).state == "level3"


async def test_an_option_the_device_refuses_is_a_translated_device_error(
    hass: HomeAssistant,
) -> None:
    """The device answers an error code: the user sees it, the level stays."""
    async with humidifier_device(hass) as (device, _):
        device.apply_faults({"property_errors": {"2.2": -4004}})

        error = await translated_error(select(hass, "level3"))

        assert error.translation_key == "device_error"
        device.apply_faults({"property_errors": {}})
        assert device.get(*FAN_LEVEL_PROPERTY) == 0
