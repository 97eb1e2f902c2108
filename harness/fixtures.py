"""The shared fixtures: the demo home on loopback, its cloud, its account in Home Assistant.

A pytest plugin, registered once by `pytest_plugins` in `tests/conftest.py`.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any
from unittest.mock import PropertyMock, patch

import pytest
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from harness.hass import (
    DEMO_HOME,
    SetUpDevice,
    VersionedSnapshotExtension,
    entry_for,
    loaded_entry,
    sign_in,
)
from harness.net import first_address
from harness.real_specs import REAL_SPEC_FILES
from simulator import Simulator, load_home
from simulator.cloud import CloudServer


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(request: pytest.FixtureRequest) -> None:
    """Let Home Assistant load the integration from custom_components/ in a test that runs one."""
    if "hass" in request.fixturenames:
        request.getfixturevalue("enable_custom_integrations")


@pytest.fixture
def versioned_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """The snapshot fixture, with Home Assistant's serialisers, kept per release."""
    return snapshot.use_extension(VersionedSnapshotExtension)


@pytest.fixture
def all_entities_enabled() -> Iterable[None]:
    """Register every entity enabled, including those disabled by default."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
        new_callable=PropertyMock,
    ):
        yield


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    """The demo home, every LAN device a real miIO endpoint on loopback."""
    home = await asyncio.get_running_loop().run_in_executor(None, load_home, DEMO_HOME)
    simulator = Simulator(home, first_address=first_address(), seed=1)
    await simulator.start()
    yield simulator
    await simulator.stop()


@pytest.fixture
async def set_up_device(hass: HomeAssistant, sim: Simulator) -> SetUpDevice:
    """Add a simulated device to Home Assistant and wait until it is set up."""

    async def set_up(device_id: str, **options: Any) -> MockConfigEntry:
        entry = entry_for(sim.devices[device_id], **options)
        entry.add_to_hass(hass)
        await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        return entry

    return set_up


@pytest.fixture
async def demo_entries(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> list[MockConfigEntry]:
    """Every LAN device of the demo home, set up."""
    return [await set_up_device(device.id) for device in sim.lan_devices()]


@pytest.fixture
async def cloud(sim: Simulator) -> AsyncIterator[CloudServer]:
    """The demo home's Xiaomi cloud on a loopback port."""
    server = CloudServer(sim)
    await server.start(port=0)
    yield server
    await server.stop()


@pytest.fixture
async def account(hass: HomeAssistant, cloud: CloudServer) -> MockConfigEntry:
    """The demo account, signed in through the config flow and loaded."""
    return loaded_entry(hass, await sign_in(hass, cloud))


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
