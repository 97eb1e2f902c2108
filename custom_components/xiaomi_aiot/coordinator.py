"""One coordinator per device: batched polls, availability, writes with optimistic state."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .const import DOMAIN, LOGGER
from .mapping import DevicePlan, plan_device

if TYPE_CHECKING:
    from .account import AccountCoordinator
from .miot import MiotAuthenticationError, MiotDeviceError, MiotError, MiotSpec
from .miot.device import DeviceInfo, MiotDevice, PropertyKey, PropertyResult

type DeviceState = dict[PropertyKey, PropertyResult]

DOES_NOT_EXIST = -4003
"""The code a device or the cloud gives for a property that does not exist."""


@dataclass(kw_only=True)
class XiaomiRuntimeData:
    """What a config entry holds while it is loaded: its devices' coordinators by did."""

    coordinators: dict[str, MiotCoordinator]
    account: AccountCoordinator | None = None
    options: dict[str, Any] = field(default_factory=dict)
    """The options the entry was set up with: another change of options reloads it."""
    platforms: list[Platform] = field(default_factory=list)
    """The platforms set up for the entry, the ones to unload (Assist may come later)."""


type XiaomiConfigEntry = ConfigEntry[XiaomiRuntimeData]


class _AvailabilityLogger(logging.Logger):
    """The coordinator's logger: a device dropping off Wi-Fi is routine, not an error.

    The coordinator logs once when updates start failing and once when they recover; the
    first goes out at info here. Unexpected exceptions (with a traceback) stay errors.
    """

    def error(self, msg: object, *args: Any, **kwargs: Any) -> None:
        """Log failures to fetch at info; keep real errors as errors."""
        if kwargs.get("exc_info"):
            super().error(msg, *args, **kwargs)
        else:
            self.info(msg, *args, **kwargs)


def _availability_logger() -> logging.Logger:
    logger = _AvailabilityLogger(f"{LOGGER.name}.coordinator")
    logger.parent = LOGGER
    return logger


class MiotCoordinator(DataUpdateCoordinator[DeviceState]):
    """Polls a device's readable properties in as few requests as its batch limit allows."""

    config_entry: XiaomiConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: XiaomiConfigEntry,
        device: MiotDevice,
        *,
        did: str,
        name: str,
        update_interval: timedelta,
        info: DeviceInfo | None = None,
        room: str | None = None,
        in_account: bool = False,
    ) -> None:
        """Poll every readable property of the spec except the static device information."""
        super().__init__(
            hass,
            _availability_logger(),
            config_entry=entry,
            name=name,
            update_interval=update_interval,
        )
        self.device = device
        self.did = did
        self.info = info
        self.room = room
        self.in_account = in_account
        self.plan: DevicePlan = plan_device(device.spec)
        self.polled: tuple[PropertyKey, ...] = tuple(
            prop.key
            for prop in device.spec.properties()
            if prop.readable and prop.service != "device-information"
        )

    @property
    def spec(self) -> MiotSpec:
        """The device's spec."""
        return self.device.spec

    async def _async_setup(self) -> None:
        """Ask the device what it is before the first poll, unless that is known."""
        if self.info is not None:
            return
        try:
            self.info = await self.device.info()
        except MiotError as err:
            raise _translate(err) from err

    async def _async_update_data(self) -> DeviceState:
        try:
            results = await self.device.read_properties(self.polled)
        except MiotError as err:
            raise _translate(err, self.in_account) from err
        if self.in_account:
            self._report_removal(results)
        return results

    def _report_removal(self, results: DeviceState) -> None:
        """Raise a repair issue while the cloud says none of the device's properties exist."""
        issue_id = removed_issue_id(self.did)
        if results and all(result.code == DOES_NOT_EXIST for result in results.values()):
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key="device_removed",
                translation_placeholders={"name": self.name},
            )
        else:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)

    def value(self, key: PropertyKey) -> Any:
        """The last value read for a property; None when the device answered an error."""
        result = self.data.get(key) if self.data else None
        return result.value if result is not None and result.ok else None

    async def async_write(self, values: dict[PropertyKey, Any]) -> None:
        """Write properties, show the written values at once, then confirm with a poll."""
        checked = {key: self.spec.property(*key).validate(value) for key, value in values.items()}
        codes = await self.device.write_properties(checked)
        failed = {key: code for key, code in codes.items() if code < 0}
        self.async_set_updated_data(
            {
                **self.data,
                **{k: PropertyResult(0, v) for k, v in checked.items() if k not in failed},
            }
        )
        await self.async_request_refresh()
        if failed:
            (siid, piid), code = next(iter(failed.items()))
            raise MiotDeviceError(code, f"writing {siid}.{piid} failed")

    async def async_action(
        self,
        siid: int,
        aiid: int,
        inputs: Sequence[Any] = (),
        *,
        effects: dict[PropertyKey, Any] | None = None,
    ) -> list[Any]:
        """Call an action; `effects` are property values it is known to cause, shown at once."""
        out = await self.device.call_action(siid, aiid, inputs)
        if effects:
            self.async_set_updated_data(
                {**self.data, **{k: PropertyResult(0, v) for k, v in effects.items()}}
            )
        await self.async_request_refresh()
        return out


def removed_issue_id(did: str) -> str:
    """The repair issue raised while a device the cloud no longer knows is still here."""
    return f"device_removed_{did}"


def _translate(err: MiotError, in_account: bool = False) -> Exception:
    if isinstance(err, MiotAuthenticationError):
        return ConfigEntryAuthFailed(
            translation_domain=DOMAIN,
            translation_key="account_refused" if in_account else "invalid_token",
        )
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key="cannot_connect",
        translation_placeholders={"error": str(err)},
    )
