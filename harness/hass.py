"""Home Assistant's side of a simulated home: config entries, the config flow, entity ids, time."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from homeassistant import const as ha_const
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_NAME, CONF_TOKEN
from homeassistant.core import HomeAssistant, ServiceResponse
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from homeassistant.util import slugify
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension

from custom_components.xiaomi_aiot.const import (
    CONF_DID,
    CONF_MAC,
    CONF_MODEL,
    CONF_SPEC_SERVER,
    DOMAIN,
)
from simulator import Simulator, VirtualDevice
from simulator.cloud import CloudServer

HOMES = Path(__file__).resolve().parents[1] / "simulator" / "homes"
DEMO_HOME = HOMES / "demo.yaml"
AGENT = "conversation.xiao_ai"
"""The integration's conversation agent."""

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


def device_id(hass: HomeAssistant, sim: Simulator, device: str) -> str:
    """The device registry id of a simulated device set up in Home Assistant."""
    entry = device_of(hass, sim.devices[device].did)
    assert entry is not None
    return entry.id


async def service_call(
    hass: HomeAssistant, service: str, data: dict[str, Any], *, response: bool = False
) -> ServiceResponse:
    """Call one of the integration's services and wait for it; its response when asked for."""
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=response
    )


def entity_of(hass: HomeAssistant, device: VirtualDevice, domain: str, key: str) -> str:
    """The entity id of the device's entity with this unique-id key."""
    found = er.async_get(hass).async_get_entity_id(domain, DOMAIN, f"{device.did}-{key}")
    assert found is not None, f"no {domain} {key}"
    return found


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


def loaded_entry(hass: HomeAssistant, result: dict[str, Any]) -> MockConfigEntry:
    """The entry a config flow's result created, checked to be loaded."""
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    entry = hass.config_entries.async_get_entry(result["result"].entry_id)
    assert entry is not None
    assert entry.state is ConfigEntryState.LOADED
    return entry  # type: ignore[return-value]


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
    await hass.async_block_till_done()
    return loaded_entry(hass, dict(result)).entry_id


NEXT_POLL = timedelta(seconds=181)
"""Time in which every device polls at least once at the default intervals: a device's first
poll after set-up falls up to one interval (its phase) after the interval, and while a device
pushes its changes it polls every 150 s."""


async def later(hass: HomeAssistant, delta: timedelta = NEXT_POLL) -> None:
    """Let time pass so polls run, and wait for them."""
    async_fire_time_changed(hass, dt_util.utcnow() + delta)
    await hass.async_block_till_done(wait_background_tasks=True)


def expose_all(hass: HomeAssistant, entry_id: str) -> None:
    """Expose every entity of an entry to Assist, as a user does who wants voice for all of
    them (locks, the car and people are not exposed by default: tests/voice/test_exposure.py
    speaks to a home left as it comes)."""
    for entity in er.async_entries_for_config_entry(er.async_get(hass), entry_id):
        async_expose_entity(hass, "conversation", entity.entity_id, True)


async def until(hass: HomeAssistant, condition: Callable[[], Any], seconds: float = 3.0) -> None:
    """Wait in real time until `condition()` holds: a report takes a few loop turns."""
    for _ in range(int(seconds / 0.01)):
        await hass.async_block_till_done()
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"not true within {seconds} s")
