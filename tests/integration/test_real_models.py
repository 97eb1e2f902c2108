"""A device of each common type, as the real model it is, added by address and token.

The simulator is the real model (its document from the shared folder); the integration finds
the model's type URN in the simulated spec server's list, fetches the document over HTTP, and
makes the device's entities; a command changes the simulated device at the real ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from homeassistant.const import CONCENTRATION_MICROGRAMS_PER_CUBIC_METER
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from syrupy.assertion import SnapshotAssertion

from harness.hass import add_by_hand, entity_of, later
from harness.real_specs import ABSENT, REAL_SPEC_FILES
from simulator import VirtualDevice
from simulator.cloud import CloudServer

pytestmark = pytest.mark.skipif(not REAL_SPEC_FILES.is_dir(), reason=ABSENT)


@dataclass(frozen=True)
class Case:
    """A real model, an entity of it (its unique id's key), a call, and what the device gets."""

    model: str
    domain: str
    key: str
    service: str
    data: dict[str, Any]
    expected: tuple[int, int, Any]
    """(siid, piid, value) the simulated device holds after the call."""


CASES = {
    "light": Case("philips.light.bulb", "light", "light-2", "turn_off", {}, (2, 1, False)),
    "air-conditioner": Case(
        "xiaomi.aircondition.ma2",
        "climate",
        "climate-2",
        "set_temperature",
        {"temperature": 24},
        (2, 3, 24),
    ),
    "plug": Case("cuco.plug.cp1", "switch", "p-2-1", "turn_off", {}, (2, 1, False)),
    "purifier": Case("zhimi.airpurifier.ma4", "fan", "fan-2", "turn_off", {}, (2, 2, False)),
    "fan": Case("dmaker.fan.p5", "fan", "fan-2", "oscillate", {"oscillating": True}, (2, 2, True)),
    "vacuum": Case(
        "roborock.vacuum.a15",
        "vacuum",
        "vacuum-2",
        "set_fan_speed",
        {"fan_speed": "strong"},
        (2, 4, 103),
    ),
    "curtain": Case(
        "lumi.curtain.hagl05",
        "cover",
        "cover-2",
        "set_cover_position",
        {"position": 30},
        (2, 7, 30),
    ),
    "humidifier": Case(
        "zhimi.humidifier.ca4",
        "humidifier",
        "humidifier-2",
        "set_humidity",
        {"humidity": 50},
        (2, 6, 50),
    ),
    "speaker": Case(
        "xiaomi.wifispeaker.lx01",
        "media_player",
        "media_player-2",
        "volume_mute",
        {"is_volume_muted": True},
        (2, 2, True),
    ),
    # Its volume is 6..99 in steps of 3: half of it is sent as the nearest step.
    "speaker-in-steps": Case(
        "xiaomi.wifispeaker.l06a",
        "media_player",
        "media_player-2",
        "volume_set",
        {"volume_level": 0.5},
        (2, 1, 51),
    ),
    "tv": Case(
        "xiaomi.tv.eanfv1",
        "media_player",
        "media_player-2",
        "volume_mute",
        {"is_volume_muted": True},
        (4, 2, True),
    ),
    "water-heater": Case(
        "viomi.waterheater.e1",
        "water_heater",
        "water_heater-2",
        "set_temperature",
        {"temperature": 50},
        (2, 1, 50),
    ),
    "heater": Case(
        "zhimi.heater.za2",
        "climate",
        "climate-2",
        "set_hvac_mode",
        {"hvac_mode": "heat"},
        (2, 2, True),
    ),
    "bath-heater": Case(
        "yeelink.bhf_light.v5",
        "climate",
        "climate-3",
        "set_hvac_mode",
        {"hvac_mode": "dry"},
        (3, 1, 1),
    ),
}


@pytest.mark.parametrize(
    ("real_device", "case"),
    [pytest.param(case.model, case, id=kind) for kind, case in CASES.items()],
    indirect=["real_device"],
)
async def test_a_real_model_is_set_up_from_the_spec_server_and_obeys(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer], case: Case
) -> None:
    """Its spec is fetched over HTTP; its entity's command reaches the real ids."""
    device, server = real_device
    await add_by_hand(hass, device, server.url)
    assert server.spec_server.requests["instances"] == 1
    assert server.spec_server.requests["instance"] == 1
    entity = entity_of(hass, device, case.domain, case.key)
    assert hass.states.get(entity).state != "unavailable"

    await hass.services.async_call(
        case.domain, case.service, {"entity_id": entity, **case.data}, blocking=True
    )

    siid, piid, value = case.expected
    assert device.get(siid, piid) == value


