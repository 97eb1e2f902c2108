"""Latency benchmark: a device's change to Home Assistant's state (push); a command's round trip.

Home Assistant runs in this process, built by pytest-homeassistant-custom-component's test
harness (`async_test_home_assistant`, on a temporary configuration folder, the event loop out
of debug mode). A generated home of 20 LAN devices (lights of the three models, air
conditioners, TVs, locks, speakers) runs in the simulator on loopback addresses, on the same
event loop: Home Assistant and every device share one thread, so each figure includes the
other side's work and the two never run in parallel. The integration reaches the home through
its account path (the config flow against the simulated cloud; every device on the LAN through
one shared socket), or with ``--local`` through a config entry per device (a socket each).
Each device subscribes to push reports when it is set up; the run checks that every one did.

Figures, one sample at a time (the next starts 20-50 ms after the last one is seen), round
robin over devices and properties so that no two samples coalesce:

- push: a property changed on the simulator by hand (`VirtualDevice.set`, as the admin API
  does) at t0; t1 when Home Assistant's ``state_changed`` event shows the new value on the
  entity that displays the property. A sample not seen within 2 s is lost, and counts as
  slower than any other in the percentiles;
- push with faults: the same with 10 % packet loss on every device (its reports, and the
  polls and acknowledgements it receives); a device sends a report again after 1 s, at most
  3 times, so here a sample is lost when not seen within 3.5 s;
- event: a lock event emitted on the simulator (`VirtualDevice.emit_event`, as the admin
  API's events route does) → the lock's event entity fired;
- command: `hass.services.async_call(..., blocking=True)` at t0 (light brightness, target
  temperature, volume; the door lock has no lock action); the legs end when the simulator's
  listener sees the value; when Home Assistant's state first shows it (the integration shows a
  written value as soon as the device accepts the write); when the device's own
  ``properties_changed`` report of the value reaches the integration (what confirms the write
  while push works); and when the service call returns (after the poll the write asks for, if it
  runs at once: the run counts the calls that waited for one).

Loopback has no radio: a real device adds its Wi-Fi round trip to every leg. Prints markdown
tables, writes the figures and every sample as JSON with ``--json PATH``, and exits 1 when the
push p95 target (< 50 ms, without faults, lost samples counted) is missed. A full run takes
about 100 s, ``--quick`` about 30 s.

    .venv/bin/python -m bench.latency [--quick] [--json PATH] [--local] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import logging
import math
import os
import platform
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest.mock import patch

from aiohttp.resolver import AsyncResolver
from homeassistant import loader
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.const import __version__ as ha_version
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, State, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import frame
from homeassistant.util.color import value_to_brightness
from pytest_homeassistant_custom_component.common import async_test_home_assistant

from custom_components.xiaomi_aiot.coordinator import MiotCoordinator
from custom_components.xiaomi_aiot.miot.reports import PropertiesChanged, Report
from custom_components.xiaomi_aiot.miot.spec import MiotProperty
from harness.hass import entry_for, sign_in
from harness.net import first_address
from simulator import Simulator, VirtualDevice, load_home
from simulator.cloud import CloudServer
from simulator.state import coerce_value, resolve_property

ROOT = Path(__file__).resolve().parent.parent

PUSH_TARGET_P95 = 0.050
DEADLINE = 2.0
"""Seconds after which a sample not seen counts as lost."""
FAULT_DEADLINE = 3.5
"""The same under faults: after a device's last retry (3 retries, 1 s apart)."""
GAP = (0.02, 0.05)
"""Seconds between one sample seen and the next one started, drawn at random."""
FAULT_LOSS = 0.1
SETTLE = 4.0
"""Seconds for the retries of reports sent under faults to run out (1 s apart, 3 at most)."""


@dataclass(frozen=True, slots=True)
class Plan:
    """How many samples of each figure."""

    push: int
    push_faults: int
    events: int
    commands: int


FULL = Plan(push=600, push_faults=300, events=150, commands=300)
QUICK = Plan(push=150, push_faults=60, events=40, commands=80)

