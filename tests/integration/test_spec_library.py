"""Specs from the spec server, kept in Home Assistant's storage: the simulator serves Xiaomi's
spec server on its cloud's port, and its devices are real models from the shared folder."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.xiaomi_aiot.const import CONF_SPEC_SERVER, DOMAIN
from custom_components.xiaomi_aiot.spec_library import (
    DATA_SPECS,
    STORAGE_KEY,
    spec_issue_id,
)
from harness.hass import entry_for, sign_in
from harness.real_specs import ABSENT, REAL_SPEC_FILES
from harness.simulated import simulated_home
from simulator.cloud import CloudServer

pytestmark = pytest.mark.skipif(not REAL_SPEC_FILES.is_dir(), reason=ABSENT)

PLUG_MODEL = "chuangmi.plug.m3"
PLUG_URN = "urn:miot-spec-v2:device:outlet:0000A002:chuangmi-m3:1"
HOME: dict[str, Any] = {
    "account": {"username": "demo", "password": "demo"},
    "rooms": ["客厅"],
    "devices": [
        {"id": "lamp", "kind": "light", "name": "台灯", "room": "客厅"},
        {"id": "plug", "kind": "device", "model": PLUG_MODEL, "name": "插座", "room": "客厅"},
    ],
}
PLUG_NAMES = {
    "data": {
        "zh_cn": {"service:002:property:002": "插座温度", "service:003:property:001": "指示灯"},
        "en": {"service:002:property:002": "Outlet temperature"},
    }
}


@pytest.fixture
def spec_folder(tmp_path: Path) -> Path:
    """The real plug's document (copied at test time, never kept), with translated names."""
    shutil.copy(REAL_SPEC_FILES / f"{PLUG_MODEL}.json", tmp_path / f"{PLUG_MODEL}.json")
    (tmp_path / f"{PLUG_MODEL}.i18n.json").write_text(
        __import__("json").dumps(PLUG_NAMES, ensure_ascii=False), "utf-8"
    )
    return tmp_path


@pytest.fixture
async def home_cloud(spec_folder: Path) -> AsyncIterator[CloudServer]:
    """The home above, its cloud and its spec server on one loopback port."""
    async with simulated_home(HOME, seed=2, folder=spec_folder) as (_, server):
        yield server


async def saved(hass: HomeAssistant) -> None:
    """Write what waits to be saved, as Home Assistant does when it stops."""
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()


async def restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Unload the entry and forget what is in memory, as a restart does; then set it up."""
    assert await hass.config_entries.async_unload(entry.entry_id)
    hass.data.pop(DATA_SPECS, None)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def plug_switch(hass: HomeAssistant, did: int) -> str:
    """The entity id of the plug's own switch (2.1)."""
    found = er.async_get(hass).async_get_entity_id("switch", DOMAIN, f"{did}-p-2-1")
    assert found is not None
    return found


async def test_a_model_nobody_bundles_is_fetched_stored_and_works_with_the_server_down(
    hass: HomeAssistant, home_cloud: CloudServer, hass_storage: dict[str, Any]
) -> None:
    """The plug's spec comes from the spec server at the URN the account gives; at the next
    start it is used from storage, the server not asked and not needed."""
    result = await sign_in(hass, home_cloud, spec_server=home_cloud.url)
    entry = hass.config_entries.async_get_entry(result["result"].entry_id)
    assert entry is not None
    plug = home_cloud.simulator.devices["plug"]
    switch = plug_switch(hass, plug.did)

    await hass.services.async_call("switch", "turn_off", {"entity_id": switch}, blocking=True)
    assert plug.get(2, 1) is False
    await saved(hass)
    stored = hass_storage[STORAGE_KEY]["data"]["documents"]
    assert stored[PLUG_URN]["document"]["type"] == PLUG_URN
    fetched = home_cloud.spec_server.requests["instance"]
    assert fetched == 2  # the plug's and the lamp's

    home_cloud.apply_faults({"spec_server": "down"})
    await restart(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get(switch).state == "off"
    assert home_cloud.spec_server.requests["instance"] == fetched
    await hass.services.async_call("switch", "turn_on", {"entity_id": switch}, blocking=True)
    assert plug.get(2, 1) is True


async def test_a_device_without_a_spec_waits_with_a_repair_issue_and_comes_when_it_arrives(
    hass: HomeAssistant, home_cloud: CloudServer
) -> None:
    """The server is down and nothing is stored: the lamp (whose spec is bundled) works, the
    plug waits with a repair issue, and is set up by itself once the server answers."""
    home_cloud.apply_faults({"spec_server": "error"})
    result = await sign_in(hass, home_cloud, spec_server=home_cloud.url)
    entry = hass.config_entries.async_get_entry(result["result"].entry_id)
    assert entry is not None
    assert entry.state is ConfigEntryState.LOADED
    plug, lamp = home_cloud.simulator.devices["plug"], home_cloud.simulator.devices["lamp"]
    issue = ir.async_get(hass).async_get_issue(DOMAIN, spec_issue_id(str(plug.did)))
    assert issue is not None
    assert issue.translation_key == "spec_unavailable"
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["model"] == PLUG_MODEL
    assert str(plug.did) not in entry.runtime_data.coordinators
    assert str(lamp.did) in entry.runtime_data.coordinators

    home_cloud.apply_faults({"spec_server": None})
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=61))
    await hass.async_block_till_done(wait_background_tasks=True)

    assert str(plug.did) in entry.runtime_data.coordinators
    assert ir.async_get(hass).async_get_issue(DOMAIN, spec_issue_id(str(plug.did))) is None
    assert hass.states.get(plug_switch(hass, plug.did)) is not None


