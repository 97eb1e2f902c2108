"""Fixtures: the demo home simulated on loopback, and config entries for its devices."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from homeassistant import const as ha_const
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_NAME, CONF_TOKEN
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from homeassistant.util import slugify
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.xiaomi_aiot.const import (
    CONF_DID,
    CONF_MAC,
    CONF_MODEL,
    CONF_SPEC_SERVER,
    DOMAIN,
)
from simulator import Simulator, VirtualDevice, load_home
from simulator.cloud import CloudServer
from tests.loopback import first_address
from tests.real_specs import REAL_SPEC_FILES

DEMO_HOME = Path(__file__).parents[2] / "simulator" / "homes" / "demo.yaml"


type SetUpDevice = Callable[..., Awaitable[MockConfigEntry]]

HA_VERSION = ".".join(ha_const.__version__.split(".")[:2])


class VersionedSnapshotExtension(HomeAssistantSnapshotExtension):
    """Snapshots kept per Home Assistant release (`snapshots/ha-2025.4/`...).

    How registry entries and states serialise changes between releases; each supported
    release has its own reviewed snapshots of the same entities.
    """

    @classmethod
    def dirname(cls, *, test_location: Any) -> str:
        """`snapshots/ha-<major>.<minor>` beside the test file."""
        return str(Path(super().dirname(test_location=test_location)) / f"ha-{HA_VERSION}")


@pytest.fixture
def versioned_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """The snapshot fixture, with Home Assistant's serialisers, kept per release."""
    return snapshot.use_extension(VersionedSnapshotExtension)


def entity_id(hass: HomeAssistant, written: str) -> str:
    """The entity id Home Assistant gave the entity written here as 2025.4 names it.

    Newer releases put a device's area in front of the ids of new entities
    (``light.living_room_living_room_ceiling_light``); tests name entities by domain and name.
    """
    if hass.states.get(written) is not None:
        return written
    domain, _, slug = written.partition(".")
    for state in hass.states.async_all(domain):
        if slugify(state.name) == slug or state.entity_id.endswith(f"_{slug}"):
            return state.entity_id
    return written


def device_of(hass: HomeAssistant, did: str | int) -> dr.DeviceEntry | None:
    """The registry device of a did, whichever Home Assistant release runs the tests."""
    registry = dr.async_get(hass)
    identifier = (DOMAIN, str(did))
    by_identifier = getattr(registry, "async_get_device_by_identifier", None)
    if by_identifier is None:  # before 2026: identifiers were global
        return registry.async_get_device(identifiers={identifier})
    for entry in hass.config_entries.async_entries(DOMAIN):
        if device := by_identifier(identifier, entry.entry_id):
            return device  # type: ignore[no-any-return]
    return None


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from custom_components/."""


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    """The demo home, every LAN device a real miIO endpoint on loopback."""
    home = await asyncio.get_running_loop().run_in_executor(None, load_home, DEMO_HOME)
    simulator = Simulator(home, first_address=first_address(), seed=1)
    await simulator.start()
    yield simulator
    await simulator.stop()


NO_SPEC_SERVER = "http://127.0.0.1:9"
"""A spec server address where nothing listens: the device's bundled spec stands in."""


def entry_for(device: VirtualDevice, **options: Any) -> MockConfigEntry:
    """A config entry for a simulated device, as the config flow would create it."""
    assert device.address is not None
    return MockConfigEntry(
        domain=DOMAIN,
        title=device.name,
        unique_id=str(device.did),
        data={
            CONF_HOST: device.address,
            CONF_TOKEN: device.token,
            CONF_DID: str(device.did),
            CONF_MODEL: device.model,
            CONF_MAC: device.info()["mac"],
            CONF_NAME: device.name,
            CONF_SPEC_SERVER: NO_SPEC_SERVER,
        },
        options=options,
    )


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


async def sign_in(hass: HomeAssistant, cloud: CloudServer, **changes: Any) -> dict[str, Any]:
    """Go through the account path of the config flow with the password; the last result."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "account"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "password"}
    )
    assert result["step_id"] == "password"
    answer = {
        "region": "cn",
        "server_url": cloud.url,
        "spec_server": cloud.url,
        "username": "demo",
        "password": "demo",
    }
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**answer, **changes}
    )
    if result["type"] is FlowResultType.FORM and result["step_id"] == "homes":
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {"homes": [cloud.home_id]}
        )
        await hass.async_block_till_done()
    return dict(result)


@pytest.fixture
async def account(hass: HomeAssistant, cloud: CloudServer) -> MockConfigEntry:
    """The demo account, signed in through the config flow and loaded."""
    result = await sign_in(hass, cloud)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = hass.config_entries.async_get_entry(result["result"].entry_id)
    assert entry is not None
    assert entry.state is ConfigEntryState.LOADED
    return entry  # type: ignore[return-value]


NEXT_POLL = timedelta(seconds=181)
"""Time in which every device polls at least once at the default intervals: a device's first
poll after set-up falls up to one interval (its phase) after the interval, and while a device
pushes its changes it polls every 150 s."""


async def later(hass: HomeAssistant, delta: timedelta = NEXT_POLL) -> None:
    """Let time pass so polls run, and wait for them."""
    async_fire_time_changed(hass, dt_util.utcnow() + delta)
    await hass.async_block_till_done(wait_background_tasks=True)


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
