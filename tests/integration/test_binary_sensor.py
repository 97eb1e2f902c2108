"""Binary sensors: read-only booleans.

No demo model has one (every boolean of theirs is writable, or part of a richer entity), so the
mapping decision is tested on hand-written specs, and the platform on the test-only humidifier
(see `harness.platforms`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from unittest.mock import patch

import pytest
from homeassistant.components.binary_sensor import DOMAIN as BINARY_SENSOR_DOMAIN
from homeassistant.const import ATTR_FRIENDLY_NAME, STATE_OFF, STATE_ON, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry, mock_restore_cache
from syrupy.assertion import SnapshotAssertion

from custom_components.xiaomi_aiot.const import DOMAIN
from custom_components.xiaomi_aiot.mapping import generic_platform, plan_device
from custom_components.xiaomi_aiot.miot import MiotSpec
from harness.hass import entity_of, later, until
from harness.platforms import (
    HUMIDIFIER_SPEC,
    assert_entities_match_snapshots,
    humidifier_device,
    next_poll,
    set_up_real,
)
from harness.real_specs import ABSENT, REAL_SPEC_FILES
from simulator import VirtualDevice
from simulator.cloud import CloudServer

WATER_SHORTAGE = "binary_sensor.bedroom_humidifier_water_shortage"
WATER_SHORTAGE_PROPERTY = (2, 4)


@pytest.fixture(autouse=True)
def only_binary_sensors() -> Iterator[None]:
    """Set up the binary sensor platform only."""
    with patch("custom_components.xiaomi_aiot.integration.PLATFORMS", [Platform.BINARY_SENSOR]):
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


@pytest.mark.skipif(not REAL_SPEC_FILES.is_dir(), reason=ABSENT)
@pytest.mark.parametrize("real_device", ["isa.magnet.dw2hl"], indirect=True)
async def test_a_real_door_sensor_is_open_when_its_magnet_leaves(
    hass: HomeAssistant,
    real_device: tuple[VirtualDevice, CloudServer],
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """contact-state (2.2) true is a closed door; illumination (2.1) "Strong" is light.

    Both are named by their device class ("Door", "Light"), as Home Assistant names them.
    """
    device, _ = real_device
    device.set(2, 2, True)
    device.set(2, 1, 2)
    _, door = await set_up_real(hass, real_device, BINARY_SENSOR_DOMAIN, "p-2-2")
    light = entity_of(hass, device, BINARY_SENSOR_DOMAIN, "p-2-1")
    await assert_entities_match_snapshots(
        hass, entity_registry, snapshot, hass.config_entries.async_entries(DOMAIN)
    )
    assert (hass.states.get(door).state, hass.states.get(light).state) == (STATE_OFF, STATE_ON)

    device.set(2, 2, False)
    device.set(2, 1, 1)
    await later(hass)

    assert (hass.states.get(door).state, hass.states.get(light).state) == (STATE_ON, STATE_OFF)


@pytest.mark.skipif(not REAL_SPEC_FILES.is_dir(), reason=ABSENT)
@pytest.mark.parametrize("real_device", ["lumi.sensor_wleak.aq1"], indirect=True)
async def test_a_real_leak_sensor_is_wet_from_its_event_until_it_dries(
    hass: HomeAssistant,
    real_device: tuple[VirtualDevice, CloudServer],
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Aqara's leak sensor has no property: submersion-detected (2.1) is wet, no-submersion
    (2.2) dry, as the device reports them; unknown until the first event."""
    device, leak = await set_up_real(hass, real_device, BINARY_SENSOR_DOMAIN, "binary_sensor-2")
    await assert_entities_match_snapshots(
        hass, entity_registry, snapshot, hass.config_entries.async_entries(DOMAIN)
    )
    assert hass.states.get(leak).state == STATE_UNKNOWN

    device.emit_event("submersion-detected", {})
    await until(hass, lambda: hass.states.get(leak).state == STATE_ON, seconds=10)

    device.emit_event("no-submersion", {})
    await until(hass, lambda: hass.states.get(leak).state == STATE_OFF, seconds=10)
    await later(hass)  # a poll has nothing to say about it
    assert hass.states.get(leak).state == STATE_OFF


@pytest.mark.skipif(not REAL_SPEC_FILES.is_dir(), reason=ABSENT)
@pytest.mark.parametrize("real_device", ["lumi.sensor_wleak.aq1"], indirect=True)
async def test_a_leak_sensor_keeps_its_last_state_across_a_restart(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """Between events the sensor says nothing: the state before the restart stands."""
    mock_restore_cache(hass, [State("binary_sensor.submersion_sensor_moisture", STATE_ON)])

    _, leak = await set_up_real(hass, real_device, BINARY_SENSOR_DOMAIN, "binary_sensor-2")

    assert leak == "binary_sensor.submersion_sensor_moisture"
    assert hass.states.get(leak).state == STATE_ON


@pytest.mark.skipif(not REAL_SPEC_FILES.is_dir(), reason=ABSENT)
@pytest.mark.parametrize("real_device", ["lumi.motion.bmgl01"], indirect=True)
async def test_a_real_motion_sensor_is_on_after_motion_and_clear_two_minutes_later(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """Aqara's motion sensor reports motion-detected (2.1), never its end."""
    device, motion = await set_up_real(hass, real_device, BINARY_SENSOR_DOMAIN, "binary_sensor-2")

    device.emit_event("motion-detected", {})
    await until(hass, lambda: hass.states.get(motion).state == STATE_ON, seconds=10)
    await later(hass, timedelta(seconds=60))
    assert hass.states.get(motion).state == STATE_ON

    await later(hass, timedelta(seconds=121))  # from now, as from the motion: no clock moved
    assert hass.states.get(motion).state == STATE_OFF