async def test_a_refresh_that_fails_keeps_the_stored_spec(
    hass: HomeAssistant, home_cloud: CloudServer, hass_storage: dict[str, Any]
) -> None:
    """A month-old spec is fetched again in the background; while the server fails, the old
    copy stays and the device works; once it answers, the copy is new."""
    result = await sign_in(hass, home_cloud, spec_server=home_cloud.url)
    entry = hass.config_entries.async_get_entry(result["result"].entry_id)
    assert entry is not None
    await saved(hass)
    documents = hass_storage[STORAGE_KEY]["data"]["documents"]
    old = (dt_util.utcnow() - timedelta(days=40)).isoformat()
    documents[PLUG_URN]["fetched"] = old

    home_cloud.apply_faults({"spec_server": "garbage"})
    await restart(hass, entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    await saved(hass)

    assert entry.state is ConfigEntryState.LOADED
    assert hass_storage[STORAGE_KEY]["data"]["documents"][PLUG_URN]["fetched"] == old
    plug = home_cloud.simulator.devices["plug"]
    assert hass.states.get(plug_switch(hass, plug.did)) is not None

    home_cloud.apply_faults({"spec_server": None})
    await restart(hass, entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    await saved(hass)
    assert hass_storage[STORAGE_KEY]["data"]["documents"][PLUG_URN]["fetched"] != old


@pytest.mark.parametrize(
    ("language", "name"), [("zh-Hans", "插座温度"), ("en", "Outlet temperature")]
)
async def test_names_no_translation_key_gives_come_from_the_spec_server(
    hass: HomeAssistant, home_cloud: CloudServer, language: str, name: str
) -> None:
    """The plug's temperature is named by the spec server's multi-language document."""
    hass.config.language = language
    await sign_in(hass, home_cloud, spec_server=home_cloud.url)
    plug = home_cloud.simulator.devices["plug"]
    entity = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{plug.did}-p-2-2")
    assert entity is not None
    state = hass.states.get(entity)
    assert state is not None
    assert state.name.endswith(name)


async def test_a_device_added_by_hand_waits_for_its_spec_and_is_retried(
    hass: HomeAssistant, home_cloud: CloudServer
) -> None:
    """Set up by address and token with the spec server failing: not ready, with a repair
    issue; Home Assistant's retry sets it up once the server answers."""
    plug = home_cloud.simulator.devices["plug"]
    entry = entry_for(plug)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=entry.title,
        unique_id=entry.unique_id,
        data={**entry.data, CONF_SPEC_SERVER: home_cloud.url},
    )
    entry.add_to_hass(hass)
    home_cloud.apply_faults({"spec_server": "error"})

    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert ir.async_get(hass).async_get_issue(DOMAIN, spec_issue_id(str(plug.did))) is not None

    home_cloud.apply_faults({"spec_server": None})
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=5))
    await hass.async_block_till_done(wait_background_tasks=True)

    assert entry.state is ConfigEntryState.LOADED
    assert ir.async_get(hass).async_get_issue(DOMAIN, spec_issue_id(str(plug.did))) is None
    assert hass.states.get(plug_switch(hass, plug.did)) is not None