HOME_MIX: tuple[tuple[str, str, int, dict[str, Any]], ...] = (
    # kind, name, how many, extra home-file keys
    ("light", "Color Light", 3, {"features": ["brightness", "color_temp", "color"]}),
    ("light", "White Light", 3, {"features": ["brightness", "color_temp"]}),
    ("light", "Dimmer", 2, {"features": ["brightness"]}),
    ("air_conditioner", "AC", 4, {}),
    ("television", "TV", 2, {}),
    ("lock", "Lock", 3, {}),
    ("speaker", "Speaker", 3, {}),
)
START_STATE: dict[str, dict[str, Any]] = {
    # Home Assistant shows no brightness for a light that is off. (The TV has no power property.)
    "light": {"on": True, "brightness": 50},
    "air_conditioner": {"on": True, "mode": "Cool"},
}


def latency_home() -> dict[str, Any]:
    """The home file, as a mapping: 20 LAN devices in two rooms."""
    devices = [
        {
            "id": f"{name.lower().replace(' ', '-')}-{number}",
            "kind": kind,
            "name": f"{name} {number}",
            "room": "Living Room" if number % 2 else "Bedroom",
            **extra,
            "state": START_STATE.get(kind, {}),
        }
        for kind, name, count, extra in HOME_MIX
        for number in range(1, count + 1)
    ]
    return {"home_name": "Latency Home", "rooms": ["Living Room", "Bedroom"], "devices": devices}


# --- what is changed, and how Home Assistant shows it ----------------------------------------

type Shows = Callable[[State, MiotProperty, Any], bool]
type Command = Callable[[MiotProperty, Any], tuple[str, str, dict[str, Any]]]


def shows_brightness(state: State, prop: MiotProperty, value: Any) -> bool:
    """A light's brightness attribute is the value on Home Assistant's 0..255 scale."""
    assert prop.value_range is not None
    scale = (prop.value_range.min, prop.value_range.max)
    return bool(state.attributes.get("brightness") == value_to_brightness(scale, value))


def shows_attribute(name: str, divisor: float = 1.0) -> Shows:
    """An attribute is the value (divided by `divisor`)."""

    def shows(state: State, prop: MiotProperty, value: Any) -> bool:
        shown = state.attributes.get(name)
        if isinstance(value, bool) or not isinstance(shown, int | float):
            return bool(shown == value)
        return math.isclose(shown, value / divisor, abs_tol=1e-9)

    return shows


def shows_number(state: State, prop: MiotProperty, value: Any) -> bool:
    """The state is the number."""
    try:
        return math.isclose(float(state.state), value, abs_tol=1e-9)
    except ValueError:
        return False


def shows_choice(state: State, prop: MiotProperty, value: Any) -> bool:
    """The state is the name of the value's choice (``locked``)."""
    choice = prop.choice(int(value))
    return choice is not None and state.state == choice.name


def set_brightness(prop: MiotProperty, value: Any) -> tuple[str, str, dict[str, Any]]:
    """``light.turn_on`` with a brightness in percent."""
    return "light", "turn_on", {"brightness_pct": value}


def set_temperature(prop: MiotProperty, value: Any) -> tuple[str, str, dict[str, Any]]:
    """``climate.set_temperature``."""
    return "climate", "set_temperature", {"temperature": value}


def set_volume(prop: MiotProperty, value: Any) -> tuple[str, str, dict[str, Any]]:
    """``media_player.volume_set``, on the 0..1 scale of the spec's range (a TV's is 0..50)."""
    top = prop.value_range.max if prop.value_range else 100
    return "media_player", "volume_set", {"volume_level": value / top}


@dataclass(frozen=True, slots=True)
class Probe:
    """A property of a kind of device, the values it takes in turn, and the entity showing it.

    `entity` is the entity's unique-id key within its device (``light-2``, ``p-4-1``);
    `command` is the service call that writes a value, for command probes.
    """

    kind: str
    prop: str
    entity: str
    values: tuple[Any, ...]
    shows: Shows
    command: Command | None = None


