"""A Xiaomi account: its device list, and a coordinator per device routed over LAN or cloud.

The account's device list is read at start and every `DEVICE_LIST_INTERVAL`: devices new to
the chosen homes get a coordinator and their entities at once; devices gone from the account
(or from the chosen homes, or gone while Home Assistant was stopped) are removed from it.
A device the cloud still lists but says has none of its properties any more is reported in a
repair issue.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_SCAN_INTERVAL, CONF_USERNAME
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .const import (
    CONF_CLOUD_SCAN_INTERVAL,
    CONF_CLOUD_TOKENS,
    CONF_HOMES,
    CONF_REGION,
    CONF_ROUTES,
    CONF_SERVER_URL,
    CONF_SPEC_SERVER,
    DEFAULT_CLOUD_SCAN_INTERVAL,
    DEFAULT_SCAN_INTERVAL,
    DEVICE_LIST_INTERVAL,
    DOMAIN,
    LOGGER,
)
from .coordinator import DeviceState, MiotCoordinator
from .errors import update_failure
from .mapping import plan_device
from .miot import MiotAuthenticationError, MiotError
from .miot.cloud import CloudTransport, MiotCloud
from .miot.cloud_models import CloudDevice, CloudHome
from .miot.codes import MiotCode
from .miot.device import DeviceInfo, MiotDevice
from .miot.lan import DeviceSession
from .miot.mi_account import MiTokens
from .miot.mi_batch import BATCH_LIMIT as CLOUD_BATCH_LIMIT
from .miot.mi_batch import COORDINATOR_WINDOW
from .miot.route import Route, RoutedTransport
from .miot.udp import LanSocket
from .push import subscriber_id
from .spec_library import (
    SpecUnavailableError,
    async_report_spec,
    names_in_language,
    server_for,
    spec_library,
)

SPEC_RETRY_FIRST = 60.0
"""Seconds before devices whose spec could not be had are looked at again; doubling."""
SPEC_RETRY_MAX = 3600.0

LAN_TIMEOUT = 1.5
"""Seconds to wait for a device on the LAN before the cloud is asked instead."""


type DeviceHandler = Callable[[MiotCoordinator], None]


def cloud_for(hass: HomeAssistant, entry: ConfigEntry) -> MiotCloud:
    """The account's cloud client; refreshed tokens are saved in the entry."""
    data = entry.data
    stored = data.get(CONF_CLOUD_TOKENS)

    @callback
    def save_tokens(tokens: MiTokens) -> None:
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_CLOUD_TOKENS: asdict(tokens)}
        )

    return MiotCloud(
        async_get_clientsession(hass),
        country=data[CONF_REGION],
        via=data.get(CONF_SERVER_URL) or None,
        tokens=MiTokens(**stored) if stored else None,
        on_tokens_updated=save_tokens,
        read_window=COORDINATOR_WINDOW,
    )


