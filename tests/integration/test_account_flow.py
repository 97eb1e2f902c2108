"""The account's flows: the password (captcha, 2-step), the QR code, the region, homes, reauth,
a new server, options and routes.

Everything runs against the simulated cloud over loopback HTTP and the simulated devices over
loopback UDP; what a choice changed is checked in the simulator (the cloud's action log, a
device that only answers on one path) or in Home Assistant's registries.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigEntryState,
    ConfigFlowResult,
)
from homeassistant.const import CONF_SCAN_INTERVAL, STATE_OFF, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, start_reauth_flow
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.xiaomi_aiot.config_flow import QR_TASK_NAME
from custom_components.xiaomi_aiot.const import (
    CONF_CLOUD_SCAN_INTERVAL,
    CONF_CLOUD_TOKENS,
    CONF_ENTRY_TYPE,
    CONF_HOMES,
    CONF_ROUTES,
    CONF_SERVER_URL,
    DOMAIN,
    ENTRY_TYPE_ACCOUNT,
)
from custom_components.xiaomi_aiot.miot.mi_api import COUNTRIES
from custom_components.xiaomi_aiot.miot.route import Route, RoutedTransport
from harness.hass import SetUpDevice, device_of, later, sign_in
from harness.hass import entity_id as named_entity
from harness.html_server import serving_html
from harness.simulated import serving_cloud
from simulator import Simulator
from simulator.cloud import CloudServer
from simulator.xiaomi import MASKED_EMAIL, MASKED_PHONE

pytestmark = pytest.mark.usefixtures("every_flow_result_is_translated")


# --- helpers -----------------------------------------------------------------------------------


@pytest.fixture
async def other_cloud(sim: Simulator) -> AsyncIterator[CloudServer]:
    """The same account served on another port: another server the account can move to."""
    async with serving_cloud(sim) as server:
        yield server


@pytest.fixture
async def garbled_cloud() -> AsyncIterator[str]:
    """A server that answers every request with 200 and a body that is not JSON."""
    async with serving_html() as url:
        yield url


def sign_in_answer(server_url: str, **changes: Any) -> dict[str, Any]:
    """What the user types in the sign-in form."""
    return {
        "region": "cn",
        "server_url": server_url,
        "username": "demo",
        "password": "demo",
        **changes,
    }


async def reconfigure(hass: HomeAssistant, entry: ConfigEntry) -> ConfigFlowResult:
    """Start the reconfigure flow of an entry."""
    return await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )


async def submit(hass: HomeAssistant, result: ConfigFlowResult, **data: Any) -> ConfigFlowResult:
    """Fill in a config flow's form and send it."""
    return await hass.config_entries.flow.async_configure(result["flow_id"], data)


async def open_options(hass: HomeAssistant, entry: ConfigEntry) -> ConfigFlowResult:
    """The options' first form."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    return result


async def answer_options(
    hass: HomeAssistant, result: ConfigFlowResult, **data: Any
) -> ConfigFlowResult:
    """Fill in an options form and send it."""
    return await hass.config_entries.options.async_configure(result["flow_id"], data)


async def choose_routes(
    hass: HomeAssistant, entry: ConfigEntry, routes: dict[str, str]
) -> ConfigFlowResult:
    """Keep the intervals and homes, choose routes by device label; wait for the reload."""
    result = await open_options(hass, entry)
    result = await answer_options(hass, result)
    assert result["step_id"] == "routes"
    result = await answer_options(hass, result, **routes)
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    return result


def fields(result: ConfigFlowResult) -> list[str]:
    """The names of a form's fields."""
    return [str(key) for key in result["data_schema"].schema]


def transport_of(entry: ConfigEntry, sim: Simulator, device_id: str) -> RoutedTransport:
    """The routed transport of a device's coordinator."""
    coordinator = entry.runtime_data.coordinators[str(sim.devices[device_id].did)]
    transport = coordinator.device.transport
    assert isinstance(transport, RoutedTransport)
    return transport


def device_names(hass: HomeAssistant, entry: ConfigEntry) -> set[str]:
    """The names of the entry's devices in the device registry."""
    registry = dr.async_get(hass)
    return {str(d.name) for d in dr.async_entries_for_config_entry(registry, entry.entry_id)}


# --- signing in with the password -------------------------------------------------------------


async def start_account(hass: HomeAssistant, method: str) -> ConfigFlowResult:
    """Open the account path and choose how to sign in (``password`` or ``qr``)."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": "user"})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "account"}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["password", "qr_where"]
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": method}
    )


async def choose(hass: HomeAssistant, result: ConfigFlowResult, option: str) -> ConfigFlowResult:
    """Choose an option of a menu."""
    assert result["type"] is FlowResultType.MENU
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": option}
    )


async def choose_home(
    hass: HomeAssistant, cloud: CloudServer, result: ConfigFlowResult
) -> ConfigEntry:
    """Choose the account's home at the homes step; the entry made, loaded."""
    assert result["step_id"] == "homes", result
    result = await submit(hass, result, homes=[cloud.home_id])
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry: ConfigEntry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    return entry


