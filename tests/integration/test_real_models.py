"""A device of each common type, as the real model it is, added by address and token.

The simulator is the real model (its document from the shared folder); the integration finds
the model's type URN in the simulated spec server's list, fetches the document over HTTP, and
makes the device's entities; a command changes the simulated device at the real ids.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
from syrupy.assertion import SnapshotAssertion

from custom_components.xiaomi_aiot.const import DOMAIN
from simulator import Simulator, VirtualDevice, load_home
from simulator.cloud import CloudServer
from tests.real_specs import ABSENT, REAL_SPEC_FILES

from .conftest import first_address, later

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
    "purifier": Case("zhimi.airpurifier.ma4", "switch", "p-2-2", "turn_off", {}, (2, 2, False)),
    "fan": Case("dmaker.fan.p5", "switch", "p-2-2", "turn_on", {}, (2, 2, True)),
    "vacuum": Case(
        "roborock.vacuum.a15", "select", "p-2-4", "select_option", {"option": "strong"}, (2, 4, 103)
    ),
    "curtain": Case(
        "lumi.curtain.hagl05", "number", "p-2-7", "set_value", {"value": 30}, (2, 7, 30)
    ),
    "humidifier": Case(
        "zhimi.humidifier.ca4", "number", "p-2-6", "set_value", {"value": 50}, (2, 6, 50)
    ),
    "speaker": Case(
        "xiaomi.wifispeaker.lx01",
        "media_player",
        "media_player-2",
        "volume_mute",
        {"is_volume_muted": True},
        (2, 2, True),
    ),
    "tv": Case(
        "xiaomi.tv.eanfv1",
        "media_player",
        "media_player-2",
        "volume_mute",
        {"is_volume_muted": True},
        (4, 2, True),
    ),
}


@pytest.fixture
async def real_device(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Any]:
    """A home of one real model (param), its simulated spec server, both on loopback."""
    model = request.param
    shutil.copy(REAL_SPEC_FILES / f"{model}.json", tmp_path / f"{model}.json")
    home_data = {
        "rooms": ["Room"],
        "devices": [{"id": "it", "kind": "device", "model": model, "name": "It", "room": "Room"}],
    }
    home = await asyncio.get_running_loop().run_in_executor(None, load_home, home_data, tmp_path)
    sim = Simulator(home, first_address=first_address(), seed=4)
    await sim.start()
    server = CloudServer(sim)
    await server.start(port=0)
    yield sim.devices["it"], server
    await server.stop()
    await sim.stop()


async def add_by_hand(hass: HomeAssistant, device: VirtualDevice, spec_server: str) -> str:
    """The address-and-token path of the config flow, with the spec server given."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "local"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"host": device.address, "token": device.token, "spec_server": spec_server},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    entry = hass.config_entries.async_get_entry(result["result"].entry_id)
    assert entry is not None
    assert entry.state is ConfigEntryState.LOADED
    return entry.entry_id


def entity_of(hass: HomeAssistant, device: VirtualDevice, domain: str, key: str) -> str:
    """The entity id of the device's entity with this unique-id key."""
    found = er.async_get(hass).async_get_entity_id(domain, DOMAIN, f"{device.did}-{key}")
    assert found is not None, f"no {domain} {key}"
    return found


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
    assert pm25.attributes["unit_of_measurement"] == "µg/m³"
