"""The Xiaomi account path against the simulator's cloud over real loopback HTTP (and UDP)."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xiaomi_aiot import async_remove_config_entry_device
from custom_components.xiaomi_aiot.const import CONF_CLOUD_TOKENS, DEVICE_LIST_INTERVAL, DOMAIN
from custom_components.xiaomi_aiot.miot.route import Route
from harness.hass import device_of, entity_id, later, sign_in
from simulator import Simulator
from simulator.cloud import CloudServer


async def test_a_wrong_password_is_refused_then_the_right_one_signs_in(
    hass: HomeAssistant, cloud: CloudServer
) -> None:
    """The sign-in form says what went wrong and recovers."""
    result = await sign_in(hass, cloud, password="nope")
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"region": "cn", "server_url": cloud.url, "username": "demo", "password": "demo"},
    )
    assert result["step_id"] == "homes"


async def test_an_unreachable_cloud_is_reported(hass: HomeAssistant, cloud: CloudServer) -> None:
    """A server that does not answer is a connection error, not a wrong password."""
    result = await sign_in(hass, cloud, server_url="http://127.0.0.1:9")
    assert result["errors"] == {"base": "cannot_connect_cloud"}


async def test_signing_in_adds_the_whole_home_with_areas(
    hass: HomeAssistant, sim: Simulator, account: MockConfigEntry
) -> None:
    """Every device of the home arrives, the car and the people too, in areas from rooms."""
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), account.entry_id)
    assert {device.name for device in devices} == {d.name for d in sim.devices.values()}
    areas = ar.async_get(hass)
    by_name = {device.name: device for device in devices}
    light = by_name["Living Room Ceiling Light"]
    assert light.area_id is not None
    assert areas.async_get_area(light.area_id).name == "Living Room"  # type: ignore[union-attr]
    assert account.title == "demo"
    assert hass.states.get(entity_id(hass, "light.living_room_ceiling_light")).state == "on"


async def test_the_same_account_is_added_once(
    hass: HomeAssistant, cloud: CloudServer, account: MockConfigEntry
) -> None:
    """One entry per account."""
    result = await sign_in(hass, cloud)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_lan_devices_go_local_and_fall_back_to_the_cloud(
    hass: HomeAssistant, sim: Simulator, account: MockConfigEntry
) -> None:
    """A device answering on the LAN is used there; silent there, it is reached by cloud."""
    did = str(sim.devices["study-lamp"].did)
    coordinator = account.runtime_data.coordinators[did]
    transport = coordinator.device.transport
    assert transport.active is Route.LAN  # type: ignore[attr-defined]
    sim.devices["study-lamp"].apply_faults({"loss": 1.0})
    lamp = entity_id(hass, "light.desk_lamp")
    await hass.services.async_call("light", "turn_off", {"entity_id": lamp}, blocking=True)
    assert sim.devices["study-lamp"].get(2, 1) is False
    assert transport.active is Route.CLOUD  # type: ignore[attr-defined]
    assert hass.states.get(lamp).state == "off"


async def test_an_expired_token_is_refreshed_and_kept(
    hass: HomeAssistant, cloud: CloudServer, account: MockConfigEntry
) -> None:
    """When the cloud refuses the service token, the passToken renews it; it is used and saved."""
    before = account.data[CONF_CLOUD_TOKENS]["service_token"]
    runtime = account.runtime_data
    cloud.apply_faults({"expire_tokens": True})
    await later(hass)
    assert account.runtime_data is runtime  # saving tokens does not reload the account
    assert hass.states.get("sensor.xiaomi_su7_battery").state != STATE_UNAVAILABLE
    assert account.data[CONF_CLOUD_TOKENS]["service_token"] != before
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)


async def test_a_refused_refresh_asks_to_sign_in_again(
    hass: HomeAssistant, cloud: CloudServer, account: MockConfigEntry
) -> None:
    """If the passToken is refused, the user is asked to sign in again, once."""
    cloud.apply_faults({"expire_tokens": True, "refuse_pass_token": True})
    await later(hass)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {"next_step_id": "reauth_password"}
    )
    result = await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {"password": "wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    cloud.apply_faults({"refuse_pass_token": False})
    result = await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {"password": "demo"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert account.state is ConfigEntryState.LOADED


async def test_cloud_failures_make_cloud_devices_unavailable_until_it_recovers(
    hass: HomeAssistant, cloud: CloudServer, account: MockConfigEntry
) -> None:
    """5xx answers: the car is unavailable; the cloud back: it is available again."""
    battery = "sensor.xiaomi_su7_battery"
    level = hass.states.get(battery).state
    assert level not in (STATE_UNAVAILABLE, "unknown")
    cloud.apply_faults({"error_rate": 1.0})
    await later(hass)
    assert hass.states.get(battery).state == STATE_UNAVAILABLE
    cloud.apply_faults({"error_rate": 0.0})
    await later(hass)
    assert hass.states.get(battery).state == level


async def test_new_devices_appear_and_removed_ones_go_without_a_restart(
    hass: HomeAssistant, sim: Simulator, cloud: CloudServer, account: MockConfigEntry
) -> None:
    """The account's device list is followed while Home Assistant runs."""
    await cloud.membership.add(
        {"id": "hall-lamp", "kind": "light", "name": "Hall Lamp", "room": "Hallway"}
    )
    removed = cloud.membership.remove("bedroom-light")
    assert removed is not None
    await later(hass, DEVICE_LIST_INTERVAL + timedelta(seconds=1))
    registry = dr.async_get(hass)
    names = {d.name for d in dr.async_entries_for_config_entry(registry, account.entry_id)}
    assert "Hall Lamp" in names
    assert "Bedside Lamp" not in names
    assert hass.states.get(entity_id(hass, "light.hall_lamp")) is not None