async def submit_while_failing(
    hass: HomeAssistant, cloud: CloudServer, result: ConfigFlowResult, **data: Any
) -> ConfigFlowResult:
    """Send a step while the cloud fails: the same step again, saying it could not connect.
    The cloud works again afterwards."""
    cloud.apply_faults({"error_rate": 1.0})
    failed = await submit(hass, result, **data)
    cloud.apply_faults({"error_rate": 0.0})
    assert failed["step_id"] == result["step_id"]
    assert failed["errors"] == {"base": "cannot_connect_cloud"}
    return failed


def unsigned_account(hass: HomeAssistant, cloud: CloudServer, unique_id: str) -> MockConfigEntry:
    """An account entry with no tokens (not set up), at `cloud`'s server."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="demo",
        unique_id=unique_id,
        version=2,
        data={
            CONF_ENTRY_TYPE: ENTRY_TYPE_ACCOUNT,
            "username": "demo",
            "region": "cn",
            CONF_SERVER_URL: cloud.url,
        },
        options={CONF_HOMES: [cloud.home_id]},
    )
    entry.add_to_hass(hass)
    return entry


def assert_account_entry(entry: ConfigEntry, cloud: CloudServer, username: str) -> None:
    """The entry as the runtime reads it: the Xiaomi user id, tokens, no password anywhere."""
    assert entry.unique_id == cloud.xiaomi.user_id
    assert entry.title == username
    tokens = entry.data[CONF_CLOUD_TOKENS]
    assert tokens["user_id"] == cloud.xiaomi.user_id
    assert set(tokens) == {"user_id", "pass_token", "ssecurity", "service_token", "c_user_id"}
    assert {k: v for k, v in entry.data.items() if k != CONF_CLOUD_TOKENS} == {
        CONF_ENTRY_TYPE: ENTRY_TYPE_ACCOUNT,
        "username": username,
        "region": "cn",
        CONF_SERVER_URL: cloud.url,
        "spec_server": cloud.url,
    }
    assert "demo" not in str(tokens.values())  # the password is kept nowhere
    assert entry.version == 2
    assert entry.minor_version == 1


@pytest.mark.parametrize(
    ("trouble", "error"),
    [
        ("wrong password", "invalid_auth"),
        ("locked", "rate_limited"),
        ("cloud failing", "cannot_connect_cloud"),
        ("nothing listening", "cannot_connect_cloud"),
        ("garbled answers", "unknown"),
    ],
)
async def test_a_failed_sign_in_says_why_then_the_right_one_adds_the_account(
    hass: HomeAssistant,
    cloud: CloudServer,
    garbled_cloud: str,
    *,
    trouble: str,
    error: str,
) -> None:
    """The password form keeps the answers, says what went wrong, and recovers."""
    cloud.apply_faults({"error_rate": 1.0 if trouble == "cloud failing" else 0.0})
    cloud.apply_faults({"rate_limit": trouble == "locked"})
    server_url = {"nothing listening": "http://127.0.0.1:9", "garbled answers": garbled_cloud}
    password = "nope" if trouble == "wrong password" else "demo"
    result = await sign_in(
        hass, cloud, server_url=server_url.get(trouble, cloud.url), password=password
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "password"
    assert result["errors"] == {"base": error}
    assert hass.config_entries.async_entries(DOMAIN) == []

    cloud.apply_faults({"error_rate": 0.0, "rate_limit": False})
    result = await submit(hass, result, **sign_in_answer(cloud.url), spec_server=cloud.url)
    entry = await choose_home(hass, cloud, result)

    assert_account_entry(entry, cloud, "demo")
    assert hass.states.get(named_entity(hass, "light.desk_lamp")) is not None


async def test_a_server_url_that_is_not_http_is_refused(
    hass: HomeAssistant, cloud: CloudServer
) -> None:
    """The server URL field says what is wrong with it; nothing is sent."""
    result = await start_account(hass, "password")
    result = await submit(hass, result, **sign_in_answer("ftp://127.0.0.1"))
    assert result["errors"] == {CONF_SERVER_URL: "invalid_server_url"}
    assert cloud.xiaomi.refusals["password"] == 0


async def test_the_same_account_is_not_added_twice(
    hass: HomeAssistant, cloud: CloudServer, account: ConfigEntry
) -> None:
    """Signing in to an account already added (whatever the user name typed) aborts."""
    result = await sign_in(hass, cloud, username=cloud.xiaomi.user_id)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_the_homes_step_offers_the_account_s_homes_and_needs_one(
    hass: HomeAssistant, sim: Simulator, cloud: CloudServer
) -> None:
    """The homes are listed by name, all chosen at first; choosing none is refused."""
    result = await start_account(hass, "password")
    result = await submit(hass, result, **sign_in_answer(cloud.url, username=" demo "))

    assert result["step_id"] == "homes"
    assert result["data_schema"].schema[CONF_HOMES].options == {cloud.home_id: "Demo Home"}
    assert result["data_schema"]({}) == {CONF_HOMES: [cloud.home_id]}

    result = await submit(hass, result, homes=[])
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HOMES: "no_homes"}
    assert hass.config_entries.async_entries(DOMAIN) == []

    entry = await choose_home(hass, cloud, result)

    assert entry.title == "demo"
    assert entry.unique_id == cloud.xiaomi.user_id
    assert entry.data[CONF_ENTRY_TYPE] == ENTRY_TYPE_ACCOUNT
    assert "spec_server" not in entry.data
    assert entry.options == {CONF_HOMES: [cloud.home_id]}
    assert device_names(hass, entry) == {device.name for device in sim.devices.values()}


async def test_a_captcha_is_shown_and_a_wrong_answer_brings_a_new_one(
    hass: HomeAssistant, cloud: CloudServer
) -> None:
    """The captcha's image is in the step; a wrong reading is refused with a new image."""
    cloud.apply_faults({"captcha": True})
    result = await sign_in(hass, cloud)

    assert result["step_id"] == "captcha"
    assert result["errors"] == {}
    first = result["description_placeholders"]["captcha_image"]
    assert first.startswith("data:image/png;base64,")

    result = await submit(hass, result, captcha="wrong")
    assert result["step_id"] == "captcha"
    assert result["errors"] == {"base": "wrong_captcha"}
    assert result["description_placeholders"]["captcha_image"].startswith("data:image/png")
    assert cloud.xiaomi.captcha_code is not None
    result = await submit_while_failing(hass, cloud, result, captcha=cloud.xiaomi.captcha_code)
    result = await submit(hass, result, captcha=cloud.xiaomi.captcha_code.upper())
    entry = await choose_home(hass, cloud, result)
    assert_account_entry(entry, cloud, "demo")
    assert cloud.xiaomi.refusals["captcha"] == 2  # the first sign-in and the wrong answer


