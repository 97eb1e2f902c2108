"""Adding devices: by hand, discovered, with a new token, at a new address; and the options."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from ipaddress import ip_address
from pathlib import Path
from typing import Any

import pytest
import voluptuous as vol
from homeassistant.config_entries import (
    SOURCE_USER,
    SOURCE_ZEROCONF,
    ConfigEntryState,
    ConfigFlowResult,
)
from homeassistant.const import CONF_HOST, CONF_NAME, CONF_SCAN_INTERVAL, CONF_TOKEN, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.helpers.service_info.zeroconf import ZeroconfServiceInfo
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xiaomi_aiot.const import CONF_DID, CONF_MAC, CONF_MODEL, DOMAIN
from custom_components.xiaomi_aiot.miot.lan import PORT
from custom_components.xiaomi_aiot.miot.packet import HEADER, HEADER_SIZE, MAGIC, FrameCodec
from harness.hass import SetUpDevice, entry_for, sign_in
from harness.net import outside_homes
from harness.simulated import simulated_home
from harness.translations import STRINGS, ZH_HANS
from simulator import Simulator, VirtualDevice
from simulator.cloud import CloudServer

NEW_TOKEN = "0123456789abcdef0123456789abcdef"


# --- every key a flow shows must be translated -------------------------------------------------


pytestmark = pytest.mark.usefixtures("every_flow_result_is_translated")


# --- helpers -----------------------------------------------------------------------------------


def announcement(address: str, name: str) -> ZeroconfServiceInfo:
    """What zeroconf hands over when a device announces itself as `name`."""
    return ZeroconfServiceInfo(
        ip_address=ip_address(address),
        ip_addresses=[ip_address(address)],
        hostname=f"{name.split('.', 1)[0]}.local.",
        name=name,
        port=PORT,
        type="_miio._udp.local.",
        properties={"epoch": "1"},
    )


async def discover(hass: HomeAssistant, device: VirtualDevice) -> ConfigFlowResult:
    """The flow that the device's zeroconf announcement starts."""
    assert device.address is not None
    return await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_ZEROCONF},
        data=announcement(device.address, miio_name(device)),
    )


def miio_name(device: VirtualDevice) -> str:
    """The mDNS service name a miIO device announces: model, then did."""
    return f"{device.model.replace('.', '-')}_miio{device.did}._miio._udp.local."


async def start_adding_by_hand(hass: HomeAssistant) -> ConfigFlowResult:
    """Choose "one device" in the first menu: the form that asks for an address and a token."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["account", "local"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "local"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "local"
    assert result["errors"] == {}
    return result


async def submit(hass: HomeAssistant, result: ConfigFlowResult, **data: Any) -> ConfigFlowResult:
    """Fill in a config flow's form and send it."""
    return await hass.config_entries.flow.async_configure(result["flow_id"], data)


def expected_data(device: VirtualDevice, name: str | None = None) -> dict[str, Any]:
    """The entry data of a device added at its address with its current token."""
    return {
        CONF_HOST: device.address,
        CONF_TOKEN: device.token,
        CONF_DID: str(device.did),
        CONF_MODEL: device.model,
        CONF_MAC: device.info()["mac"],
        CONF_NAME: name,
    }


def entry_at(hass: HomeAssistant, device: VirtualDevice, host: str | None) -> MockConfigEntry:
    """A device's entry, added to Home Assistant (not set up), with the address it had."""
    entry = entry_for(device)
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(entry, data={**entry.data, CONF_HOST: host})
    return entry


def suggested(result: ConfigFlowResult, field: str) -> Any:
    """The value a form fills a field with."""
    (key,) = (key for key in result["data_schema"].schema if key == field)
    return (key.description or {}).get("suggested_value")


type StartScriptedDevice = Callable[[dict[str, Any]], Awaitable[str]]


