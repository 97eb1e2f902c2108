"""Binary sensors: read-only booleans.

No demo model has one (every boolean of theirs is writable, or part of a richer entity), so the
mapping decision is tested on hand-written specs, and the platform on the test-only humidifier
(see `platform_kit`).
"""

from __future__ import annotations

from collections.abc import Iterator
from unittest.mock import patch

import pytest
from homeassistant.components.binary_sensor import DOMAIN as BINARY_SENSOR_DOMAIN
from homeassistant.const import ATTR_FRIENDLY_NAME, STATE_OFF, STATE_ON, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.xiaomi_aiot.mapping import generic_platform, plan_device
from custom_components.xiaomi_aiot.miot import MiotSpec

from .platform_kit import (
    HUMIDIFIER_SPEC,
    assert_entities_match_snapshots,
    humidifier_device,
    next_poll,
)

WATER_SHORTAGE = "binary_sensor.bedroom_humidifier_water_shortage"
WATER_SHORTAGE_PROPERTY = (2, 4)


@pytest.fixture(autouse=True)
def only_binary_sensors() -> Iterator[None]:
    """Set up the binary sensor platform only."""
    with patch("custom_components.xiaomi_aiot.PLATFORMS", [Platform.BINARY_SENSOR]):
        yield


def contact_spec(access: list[str]) -> MiotSpec:
    """A door sensor with one boolean property."""
    return MiotSpec.from_dict(
        {
            "type": "urn:miot-spec-v2:device:magnet-sensor:0000A016:test:1",
            "services": [
                {
                    "iid": 2,
                    "type": "urn:miot-spec-v2:service:magnet-sensor:00007827:test:1",
                    "properties": [
                        {
                            "iid": 1,
                            "type": "urn:miot-spec-v2:property:contact-state:0000007C:test:1",
                            "description": "Contact State",
                            "format": "bool",
                            "access": access,
                        }
                    ],
                }
            ],
        }
    )


@pytest.mark.parametrize(
    ("access", "platform"),
    [
        (["read", "notify"], Platform.BINARY_SENSOR),
        (["read"], Platform.BINARY_SENSOR),
        (["read", "write", "notify"], Platform.SWITCH),
        (["notify"], None),
    ],
)
def test_a_read_only_boolean_becomes_a_binary_sensor(
    access: list[str], platform: Platform | None
) -> None:
    """Readable and not writable: binary sensor; writable: switch; unreadable: nothing."""
    spec = contact_spec(access)

    assert generic_platform(spec.property(2, 1)) == platform
    plan = plan_device(spec)
    assert [item.prop.key for item in plan.property_items(Platform.BINARY_SENSOR)] == (
        [(2, 1)] if platform == Platform.BINARY_SENSOR else []
    )
    assert (Platform.BINARY_SENSOR in plan.platforms) is (platform == Platform.BINARY_SENSOR)


def test_the_humidifier_makes_one_from_its_water_shortage() -> None:
    """The test-only spec's read-only boolean."""
    plan = plan_device(HUMIDIFIER_SPEC)
    assert [item.prop.name for item in plan.property_items(Platform.BINARY_SENSOR)] == [
        "water-shortage"
    ]


async def test_demo_home_has_no_binary_sensors_but_the_door_locks_state(
    hass: HomeAssistant, demo_entries: list[MockConfigEntry], entity_registry: er.EntityRegistry
) -> None:
    """No demo property is a binary sensor; the door lock's state from its events is one."""
    assert [
        e.unique_id.split("-", 1)[1]
        for e in entity_registry.entities.values()
        if e.domain == BINARY_SENSOR_DOMAIN
    ] == ["lock-state"]


async def test_binary_sensor_matches_its_snapshot(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, snapshot: SnapshotAssertion
) -> None:
    """Water shortage, named from the spec, off."""
    async with humidifier_device(hass) as (_, entry):
        await assert_entities_match_snapshots(hass, entity_registry, snapshot, [entry])
        state = hass.states.get(WATER_SHORTAGE)
        assert state.attributes[ATTR_FRIENDLY_NAME] == "Bedroom Humidifier Water Shortage"
        assert state.state == STATE_OFF


async def test_the_tank_running_dry_shows_at_the_next_poll(hass: HomeAssistant) -> None:
    """The humidifier reports a water shortage; HA shows it on, then unknown if unreadable."""
    async with humidifier_device(hass) as (device, _):
        device.set(*WATER_SHORTAGE_PROPERTY, True)
        await next_poll(hass)
        assert hass.states.get(WATER_SHORTAGE).state == STATE_ON

        device.apply_faults({"property_errors": {"2.4": -4004}})
        await next_poll(hass)
        assert hass.states.get(WATER_SHORTAGE).state == STATE_UNKNOWN