async def test_two_step_verification_asks_where_then_takes_the_right_code(
    hass: HomeAssistant, cloud: CloudServer
) -> None:
    """Text or e-mail is chosen; a wrong code is refused on the code step; the right one adds."""
    cloud.apply_faults({"two_step": True})
    result = await sign_in(hass, cloud)

    assert result["step_id"] == "two_step_method"
    assert result["description_placeholders"] == {"targets": f"{MASKED_PHONE}, {MASKED_EMAIL}"}
    assert result["data_schema"]({}) == {"method": "phone"}
    result = await submit_while_failing(hass, cloud, result, method="email")
    result = await submit(hass, result, method="email")
    assert result["step_id"] == "two_step"
    assert result["description_placeholders"] == {"target": MASKED_EMAIL}
    code = cloud.xiaomi.verification_code
    assert code is not None

    result = await submit(hass, result, code="1" + code)
    assert result["step_id"] == "two_step"
    assert result["errors"] == {"code": "wrong_code"}
    result = await submit_while_failing(hass, cloud, result, code=code)
    result = await submit(hass, result, code=code)
    entry = await choose_home(hass, cloud, result)
    assert_account_entry(entry, cloud, "demo")
    assert cloud.xiaomi.refusals["code"] == 1


async def test_two_step_verification_with_one_way_sends_the_code_at_once(
    hass: HomeAssistant, cloud: CloudServer
) -> None:
    """An account that only has a phone: no choice, the code step names where it went."""
    cloud.apply_faults({"two_step": "phone"})
    result = await sign_in(hass, cloud)

    assert result["step_id"] == "two_step"
    assert result["description_placeholders"] == {"target": MASKED_PHONE}
    assert cloud.xiaomi.verification_code is not None
    result = await submit(hass, result, code=cloud.xiaomi.verification_code)
    await choose_home(hass, cloud, result)


# --- signing in with a QR code -----------------------------------------------------------------


def qr_tasks() -> list[asyncio.Task[Any]]:
    """The flow's QR waits still running."""
    return [t for t in asyncio.all_tasks() if t.get_name() == QR_TASK_NAME and not t.done()]


async def show_qr(hass: HomeAssistant, cloud: CloudServer, **where: Any) -> ConfigFlowResult:
    """The QR step of a new account at `cloud`'s server, as it waits for the phone."""
    result = await start_account(hass, "qr_where")
    assert result["step_id"] == "qr_where"
    answer = {"region": "cn", "server_url": cloud.url, "spec_server": cloud.url, **where}
    return await submit(hass, result, **answer)


async def after_progress(hass: HomeAssistant, result: ConfigFlowResult) -> ConfigFlowResult:
    """Once the QR wait is over, the step the flow went on to."""
    await hass.async_block_till_done()
    return await hass.config_entries.flow.async_configure(result["flow_id"])