VOLUME = shows_attribute("volume_level", 100)
TV_VOLUME = shows_attribute("volume_level", 50)  # the TV's spec: 0..50
PUSH_PROBES = (
    Probe("light", "brightness", "light-2", (20, 45, 70, 95), shows_brightness),
    Probe(
        "air_conditioner",
        "target-temperature",
        "climate-2",
        (20, 22.5, 25, 27.5),
        shows_attribute("temperature"),
    ),
    Probe("air_conditioner", "temperature", "p-4-7", (21.5, 24.0, 27.5), shows_number),
    Probe("television", "volume", "media_player-2", (10, 25, 40), TV_VOLUME),
    # The door lock has no lock entity: its status is a sensor.
    Probe("lock", "status", "p-2-5", ("Open", "Others"), shows_choice),
    Probe("lock", "battery-level", "p-4-1", (35, 60, 85), shows_number),
    Probe("speaker", "volume", "media_player-2", (10, 35, 60), VOLUME),
    Probe("speaker", "mute", "media_player-2", (True, False), shows_attribute("is_volume_muted")),
)
COMMAND_PROBES = (
    Probe("light", "brightness", "light-2", (25, 50, 75, 100), shows_brightness, set_brightness),
    Probe(
        "air_conditioner",
        "target-temperature",
        "climate-2",
        (21, 23.5, 26),
        shows_attribute("temperature"),
        set_temperature,
    ),
    Probe("television", "volume", "media_player-2", (15, 30, 45), TV_VOLUME, set_volume),
    Probe("speaker", "volume", "media_player-2", (15, 40, 65), VOLUME, set_volume),
)
LOCK_EVENT = "lock-opened"
LOCK_EVENT_ENTITY = "e-2-1"


@dataclass(slots=True)
class Target:
    """A probe on one device, and the entity that shows its property."""

    device: VirtualDevice
    coordinator: MiotCoordinator
    probe: Probe
    prop: MiotProperty
    entity_id: str
    turn: int = 0

    def next_value(self) -> Any:
        """The next value in turn that differs from the device's (canonical)."""
        current = self.device.get(self.prop.siid, self.prop.piid)
        values = self.probe.values
        for _ in range(len(values)):
            value = coerce_value(self.prop, values[self.turn % len(values)])
            self.turn += 1
            if value != current:
                return value
        raise ValueError(f"{self.probe.prop}: every value is the current one")


# --- watching ---------------------------------------------------------------------------------


class Waiters:
    """Futures each waiting for the first occurrence that matches; they get its time."""

    def __init__(self) -> None:
        """Nobody waits yet."""
        self._waiting: list[tuple[Callable[..., bool], asyncio.Future[float]]] = []

    def expect(self, match: Callable[..., bool]) -> asyncio.Future[float]:
        """A future set to `time.perf_counter()` of the first occurrence `match` accepts."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting.append((match, future))
        return future

    def occurred(self, *args: Any) -> None:
        """Something happened: resolve the futures that wait for it."""
        if not self._waiting:
            return
        now = time.perf_counter()
        still: list[tuple[Callable[..., bool], asyncio.Future[float]]] = []
        for match, future in self._waiting:
            if future.done():
                continue
            if match(*args):
                future.set_result(now)
            else:
                still.append((match, future))
        self._waiting = still

    def forget(self) -> None:
        """Stop waiting for anything (a sample that timed out)."""
        for _match, future in self._waiting:
            future.cancel()
        self._waiting.clear()


@dataclass(slots=True)
class Watch:
    """Home Assistant's state changes, the simulator's property changes, the reports received."""

    states: Waiters = field(default_factory=Waiters)
    device_changes: Waiters = field(default_factory=Waiters)
    reports: Waiters = field(default_factory=Waiters)
    report_counts: Counter[str] = field(default_factory=Counter)
    polls: int = 0

    @callback
    def state_changed(self, event: Event[EventStateChangedData]) -> None:
        """A ``state_changed`` event: (entity id, old state, new state)."""
        data = event.data
        self.states.occurred(data["entity_id"], data["old_state"], data["new_state"])

    def follow_device(self, device: VirtualDevice) -> Callable[[], None]:
        """Hear every property change of a simulated device; returns how to stop."""

        def changed(siid: int, piid: int, value: Any) -> None:
            self.device_changes.occurred(device.id, siid, piid, value)

        device.listeners.append(changed)
        return lambda: device.listeners.remove(changed)

    def follow_reports(self, coordinator: MiotCoordinator) -> Callable[[], None]:
        """See each report the coordinator's LAN session hands on; returns how to stop."""
        assert coordinator.push is not None
        session = coordinator.push.session
        handler = session.on_report
        assert handler is not None

        def on_report(report: Report) -> None:
            if isinstance(report, PropertiesChanged):
                self.report_counts["properties_changed"] += 1
                for (siid, piid), value in report.values.items():
                    self.reports.occurred(coordinator.did, siid, piid, value)
            else:
                self.report_counts["event_occured"] += 1
            handler(report)

        session.on_report = on_report

        def stop() -> None:
            session.on_report = handler

        return stop

    def follow_polls(self, coordinator: MiotCoordinator) -> Callable[[], None]:
        """Count the coordinator's polls (reads of its properties); returns how to stop."""
        device = coordinator.device
        read = device.read_properties

        async def read_properties(*args: Any, **kwargs: Any) -> Any:
            self.polls += 1
            return await read(*args, **kwargs)

        device.read_properties = read_properties  # type: ignore[method-assign]
        return lambda: delattr(device, "read_properties")

    def forget(self) -> None:
        """Stop waiting for anything."""
        self.states.forget()
        self.device_changes.forget()
        self.reports.forget()