@pytest.mark.parametrize("real_device", ["cgllc.sensor_ht.qpg1"], indirect=True)
async def test_a_real_sensor_shows_what_it_measures(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """A temperature-humidity sensor: a change at the device shows at the next poll."""
    device, server = real_device
    await add_by_hand(hass, device, server.url)
    entity = entity_of(hass, device, "sensor", "p-2-1")

    device.set(2, 1, 21.5)
    await later(hass)

    assert float(hass.states.get(entity).state) == pytest.approx(21.5)


@pytest.mark.parametrize("real_device", ["lumi.lock.mcn01"], indirect=True)
async def test_a_real_lock_reports_its_operations(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """A real Xiaomi lock has no lock action: its operations arrive as events."""
    device, server = real_device
    await add_by_hand(hass, device, server.url)
    entity = entity_of(hass, device, "event", "e-2-1")
    before = hass.states.get(entity).state

    device.emit_event("lock-opened", {})
    await later(hass)

    assert hass.states.get(entity).state != before


@pytest.mark.parametrize("real_device", ["cgllc.airm.cgdn1"], indirect=True)
async def test_a_real_air_monitor_shows_its_air_with_classes_and_units(
    hass: HomeAssistant,
    real_device: tuple[VirtualDevice, CloudServer],
    versioned_snapshot: SnapshotAssertion,
) -> None:
    """PM2.5 and PM10 in µg/m³, CO2 in ppm, temperature, humidity and battery: device classes
    and state classes for statistics, the battery's voltage a diagnostic; a change shows."""
    device, server = real_device
    await add_by_hand(hass, device, server.url)
    registry = er.async_get(hass)
    sensors = {
        entry.unique_id.split("-", 1)[1]: entry
        for entry in registry.entities.values()
        if entry.domain == "sensor" and entry.unique_id.startswith(f"{device.did}-")
    }
    shown = {
        key: {
            "name": hass.states.get(entry.entity_id).attributes.get("friendly_name"),
            "translation_key": entry.translation_key,
            "device_class": entry.original_device_class,
            "state_class": (entry.capabilities or {}).get("state_class"),
            "unit": entry.unit_of_measurement,
            "category": entry.entity_category,
        }
        for key, entry in sorted(sensors.items())
        if hass.states.get(entry.entity_id) is not None
    }
    assert shown == versioned_snapshot

    device.set(3, 4, 35)
    await later(hass)
    pm25 = hass.states.get(entity_of(hass, device, "sensor", "p-3-4"))
    assert pm25.state == "35"
    assert pm25.attributes["unit_of_measurement"] == CONCENTRATION_MICROGRAMS_PER_CUBIC_METER


COMMANDS = {
    # Yeelight's brightness step, -100..100 %: the number shows what was sent last.
    "step": Case(
        "yeelink.light.ceila", "number", "p-4-11", "set_value", {"value": -20}, (4, 11, -20)
    ),
    # A plug timer's toggle flag: pressing sends true.
    "flag": Case("chuangmi.plug.212a01", "button", "p-4-6", "press", {}, (4, 6, True)),
}


@pytest.mark.parametrize(
    ("real_device", "case"),
    [pytest.param(case.model, case, id=kind) for kind, case in COMMANDS.items()],
    indirect=["real_device"],
)
async def test_a_write_only_command_is_an_entity_that_sends_it(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer], case: Case
) -> None:
    """Write-only properties that are commands are disabled by default; enabled, they work."""
    device, server = real_device
    entry_id = await add_by_hand(hass, device, server.url)
    entity = entity_of(hass, device, case.domain, case.key)
    registry = er.async_get(hass)
    assert registry.async_get(entity).disabled_by is er.RegistryEntryDisabler.INTEGRATION
    registry.async_update_entity(entity, disabled_by=None)
    await hass.config_entries.async_reload(entry_id)
    await hass.async_block_till_done()

    await hass.services.async_call(
        case.domain, case.service, {"entity_id": entity, **case.data}, blocking=True
    )

    siid, piid, value = case.expected
    assert device.get(siid, piid) == value
    if case.domain == "number":
        assert float(hass.states.get(entity).state) == value