def assert_waits_with_the_qr_image(result: ConfigFlowResult) -> None:
    """A progress step that shows the QR code's image, fetched through the server URL."""
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    assert result["step_id"] == "qr"
    assert result["progress_action"] == "qr_scan"
    assert result["description_placeholders"]["qr_image"].startswith("data:image/png;base64,")
    assert len(qr_tasks()) == 1


async def test_a_qr_code_scanned_in_the_app_adds_the_account(
    hass: HomeAssistant, cloud: CloudServer
) -> None:
    """The image is shown while the flow waits; confirmed in the app, the homes follow."""
    result = await show_qr(hass, cloud)
    assert_waits_with_the_qr_image(result)

    assert cloud.xiaomi.confirm_qr()
    entry = await choose_home(hass, cloud, await after_progress(hass, result))

    assert_account_entry(entry, cloud, cloud.xiaomi.user_id)
    assert qr_tasks() == []


async def test_an_expired_qr_code_offers_a_new_one(hass: HomeAssistant, cloud: CloudServer) -> None:
    """Not confirmed in time: a menu offers a new code (or the password); the new one works."""
    cloud.xiaomi.qr_lifetime = 0.2
    result = await show_qr(hass, cloud)
    assert_waits_with_the_qr_image(result)
    result = await after_progress(hass, result)
    assert result["step_id"] == "qr_expired"
    assert result["menu_options"] == ["qr", "password"]

    cloud.xiaomi.qr_lifetime = 300.0
    result = await choose(hass, result, "qr")
    assert_waits_with_the_qr_image(result)
    assert cloud.xiaomi.confirm_qr()
    await choose_home(hass, cloud, await after_progress(hass, result))


async def test_closing_the_flow_stops_waiting_for_the_qr_code(
    hass: HomeAssistant, cloud: CloudServer
) -> None:
    """The dialog closed while the code is shown: the wait is cancelled, nothing is added."""
    result = await show_qr(hass, cloud)
    (task,) = qr_tasks()

    hass.config_entries.flow.async_abort(result["flow_id"])
    await hass.async_block_till_done()

    assert task.cancelled()
    assert qr_tasks() == []
    # Confirmed in the app afterwards, the code signs nobody in here.
    cloud.xiaomi.confirm_qr()
    await hass.async_block_till_done()
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []
    assert hass.config_entries.async_entries(DOMAIN) == []


@pytest.mark.parametrize(("server", "reason"), [("failing", "cannot_connect_cloud")])
async def test_a_qr_code_that_cannot_be_had_ends_the_flow(
    hass: HomeAssistant, cloud: CloudServer, server: str, reason: str
) -> None:
    """No QR code from the account server: the flow ends saying why."""
    del server
    cloud.apply_faults({"error_rate": 1.0})
    result = await show_qr(hass, cloud)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason


async def test_the_qr_step_refuses_a_server_url_that_is_not_http(
    hass: HomeAssistant, cloud: CloudServer
) -> None:
    """The QR path's server field is checked as the password form's is."""
    result = await show_qr(hass, cloud, server_url="ftp://127.0.0.1")
    assert result["step_id"] == "qr_where"
    assert result["errors"] == {CONF_SERVER_URL: "invalid_server_url"}


# --- finding the region ------------------------------------------------------------------------


async def test_a_region_search_offers_the_regions_with_devices(
    hass: HomeAssistant, cloud: CloudServer
) -> None:
    """Every country is asked; only the account's holds devices and is offered."""
    result = await sign_in(hass, cloud, region="search")

    assert result["step_id"] == "region"
    assert result["errors"] == {}
    assert result["data_schema"].schema["region"].config["options"] == ["cn"]
    result = await submit_while_failing(hass, cloud, result, region="cn")
    result = await submit(hass, result, region="cn")
    entry = await choose_home(hass, cloud, result)
    assert_account_entry(entry, cloud, "demo")


async def test_a_region_search_that_finds_no_devices_says_so(
    hass: HomeAssistant, sim: Simulator, cloud: CloudServer
) -> None:
    """An account without devices anywhere: the error, and every region to choose anyway."""
    for device_id in list(sim.devices):
        assert cloud.membership.remove(device_id) is not None
    result = await sign_in(hass, cloud, region="search")

    assert result["step_id"] == "region"
    assert result["errors"] == {"base": "no_devices_anywhere"}
    assert result["data_schema"].schema["region"].config["options"] == list(COUNTRIES)