async def first_of(futures: Sequence[asyncio.Future[float]], deadline: float) -> list[float | None]:
    """Wait until every future is set or `deadline` (perf_counter) passes; their times."""
    pending = [f for f in futures if not f.done()]
    if pending:
        await asyncio.wait(pending, timeout=max(0.0, deadline - time.perf_counter()))
    return [f.result() if f.done() and not f.cancelled() else None for f in futures]


# --- samples ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Sample:
    """One measurement: seconds from t0 to each leg's end (None: not within the deadline)."""

    kind: str
    prop: str
    legs: dict[str, float | None]
    polled: bool = False
    """A command only: the service call waited for a poll."""


@dataclass(slots=True)
class Bench:
    """Home Assistant, the simulated home, and what the run watches of both."""

    hass: HomeAssistant
    sim: Simulator
    targets: list[Target]
    command_targets: list[Target]
    event_targets: list[tuple[VirtualDevice, str]]
    watch: Watch
    rng: random.Random

    def coordinators(self) -> list[MiotCoordinator]:
        """The coordinator of each device."""
        return list({t.coordinator.did: t.coordinator for t in self.targets}.values())

    async def gap(self) -> None:
        """A short random pause between samples."""
        await asyncio.sleep(self.rng.uniform(*GAP))

    async def push_sample(self, target: Target, deadline: float = DEADLINE) -> Sample:
        """Change a property on the simulator; wait for Home Assistant to show it."""
        prop, probe = target.prop, target.probe
        value = target.next_value()
        shown = self.watch.states.expect(
            lambda entity_id, _old, new: (
                entity_id == target.entity_id and new is not None and probe.shows(new, prop, value)
            )
        )
        t0 = time.perf_counter()
        target.device.set(prop.siid, prop.piid, value)
        (t1,) = await first_of([shown], t0 + deadline)
        self.watch.forget()
        return Sample(probe.kind, probe.prop, {"shown": _since(t0, t1)})

    async def event_sample(self, device: VirtualDevice, entity_id: str, number: int) -> Sample:
        """Emit a lock event on the simulator; wait for the event entity to fire."""
        fired = self.watch.states.expect(
            lambda entity, _old, new: (
                entity == entity_id and new is not None and new.attributes.get("key_id") == number
            )
        )
        t0 = time.perf_counter()
        device.emit_event(LOCK_EVENT, {"operation-method": "Fingerprint", "operation-id": number})
        (t1,) = await first_of([fired], t0 + DEADLINE)
        self.watch.forget()
        return Sample(device.kind, LOCK_EVENT, {"fired": _since(t0, t1)})

    async def command_sample(self, target: Target) -> Sample:
        """Call a service; time the device's change, Home Assistant's state and the report."""
        prop, probe = target.prop, target.probe
        assert probe.command is not None
        value = target.next_value()
        domain, service, data = probe.command(prop, value)
        device, key = target.device, (prop.siid, prop.piid)
        changed = self.watch.device_changes.expect(
            lambda device_id, siid, piid, new: (
                device_id == device.id and (siid, piid) == key and new == value
            )
        )
        shown = self.watch.states.expect(
            lambda entity_id, _old, new: (
                entity_id == target.entity_id and new is not None and probe.shows(new, prop, value)
            )
        )
        confirmed = self.watch.reports.expect(
            lambda did, siid, piid, new: (
                did == target.coordinator.did and (siid, piid) == key and new == value
            )
        )
        polls = self.watch.polls
        t0 = time.perf_counter()
        try:
            await self.hass.services.async_call(
                domain, service, {"entity_id": target.entity_id, **data}, blocking=True
            )
        except HomeAssistantError as err:
            print(f"  {target.entity_id}: {domain}.{service} failed: {err}", flush=True)
            returned = None
        else:
            returned = time.perf_counter()
        polled = self.watch.polls > polls
        times = await first_of([changed, shown, confirmed], t0 + DEADLINE)
        self.watch.forget()
        legs = dict(zip(("device", "shown", "confirmed"), times, strict=True))
        legs["returned"] = returned
        return Sample(
            probe.kind, probe.prop, {leg: _since(t0, t) for leg, t in legs.items()}, polled
        )

    async def push_run(self, count: int, deadline: float = DEADLINE) -> list[Sample]:
        """`count` push samples, round robin over the targets."""
        samples = []
        for number in range(count):
            target = self.targets[number % len(self.targets)]
            samples.append(await self.push_sample(target, deadline))
            await self.gap()
        return samples

    async def event_run(self, count: int) -> list[Sample]:
        """`count` lock events, round robin over the locks."""
        samples = []
        for number in range(count):
            device, entity_id = self.event_targets[number % len(self.event_targets)]
            samples.append(await self.event_sample(device, entity_id, 1000 + number))
            await self.gap()
        return samples

    async def command_run(self, count: int) -> list[Sample]:
        """`count` service calls, round robin over the command targets."""
        samples = []
        for number in range(count):
            target = self.command_targets[number % len(self.command_targets)]
            samples.append(await self.command_sample(target))
            await self.gap()
        return samples

    def set_loss(self, loss: float | None) -> None:
        """The `loss` fault on every LAN device (None: none)."""
        for device in self.sim.lan_devices():
            device.apply_faults({"loss": loss})

    def device_report_counts(self) -> dict[str, int]:
        """The simulator's report counts, summed over the devices."""
        total: Counter[str] = Counter()
        for device in self.sim.lan_devices():
            total.update(device.subscriptions.counts.as_json())
        return dict(total)


