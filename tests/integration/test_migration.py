"""Entries made by earlier versions: version-1 accounts sign in again; devices stay as they are."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xiaomi_aiot.const import (
    CONF_CLOUD_TOKENS,
    CONF_ENTRY_TYPE,
    CONF_REGION,
    CONF_SERVER_URL,
    CONF_SPEC_SERVER,
    CONFIG_VERSION,
    DOMAIN,
    ENTRY_TYPE_ACCOUNT,
)
from custom_components.xiaomi_aiot.integration import legacy_sign_in_issue_id
from harness.hass import entry_for
from simulator import Simulator
from simulator.cloud import CloudServer

OLD_TOKENS = {"access_token": "a" * 32, "refresh_token": "r" * 32, "expires_at": 1.7e9}


def old_account(cloud: CloudServer) -> MockConfigEntry:
    """An account entry as version 1 stored it: OAuth-style tokens Xiaomi never issued."""
    return MockConfigEntry(
        domain=DOMAIN,
        version=1,
        title="demo",
        unique_id=f"demo@{cloud.url}",
        data={
            CONF_ENTRY_TYPE: ENTRY_TYPE_ACCOUNT,
            CONF_REGION: "cn",
            CONF_SERVER_URL: cloud.url,
            CONF_SPEC_SERVER: cloud.url,
            CONF_USERNAME: "demo",
            CONF_CLOUD_TOKENS: OLD_TOKENS,
        },
        options={"homes": [cloud.home_id]},
    )


async def test_an_old_account_asks_to_sign_in_again_and_says_why(
    hass: HomeAssistant, cloud: CloudServer
) -> None:
    """Version 1 → 2: its tokens go, one reauthentication and a repair issue; signing in
    again loads it and clears the issue."""
    entry = old_account(cloud)
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.version == CONFIG_VERSION
    assert CONF_CLOUD_TOKENS not in entry.data
    assert entry.data[CONF_USERNAME] == "demo"
    assert entry.state is ConfigEntryState.SETUP_ERROR
    issue = ir.async_get(hass).async_get_issue(DOMAIN, legacy_sign_in_issue_id(entry.entry_id))
    assert issue is not None
    assert issue.translation_key == "legacy_sign_in"
    assert issue.translation_placeholders == {"account": "demo"}
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]

    await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {"next_step_id": "reauth_password"}
    )
    result = await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {"password": "demo"}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.state is ConfigEntryState.LOADED
    assert set(entry.data[CONF_CLOUD_TOKENS]) >= {"user_id", "pass_token", "service_token"}
    assert (
        ir.async_get(hass).async_get_issue(DOMAIN, legacy_sign_in_issue_id(entry.entry_id)) is None
    )


async def test_removing_an_old_account_removes_its_issue(
    hass: HomeAssistant, cloud: CloudServer
) -> None:
    """The repair issue does not outlive the entry."""
    entry = old_account(cloud)
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert (
        ir.async_get(hass).async_get_issue(DOMAIN, legacy_sign_in_issue_id(entry.entry_id)) is None
    )


async def test_an_old_device_entry_is_kept_as_it_is(hass: HomeAssistant, sim: Simulator) -> None:
    """A device added by address and token needs nothing new: same data, loaded, no issue."""
    entry = entry_for(sim.devices["study-lamp"])
    entry.add_to_hass(hass)
    before = dict(entry.data)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.version == CONFIG_VERSION
    assert dict(entry.data) == before
    assert entry.state is ConfigEntryState.LOADED
    assert not ir.async_get(hass).issues


async def test_an_entry_of_a_newer_version_is_refused(hass: HomeAssistant, sim: Simulator) -> None:
    """A downgrade cannot read what a newer version stored: the entry is not set up."""
    device = entry_for(sim.devices["study-lamp"])
    entry = MockConfigEntry(
        domain=DOMAIN, version=CONFIG_VERSION + 1, data=dict(device.data), unique_id="x"
    )
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.MIGRATION_ERROR