async def test_a_region_without_homes_asks_for_another_region(
    hass: HomeAssistant, cloud: CloudServer
) -> None:
    """Signed in at a region the account does not use: no homes there, so the flow says so and
    offers the regions; the right one lists the homes, without signing in again."""
    result = await start_account(hass, "password")
    answer = sign_in_answer(cloud.url, region="de", spec_server=cloud.url)
    result = await submit(hass, result, **answer)
    assert result["step_id"] == "region"
    assert result["errors"] == {"base": "no_homes_in_region"}
    assert result["description_placeholders"] == {"region": "de"}
    assert result["data_schema"].schema["region"].config["options"] == list(COUNTRIES)
    signed_in = cloud.xiaomi.describe()["service_tokens"]
    result = await submit(hass, result, region="cn")
    assert result["step_id"] == "homes"
    assert cloud.xiaomi.describe()["service_tokens"] == signed_in
    entry = await choose_home(hass, cloud, result)
    assert_account_entry(entry, cloud, "demo")


# --- signing in again --------------------------------------------------------------------------


async def test_reauth_takes_the_right_password_after_a_wrong_one(
    hass: HomeAssistant, cloud: CloudServer, account: ConfigEntry
) -> None:
    """The menu names the account; a wrong password is refused; the right one saves tokens."""
    before = account.data[CONF_CLOUD_TOKENS]
    result = await start_reauth_flow(hass, account)

    assert result["step_id"] == "reauth_account"
    assert result["menu_options"] == ["reauth_password", "qr"]
    assert result["description_placeholders"]["username"] == "demo"
    result = await choose(hass, result, "reauth_password")
    assert result["description_placeholders"]["username"] == "demo"

    result = await submit(hass, result, password="wrong")
    assert result["errors"] == {"base": "invalid_auth"}
    result = await submit_while_failing(hass, cloud, result, password="demo")
    result = await submit(hass, result, password="demo")
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert account.data[CONF_CLOUD_TOKENS]["service_token"] != before["service_token"]
    assert account.unique_id == cloud.xiaomi.user_id
    assert account.state is ConfigEntryState.LOADED


async def test_reauth_by_qr_code_saves_the_new_tokens(
    hass: HomeAssistant, cloud: CloudServer, account: ConfigEntry
) -> None:
    """The QR code works for signing in again; the entry keeps its user name."""
    before = account.data[CONF_CLOUD_TOKENS]
    result = await choose(hass, await start_reauth_flow(hass, account), "qr")
    assert_waits_with_the_qr_image(result)

    assert cloud.xiaomi.confirm_qr()
    result = await after_progress(hass, result)
    await hass.async_block_till_done()

    assert result["reason"] == "reauth_successful"
    assert account.data[CONF_CLOUD_TOKENS]["pass_token"] != before["pass_token"]
    assert account.data["username"] == "demo"
    assert account.state is ConfigEntryState.LOADED


async def test_reauth_refuses_another_xiaomi_account(
    hass: HomeAssistant, cloud: CloudServer
) -> None:
    """The entry is another account's: signing in as this one is refused, nothing changes."""
    entry = unsigned_account(hass, cloud, "1234567")
    result = await choose(hass, await start_reauth_flow(hass, entry), "reauth_password")

    result = await submit(hass, result, password="demo")

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert CONF_CLOUD_TOKENS not in entry.data


async def test_reauth_of_an_account_from_before_takes_its_xiaomi_user_id(
    hass: HomeAssistant, cloud: CloudServer
) -> None:
    """An entry set up with the old sign-in (no user id known yet) becomes the account's."""
    entry = unsigned_account(hass, cloud, f"demo@{cloud.url}")
    result = await choose(hass, await start_reauth_flow(hass, entry), "reauth_password")

    result = await submit(hass, result, password="demo")
    await hass.async_block_till_done()

    assert result["reason"] == "reauth_successful"
    assert entry.unique_id == cloud.xiaomi.user_id
    assert entry.data[CONF_CLOUD_TOKENS]["user_id"] == cloud.xiaomi.user_id
    assert entry.state is ConfigEntryState.LOADED


async def test_an_account_refused_at_start_asks_to_sign_in_again(
    hass: HomeAssistant, cloud: CloudServer, account: ConfigEntry
) -> None:
    """Saved tokens expired and the passToken refused: setup stops and asks; signing in fixes
    it."""
    assert await hass.config_entries.async_unload(account.entry_id)
    cloud.apply_faults({"expire_tokens": True, "refuse_pass_token": True})

    assert not await hass.config_entries.async_setup(account.entry_id)
    await hass.async_block_till_done()

    assert account.state is ConfigEntryState.SETUP_ERROR
    (flow,) = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["step_id"] == "reauth_account"
    cloud.apply_faults({"refuse_pass_token": False})
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"next_step_id": "reauth_password"}
    )
    result = await submit(hass, result, password="demo")
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert account.state is ConfigEntryState.LOADED
    assert hass.states.get(named_entity(hass, "light.desk_lamp")).state == "on"


# --- another server ----------------------------------------------------------------------------