def _since(t0: float, t: float | None) -> float | None:
    return None if t is None else t - t0


# --- setting up -------------------------------------------------------------------------------


async def set_up_account(hass: HomeAssistant, cloud: CloudServer) -> list[ConfigEntry]:
    """The account path: sign in through the config flow (every device of the home)."""
    result = await sign_in(hass, cloud)
    if result["type"] is not FlowResultType.CREATE_ENTRY:
        raise RuntimeError(f"signing in failed: {result}")
    entry = hass.config_entries.async_get_entry(result["result"].entry_id)
    assert entry is not None
    return [entry]


async def set_up_local(hass: HomeAssistant, sim: Simulator) -> list[ConfigEntry]:
    """A config entry per device, by address and token."""
    entries: list[ConfigEntry] = []
    for device in sim.lan_devices():
        entry = entry_for(device)
        entry.add_to_hass(hass)
        await hass.config_entries.async_setup(entry.entry_id)
        entries.append(entry)
    await hass.async_block_till_done()
    return entries


def build_bench(
    hass: HomeAssistant, sim: Simulator, entries: Sequence[ConfigEntry], watch: Watch, seed: int
) -> Bench:
    """Find each probe's device, coordinator and entity."""
    for entry in entries:
        if entry.state is not ConfigEntryState.LOADED:
            raise RuntimeError(f"{entry.title}: {entry.state}")
    coordinators: dict[str, MiotCoordinator] = {
        did: coordinator
        for entry in entries
        for did, coordinator in entry.runtime_data.coordinators.items()
    }
    registry = er.async_get(hass)
    entity_ids = {
        entity.unique_id: entity.entity_id
        for entry in entries
        for entity in er.async_entries_for_config_entry(registry, entry.entry_id)
    }

    def targets(probes: Sequence[Probe]) -> list[Target]:
        found = []
        for device in sim.lan_devices():
            coordinator = coordinators[str(device.did)]
            assert device.spec is not None
            for probe in probes:
                if probe.kind != device.kind:
                    continue
                unique_id = f"{device.did}-{probe.entity}"
                if unique_id not in entity_ids:
                    raise RuntimeError(f"{device.id}: no entity {unique_id}")
                prop = resolve_property(device.spec, probe.prop)
                found.append(Target(device, coordinator, probe, prop, entity_ids[unique_id]))
        return found

    events = [
        (device, entity_ids[f"{device.did}-{LOCK_EVENT_ENTITY}"])
        for device in sim.lan_devices()
        if device.kind == "lock"
    ]
    return Bench(
        hass,
        sim,
        targets(PUSH_PROBES),
        targets(COMMAND_PROBES),
        events,
        watch,
        random.Random(seed),
    )


