"""Setting up, unloading and recovering devices."""

from __future__ import annotations

import logging

import pytest
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_ON, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xiaomi_aiot.const import DOMAIN
from custom_components.xiaomi_aiot.coordinator import TOKEN_REFUSALS
from harness.hass import SetUpDevice, entry_for, later
from simulator import Simulator


async def next_poll(hass: HomeAssistant) -> None:
    """Let the next poll happen, and wait for it to finish."""
    await later(hass)


async def test_every_demo_device_sets_up_with_available_entities(
    hass: HomeAssistant, demo_entries: list[MockConfigEntry]
) -> None:
    """All LAN devices of the demo home load, and none of their entities is unavailable."""
    assert all(entry.state is ConfigEntryState.LOADED for entry in demo_entries)
    states = hass.states.async_all()
    assert len(states) > 20
    assert [s.entity_id for s in states if s.state == STATE_UNAVAILABLE] == []


async def test_unloading_closes_the_entry(hass: HomeAssistant, set_up_device: SetUpDevice) -> None:
    """An entry unloads cleanly and its entities become unavailable."""
    entry = await set_up_device("living-room-light")
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert hass.states.get("light.living_room_ceiling_light").state == STATE_UNAVAILABLE


async def test_an_unreachable_device_is_retried_later(hass: HomeAssistant, sim: Simulator) -> None:
    """If the device does not answer at start, setup is retried (not failed)."""
    sim.devices["study-lamp"].apply_faults({"offline": True})
    entry = entry_for(sim.devices["study-lamp"])
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_a_wrong_token_at_start_asks_for_a_new_one(
    hass: HomeAssistant, sim: Simulator
) -> None:
    """A token the device refuses fails setup and starts a reauth flow."""
    entry = entry_for(sim.devices["study-lamp"])
    sim.devices["study-lamp"].apply_faults({"token": "ab" * 16})
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_a_device_going_offline_is_unavailable_then_back(
    hass: HomeAssistant,
    sim: Simulator,
    set_up_device: SetUpDevice,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Offline → unavailable, logged once at info; back → available, logged once."""
    await set_up_device("study-lamp")
    entity_id = "light.desk_lamp"
    assert hass.states.get(entity_id).state == STATE_ON
    caplog.set_level(logging.INFO, logger="custom_components.xiaomi_aiot")
    sim.devices["study-lamp"].apply_faults({"offline": True})
    for _ in range(2):
        await next_poll(hass)
    assert hass.states.get(entity_id).state == STATE_UNAVAILABLE
    lost = [r for r in caplog.records if "Error fetching" in r.getMessage()]
    assert [r.levelno for r in lost] == [logging.INFO]

    sim.devices["study-lamp"].apply_faults({"offline": False})
    await next_poll(hass)
    assert hass.states.get(entity_id).state == STATE_ON
    back = [r for r in caplog.records if "recovered" in r.getMessage()]
    assert [r.levelno for r in back] == [logging.INFO]
    ours = [r for r in caplog.records if r.name.startswith("custom_components.xiaomi_aiot")]
    assert not [r for r in ours if r.levelno >= logging.WARNING]


async def test_a_token_change_while_running_starts_reauth(
    hass: HomeAssistant,
    sim: Simulator,
    set_up_device: SetUpDevice,
) -> None:
    """A device reset with a new token makes Home Assistant ask for it, once its replies have
    failed to verify three polls in a row (one corrupted reply is not a new token)."""
    await set_up_device("study-lamp")
    sim.devices["study-lamp"].apply_faults({"token": "ab" * 16})
    for _ in range(TOKEN_REFUSALS - 1):
        await next_poll(hass)
        assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    await next_poll(hass)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_one_property_error_makes_only_that_entity_unknown(
    hass: HomeAssistant,
    sim: Simulator,
    set_up_device: SetUpDevice,
) -> None:
    """A property that answers an error code is unknown; the device stays available."""
    await set_up_device("living-room-ac")
    electricity = "sensor.living_room_air_conditioner_energy"
    temperature = "sensor.living_room_air_conditioner_temperature"
    assert hass.states.get(electricity).state == "0.0"
    sim.devices["living-room-ac"].apply_faults({"property_errors": {"8.1": -4004}})
    await next_poll(hass)
    assert hass.states.get(electricity).state == STATE_UNKNOWN
    assert hass.states.get(temperature).state == "28.5"


async def test_corrupted_replies_are_a_bad_network_not_a_new_token(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Every reply corrupted for two polls, then clean: unavailable meanwhile, back after,
    and no one is asked for a token."""
    entry = await set_up_device("study-lamp")
    coordinator = next(iter(entry.runtime_data.coordinators.values()))
    coordinator.device.transport.timeout = 0.1  # type: ignore[attr-defined]
    lamp = sim.devices["study-lamp"]
    lamp.apply_faults({"corrupt": 1.0})
    for _ in range(2):
        await next_poll(hass)
        assert not coordinator.last_update_success
    lamp.apply_faults({"corrupt": 0.0})
    await next_poll(hass)
    assert coordinator.last_update_success
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)


async def test_a_log_level_changed_at_run_time_reaches_running_devices(
    hass: HomeAssistant, set_up_device: SetUpDevice
) -> None:
    """Debug logging switched on after set-up shows in the devices' availability logger."""
    entry = await set_up_device("study-lamp")
    coordinator = next(iter(entry.runtime_data.coordinators.values()))
    parent = logging.getLogger("custom_components.xiaomi_aiot")
    before = parent.level
    try:
        parent.setLevel(logging.WARNING)
        assert not coordinator.logger.isEnabledFor(logging.INFO)
        parent.setLevel(logging.DEBUG)
        assert coordinator.logger.isEnabledFor(logging.DEBUG)
    finally:
        parent.setLevel(before)


async def test_yaml_configuration_is_reported_not_used(hass: HomeAssistant) -> None:
    """`xiaomi_aiot:` in configuration.yaml: Home Assistant says to use the UI, and sets up."""
    assert await async_setup_component(hass, DOMAIN, {DOMAIN: {"host": "192.0.2.1"}})
    issue = ir.async_get(hass).async_get_issue("homeassistant", f"config_entry_only_{DOMAIN}")
    assert issue is not None
    assert issue.translation_key == "config_entry_only"