async def test_an_account_moves_to_another_server(
    hass: HomeAssistant, cloud: CloudServer, other_cloud: CloudServer, account: ConfigEntry
) -> None:
    """Reconfigure suggests the server in use, signs in again there, then moves."""
    result = await reconfigure(hass, account)

    assert result["step_id"] == "reconfigure_account"
    assert result["description_placeholders"] == {"username": "demo"}
    suggested = {
        str(key): (key.description or {}).get("suggested_value")
        for key in result["data_schema"].schema
    }
    assert suggested == {"region": "cn", "server_url": cloud.url, "spec_server": cloud.url}
    result = await submit(hass, result, region="cn", server_url="nonsense")
    assert result["errors"] == {CONF_SERVER_URL: "invalid_server_url"}

    result = await submit(
        hass, result, region="search", server_url=other_cloud.url, spec_server=other_cloud.url
    )
    result = await choose(hass, result, "reauth_password")
    result = await submit(hass, result, password="x")
    assert result["errors"] == {"base": "invalid_auth"}
    assert account.data[CONF_SERVER_URL] == cloud.url

    result = await submit(hass, result, password="demo")
    assert result["step_id"] == "region"
    result = await submit(hass, result, region="cn")
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert account.data[CONF_SERVER_URL] == other_cloud.url
    assert account.data["spec_server"] == other_cloud.url
    assert account.data["region"] == "cn"
    assert account.unique_id == cloud.xiaomi.user_id
    assert account.state is ConfigEntryState.LOADED

    # Only the new server is used from now on: the old one gone, the car still reports.
    await cloud.stop()
    await later(hass)
    assert hass.states.get("sensor.xiaomi_su7_battery").state not in (STATE_UNAVAILABLE, None)


async def test_reconfiguring_at_the_same_server_signs_in_again(
    hass: HomeAssistant, cloud: CloudServer, account: ConfigEntry
) -> None:
    """No change of server: new tokens, the same unique id, the spec server cleared."""
    before = account.data[CONF_CLOUD_TOKENS]
    result = await reconfigure(hass, account)
    result = await submit(hass, result, region="cn", server_url=cloud.url)
    result = await choose(hass, result, "reauth_password")
    result = await submit(hass, result, password="demo")
    await hass.async_block_till_done()

    assert result["reason"] == "reconfigure_successful"
    assert account.unique_id == cloud.xiaomi.user_id
    assert account.data[CONF_CLOUD_TOKENS]["service_token"] != before["service_token"]
    assert account.data["spec_server"] is None
    assert account.state is ConfigEntryState.LOADED


# --- options: intervals and homes --------------------------------------------------------------


async def test_account_options_show_the_intervals_and_homes_in_use(
    hass: HomeAssistant, sim: Simulator, cloud: CloudServer, account: ConfigEntry
) -> None:
    """New intervals are saved with the homes; LAN devices poll at one, cloud ones at the other."""
    result = await open_options(hass, account)
    defaults = result["data_schema"]({})
    assert defaults[CONF_SCAN_INTERVAL] == 30
    assert defaults[CONF_CLOUD_SCAN_INTERVAL] == 60
    assert defaults[CONF_HOMES] == [cloud.home_id]
    assert result["data_schema"].schema[CONF_HOMES].options == {cloud.home_id: "Demo Home"}

    result = await answer_options(
        hass, result, scan_interval=20, cloud_scan_interval=90, homes=[cloud.home_id]
    )
    assert result["step_id"] == "routes"
    result = await answer_options(hass, result)
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert account.options[CONF_SCAN_INTERVAL] == 20
    assert account.options[CONF_CLOUD_SCAN_INTERVAL] == 90
    assert account.options[CONF_HOMES] == [cloud.home_id]
    coordinators = account.runtime_data.coordinators
    assert coordinators[str(sim.devices["study-lamp"].did)].interval == timedelta(seconds=20)
    assert coordinators[str(sim.devices["su7"].did)].interval == timedelta(seconds=90)


async def test_a_home_gone_from_the_account_leaves_no_devices_until_one_is_chosen(
    hass: HomeAssistant, sim: Simulator, cloud: CloudServer, account: ConfigEntry
) -> None:
    """Devices of homes no longer chosen go; the form refuses no home, then brings them back."""
    hass.config_entries.async_update_entry(account, options={CONF_HOMES: ["999999999"]})
    await hass.async_block_till_done()
    assert account.state is ConfigEntryState.LOADED
    assert device_names(hass, account) == set()
    assert hass.states.get(named_entity(hass, "light.desk_lamp")) is None

    result = await open_options(hass, account)
    assert result["data_schema"]({})[CONF_HOMES] == []  # the gone home is not kept
    result = await answer_options(hass, result, homes=[])
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HOMES: "no_homes"}

    # No device on the LAN to route (none at all): the options are saved at once.
    result = await answer_options(hass, result, homes=[cloud.home_id])
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert account.options[CONF_HOMES] == [cloud.home_id]
    assert device_names(hass, account) == {device.name for device in sim.devices.values()}
    assert hass.states.get(named_entity(hass, "light.desk_lamp")).state == "on"


