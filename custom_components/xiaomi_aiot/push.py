"""Push: a device on the LAN reports its changes as they happen; polling becomes the safety net.

The coordinator subscribes after a good poll (``miIO.sub``), and again when the device may
have forgotten us: after a new handshake (a reboot resets its clock and its subscriptions),
after a failed poll, and every `RENEW_AFTER` seconds in any case (a device drops a subscriber
whose reports go unanswered). While the subscription holds, polls are `PUSH_INTERVAL_FACTOR`
times rarer (at most `MAX_PUSH_INTERVAL`, never rarer than the user's interval).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Final

from .const import LOGGER
from .miot import MiotDeviceError, MiotError
from .miot.device import PropertyKey
from .miot.lan import DeviceSession
from .miot.reports import PropertiesChanged, Report
from .miot.route import Route, RoutedTransport

PUSH_INTERVAL_FACTOR: Final = 5
MAX_PUSH_INTERVAL: Final = timedelta(minutes=5)
RENEW_AFTER: Final = 600.0
"""Seconds after which a subscription is renewed even if nothing suggests it was lost."""

type PropertyHandler = Callable[[dict[PropertyKey, Any]], None]
type EventHandler = Callable[[int, int, dict[int, Any]], None]


def subscriber_id(entry_id: str) -> str:
    """The id a config entry gives devices when it subscribes: stable, and nothing secret."""
    return str(int.from_bytes(hashlib.sha256(entry_id.encode()).digest()[:7], "big"))


def push_interval(interval: timedelta) -> timedelta:
    """The poll interval while push works."""
    return max(interval, min(interval * PUSH_INTERVAL_FACTOR, MAX_PUSH_INTERVAL))


def lan_session(transport: Any) -> DeviceSession | None:
    """The LAN session behind a device's transport, if it has one."""
    if isinstance(transport, DeviceSession):
        return transport
    if isinstance(transport, RoutedTransport) and isinstance(transport.lan, DeviceSession):
        return transport.lan
    return None


class PushLink:
    """One device's subscription, and the reports it brings, handed to the coordinator."""

    def __init__(
        self,
        session: DeviceSession,
        subscriber: str,
        *,
        transport: Any,
        name: str,
        on_properties: PropertyHandler,
        on_event: EventHandler,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Receive the session's reports; subscribe when `async_maintain` says so."""
        self.session = session
        self.subscriber = subscriber
        self.name = name
        self._transport = transport
        self._on_properties = on_properties
        self._on_event = on_event
        self._clock = clock
        self._subscribed_at: float | None = None
        self._refused_at: float | None = None
        self._handshakes = -1
        self.reports = 0
        session.on_report = self._report

    @property
    def healthy(self) -> bool:
        """Whether the device should be reporting to us now."""
        return (
            self._subscribed_at is not None
            and self._handshakes == self.session.handshakes
            and self._on_lan()
        )

    def _on_lan(self) -> bool:
        transport = self._transport
        return not isinstance(transport, RoutedTransport) or transport.active == Route.LAN

    async def async_maintain(self) -> None:
        """After a good poll: subscribe if we never did, may have been forgotten, or it is time."""
        if not self._on_lan():
            self._subscribed_at = None
            return
        now = self._clock()
        same_device = self._handshakes == self.session.handshakes
        if self._refused_at is not None and same_device and now - self._refused_at < RENEW_AFTER:
            return  # no push on this firmware: asked again after a reboot or RENEW_AFTER
        due = self._subscribed_at is None or now - self._subscribed_at >= RENEW_AFTER
        if not due and same_device:
            return
        try:
            await self.session.subscribe(self.subscriber)
        except MiotDeviceError as err:
            LOGGER.debug("%s: refuses push (%s); polled at the interval", self.name, err)
            self._subscribed_at = None
            self._refused_at = now
            self._handshakes = self.session.handshakes
            return
        except MiotError as err:
            # It did not answer: polling carries on, and the next good poll asks again.
            LOGGER.debug("%s: no push subscription: %s", self.name, err)
            self._subscribed_at = None
            return
        self._refused_at = None
        if self._subscribed_at is None:
            LOGGER.debug("%s: push subscription made", self.name)
        self._subscribed_at = self._clock()
        self._handshakes = self.session.handshakes

    def lost(self) -> None:
        """A poll failed: the device may be back without our subscription."""
        self._subscribed_at = None

    def _report(self, report: Report) -> None:
        self.reports += 1
        if isinstance(report, PropertiesChanged):
            self._on_properties(dict(report.values))
        else:
            self._on_event(report.siid, report.eiid, dict(report.arguments))
