"""The integration's set-up, migration and removal, behind the hooks in `__init__`."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.const import CONF_HOST, CONF_NAME, CONF_SCAN_INTERVAL, CONF_TOKEN, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.typing import ConfigType

from .account import AccountCoordinator, cloud_for, removed_issue_id
from .const import (
    CONF_CLOUD_TOKENS,
    CONF_DID,
    CONF_ENTRY_TYPE,
    CONF_MODEL,
    CONF_SPEC_SERVER,
    CONFIG_VERSION,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    ENTRY_TYPE_ACCOUNT,
    LOGGER,
)
from .coordinator import MiotCoordinator
from .errors import spec_not_ready
from .mapping import plan_device
from .miot.device import MiotDevice
from .miot.lan import DeviceSession
from .miot.udp import LanSocket
from .push import subscriber_id
from .runtime import XiaomiConfigEntry, XiaomiRuntimeData, new_device_signal
from .services import async_setup_services
from .spec_library import (
    SpecUnavailableError,
    async_report_spec,
    names_in_language,
    server_for,
    spec_library,
)
from .voice.skill import async_register_skill_view

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CLIMATE,
    Platform.CONVERSATION,
    Platform.COVER,
    Platform.DEVICE_TRACKER,
    Platform.EVENT,
    Platform.FAN,
    Platform.HUMIDIFIER,
    Platform.LIGHT,
    Platform.LOCK,
    Platform.MEDIA_PLAYER,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.VACUUM,
    Platform.WATER_HEATER,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the integration's services and the Xiao Ai skill endpoint, once for all entries."""
    async_setup_services(hass)
    async_register_skill_view(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: XiaomiConfigEntry) -> bool:
    """Set up a local device, or every device of a Xiaomi account."""
    if entry.data.get(CONF_ENTRY_TYPE) == ENTRY_TYPE_ACCOUNT:
        await _async_setup_account(hass, entry)
    else:
        await _async_setup_local_device(hass, entry)
    entry.runtime_data.options = dict(entry.options)
    entry.async_on_unload(entry.add_update_listener(_async_options_updated))
    entry.runtime_data.platforms = _platforms(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, entry.runtime_data.platforms)
    return True


def _platforms(hass: HomeAssistant, entry: XiaomiConfigEntry) -> list[Platform]:
    """The entity platforms; the Xiao Ai agent where Assist is set up."""
    if "conversation" in hass.config.components:
        return PLATFORMS
    return [platform for platform in PLATFORMS if platform is not Platform.CONVERSATION]


async def _async_setup_local_device(hass: HomeAssistant, entry: XiaomiConfigEntry) -> None:
    """Connect to a device by address and token, and read it once."""
    model = entry.data[CONF_MODEL]
    name = entry.data.get(CONF_NAME) or entry.title
    server = server_for(hass, entry.data.get(CONF_SPEC_SERVER))
    try:
        found = await spec_library(hass).async_get(model, server)
    except SpecUnavailableError as err:
        async_report_spec(hass, entry.data[CONF_DID], name, err)
        raise spec_not_ready(err) from err
    async_report_spec(hass, entry.data[CONF_DID], name, None)
    spec = found.spec
    session = DeviceSession(entry.data[CONF_HOST], entry.data[CONF_TOKEN])
    entry.async_on_unload(session.close)
    seconds = entry.options.get(CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL.total_seconds())
    coordinator = MiotCoordinator(
        hass,
        entry,
        MiotDevice(session, spec),
        did=entry.data[CONF_DID],
        name=name,
        plan=plan_device(spec),
        update_interval=timedelta(seconds=seconds),
        subscriber=subscriber_id(entry.entry_id),
        names=names_in_language(hass, found.translations),
    )
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = XiaomiRuntimeData(coordinators={coordinator.did: coordinator})


async def async_migrate_entry(hass: HomeAssistant, entry: XiaomiConfigEntry) -> bool:
    """Bring an entry of an earlier version up to date; a newer one is refused.

    Version 1 accounts signed in through a token grant that Xiaomi does not offer: their tokens
    cannot call Xiaomi's API, so they are dropped and the account asks to be signed in again
    (a reauthentication), with a repair issue that says why. Local devices are unchanged.
    """
    if entry.version > CONFIG_VERSION:
        return False
    if entry.version == 1:
        data = dict(entry.data)
        if data.get(CONF_ENTRY_TYPE) == ENTRY_TYPE_ACCOUNT:
            data.pop(CONF_CLOUD_TOKENS, None)
            ir.async_create_issue(
                hass,
                DOMAIN,
                legacy_sign_in_issue_id(entry.entry_id),
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key="legacy_sign_in",
                translation_placeholders={"account": entry.title},
            )
            LOGGER.warning("%s must be signed in to Xiaomi again", entry.title)
        hass.config_entries.async_update_entry(entry, data=data, version=CONFIG_VERSION)
    return True


def legacy_sign_in_issue_id(entry_id: str) -> str:
    """The repair issue of an account whose old sign-in was dropped by the migration."""
    return f"legacy_sign_in_{entry_id}"


async def async_remove_entry(hass: HomeAssistant, entry: XiaomiConfigEntry) -> None:
    """A removed account leaves no repair issue behind."""
    ir.async_delete_issue(hass, DOMAIN, legacy_sign_in_issue_id(entry.entry_id))


async def _async_setup_account(hass: HomeAssistant, entry: XiaomiConfigEntry) -> None:
    """Sign in with the stored tokens, list the devices, and follow the list from then on."""
    cloud = cloud_for(hass, entry)
    entry.async_on_unload(cloud.close)
    lan_socket = LanSocket()  # opened by the first device on the LAN
    entry.async_on_unload(lan_socket.close)

    @callback
    def device_added(coordinator: MiotCoordinator) -> None:
        async_dispatcher_send(hass, new_device_signal(entry.entry_id), coordinator)

    account = AccountCoordinator(hass, entry, cloud, lan_socket=lan_socket, on_added=device_added)
    await account.async_config_entry_first_refresh()
    ir.async_delete_issue(hass, DOMAIN, legacy_sign_in_issue_id(entry.entry_id))
    entry.runtime_data = XiaomiRuntimeData(
        coordinators=account.coordinators, account=account, lan_socket=lan_socket
    )
    await account.async_sync_devices()

    @callback
    def device_list_changed() -> None:
        entry.async_create_background_task(
            hass, account.async_sync_devices(), "xiaomi_aiot device list"
        )

    entry.async_on_unload(account.async_add_listener(device_list_changed))


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: XiaomiConfigEntry, device: dr.DeviceEntry
) -> bool:
    """A device may be removed by hand once its account no longer has it, or the cloud says so."""
    account = entry.runtime_data.account
    if account is None:
        return False
    issues = ir.async_get(hass)
    return not any(
        domain == DOMAIN
        and did in account.data
        and issues.async_get_issue(DOMAIN, removed_issue_id(did)) is None
        for domain, did in device.identifiers
    )


async def async_unload_entry(hass: HomeAssistant, entry: XiaomiConfigEntry) -> bool:
    """Unload the entities; the session closes with the entry."""
    return await hass.config_entries.async_unload_platforms(entry, entry.runtime_data.platforms)


async def _async_options_updated(hass: HomeAssistant, entry: XiaomiConfigEntry) -> None:
    """Reload when the options change; saving refreshed cloud tokens changes only the data."""
    if dict(entry.options) != entry.runtime_data.options:
        await hass.config_entries.async_reload(entry.entry_id)