async def test_options_of_an_account_not_set_up_offer_the_intervals_only(
    hass: HomeAssistant, cloud: CloudServer, account: ConfigEntry
) -> None:
    """While the cloud fails the account waits to set up; its intervals can still be changed."""
    cloud.apply_faults({"error_rate": 1.0})
    await hass.config_entries.async_reload(account.entry_id)
    await hass.async_block_till_done()
    assert account.state is ConfigEntryState.SETUP_RETRY

    result = await open_options(hass, account)
    assert CONF_HOMES not in fields(result)
    result = await answer_options(hass, result, scan_interval=15, cloud_scan_interval=45)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert account.options[CONF_HOMES] == [cloud.home_id]  # kept as it was
    assert account.options[CONF_SCAN_INTERVAL] == 15

    cloud.apply_faults({"error_rate": 0.0})
    await hass.config_entries.async_reload(account.entry_id)
    await hass.async_block_till_done()
    assert account.state is ConfigEntryState.LOADED


async def test_options_of_a_local_device_are_its_interval_only(
    hass: HomeAssistant, set_up_device: SetUpDevice
) -> None:
    """A device added by address has no homes, no cloud interval and no routes step."""
    entry = await set_up_device("living-room-tv")
    result = await open_options(hass, entry)
    assert not {CONF_HOMES, CONF_CLOUD_SCAN_INTERVAL} & set(fields(result))

    result = await answer_options(hass, result, scan_interval=45)
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_SCAN_INTERVAL] == 45
    assert CONF_ROUTES not in entry.options
    (coordinator,) = entry.runtime_data.coordinators.values()
    assert coordinator.interval == timedelta(seconds=45)


# --- options: routes ---------------------------------------------------------------------------


async def test_the_routes_form_lists_the_lan_devices_and_remembers_choices(
    hass: HomeAssistant, sim: Simulator, account: ConfigEntry
) -> None:
    """Every device with a LAN address is listed by name, automatic until chosen otherwise."""
    result = await open_options(hass, account)
    result = await answer_options(hass, result)

    assert result["step_id"] == "routes"
    assert sorted(fields(result)) == sorted(device.name for device in sim.lan_devices())
    assert set(result["data_schema"]({}).values()) == {Route.AUTO.value}

    result = await answer_options(hass, result, **{"Desk Lamp": "cloud", "Bedside Lamp": "lan"})
    await hass.async_block_till_done()

    lamp, bedside = str(sim.devices["study-lamp"].did), str(sim.devices["bedroom-light"].did)
    assert account.options[CONF_ROUTES][lamp] == "cloud"
    assert account.options[CONF_ROUTES][bedside] == "lan"
    result = await open_options(hass, account)
    result = await answer_options(hass, result)
    assert result["data_schema"]({})["Desk Lamp"] == "cloud"
    assert result["data_schema"]({})["Bedside Lamp"] == "lan"


async def test_a_device_routed_through_the_cloud_is_not_asked_on_the_lan(
    hass: HomeAssistant, sim: Simulator, cloud: CloudServer, account: ConfigEntry
) -> None:
    """Cloud only: no LAN session; commands reach the device through the cloud's log."""
    await choose_routes(hass, account, {"Xiao Ai Speaker": "cloud", "Desk Lamp": "cloud"})

    speaker = transport_of(account, sim, "xiaoai-speaker")
    assert speaker.lan is None
    assert speaker.route is Route.CLOUD
    account_lamp = account.runtime_data.coordinators[str(sim.devices["study-lamp"].did)]
    assert account_lamp.interval == timedelta(seconds=60)  # the cloud's interval
    await hass.services.async_call(
        "button",
        "press",
        {"entity_id": named_entity(hass, "button.xiao_ai_speaker_wake_up")},
        blocking=True,
    )
    assert [(a["id"], a["name"]) for a in cloud.actions] == [("xiaoai-speaker", "wake-up")]

    # Silent on the LAN, the lamp is still read, at once, through the cloud.
    lamp = sim.devices["study-lamp"]
    lamp.apply_faults({"loss": 1.0})
    lamp.set(2, 1, False)
    await later(hass)
    assert hass.states.get(named_entity(hass, "light.desk_lamp")).state == STATE_OFF


async def test_a_device_on_the_lan_only_becomes_unavailable_instead_of_using_the_cloud(
    hass: HomeAssistant, sim: Simulator, account: ConfigEntry
) -> None:
    """LAN only: silent there, the lamp is unavailable; answering again, it is back."""
    await choose_routes(hass, account, {"Bedside Lamp": "lan"})
    assert transport_of(account, sim, "bedroom-light").route is Route.LAN
    lamp = sim.devices["bedroom-light"]

    lamp.apply_faults({"loss": 1.0})
    await later(hass)
    assert hass.states.get(named_entity(hass, "light.bedside_lamp")).state == STATE_UNAVAILABLE

    lamp.apply_faults({"loss": 0.0})
    await later(hass, timedelta(seconds=31))  # back within one poll interval
    assert hass.states.get(named_entity(hass, "light.bedside_lamp")).state == STATE_OFF