@asynccontextmanager
async def running(local: bool, seed: int) -> AsyncIterator[Bench]:
    """Home Assistant with the integration set up on the simulated home, all on this loop."""
    # As the test harness does: no zeroconf behind aiohttp's resolver (the cloud is 127.0.0.1).
    resolver = patch(
        "homeassistant.helpers.aiohttp_client._async_make_resolver", return_value=AsyncResolver()
    )
    home = load_home(latency_home())
    with tempfile.TemporaryDirectory(prefix="latency-") as config_dir, resolver:
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)  # load custom_components/ from ROOT
            frame.async_setup(hass)
            sim = Simulator(home, first_address=first_address(), seed=seed)
            cloud = CloudServer(sim)
            stops: list[Callable[[], None]] = []
            entries: list[ConfigEntry] = []
            try:
                await sim.start()
                await cloud.start(port=0)
                watch = Watch()
                stops.append(hass.bus.async_listen(EVENT_STATE_CHANGED, watch.state_changed))
                if local:
                    entries = await set_up_local(hass, sim)
                else:
                    entries = await set_up_account(hass, cloud)
                bench = build_bench(hass, sim, entries, watch, seed)
                stops += [watch.follow_device(device) for device in sim.lan_devices()]
                for coordinator in bench.coordinators():
                    stops.append(watch.follow_polls(coordinator))
                    if coordinator.push is not None:
                        stops.append(watch.follow_reports(coordinator))
                yield bench
            finally:
                for stop in reversed(stops):
                    stop()
                for entry in entries:
                    await hass.config_entries.async_unload(entry.entry_id)
                await cloud.stop()
                await sim.stop()
                await hass.async_stop(force=True)


# --- figures ----------------------------------------------------------------------------------