class ScriptedDevice(asyncio.DatagramProtocol):
    """A miIO endpoint answering the hello, then every request with one scripted reply.

    For devices the simulator cannot be: a model without a bundled spec, a broken `miIO.info`.
    """

    token = "5f" * 16
    did = 4242
    stamp = 1000

    def __init__(self, reply: dict[str, Any]) -> None:
        """`reply` is what follows the id: `{"result": ...}` or `{"error": ...}`."""
        self.reply = reply
        self.codec = FrameCodec(self.token)
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Keep the socket to answer on."""
        assert isinstance(transport, asyncio.DatagramTransport)
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        """Answer a hello with the did and clock, a request with the scripted reply."""
        assert self.transport is not None
        if len(data) == HEADER_SIZE:
            hello = HEADER.pack(MAGIC, HEADER_SIZE, 0, self.did, self.stamp, b"\xff" * 16)
            self.transport.sendto(hello, addr)
            return
        request = json.loads(self.codec.decode(data).payload)
        payload = json.dumps({"id": request["id"], **self.reply}).encode()
        self.transport.sendto(self.codec.encode(self.did, self.stamp, payload), addr)


@pytest.fixture
async def scripted_device() -> AsyncIterator[StartScriptedDevice]:
    """Start scripted devices on free loopback addresses at the miIO port; stop them after."""
    transports: list[asyncio.DatagramTransport] = []

    async def start(reply: dict[str, Any]) -> str:
        loop = asyncio.get_running_loop()
        for _ in range(20):
            address = outside_homes()
            try:
                transport, _ = await loop.create_datagram_endpoint(
                    lambda: ScriptedDevice(reply), local_addr=(address, PORT)
                )
            except OSError:
                continue
            transports.append(transport)
            return address
        raise OSError("no free loopback address for a scripted device")

    yield start
    for transport in transports:
        transport.close()


# --- adding a device by hand -------------------------------------------------------------------


async def test_a_device_added_by_hand_gets_its_entry_and_entities(
    hass: HomeAssistant, sim: Simulator
) -> None:
    """Address and token are enough: the entry is named as the spec names the device, keyed by did.

    Xiaomi's documents name devices by their type: the colour bulb's is "Light".
    """
    device = sim.devices["living-room-light"]
    result = await start_adding_by_hand(hass)

    result = await submit(hass, result, host=f" {device.address} ", token=f"{device.token}\n")
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Light"
    assert result["data"] == expected_data(device)
    entry = result["result"]
    assert entry.unique_id == str(device.did)
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("light.light").state == STATE_ON


async def test_a_name_given_when_adding_names_the_device(
    hass: HomeAssistant, sim: Simulator
) -> None:
    """The optional name becomes the entry's title and the device's name."""
    device = sim.devices["study-lamp"]
    result = await start_adding_by_hand(hass)

    result = await submit(hass, result, host=device.address, token=device.token, name="Desk")
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Desk"
    assert result["data"] == expected_data(device, name="Desk")
    assert hass.states.get("light.desk").state == STATE_ON


@pytest.mark.parametrize(
    ("fault", "typed_token", "errors"),
    [
        ({}, "xyz", {CONF_TOKEN: "invalid_token_format"}),
        ({}, "0" * 31, {CONF_TOKEN: "invalid_token_format"}),
        ({}, "g" * 32, {CONF_TOKEN: "invalid_token_format"}),
        ({"token": NEW_TOKEN}, "the old token", {CONF_TOKEN: "invalid_token"}),
        ({"offline": True}, "the token", {"base": "cannot_connect"}),
    ],
    ids=["too-short", "31-characters", "not-hexadecimal", "token-changed", "offline"],
)
async def test_a_failed_attempt_says_why_then_the_right_one_adds_the_device(
    hass: HomeAssistant,
    sim: Simulator,
    fault: dict[str, Any],
    typed_token: str,
    errors: dict[str, str],
) -> None:
    """A bad token, a refused token or a silent device keep the form open with the reason."""
    device = sim.devices["bedroom-light"]
    token = device.token if typed_token.startswith("the") else typed_token
    device.apply_faults(fault)
    result = await start_adding_by_hand(hass)

    result = await submit(hass, result, host=device.address, token=token)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "local"
    assert result["errors"] == errors
    assert suggested(result, CONF_HOST) == device.address

    device.apply_faults({"offline": False})
    result = await submit(hass, result, host=device.address, token=device.token)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_TOKEN] == device.token


@pytest.mark.parametrize(
    ("reply", "error", "placeholders"),
    [
        (
            {"result": {"model": "roborock.vacuum.s5", "fw_ver": "3.5.8", "mac": "02:4D:00:00"}},
            "unsupported_model",
            {"model": "roborock.vacuum.s5"},
        ),
        ({"result": {"fw_ver": "3.5.8"}}, "unknown", {}),
        ({"error": {"code": -32601, "message": "Method not found"}}, "unknown", {}),
    ],
    ids=["model-without-spec", "info-without-model", "info-refused"],
)
async def test_a_device_that_is_not_one_we_know_is_refused_then_another_is_added(
    hass: HomeAssistant,
    sim: Simulator,
    scripted_device: StartScriptedDevice,
    *,
    reply: dict[str, Any],
    error: str,
    placeholders: dict[str, str],
) -> None:
    """A model without a spec is named in the error; a strange `miIO.info` is an unknown error."""
    address = await scripted_device(reply)
    result = await start_adding_by_hand(hass)

    result = await submit(hass, result, host=address, token=ScriptedDevice.token)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}
    assert result["description_placeholders"] == placeholders
    assert hass.config_entries.async_entries(DOMAIN) == []

    device = sim.devices["living-room-tv"]
    result = await submit(hass, result, host=device.address, token=device.token)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_MODEL] == "xiaomi.tv.v1"


async def test_a_device_already_added_is_not_added_twice(
    hass: HomeAssistant, sim: Simulator
) -> None:
    """Adding the same device again aborts, whatever it is called."""
    device = sim.devices["front-door-lock"]
    entry_for(device).add_to_hass(hass)
    result = await start_adding_by_hand(hass)

    result = await submit(hass, result, host=device.address, token=device.token, name="Door")

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_a_discovered_device_can_still_be_added_by_hand(
    hass: HomeAssistant, sim: Simulator
) -> None:
    """Typing in a device that waits among the discovered ones adds it, and ends the discovery."""
    device = sim.devices["xiaoai-speaker"]
    assert device.address is not None
    discovered = await discover(hass, device)
    assert discovered["type"] is FlowResultType.FORM
    result = await start_adding_by_hand(hass)

    result = await submit(hass, result, host=device.address, token=device.token)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == str(device.did)
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []


# --- discovery ---------------------------------------------------------------------------------


async def test_a_known_device_announcing_a_new_address_is_moved_there(
    hass: HomeAssistant, sim: Simulator
) -> None:
    """The entry of a device that moved gets the announced address and comes back to life."""
    device = sim.devices["living-room-ac"]
    assert device.address is not None
    entry = entry_at(hass, device, outside_homes())
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY

    result = await discover(hass, device)
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == device.address
    assert entry.state is ConfigEntryState.LOADED


async def test_an_unknown_device_announcing_itself_asks_only_for_its_token(
    hass: HomeAssistant, sim: Simulator
) -> None:
    """Discovery offers the device by model; wrong tokens are refused, the right one adds it."""
    device = sim.devices["bedroom-ac"]
    assert device.address is not None
    result = await discover(hass, device)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "zeroconf_confirm"
    assert result["description_placeholders"] == {
        "host": device.address,
        "name": "xiaomi.aircondition.mc4",
    }
    assert list(result["data_schema"].schema) == [CONF_TOKEN]
    (progress,) = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert progress["context"]["title_placeholders"] == {"name": "xiaomi.aircondition.mc4"}

    result = await submit(hass, result, token="xyz")
    assert result["errors"] == {CONF_TOKEN: "invalid_token_format"}
    result = await submit(hass, result, token=NEW_TOKEN)
    assert result["errors"] == {CONF_TOKEN: "invalid_token"}

    result = await submit(hass, result, token=device.token)
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Air Conditioner"
    assert result["data"] == expected_data(device)
    assert result["result"].unique_id == str(device.did)
    assert result["result"].state is ConfigEntryState.LOADED


async def test_a_device_announced_twice_is_offered_once(
    hass: HomeAssistant, sim: Simulator
) -> None:
    """mDNS repeats itself: a second announcement of a device on offer is dropped."""
    device = sim.devices["bedroom-ac"]
    assert device.address is not None
    info = announcement(device.address, miio_name(device))
    first = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_ZEROCONF}, data=info
    )

    second = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_ZEROCONF}, data=info
    )

    assert first["type"] is FlowResultType.FORM
    assert second["type"] is FlowResultType.ABORT
    assert second["reason"] == "already_in_progress"


@pytest.mark.parametrize(
    "name",
    [
        "yeelink-light-color1._miio._udp.local.",
        "yeelink-light-color1_miioabc._miio._udp.local.",
        "_miio123456789._miio._udp.local.",
    ],
    ids=["no-did", "did-not-a-number", "no-model"],
)
async def test_a_service_that_is_not_a_miio_device_is_ignored(
    hass: HomeAssistant, name: str
) -> None:
    """Only names of the form <model>_miio<did> are miIO devices."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_ZEROCONF}, data=announcement(outside_homes(), name)
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "not_xiaomi_miio"


