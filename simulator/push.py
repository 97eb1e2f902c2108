"""Push reports: what a device sends its subscribers when its state changes or an event happens.

Changes made in one turn of the event loop go out together as one ``properties_changed``
(the last value of each property wins), followed by one ``event_occured`` per event. Each
subscriber gets its own copy with its own message id. A copy that is not acknowledged within
`retry_interval` is sent again, at most `retries` times, then given up; a subscriber whose
reports are given up `MAX_MISSES` times in a row loses its subscription. An offline device
reports nothing and queues nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from custom_components.xiaomi_aiot.miot.spec import Value

from .device import VirtualDevice
from .state import StateKey
from .subscriptions import Address, Subscriber

_LOGGER = logging.getLogger(__name__)

type Transmit = Callable[[bytes, Address], None]

REPORT_RETRY_INTERVAL = 1.0
REPORT_RETRIES = 3
FIRST_REPORT_IDS = (1, 9999)
MAX_REPORT_ID = 0x7FFFFFFF


def encode_json(message: dict[str, Any]) -> bytes:
    """Compact JSON, as devices send it."""
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@dataclass(slots=True)
class _Report:
    """One report on its way to one subscriber."""

    message_id: int
    payload: bytes
    subscriber: Subscriber
    sends: int = 0
    timer: asyncio.TimerHandle | None = None


class Reporter:
    """Sends a device's push reports through `transmit`, and retries them until acknowledged."""

    def __init__(
        self,
        device: VirtualDevice,
        transmit: Transmit,
        rng: random.Random,
        *,
        retry_interval: float = REPORT_RETRY_INTERVAL,
        retries: int = REPORT_RETRIES,
    ) -> None:
        """Report for `device`; nothing is heard until `start`."""
        if retry_interval <= 0 or retries < 0:
            raise ValueError("retry_interval must be positive and retries not negative")
        self.device = device
        self.retry_interval = retry_interval
        self.retries = retries
        self._transmit = transmit
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changes: dict[StateKey, Value] = {}
        self._events: list[dict[str, Any]] = []
        self._flush: asyncio.Handle | None = None
        self._reports: dict[int, _Report] = {}
        self._next_id = rng.randint(*FIRST_REPORT_IDS)

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Listen to the device's changes and events."""
        if self._loop is not None:
            return
        self._loop = loop
        self.device.listeners.append(self._on_change)
        self.device.event_listeners.append(self._on_event)

    def stop(self) -> None:
        """Stop listening, and drop what was not sent or acknowledged yet."""
        if self._loop is None:
            return
        self._loop = None
        with contextlib.suppress(ValueError):
            self.device.listeners.remove(self._on_change)
        with contextlib.suppress(ValueError):
            self.device.event_listeners.remove(self._on_event)
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None
        for report in self._reports.values():
            if report.timer is not None:
                report.timer.cancel()
        self._reports.clear()
        self._changes.clear()
        self._events.clear()

    def acknowledge(self, message_id: int) -> bool:
        """A subscriber acknowledged a report; False if no report has that id (any more)."""
        report = self._reports.pop(message_id, None)
        if report is None:
            return False
        if report.timer is not None:
            report.timer.cancel()
        self.device.subscriptions.counts.acknowledged += 1
        report.subscriber.misses = 0
        return True

    # --- collecting --------------------------------------------------------------------------

    def _listening(self) -> bool:
        return self._loop is not None and self.device.online and len(self.device.subscriptions) > 0

    def _on_change(self, siid: int, piid: int, value: Value) -> None:
        if self._listening():
            self._changes[siid, piid] = value
            self._schedule()

    def _on_event(self, siid: int, eiid: int, arguments: Sequence[tuple[int, Value]]) -> None:
        if self._listening():
            self._events.append(
                {
                    "did": str(self.device.did),
                    "siid": siid,
                    "eiid": eiid,
                    "arguments": [{"piid": piid, "value": value} for piid, value in arguments],
                }
            )
            self._schedule()

    def _schedule(self) -> None:
        if self._flush is None and self._loop is not None:
            self._flush = self._loop.call_soon(self._send_collected)

    # --- sending ------------------------------------------------------------------------------

    def _send_collected(self) -> None:
        self._flush = None
        changes, self._changes = self._changes, {}
        events, self._events = self._events, []
        if not self.device.online:
            return
        did = str(self.device.did)
        messages: list[tuple[str, Any]] = []
        if changes:
            params = [
                {"did": did, "siid": siid, "piid": piid, "value": value}
                for (siid, piid), value in changes.items()
            ]
            messages.append(("properties_changed", params))
        messages.extend(("event_occured", event) for event in events)
        for subscriber in self.device.subscriptions:
            for method, params in messages:
                message_id = self._new_id()
                payload = encode_json({"id": message_id, "method": method, "params": params})
                report = _Report(message_id, payload, subscriber)
                self._reports[message_id] = report
                self._attempt(report)

    def _new_id(self) -> int:
        message_id = self._next_id
        self._next_id = message_id % MAX_REPORT_ID + 1
        return message_id

    def _attempt(self, report: _Report) -> None:
        """Send a report (again), or give it up once every retry is used."""
        subscriptions = self.device.subscriptions
        if self._loop is None or not subscriptions.is_current(report.subscriber):
            self._reports.pop(report.message_id, None)
            return
        if report.sends > self.retries or not self.device.online:
            self._reports.pop(report.message_id, None)
            subscriptions.counts.given_up += 1
            # A device whose Wi-Fi dropped knows the failure is its own, not the subscriber's.
            if self.device.online:
                subscriptions.missed(report.subscriber)
            _LOGGER.debug("%s: report %s given up", self.device.id, report.message_id)
            return
        if report.sends == 0:
            subscriptions.counts.sent += 1
        else:
            subscriptions.counts.retried += 1
        report.sends += 1
        self._transmit(report.payload, report.subscriber.address)
        report.timer = self._loop.call_later(self.retry_interval, self._attempt, report)