def percentile(values: Sequence[float], percent: float) -> float:
    """Nearest-rank percentile; `math.inf` stands for a lost sample."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


def figure(samples: Sequence[Sample], leg: str) -> dict[str, Any]:
    """Count, lost, p50/p95/max in milliseconds of one leg (lost samples count as slowest)."""
    times = [sample.legs[leg] for sample in samples]
    seen = [t for t in times if t is not None]
    ranked = [math.inf if t is None else t for t in times]

    def ms(value: float) -> float | None:
        return None if math.isinf(value) or math.isnan(value) else round(value * 1000, 3)

    return {
        "samples": len(times),
        "lost": len(times) - len(seen),
        "p50_ms": ms(percentile(ranked, 50)),
        "p95_ms": ms(percentile(ranked, 95)),
        "max_ms": ms(max(seen)) if seen else None,
    }


def by_kind(samples: Sequence[Sample], leg: str) -> dict[str, dict[str, Any]]:
    """The figure of one leg for each kind and property."""
    groups: defaultdict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        groups[f"{sample.kind} {sample.prop}"].append(sample)
    return {name: figure(group, leg) for name, group in groups.items()}


def _cells(row: dict[str, Any]) -> str:
    """Samples, lost, p50, p95 and max of a figure as table cells."""
    if not row["samples"]:
        return "0 | 0 | - | - | -"
    shown = ["lost" if row[k] is None else f"{row[k]:.1f}" for k in ("p50_ms", "p95_ms", "max_ms")]
    return " | ".join([str(row["samples"]), str(row["lost"]), *shown])


def table(report: dict[str, Any]) -> list[str]:
    """The figures as markdown tables."""
    figures = report["figures"]
    target = report["target"]
    rows = [
        ("push: simulator change → HA state", figures["push"], target["verdict"]),
        (
            f"push, {FAULT_LOSS:.0%} loss (device retries after 1 s)",
            figures["push_faults"],
            "",
        ),
        ("event: lock event on the simulator → event entity fired", figures["event"], ""),
        ("command: call → simulator has the value", figures["command"]["device"], ""),
        ("command: call → HA state shows the value", figures["command"]["shown"], ""),
        (
            "command: call → device's report of the value (confirmed)",
            figures["command"]["confirmed"],
            "",
        ),
        ("command: call returned", figures["command"]["returned"], ""),
    ]
    lines = [
        "| figure | samples | lost | p50 ms | p95 ms | max ms | target |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    lines += [f"| {name} | {_cells(row)} | {verdict} |" for name, row, verdict in rows]
    lines += ["", "| push, by kind and property | samples | lost | p50 ms | p95 ms | max ms |"]
    lines.append("|---|--:|--:|--:|--:|--:|")
    lines += [f"| {name} | {_cells(row)} |" for name, row in report["push_by_kind"].items()]
    return lines


def notes(report: dict[str, Any]) -> list[str]:
    """What explains the figures: who pushed, polls behind the calls, reports under faults."""
    pushing = report["pushing"]
    figures = report["figures"]
    commands = figures["command"]["returned"]["samples"]
    polled = figures["command_returned_polled"]["samples"]
    reports = report["reports"]
    faults = reports["device_counts_faults"]
    return [
        f"- devices pushing: {pushing['at_start']} of {report['devices']} at the start, "
        f"{pushing['at_end']} at the end",
        f"- service calls that waited for a poll before returning: {polled} of {commands}",
        f"- commands whose confirming report came before the write's reply: "
        f"{report['command_confirmed_before_shown']} of {commands}",
        f"- reports the integration handed on: {reports['received_by_integration']}",
        f"- under faults the devices sent {faults['sent']} reports, {faults['retried']} again, "
        f"{faults['acknowledged']} acknowledged, {faults['given_up']} given up",
    ]


def cpu_model() -> str:
    """The processor's name, from /proc/cpuinfo where there is one."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