class AccountCoordinator(DataUpdateCoordinator[dict[str, CloudDevice]]):
    """The devices of the account's chosen homes, by did."""

    config_entry: ConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        cloud: MiotCloud,
        *,
        lan_socket: LanSocket | None = None,
        on_added: DeviceHandler | None = None,
    ) -> None:
        """Read the device list now and then. `on_added` is told of each device set up (the
        entry's platforms add its entities then); the devices share `lan_socket` on the LAN."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=entry.data[CONF_USERNAME],
            update_interval=DEVICE_LIST_INTERVAL,
        )
        self.cloud = cloud
        self.coordinators: dict[str, MiotCoordinator] = {}
        """The coordinators of the account's devices, by did."""
        self.homes: list[CloudHome] = []
        self._lan_socket = lan_socket
        self._on_added = on_added
        self._spec_server = server_for(hass, entry.data.get(CONF_SPEC_SERVER))
        self._spec_failures = 0
        self._spec_retry: CALLBACK_TYPE | None = None
        entry.async_on_unload(self._cancel_spec_retry)

    async def _async_update_data(self) -> dict[str, CloudDevice]:
        chosen = self.config_entry.options.get(CONF_HOMES)
        try:
            self.homes = await self.cloud.get_homes()
            devices = await self.cloud.get_devices(chosen or None)
        except MiotError as err:
            raise update_failure(err, in_account=True, device_list=True) from err
        return {device.did: device for device in devices}

    def room_of(self, device: CloudDevice) -> str | None:
        """The name of the room a device is in."""
        for home in self.homes:
            for room in home.rooms:
                if room.id == device.room_id or device.did in room.dids:
                    return room.name
        return None

    async def async_sync_devices(self) -> None:
        """Give new devices a coordinator and entities; remove devices gone from the account."""
        coordinators = self.coordinators
        for did in [did for did in coordinators if did not in self.data]:
            coordinator = coordinators.pop(did)
            self.cloud.polls(did, every_round=False)
            await coordinator.async_shutdown()
            ir.async_delete_issue(self.hass, DOMAIN, removed_issue_id(did))
            LOGGER.info("%s was removed from the Xiaomi account", coordinator.name)
        self._remove_stale_devices()
        waiting = [device for did, device in self.data.items() if did not in coordinators]
        # Specs are looked up for all new devices at once: a slow spec server costs one wait.
        made = await asyncio.gather(*(self._async_add(device) for device in waiting))
        added = [coordinator for coordinator in made if coordinator is not None]
        self._retry_missing_specs(len(waiting) - len(added))
        # All new devices are read at once: a home with a few devices offline does not wait
        # for each one's timeouts in turn.
        await asyncio.gather(*(coordinator.async_refresh() for coordinator in added))
        for coordinator in added:
            coordinators[coordinator.did] = coordinator
            if self._on_added is not None:
                self._on_added(coordinator)

    @callback
    def _retry_missing_specs(self, missing: int) -> None:
        """Look for the specs that could not be had again, sooner at first, then less often."""
        self._cancel_spec_retry()
        if not missing:
            self._spec_failures = 0
            return
        delay = min(SPEC_RETRY_MAX, SPEC_RETRY_FIRST * 2**self._spec_failures)
        self._spec_failures += 1

        @callback
        def retry(_now: Any) -> None:
            self._spec_retry = None
            self.config_entry.async_create_background_task(
                self.hass, self.async_sync_devices(), f"{DOMAIN} spec retry"
            )

        self._spec_retry = async_call_later(self.hass, delay, retry)

    @callback
    def _cancel_spec_retry(self) -> None:
        if self._spec_retry is not None:
            self._spec_retry()
            self._spec_retry = None

    async def _async_add(self, device: CloudDevice) -> MiotCoordinator | None:
        """A coordinator for a new device; None while no spec for it can be had."""
        try:
            found = await spec_library(self.hass).async_get(
                device.model, self._spec_server, urn=device.spec_type
            )
        except SpecUnavailableError as err:
            LOGGER.debug("%s (%s) waits for its spec: %s", device.name, device.model, err.reason)
            async_report_spec(self.hass, device.did, device.name, err)
            return None
        async_report_spec(self.hass, device.did, device.name, None)
        options = self.config_entry.options
        route = Route(options.get(CONF_ROUTES, {}).get(device.did, Route.AUTO))
        lan = None
        if device.local_ip and device.token and route != Route.CLOUD:
            lan = DeviceSession(
                device.local_ip,
                device.token,
                timeout=LAN_TIMEOUT,
                retries=1,
                socket=self._lan_socket,
            )
        if lan is None:
            # No address or token on the LAN (any more): the cloud is the only way.
            route = Route.CLOUD
        transport = RoutedTransport(lan, CloudTransport(self.cloud, device.did), route)
        spec = found.spec
        if lan is not None:
            interval = options.get(CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL.total_seconds())
        else:
            interval = options.get(
                CONF_CLOUD_SCAN_INTERVAL, DEFAULT_CLOUD_SCAN_INTERVAL.total_seconds()
            )
        miot = MiotDevice(transport, spec)
        if lan is None:
            # The cloud reads up to its own limit at once: one read a round, batched with the
            # account's other devices.
            miot.batch_limit = CLOUD_BATCH_LIMIT
        coordinator = MiotCoordinator(
            self.hass,
            self.config_entry,
            miot,
            did=device.did,
            name=device.name,
            plan=plan_device(spec),
            update_interval=timedelta(seconds=interval),
            info=DeviceInfo(model=device.model, firmware=None, hardware=None, mac=None),
            room=self.room_of(device),
            auth_failure=account_refused,
            on_read=functools.partial(self._report_removal, device.did, device.name),
            subscriber=subscriber_id(self.config_entry.entry_id),
            names=names_in_language(self.hass, found.translations),
            # The account's cloud-only devices poll in the same second, so that the cloud
            # client can read them in a few batched requests instead of one each.
            phase_key=None if lan is not None else self.config_entry.entry_id,
        )
        if lan is not None:
            self.config_entry.async_on_unload(lan.close)
        else:
            self.cloud.polls(device.did)
        return coordinator

    @callback
    def _remove_stale_devices(self) -> None:
        """Remove the entry's devices that the chosen homes no longer have, and their repairs."""
        registry = dr.async_get(self.hass)
        entry_id = self.config_entry.entry_id
        for device in dr.async_entries_for_config_entry(registry, entry_id):
            dids = {ident for domain, ident in device.identifiers if domain == DOMAIN}
            if dids.isdisjoint(self.data):
                registry.async_update_device(device.id, remove_config_entry_id=entry_id)
                for did in dids:
                    ir.async_delete_issue(self.hass, DOMAIN, removed_issue_id(did))

    @callback
    def _report_removal(self, did: str, name: str, results: DeviceState) -> None:
        """Raise a repair issue while the cloud says none of a device's properties exist."""
        issue_id = removed_issue_id(did)
        if results and all(result.code == MiotCode.DOES_NOT_EXIST for result in results.values()):
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key="device_removed",
                translation_placeholders={"name": name},
            )
        else:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)


def account_refused(coordinator: MiotCoordinator, err: MiotAuthenticationError) -> Exception:
    """A refused poll of an account's device: the cloud refusing it is the account's sign-in;
    the device refusing its token on the LAN makes it unreachable there, no fault of the
    account's password."""
    transport = coordinator.device.transport
    on_lan = isinstance(transport, RoutedTransport) and transport.active != Route.CLOUD
    return update_failure(err, in_account=True, reauth=not on_lan)


def removed_issue_id(did: str) -> str:
    """The repair issue raised while a device the cloud no longer knows is still here."""
    return f"device_removed_{did}"
