"""A virtual device: its state, clock, message-id memory, faults and logs.

This module holds no I/O. `simulator.rpc` answers miIO methods against a device and
`simulator.endpoint` carries them over UDP.
"""

from __future__ import annotations

import logging
import random
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from custom_components.xiaomi_aiot.miot.errors import MiotSpecError
from custom_components.xiaomi_aiot.miot.packet import FrameCodec
from custom_components.xiaomi_aiot.miot.spec import MiotEvent, MiotProperty, MiotSpec, Value

from .effects import Emit, SetTo, SetToEnd, Speak, Toggle, effects_of, write_effects_of
from .faults import FaultChange, Faults, parse_fault_change
from .home import DeviceConfig
from .state import StateError, StateKey, coerce_value, resolve_event, resolve_property
from .subscriptions import Subscriptions

_LOGGER = logging.getLogger(__name__)

type Listener = Callable[[int, int, Value], None]
type EventListener = Callable[[int, int, Sequence[tuple[int, Value]]], None]

SEEN_IDS = 128
LOG_SIZE = 50


class VirtualDevice:
    """One device of the virtual home.

    `listeners` are called with ``(siid, piid, value)`` whenever a property's value changes,
    whatever changed it (the LAN, an action, the admin API or `set`). `event_listeners` are
    called with ``(siid, eiid, [(piid, value), ...])`` whenever the device emits an event.
    `subscriptions` are the push-report subscribers (a reboot forgets them).
    """

    def __init__(
        self,
        config: DeviceConfig,
        *,
        address: str | None = None,
        port: int | None = None,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Build the device at its initial state; the clock starts at a random uptime."""
        self.config = config
        self.id = config.id
        self.did = config.did
        self.kind = config.kind
        self.model = config.model
        self.name = config.name
        self.room = config.room
        self.person = config.person
        self.spec: MiotSpec | None = config.spec
        self.address = address if config.lan else None
        self.port = port if config.lan else None
        self.faults = Faults()
        self.listeners: list[Listener] = []
        self.event_listeners: list[EventListener] = []
        self.subscriptions = Subscriptions()
        self.spoken: deque[str] = deque(maxlen=LOG_SIZE)
        self.events: deque[dict[str, Any]] = deque(maxlen=LOG_SIZE)
        self.cloud_state: dict[str, Any] = dict(config.cloud_state)
        self._state: dict[StateKey, Value] = dict(config.state)
        self._rng = rng if rng is not None else random.Random()
        self._clock = clock
        self._boot = clock() - self._rng.uniform(3_600, 30 * 86_400)
        self._seen: deque[int] = deque(maxlen=SEEN_IDS)
        self._token = config.token
        self.codec = FrameCodec(config.token)
        self.apply_change(config.faults)

    # --- identity, clock and message ids -------------------------------------------------

    @property
    def token(self) -> str:
        """The device's token, 32 lowercase hexadecimal characters."""
        return self._token

    @property
    def online(self) -> bool:
        """Whether the device answers at all (the ``offline`` fault turns it off)."""
        return not self.faults.offline

    @property
    def uptime(self) -> float:
        """Seconds since the device (re)booted."""
        return max(0.0, self._clock() - self._boot)

    def stamp(self) -> int:
        """The device clock as carried in packet headers."""
        return int(self.uptime) & 0xFFFFFFFF

    def reboot(self) -> None:
        """Restart the clock at zero, forget the message ids seen and the subscriptions."""
        self._boot = self._clock()
        self._seen.clear()
        self.subscriptions.clear()

    def remember(self, message_id: int) -> bool:
        """Record a message id; False if it is among the last ones seen (a replay)."""
        if message_id in self._seen:
            return False
        self._seen.append(message_id)
        return True

    # --- faults ----------------------------------------------------------------------------

    def apply_faults(self, settings: Mapping[str, Any]) -> None:
        """Validate and apply fault settings (raises `FaultError`); see `simulator.faults`."""
        self.apply_change(parse_fault_change(settings, self.spec))

    def apply_change(self, change: FaultChange) -> None:
        """Apply an already validated fault change."""
        self.faults = change.apply_to(self.faults)
        if change.token is not None:
            self._token = change.token
            self.codec = FrameCodec(change.token)
        if change.reboot:
            self.reboot()

    # --- properties ------------------------------------------------------------------------

    def property(self, siid: int, piid: int) -> MiotProperty:
        """The spec property at (siid, piid); `MiotSpecError` if there is none."""
        if self.spec is None:
            raise MiotSpecError(f"a {self.kind} has no spec yet")
        return self.spec.property(siid, piid)

    def resolve(self, name: str) -> MiotProperty:
        """A property by name (``brightness`` or ``light.brightness``); `StateError` if none."""
        if self.spec is None:
            raise MiotSpecError(f"a {self.kind} has no spec yet")
        return resolve_property(self.spec, name)

    def get(self, siid: int, piid: int) -> Value:
        """The current value of a property."""
        return self._state[self.property(siid, piid).key]

    def set(self, siid: int, piid: int, value: Any) -> Value:
        """Change a property as if by hand (any access); returns the stored canonical value.

        Raises `MiotSpecError` for an unknown property and `StateError` (a ValueError) for a
        value that does not fit.
        """
        prop = self.property(siid, piid)
        canonical = coerce_value(prop, value)
        self.store(prop, canonical)
        return canonical

    def store(self, prop: MiotProperty, value: Value) -> None:
        """Store an already validated value and tell the listeners if it changed."""
        old = self._state.get(prop.key)
        if prop.key in self._state and old == value and type(old) is type(value):
            return
        self._state[prop.key] = value
        for listener in list(self.listeners):
            try:
                listener(prop.siid, prop.piid, value)
            except Exception:
                _LOGGER.exception("listener of %s failed", self.id)

    # --- actions ---------------------------------------------------------------------------

    def run_action(self, siid: int, aiid: int, inputs: list[Any]) -> list[Value]:
        """Run an action: store its inputs, apply its effects, return its outputs.

        Raises `MiotSpecError` for an unknown action and `MiotValueError` for bad inputs.
        """
        if self.spec is None:
            raise MiotSpecError(f"a {self.kind} has no spec yet")
        action = self.spec.action(siid, aiid)
        values = self.spec.validate_action_inputs(siid, aiid, inputs)
        for piid, value in zip(action.inputs, values, strict=True):
            self.store(self.spec.property(siid, piid), value)
        for effect in effects_of(action.service, action.name):
            self._apply_effect(siid, effect)
        return [self._state[siid, piid] for piid in action.outputs]

    def write(self, prop: MiotProperty, value: Value) -> None:
        """Store a value written by a client, then apply what writing it does."""
        self.store(prop, value)
        assert self.spec is not None
        service = self.spec.services[prop.siid]
        choice = prop.choice(value) if isinstance(value, int) and prop.value_list else None
        for effect in write_effects_of(service.name, prop.name, choice.name if choice else None):
            for target in service.properties.values():
                if target.name != effect.prop:
                    continue
                if isinstance(effect, SetToEnd):
                    rng = target.value_range
                    if rng is None:
                        continue
                    end = rng.max if effect.top else rng.min
                    written: Value = int(end) if float(end).is_integer() else end
                else:
                    written = value
                try:
                    self.store(target, coerce_value(target, written))
                except StateError:
                    continue  # outside this property's range

    def _apply_effect(self, siid: int, effect: SetTo | Toggle | Speak | Emit) -> None:
        assert self.spec is not None
        service = self.spec.services[siid]
        if isinstance(effect, SetTo) and effect.service is not None:
            named = (s for s in self.spec.services.values() if s.name == effect.service)
            service = next(named, service)
        if isinstance(effect, Emit):
            self._emit(siid, effect.event)
            return
        prop = next((p for p in service.properties.values() if p.name == effect.prop), None)
        if prop is None:
            return
        if isinstance(effect, SetTo):
            try:
                value = coerce_value(prop, effect.value)
            except StateError:
                return  # the model's property has no such value (e.g. no "Pause" state)
            self.store(prop, value)
        elif isinstance(effect, Toggle):
            self.store(prop, not self._state[prop.key])
        else:
            self.spoken.append(str(self._state[prop.key]))

    # --- events --------------------------------------------------------------------------

    def emit_event(self, event: str | int, arguments: Mapping[str, Any]) -> dict[str, Any]:
        """Emit a spec event, as if it happened to the device; returns the event recorded.

        `event` is a name (``lock-event``), ``service.name`` or an eiid; `arguments` maps
        names of the event's arguments to values, stored as if by hand before the event
        goes out (arguments not given keep their current values). All or nothing: raises
        `StateError` for an unknown event, and one whose `key` is the argument at fault for
        an argument that is not the event's or a value that does not fit.
        """
        if self.spec is None:
            raise StateError(f"a {self.kind} has no spec yet")
        spec_event = resolve_event(self.spec, event)
        service = self.spec.services[spec_event.siid]
        by_name = {
            service.properties[piid].name: service.properties[piid] for piid in spec_event.arguments
        }
        changes: list[tuple[MiotProperty, Value]] = []
        for name, value in arguments.items():
            prop = by_name.get(name)
            if prop is None:
                known = ", ".join(by_name) or "none"
                raise StateError(f"not an argument of {spec_event.name} (known: {known})", name)
            try:
                changes.append((prop, coerce_value(prop, value)))
            except StateError as err:
                raise StateError(str(err), name) from None
        for prop, canonical in changes:
            self.store(prop, canonical)
        return self._record(spec_event)

    def _emit(self, siid: int, name: str) -> None:
        assert self.spec is not None
        event = next((e for e in self.spec.services[siid].events.values() if e.name == name), None)
        if event is not None:
            self._record(event)

    def _record(self, event: MiotEvent) -> dict[str, Any]:
        """Log an event with its arguments' current values and tell the event listeners."""
        assert self.spec is not None
        values = [(piid, self._state[event.siid, piid]) for piid in event.arguments]
        record = {
            "siid": event.siid,
            "eiid": event.eiid,
            "service": event.service,
            "name": event.name,
            "arguments": [
                {"piid": piid, "name": self.spec.property(event.siid, piid).name, "value": value}
                for piid, value in values
            ],
            "time": round(time.time(), 3),
        }
        self.events.append(record)
        for listener in list(self.event_listeners):
            try:
                listener(event.siid, event.eiid, values)
            except Exception:
                _LOGGER.exception("event listener of %s failed", self.id)
        return record

    # --- descriptions ----------------------------------------------------------------------

    def properties_json(self) -> list[dict[str, Any]]:
        """Every property with its spec names and current value."""
        if self.spec is None:
            return []
        return [
            {
                "siid": prop.siid,
                "piid": prop.piid,
                "service": prop.service,
                "name": prop.name,
                "value": self._state[prop.key],
            }
            for prop in self.spec.properties()
        ]

    def describe(self) -> dict[str, Any]:
        """The device as the admin API shows it."""
        data: dict[str, Any] = {
            "id": self.id,
            "did": self.did,
            "kind": self.kind,
            "model": self.model,
            "name": self.name,
            "room": self.room,
            "person": self.person,
            "address": self.address,
            "port": self.port,
            "token": self.token,
            "online": self.online,
            "properties": self.properties_json(),
            "faults": self.faults.as_dict(),
            "spoken": list(self.spoken),
            "events": list(self.events),
            "subscribers": self.subscriptions.as_json(),
            "reports": self.subscriptions.counts.as_json(),
        }
        if self.spec is None:
            data["state"] = dict(self.cloud_state)
        return data

    def info(self) -> dict[str, Any]:
        """The answer to ``miIO.info``."""
        mac_tail = self.did.to_bytes(4, "big")
        mac = ":".join(f"{b:02X}" for b in (0x02, 0x4D, *mac_tail))
        firmware = "2.1.9_0041"
        if self.spec is not None:
            prop = self.spec.find("device-information", "firmware-revision")
            if prop is not None and isinstance(value := self._state[prop.key], str) and value:
                firmware = value
        return {
            "model": self.model,
            "fw_ver": firmware,
            "hw_ver": "esp32",
            "mac": mac,
            "life": int(self.uptime),
            "ap": {"ssid": "VirtualHome", "rssi": -42, "bssid": "02:4D:00:00:00:01"},
            "netif": {"localIp": self.address, "mask": "255.0.0.0", "gw": "127.0.0.1"},
        }