async def measure(plan: Plan, *, local: bool, seed: int) -> dict[str, Any]:
    """Run every figure and return the report."""
    started = time.perf_counter()
    async with running(local, seed) as bench:
        coordinators = bench.coordinators()
        without_push = sorted(c.name for c in coordinators if not c.push_healthy)
        print(
            f"home: {len(bench.sim.lan_devices())} LAN devices from {bench.sim.first_address}, "
            f"{'a config entry each' if local else 'the account path'}; "
            f"{len(coordinators) - len(without_push)} pushing",
            flush=True,
        )
        if without_push:
            print(f"  no push subscription: {', '.join(without_push)}", flush=True)
        counts_before = bench.device_report_counts()
        print(f"push: {plan.push} samples ...", flush=True)
        push = await bench.push_run(plan.push)
        print(f"event: {plan.events} samples ...", flush=True)
        events = await bench.event_run(plan.events)
        print(f"command: {plan.commands} samples ...", flush=True)
        commands = await bench.command_run(plan.commands)
        counts_clean = bench.device_report_counts()
        print(f"push with {FAULT_LOSS:.0%} loss: {plan.push_faults} samples ...", flush=True)
        bench.set_loss(FAULT_LOSS)
        push_faults = await bench.push_run(plan.push_faults, FAULT_DEADLINE)
        bench.set_loss(None)
        await asyncio.sleep(SETTLE)
        counts_faults = bench.device_report_counts()
        received = dict(bench.watch.report_counts)
        still_pushing = sum(1 for c in coordinators if c.push_healthy)
    push_figure = figure(push, "shown")
    p95 = push_figure["p95_ms"]
    met = p95 is not None and p95 < PUSH_TARGET_P95 * 1000
    confirmed_first = sum(
        1
        for s in commands
        if s.legs["confirmed"] is not None
        and s.legs["shown"] is not None
        and s.legs["confirmed"] <= s.legs["shown"]
    )
    return {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "home_assistant": ha_version,
        "machine": {"cpu": cpu_model(), "cpus": os.cpu_count(), "system": platform.platform()},
        "plan": {
            "push": plan.push,
            "push_faults": plan.push_faults,
            "events": plan.events,
            "commands": plan.commands,
            "path": "local" if local else "account",
            "seed": seed,
            "deadline_s": DEADLINE,
            "fault_deadline_s": FAULT_DEADLINE,
            "gap_s": list(GAP),
            "fault_loss": FAULT_LOSS,
        },
        "devices": len(coordinators),
        "pushing": {"at_start": len(coordinators) - len(without_push), "at_end": still_pushing},
        "figures": {
            "push": push_figure,
            "push_faults": figure(push_faults, "shown"),
            "event": figure(events, "fired"),
            "command": {
                leg: figure(commands, leg) for leg in ("device", "shown", "confirmed", "returned")
            },
            "command_returned_polled": figure([s for s in commands if s.polled], "returned"),
            "command_returned_not_polled": figure(
                [s for s in commands if not s.polled], "returned"
            ),
        },
        "command_confirmed_before_shown": confirmed_first,
        "push_by_kind": by_kind(push, "shown"),
        "command_by_kind": {
            leg: by_kind(commands, leg) for leg in ("device", "shown", "confirmed", "returned")
        },
        "reports": {
            "received_by_integration": received,
            "device_counts_clean": _difference(counts_clean, counts_before),
            "device_counts_faults": _difference(counts_faults, counts_clean),
        },
        "target": {
            "push_p95_ms_below": PUSH_TARGET_P95 * 1000,
            "met": met,
            "verdict": f"p95 < {PUSH_TARGET_P95 * 1000:.0f} ms: {'met' if met else 'MISSED'}",
        },
        "wall_s": round(time.perf_counter() - started, 1),
        "samples_ms": {
            "push": _raw(push, "shown"),
            "push_faults": _raw(push_faults, "shown"),
            "event": _raw(events, "fired"),
            "command": {
                leg: _raw(commands, leg) for leg in ("device", "shown", "confirmed", "returned")
            },
        },
    }


def _difference(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {key: after[key] - before.get(key, 0) for key in after}


def _raw(samples: Sequence[Sample], leg: str) -> list[float | None]:
    return [None if (t := sample.legs[leg]) is None else round(t * 1000, 3) for sample in samples]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.latency", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--quick", action="store_true", help="fewer samples (about 30 s)")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument(
        "--local", action="store_true", help="a config entry per device instead of the account"
    )
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; exit 1 when the push p95 target is missed."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("homeassistant.loader").setLevel(logging.ERROR)  # "not tested by HA"
    report = asyncio.run(measure(QUICK if args.quick else FULL, local=args.local, seed=args.seed))
    print()
    print(
        f"{report['when']}; Python {report['python']}; Home Assistant {report['home_assistant']}; "
        f"{report['machine']['cpu']} ({report['machine']['cpus']} CPUs); "
        f"wall {report['wall_s']:.0f} s; Home Assistant and the simulator share one event loop\n"
    )
    print("\n".join([*table(report), "", *notes(report)]))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        print(f"\nwritten: {args.json}")
    return 0 if report["target"]["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
