"""The shared fixtures: the demo home on loopback, its cloud, its account in Home Assistant.

A pytest plugin, registered once by `pytest_plugins` in `tests/conftest.py`.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from unittest.mock import PropertyMock, patch

import pytest
from aiohttp.test_utils import TestClient
from homeassistant.config_entries import ConfigEntriesFlowManager, OptionsFlowManager
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowManager
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.xiaomi_aiot.const import DOMAIN
from harness.hass import (
    DEMO_HOME,
    SetUpDevice,
    VersionedSnapshotExtension,
    add_by_hand,
    entry_for,
    loaded_entry,
    sign_in,
)
from harness.net import first_address
from harness.platforms import (
    MatchPlatform,
    MatchSnapshots,
    assert_entities_match_snapshots,
    assert_every_platform_matches_snapshots,
)
from harness.real_specs import REAL_SPEC_FILES
from harness.simulated import serving_cloud, simulated_home
from harness.skill import KEY_ID, SECRET
from harness.translations import ROUTES_STEP, ZH_HANS, translation_problems
from simulator import Simulator, VirtualDevice, load_home
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
    async with serving_cloud(sim) as server:
        yield server


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
    async with simulated_home(home_data, seed=4, folder=tmp_path) as (sim, server):
        yield sim.devices["it"], server


@pytest.fixture
async def client(hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator) -> TestClient:
    """An HTTP client into Home Assistant's server, which no token is given to."""
    assert await async_setup_component(hass, "http", {})
    # As Home Assistant's server does when it starts: views may still be added while it runs.
    hass.http.app.router.freeze = lambda: None  # type: ignore[method-assign]
    return await hass_client_no_auth()


@pytest.fixture
async def skill_entry(set_up_device: SetUpDevice, client: TestClient) -> MockConfigEntry:
    """The living-room light, its entry holding the skill's key."""
    return await set_up_device(
        "living-room-light", skill_key_id=KEY_ID, skill_secret=SECRET, scan_interval=30
    )


@pytest.fixture
def devices_match_snapshots(
    hass: HomeAssistant,
    set_up_device: SetUpDevice,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> MatchSnapshots:
    """Set up demo devices by id (none: take the entries set up already); check their entities,
    registry entry and state, against `snapshots/` beside the test."""

    async def match(*device_ids: str) -> None:
        entries = [await set_up_device(device_id) for device_id in device_ids]
        entries = entries or hass.config_entries.async_entries(DOMAIN)
        await assert_entities_match_snapshots(hass, entity_registry, snapshot, entries)

    return match


@pytest.fixture
def real_device_matches_snapshots(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    versioned_snapshot: SnapshotAssertion,
    real_device: tuple[VirtualDevice, CloudServer],
) -> Callable[[], Awaitable[None]]:
    """Add the real model by hand; check every platform's entities against `snapshots/`."""

    async def match() -> None:
        device, server = real_device
        entry_id = await add_by_hand(hass, device, server.url)
        assert_every_platform_matches_snapshots(hass, entity_registry, versioned_snapshot, entry_id)

    return match


@pytest.fixture
def every_flow_result_is_translated(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Check each step's result of our flows against strings.json and the Chinese translation as
    the flows run."""
    handle_step = FlowManager._async_handle_step
    problems: list[str] = []

    async def checked(self: FlowManager[Any, Any, Any], flow: Any, *args: Any) -> Any:
        result = await handle_step(self, flow, *args)
        if isinstance(self, ConfigEntriesFlowManager) and flow.handler == DOMAIN:
            problems.extend(translation_problems("config", result))
            problems.extend(
                f"zh-Hans: {p}" for p in translation_problems("config", result, ZH_HANS)
            )
        elif isinstance(self, OptionsFlowManager):
            for strings in (None, ZH_HANS):
                found = translation_problems("options", result, strings)
                problems.extend(p for p in found if not p.startswith(ROUTES_STEP))
        return result

    monkeypatch.setattr(FlowManager, "_async_handle_step", checked)
    yield
    assert problems == []


@pytest.fixture
def real_platform_matches_snapshots(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    real_device: tuple[VirtualDevice, CloudServer],
) -> MatchPlatform:
    """Add the real model by hand with only one platform; its entities against `snapshots/`."""

    async def match(platform: Platform) -> None:
        device, server = real_device
        with patch("custom_components.xiaomi_aiot.integration.PLATFORMS", [platform]):
            entry_id = await add_by_hand(hass, device, server.url)
        extended = snapshot.use_extension(VersionedSnapshotExtension)
        await snapshot_platform(hass, entity_registry, extended, entry_id)

    return match