# --- a new token -------------------------------------------------------------------------------


async def test_a_device_with_a_new_token_works_again_once_given_it(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Reauth refuses the old token, takes the new one and reloads the device."""
    device = sim.devices["study-lamp"]
    entry = await set_up_device("study-lamp")
    device.apply_faults({"token": NEW_TOKEN})

    result = await entry.start_reauth_flow(hass)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"] == {"name": "Desk Lamp", "host": device.address}

    result = await submit(hass, result, token=entry.data[CONF_TOKEN])
    assert result["errors"] == {CONF_TOKEN: "invalid_token"}

    result = await submit(hass, result, token=NEW_TOKEN.upper())
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_TOKEN] == NEW_TOKEN.upper()
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("light.desk_lamp").state == STATE_ON


async def test_the_token_of_another_device_is_not_taken_for_this_one(
    hass: HomeAssistant, sim: Simulator
) -> None:
    """When another device now answers at the address, its token does not replace this one's."""
    device, other = sim.devices["study-lamp"], sim.devices["bedroom-light"]
    entry = entry_at(hass, device, other.address)
    result = await entry.start_reauth_flow(hass)

    result = await submit(hass, result, token=other.token)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"
    assert entry.data[CONF_TOKEN] == device.token


# --- a new address -----------------------------------------------------------------------------


async def test_a_device_that_moved_is_found_at_its_new_address(
    hass: HomeAssistant, sim: Simulator
) -> None:
    """Reconfigure suggests the old address, says when nothing answers, then takes the new one."""
    device = sim.devices["living-room-tv"]
    old_address = outside_homes()
    entry = entry_at(hass, device, old_address)

    result = await entry.start_reconfigure_flow(hass)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert suggested(result, CONF_HOST) == old_address

    result = await submit(hass, result, host=outside_homes())
    assert result["errors"] == {"base": "cannot_connect"}

    result = await submit(hass, result, host=device.address)
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data == {**entry_for(device).data}
    assert entry.state is ConfigEntryState.LOADED


async def test_the_address_of_another_device_is_refused(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Another device at the new address: it refuses the token, or it is seen not to be this one."""
    device, other = sim.devices["bedroom-ac"], sim.devices["living-room-ac"]
    entry = await set_up_device("bedroom-ac")
    result = await entry.start_reconfigure_flow(hass)

    result = await submit(hass, result, host=other.address)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "host_refuses_token"}

    other.apply_faults({"token": device.token})
    result = await submit(hass, result, host=other.address)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"
    assert entry.data[CONF_HOST] == device.address


# --- options -----------------------------------------------------------------------------------


async def test_a_new_poll_interval_reloads_the_device_with_it(
    hass: HomeAssistant, set_up_device: SetUpDevice
) -> None:
    """The form shows the interval in use; a new one is saved and the device polls at it."""
    entry = await set_up_device("living-room-light")
    (coordinator,) = entry.runtime_data.coordinators.values()
    assert coordinator.interval == timedelta(seconds=30)

    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert result["data_schema"]({}) == {CONF_SCAN_INTERVAL: 30}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 10}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {CONF_SCAN_INTERVAL: 10}
    assert entry.state is ConfigEntryState.LOADED
    (coordinator,) = entry.runtime_data.coordinators.values()
    assert coordinator.interval == timedelta(seconds=10)

    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["data_schema"]({}) == {CONF_SCAN_INTERVAL: 10}


@pytest.mark.parametrize("seconds", [4, 601, "often"])
async def test_a_poll_interval_out_of_range_is_refused(
    hass: HomeAssistant, set_up_device: SetUpDevice, seconds: object
) -> None:
    """Intervals outside 5..600 s are refused by the form; a good one is then taken."""
    entry = await set_up_device("living-room-light")
    result = await hass.config_entries.options.async_init(entry.entry_id)

    with pytest.raises(InvalidData) as refused:
        await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_SCAN_INTERVAL: seconds}
        )
    assert isinstance(refused.value, vol.Invalid)
    assert entry.options == {}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: "600"}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {CONF_SCAN_INTERVAL: 600}


# --- older miIO devices, and devices an account already has ------------------------------------


async def test_an_older_miio_device_is_refused_by_name_in_both_languages(
    hass: HomeAssistant, sim: Simulator
) -> None:
    """A device that does not speak MIoT is named, with the way to add it: the account."""
    device = sim.devices["bedroom-light"]
    device.apply_faults({"legacy": True})
    result = await start_adding_by_hand(hass)

    result = await submit(hass, result, host=device.address, token=device.token)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "legacy_device"}
    assert result["description_placeholders"] == {"model": device.model}
    for strings, account_word in ((STRINGS, "Xiaomi account"), (ZH_HANS, "小米账号")):
        text = strings["config"]["error"]["legacy_device"]
        assert "{model}" in text
        assert account_word in text
    assert hass.config_entries.async_entries(DOMAIN) == []

    device.apply_faults({"legacy": False})
    result = await submit(hass, result, host=device.address, token=device.token)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_a_device_of_an_account_not_set_up_is_still_not_added_by_hand(
    hass: HomeAssistant, sim: Simulator, cloud: CloudServer, set_up_device: SetUpDevice
) -> None:
    """An unloaded account still holds its devices in the device registry; a device added by
    address and another account that has no devices are not taken for it."""
    await set_up_device("living-room-tv")
    MockConfigEntry(
        domain=DOMAIN,
        title="someone else",
        unique_id="42",
        version=2,
        data={"entry_type": "account", "username": "someone", "region": "cn"},
    ).add_to_hass(hass)
    account = (await sign_in(hass, cloud))["result"]
    assert await hass.config_entries.async_unload(account.entry_id)
    device = sim.devices["bedroom-ac"]
    result = await start_adding_by_hand(hass)

    result = await submit(hass, result, host=device.address, token=device.token)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_in_account"
    assert result["description_placeholders"] == {"entry": account.title}


async def test_a_device_the_account_serves_is_not_added_again_by_hand_or_by_discovery(
    hass: HomeAssistant, sim: Simulator, account: MockConfigEntry
) -> None:
    """One device, one entry: the address-and-token path and discovery abort, naming the
    account that has it, so that no two entries hold one device."""
    device = sim.devices["bedroom-ac"]
    assert device.address is not None
    result = await start_adding_by_hand(hass)

    result = await submit(hass, result, host=device.address, token=device.token)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_in_account"
    assert result["description_placeholders"] == {"entry": account.title}

    result = await discover(hass, device)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_in_account"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_a_busy_device_that_speaks_miot_is_still_added(
    hass: HomeAssistant, sim: Simulator
) -> None:
    """A device whose controller does not answer the probe's read (-9999 "user ack timeout")
    is a MIoT device all the same: it is added, and its entities come when it answers."""
    device = sim.devices["bedroom-light"]
    device.apply_faults({"busy": True})
    result = await submit(
        hass, await start_adding_by_hand(hass), host=device.address, token=device.token
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == expected_data(device)


ODD_SPEC = {
    "type": "urn:miot-spec-v2:device:switch:0000A003:acme-pulse:1",
    "description": "Pulse",
    "services": [
        {
            "iid": 2,
            "type": "urn:miot-spec-v2:service:switch:0000780C:acme-pulse:1",
            "description": "Switch",
            "properties": [
                {
                    "iid": 1,
                    "type": "urn:miot-spec-v2:property:on:00000006:acme-pulse:1",
                    "description": "Switch Status",
                    "format": "bool",
                    "access": ["write"],
                }
            ],
        }
    ],
}


async def test_a_device_with_nothing_to_read_is_added(hass: HomeAssistant, tmp_path: Path) -> None:
    """An odd spec with no readable property at all (no device information either): the
    probe has nothing to read, and the device is added rather than refused."""
    (tmp_path / "acme.switch.pulse.json").write_text(json.dumps(ODD_SPEC), "utf-8")
    home = {
        "rooms": ["Room"],
        "devices": [
            {
                "id": "it",
                "kind": "device",
                "model": "acme.switch.pulse",
                "name": "It",
                "room": "Room",
            }
        ],
    }
    async with simulated_home(home, seed=4, folder=tmp_path) as (sim, server):
        try:
            device = sim.devices["it"]
            result = await submit(
                hass,
                await start_adding_by_hand(hass),
                host=device.address,
                token=device.token,
                spec_server=server.url,
            )
            assert result["type"] is FlowResultType.CREATE_ENTRY
            assert result["data"][CONF_MODEL] == "acme.switch.pulse"
            await hass.async_block_till_done()
        finally:
            for entry in hass.config_entries.async_entries(DOMAIN):
                await hass.config_entries.async_unload(entry.entry_id)