async def test_devices_that_share_a_name_get_distinct_routes(
    hass: HomeAssistant, sim: Simulator, cloud: CloudServer
) -> None:
    """Two lamps called "Desk Lamp": each has its own field, labelled with its did."""
    twin = await cloud.membership.add(
        {"id": "twin-lamp", "kind": "light", "name": "Desk Lamp", "room": "Bedroom"}
    )
    result = await sign_in(hass, cloud)
    entry = result["result"]
    lamp = sim.devices["study-lamp"]

    result = await open_options(hass, entry)
    result = await answer_options(hass, result)
    labels = {f"Desk Lamp ({lamp.did})", f"Desk Lamp ({twin.did})"}
    assert labels <= set(fields(result))
    assert "Desk Lamp" not in fields(result)
    result = await answer_options(hass, result, **{f"Desk Lamp ({twin.did})": "cloud"})
    await hass.async_block_till_done()

    assert entry.options[CONF_ROUTES][str(twin.did)] == "cloud"
    assert entry.options[CONF_ROUTES][str(lamp.did)] == "auto"
    assert transport_of(entry, sim, "twin-lamp").lan is None
    assert transport_of(entry, sim, "study-lamp").lan is not None


# --- the account's devices ---------------------------------------------------------------------


async def test_devices_without_a_bundled_spec_are_skipped(
    hass: HomeAssistant, sim: Simulator, cloud: CloudServer
) -> None:
    """A model the integration has no spec for is left out; the rest of the home arrives."""
    # The home file only takes known models: the cloud lists whatever the device says it is,
    # a model and a type URN that neither the spec server nor the bundle knows.
    speaker = sim.devices["xiaoai-speaker"]
    assert speaker.spec is not None
    speaker.model = "xiaomi.wifispeaker.x99"
    speaker.spec = replace(speaker.spec, type=speaker.spec.type.replace("lx06", "x99"))
    result = await sign_in(hass, cloud)
    entry = result["result"]

    names = device_names(hass, entry)
    assert "Xiao Ai Speaker" not in names
    assert "Desk Lamp" in names
    assert str(sim.devices["xiaoai-speaker"].did) not in entry.runtime_data.coordinators


async def test_a_device_gone_while_stopped_is_removed_at_the_next_start(
    hass: HomeAssistant, sim: Simulator, cloud: CloudServer, account: ConfigEntry
) -> None:
    """The account's list is the truth at start too, not only while running."""
    assert await hass.config_entries.async_unload(account.entry_id)
    assert cloud.membership.remove("bedroom-light") is not None

    assert await hass.config_entries.async_setup(account.entry_id)
    await hass.async_block_till_done()

    names = device_names(hass, account)
    assert "Bedside Lamp" not in names
    assert "Desk Lamp" in names


async def test_only_a_device_the_account_no_longer_has_can_be_removed_by_hand(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    sim: Simulator,
    account: ConfigEntry,
) -> None:
    """Deleting a device the account still has is refused; one it no longer lists goes."""
    assert await async_setup_component(hass, "config", {})
    registry = dr.async_get(hass)
    lamp = device_of(hass, sim.devices["study-lamp"].did)
    assert lamp is not None
    leftover = registry.async_get_or_create(
        config_entry_id=account.entry_id, identifiers={(DOMAIN, "123456789")}, name="Old Lamp"
    )
    client = await hass_ws_client(hass)

    async def remove(device_id: str) -> dict[str, Any]:
        """The websocket command behind a device page's Delete (the same on every release)."""
        await client.send_json_auto_id(
            {
                "type": "config/device_registry/remove_config_entry",
                "config_entry_id": account.entry_id,
                "device_id": device_id,
            }
        )
        answer: dict[str, Any] = await client.receive_json()
        return answer

    refused = await remove(lamp.id)
    removed = await remove(leftover.id)

    assert refused["success"] is False
    assert removed["success"] is True
    assert registry.async_get(lamp.id) is not None
    assert registry.async_get(leftover.id) is None


async def test_a_lan_only_device_refusing_its_token_is_unavailable_not_a_sign_in(
    hass: HomeAssistant, sim: Simulator, account: ConfigEntry
) -> None:
    """A new token on the LAN is not the account's password: the device is unavailable,
    nobody is asked to sign in, and the account's other devices carry on."""
    await choose_routes(hass, account, {"Bedside Lamp": "lan"})
    lamp = sim.devices["bedroom-light"]
    lamp.apply_faults({"token": "cd" * 16})
    for _ in range(4):
        await later(hass)
    assert hass.states.get(named_entity(hass, "light.bedside_lamp")).state == STATE_UNAVAILABLE
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert hass.states.get(named_entity(hass, "light.desk_lamp")).state != STATE_UNAVAILABLE
