"""One coordinator per device: it fetches a device's properties and merges what it learns.

Polls, pushed reports and written values are merged into one state. What a refused poll
means, and what to do with each poll's results, is given by whoever sets the device up.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .const import LOGGER
from .errors import update_failure
from .mapping import DevicePlan
from .miot import MiotAuthenticationError, MiotDeviceError, MiotError, MiotSpec
from .miot.device import DeviceInfo, MiotDevice, PropertyKey, PropertyResult
from .push import EventHandler, PushLink, lan_session, push_interval

type DeviceState = dict[PropertyKey, PropertyResult]
type AuthFailure = Callable[[MiotCoordinator, MiotAuthenticationError], Exception]
"""What a refused poll of a device means (a new token, the account's sign-in, a bad network):
the error the coordinator raises for it."""
type ReadHandler = Callable[[DeviceState], None]

TOKEN_REFUSALS: Final = 3
"""Polls in a row whose replies do not verify before the token is taken to have changed."""
FLAP_CHANGES: Final = 6
FLAP_WINDOW: Final = 1800.0
"""A device that goes off and on line `FLAP_CHANGES` times in `FLAP_WINDOW` seconds is
flapping: its further changes go to the debug log until it settles."""


class AvailabilityFilter(logging.Filter):
    """A device's availability in the log: a device dropping off Wi-Fi is routine, not an error.

    Home Assistant's coordinator logs once when updates start failing (an error) and once when
    they recover (at info); the first goes out at info here. Unexpected exceptions (with a
    traceback) stay errors. A flapping device says so once, then its changes go to the debug
    log until it settles.
    """

    def __init__(
        self, logger: logging.Logger, device: str, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """Follow the availability changes `logger` logs for `device`."""
        super().__init__()
        self._logger = logger
        self._device = device
        self._clock = clock
        self._changes: deque[float] = deque(maxlen=FLAP_CHANGES)
        self._quiet = False
        self._announcing = False

    def filter(self, record: logging.LogRecord) -> bool:
        """Set a change's level; False where that level is not logged."""
        if self._announcing:
            return True
        if record.levelno == logging.ERROR and not record.exc_info:
            _set_level(record, logging.INFO)
        if record.levelno != logging.INFO:
            return True
        now = self._clock()
        self._changes.append(now)
        flapping = len(self._changes) == FLAP_CHANGES and now - self._changes[0] < FLAP_WINDOW
        if not flapping:
            self._quiet = False
            return self._logger.isEnabledFor(logging.INFO)
        if not self._quiet:
            self._quiet = True
            self._announcing = True
            try:
                self._logger.info(
                    "%s goes off and on line often; its changes are logged at debug level "
                    "until it settles",
                    self._device,
                )
            finally:
                self._announcing = False
        _set_level(record, logging.DEBUG)
        return self._logger.isEnabledFor(logging.DEBUG)


def _set_level(record: logging.LogRecord, level: int) -> None:
    record.levelno = level
    record.levelname = logging.getLevelName(level)


class _DeviceLogger(logging.Logger):
    """A coordinator's logger, a child of the integration's that `logging` does not register
    (it would keep one per device for good)."""

    def isEnabledFor(self, level: int) -> bool:  # noqa: N802 - logging's name
        """Follow the integration's logger as it is now: an unregistered logger's cached answer
        would miss a level changed at run time."""
        return not self.disabled and level >= self.getEffectiveLevel()


def availability_logger(device: str) -> logging.Logger:
    """The logger of `device`'s coordinator, with its availability filter."""
    logger = _DeviceLogger(f"{LOGGER.name}.coordinator")
    logger.parent = LOGGER
    logger.addFilter(AvailabilityFilter(logger, device))
    return logger


def _phase(did: str, interval: timedelta) -> timedelta:
    """Where in the interval a device's polls fall: spread by its did, the same every run."""
    fraction = int.from_bytes(hashlib.sha256(did.encode()).digest()[:4], "big") / 2**32
    return interval * fraction


class MiotCoordinator(DataUpdateCoordinator[DeviceState]):
    """Polls a device's readable properties in as few requests as its batch limit allows."""

    config_entry: ConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        device: MiotDevice,
        *,
        did: str,
        name: str,
        plan: DevicePlan,
        update_interval: timedelta,
        info: DeviceInfo | None = None,
        room: str | None = None,
        auth_failure: AuthFailure | None = None,
        on_read: ReadHandler | None = None,
        subscriber: str | None = None,
        names: Mapping[str, str] | None = None,
        phase_key: str | None = None,
    ) -> None:
        """Poll every readable property of the spec except the static device information.

        With a `subscriber` id, a device on the LAN is asked to report its changes (push).
        The first poll after the initial one falls at a point of the interval set by the
        did, so many devices' polls spread over the interval instead of coming all at once.
        Devices given one `phase_key` poll together instead (an account's cloud-only devices,
        whose reads the cloud client merges into a few requests).
        `plan` is the device's entities, made where it is set up. `auth_failure` says what a
        refused poll means (by default: a device set up by address and token); `on_read` is
        given each good poll's results.
        """
        super().__init__(
            hass,
            availability_logger(name),
            config_entry=entry,
            name=name,
            update_interval=update_interval,
        )
        self.interval = update_interval
        self._phase: timedelta | None = _phase(phase_key or did, update_interval)
        self._event_listeners: list[EventHandler] = []
        self._stopped = False
        self.device = device
        self.did = did
        self.info = info
        self.room = room
        self._auth_failure: AuthFailure = auth_failure or token_refused
        self._on_read = on_read
        self.names: Mapping[str, str] = names or {}
        """The spec server's names of the spec's elements in Home Assistant's language, by
        multiLanguage key: for what no translation key names."""
        self.plan = plan
        self.polled: tuple[PropertyKey, ...] = tuple(
            prop.key
            for prop in device.spec.properties()
            if prop.readable and prop.service != "device-information"
        )
        self._polled_set = frozenset(self.polled)
        self._kept: frozenset[PropertyKey] = frozenset(
            prop.key
            for prop in device.spec.properties()
            if not prop.readable and (prop.writable or prop.notifies)
        )
        """Properties no poll reads (a water heater's write-only target temperature): their
        last written or reported values are kept until the next write or report."""
        self._changes = 0
        self.refusals = 0
        """Polls in a row refused for the token."""
        self._changed_at: dict[PropertyKey, int] = {}
        """When (in `_changes`) a command or a report last set each property: a poll that
        started before keeps those values rather than the ones it read."""
        session = lan_session(device.transport)
        self.push: PushLink | None = None
        if session is not None and subscriber is not None:
            self.push = PushLink(
                session,
                subscriber,
                transport=device.transport,
                name=name,
                on_properties=self._pushed_properties,
                on_event=self._pushed_event,
            )

    @property
    def push_healthy(self) -> bool:
        """Whether the device reports its changes itself (polls are then rarer)."""
        return self.push is not None and self.push.healthy

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
            raise self._failure(err) from err

    async def _async_update_data(self) -> DeviceState:
        started = self._changes
        try:
            results = await self.device.read_properties(self.polled)
        except MiotError as err:
            if self.push is not None:
                self.push.lost()
            self._plan_next_poll()
            raise self._failure(err) from err
        self.refusals = 0
        if self._on_read is not None and not self._stopped:
            self._on_read(results)
        if self.push is not None:
            await self.push.async_maintain()
        self._plan_next_poll()
        if self.data is not None:
            results = {**{k: v for k, v in self.data.items() if k in self._kept}, **results}
        if self.data is not None and self._changes != started:
            newer = {k: self.data[k] for k, at in self._changed_at.items() if at > started}
            results = {**results, **{k: v for k, v in newer.items() if k in results}}
        return results

    def _newer(self, values: dict[PropertyKey, PropertyResult]) -> DeviceState:
        """The data with `values` set by a command or a report, remembered as newer than
        any poll in flight."""
        self._changes += 1
        for key in values:
            self._changed_at[key] = self._changes
        return {**self.data, **values}

    def _failure(self, err: MiotError) -> Exception:
        """What a failed poll means: a refusal as the device's set-up says, else unreachable."""
        if not isinstance(err, MiotAuthenticationError):
            return update_failure(err, in_account=False)
        self.refusals += 1
        return self._auth_failure(self, err)

    def _plan_next_poll(self) -> None:
        """The user's interval, longer while push works; the first time, plus the phase."""
        interval = push_interval(self.interval) if self.push_healthy else self.interval
        if self._phase is not None:
            interval += self._phase
            self._phase = None
        self.update_interval = interval

    @callback
    def _pushed_properties(self, changes: dict[PropertyKey, Any]) -> None:
        """The device reported changed properties: show them at once.

        The next poll keeps its time: a device that reports often is still polled, which
        renews its subscription and reads what it does not report.
        """
        known = {
            k: PropertyResult(0, v)
            for k, v in changes.items()
            if k in self._polled_set or k in self._kept
        }
        if known and self.data is not None:
            self.data = self._newer(known)
            self.async_update_listeners()

    @callback
    def _pushed_event(self, siid: int, eiid: int, values: dict[int, Any]) -> None:
        """The device reported an event: tell the event entities, then store its arguments."""
        for listener in list(self._event_listeners):
            listener(siid, eiid, values)
        self._pushed_properties({(siid, piid): value for piid, value in values.items()})

    @callback
    def async_add_event_listener(self, listener: EventHandler) -> CALLBACK_TYPE:
        """Call `listener(siid, eiid, arguments by piid)` for each event the device reports."""
        self._event_listeners.append(listener)

        @callback
        def remove() -> None:
            self._event_listeners.remove(listener)

        return remove

    async def async_shutdown(self) -> None:
        """Stop polling; a poll still under way no longer hands its results on."""
        self._stopped = True
        await super().async_shutdown()

    def value(self, key: PropertyKey) -> Any:
        """The last value read for a property; None when the device answered an error."""
        result = self.data.get(key) if self.data else None
        return result.value if result is not None and result.ok else None

    async def async_write(self, values: dict[PropertyKey, Any]) -> dict[PropertyKey, Any]:
        """Write properties, show the written values at once, then confirm with a poll.

        The library checks the values against the spec; what it wrote is what is shown and
        returned (a boolean's 1 is True).
        """
        written = await self.device.write_properties(values)
        failed = {key: result.code for key, result in written.items() if result.code < 0}
        self.async_set_updated_data(
            self._newer(
                {k: PropertyResult(0, r.value) for k, r in written.items() if k not in failed}
            )
        )
        await self._async_confirm()
        if failed:
            (siid, piid), code = next(iter(failed.items()))
            raise MiotDeviceError(code, f"writing {siid}.{piid} failed")
        return {key: result.value for key, result in written.items()}

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
                self._newer({k: PropertyResult(0, v) for k, v in effects.items()})
            )
        await self._async_confirm()
        return out

    async def _async_confirm(self) -> None:
        """After a command, read the device again, unless it reports its changes itself."""
        if not self.push_healthy:
            await self.async_request_refresh()


def token_refused(coordinator: MiotCoordinator, err: MiotAuthenticationError) -> Exception:
    """A refused poll of a device set up by address and token: replies that do not verify
    several polls in a row are a new token (corrupted packets on a bad network are not)."""
    lan_noise = coordinator.data is not None and coordinator.refusals < TOKEN_REFUSALS
    return update_failure(err, in_account=False, reauth=not lan_noise)