async def test_a_device_the_cloud_no_longer_knows_raises_a_repair_until_it_is_gone(
    hass: HomeAssistant, sim: Simulator, cloud: CloudServer, account: MockConfigEntry
) -> None:
    """Between device-list reads, a device whose properties no longer exist is reported."""
    did = str(sim.devices["alice-watch"].did)
    cloud.membership.remove("alice-watch")
    await later(hass)
    issues = ir.async_get(hass)
    assert issues.async_get_issue(DOMAIN, f"device_removed_{did}") is not None
    watch = device_of(hass, did)
    assert watch is not None
    assert await async_remove_config_entry_device(hass, account, watch)  # the repair says so
    lamp = device_of(hass, sim.devices["study-lamp"].did)
    assert lamp is not None
    assert not await async_remove_config_entry_device(hass, account, lamp)
    await later(hass, DEVICE_LIST_INTERVAL + timedelta(seconds=1))
    assert issues.async_get_issue(DOMAIN, f"device_removed_{did}") is None
    assert device_of(hass, did) is None


async def test_an_account_unloads_when_assist_was_set_up_after_it(
    hass: HomeAssistant, account: MockConfigEntry
) -> None:
    """The platforms unloaded are the ones set up, even if Assist arrived in between."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    assert await hass.config_entries.async_unload(account.entry_id)
    assert account.state is ConfigEntryState.NOT_LOADED


async def test_a_poll_round_of_the_cloud_devices_is_one_batched_request(
    hass: HomeAssistant, cloud: CloudServer, account: MockConfigEntry
) -> None:
    """The car, phones and watch poll together: their round costs ⌈properties / 150⌉ requests
    of ``/miotspec/prop/get``, not one per device."""
    coordinators = account.runtime_data.coordinators.values()
    cloud_only = [c for c in coordinators if c.device.transport.lan is None]  # type: ignore[attr-defined]
    assert len(cloud_only) >= 4
    properties = sum(len(c.polled) for c in cloud_only)
    before = cloud.xiaomi.api_calls["/app/miotspec/prop/get"]
    rounds = 2
    for _ in range(rounds):
        await later(hass)  # each device polls once (the first time after its phase)
    assert cloud.xiaomi.api_calls["/app/miotspec/prop/get"] - before == rounds * -(
        -properties // 150
    )
    assert all(c.last_update_success for c in cloud_only)
