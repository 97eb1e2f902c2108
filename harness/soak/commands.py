"""The soak's commands: Home Assistant service calls at a steady rate, each checked at once.

A command is *acknowledged* when its service call returns without error, and *lost* when,
right after that, the simulated device does not hold what it was asked to (no other command
writes to that device meanwhile: one command per device at a time). A refusal must be a
`HomeAssistantError`; anything else is a crash, and a call that never returns is hung.

Home Assistant does not pass a call on to an entity that is unavailable: the call returns
without error and nothing is sent. Such a call is counted as *skipped*, not acknowledged; the
entity's availability is read just before the call, with no await in between.
"""

from __future__ import annotations

import asyncio
import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er

from custom_components.xiaomi_aiot.miot import MiotProperty, MiotService
from simulator import Simulator, VirtualDevice

COMMAND_TIMEOUT: Final = 60.0
"""Longer than any retry, fallback and timeout chain of the integration: a call past it hangs."""
EXAMPLES: Final = 10

type PropertyKey = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Target:
    """An entity that takes commands, on one simulated device."""

    entity_id: str
    domain: str
    device: VirtualDevice
    service: MiotService | None
    """The role's spec service (light, climate, media player, lock)."""
    prop: MiotProperty | None
    """The entity's property (switch, number)."""

    def find(self, name: str) -> MiotProperty | None:
        """A property of the role by name: in the role's service, else the first in the spec.

        A television's volume, for one, is in its speaker service.
        """
        spec = self.device.spec
        if self.service is None or spec is None:
            return None
        own = (p for p in self.service.properties.values() if p.name == name)
        anywhere = (p for p in spec.properties() if p.name == name)
        return next(own, None) or next(anywhere, None)


@dataclass(frozen=True, slots=True)
class Command:
    """A service call and the device state it must leave behind once acknowledged."""

    target: Target
    service: str
    data: dict[str, Any]
    expect: dict[PropertyKey, Any]

    def misses(self) -> dict[PropertyKey, tuple[Any, Any]]:
        """Expected properties the device does not hold: (expected, actual) by key."""
        device = self.target.device
        return {
            key: (value, device.get(*key))
            for key, value in self.expect.items()
            if not same_value(value, device.get(*key))
        }

    def describe(self) -> str:
        """The call, for the report."""
        return f"{self.target.domain}.{self.service} {self.target.entity_id} {self.data}"


def same_value(expected: Any, actual: Any) -> bool:
    """Whether two property values are the same (numbers within a millionth)."""
    if isinstance(expected, float) or isinstance(actual, float):
        numbers = (int, float)
        return (
            isinstance(expected, numbers)
            and isinstance(actual, numbers)
            and math.isclose(expected, actual, abs_tol=1e-6)
        )
    return bool(expected == actual)


@dataclass(slots=True)
class CommandTally:
    """The outcomes of the commands of one phase."""

    issued: int = 0
    acknowledged: int = 0
    lost: int = 0
    skipped: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    crashed: int = 0
    hung: int = 0
    latencies: list[float] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        """Keep a few examples of what went wrong."""
        if len(self.examples) < EXAMPLES:
            self.examples.append(text)

    def as_dict(self) -> dict[str, Any]:
        """As JSON: counts, refusals by reason, latency of acknowledged calls."""
        ordered = sorted(self.latencies)
        return {
            "issued": self.issued,
            "acknowledged": self.acknowledged,
            "acknowledged_lost": self.lost,
            "skipped_unavailable": self.skipped,
            "refused": sum(self.refused.values()),
            "refused_by_reason": dict(self.refused.most_common()),
            "crashed": self.crashed,
            "hung": self.hung,
            "latency_p50_s": _percentile(ordered, 0.5),
            "latency_max_s": ordered[-1] if ordered else None,
            "examples": self.examples,
        }


def _percentile(ordered: list[float], share: float) -> float | None:
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else None


def command_targets(hass: HomeAssistant, entry: ConfigEntry, sim: Simulator) -> list[Target]:
    """Every enabled entity of the entry that a command maker knows, on a simulated device."""
    by_did = {str(device.did): device for device in sim.devices.values()}
    targets: list[Target] = []
    for item in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id):
        domain = item.entity_id.split(".", 1)[0]
        if domain not in MAKERS or item.disabled_by is not None or item.unique_id is None:
            continue
        did, _, key = item.unique_id.partition("-")
        device = by_did.get(did)
        if device is None or device.spec is None:
            continue
        kind, *ids = key.split("-")
        if kind == "p":  # a property entity: p-<siid>-<piid>
            prop = device.spec.property(int(ids[0]), int(ids[1]))
            targets.append(Target(item.entity_id, domain, device, None, prop))
        else:  # a role entity: <platform>-<siid>
            service = device.spec.services[int(ids[0])]
            targets.append(Target(item.entity_id, domain, device, service, None))
    return targets


def _light(target: Target, rng: random.Random) -> Command:
    on, brightness = target.find("on"), target.find("brightness")
    assert on is not None
    if rng.random() < 0.4:
        return Command(target, "turn_off", {}, {on.key: False})
    if brightness is None:
        return Command(target, "turn_on", {}, {on.key: True})
    percent = rng.randint(1, 100)
    expect = {on.key: True, brightness.key: percent}
    return Command(target, "turn_on", {"brightness_pct": percent}, expect)


def _climate(target: Target, rng: random.Random) -> Command:
    on, temperature = target.find("on"), target.find("target-temperature")
    if temperature is None or temperature.value_range is None or (on and rng.random() < 0.3):
        assert on is not None
        wanted = rng.random() < 0.5
        return Command(target, "turn_on" if wanted else "turn_off", {}, {on.key: wanted})
    value = _in_range(temperature, rng)
    return Command(target, "set_temperature", {"temperature": value}, {temperature.key: value})


def _media_player(target: Target, rng: random.Random) -> Command:
    volume = target.find("volume")
    assert volume is not None
    assert volume.value_range is not None
    level = rng.randint(0, 100) / 100
    # Below the spec's lowest volume (a speaker's 6 %), the player sets its lowest.
    lowest, top = int(volume.value_range.min), volume.value_range.max
    expect = {volume.key: max(lowest, round(level * top))}
    return Command(target, "volume_set", {"volume_level": level}, expect)


def _lock(target: Target, rng: random.Random) -> Command:
    status = target.find("status")
    assert status is not None
    service = "lock" if rng.random() < 0.5 else "unlock"
    wanted = next(c.value for c in status.value_list if c.name == f"{service}ed")
    return Command(target, service, {}, {status.key: wanted})


def _switch(target: Target, rng: random.Random) -> Command:
    assert target.prop is not None
    wanted = rng.random() < 0.5
    return Command(target, "turn_on" if wanted else "turn_off", {}, {target.prop.key: wanted})


def _number(target: Target, rng: random.Random) -> Command:
    assert target.prop is not None
    value = _in_range(target.prop, rng)
    return Command(target, "set_value", {"value": value}, {target.prop.key: value})


def _in_range(prop: MiotProperty, rng: random.Random) -> float:
    assert prop.value_range is not None
    low, high, step = prop.value_range.min, prop.value_range.max, prop.value_range.step or 1
    return float(low + step * rng.randint(0, round((high - low) / step)))


MAKERS: Final[dict[str, Callable[[Target, random.Random], Command]]] = {
    "light": _light,
    "climate": _climate,
    "media_player": _media_player,
    "lock": _lock,
    "switch": _switch,
    "number": _number,
}


class CommandDriver:
    """Sends commands at a steady rate, one per device at a time, and tallies the outcomes."""

    def __init__(
        self,
        hass: HomeAssistant,
        targets: list[Target],
        rng: random.Random,
        per_second: float,
    ) -> None:
        """Pick targets with `rng`, `per_second` calls started a second."""
        self.hass = hass
        self.targets = targets
        self.rng = rng
        self.per_second = per_second
        self.tallies: dict[str, CommandTally] = {}
        self._busy: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def drive(self, phase: str, seconds: float) -> None:
        """Start commands for `seconds`; those still running are left to `settle`."""
        tally = self.tallies.setdefault(phase, CommandTally())
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds
        while loop.time() < end:
            idle = [t for t in self.targets if t.device.id not in self._busy]
            if idle:
                target = self.rng.choice(idle)
                command = MAKERS[target.domain](target, self.rng)
                self._busy.add(target.device.id)
                task = asyncio.create_task(self._run(command, tally))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            await asyncio.sleep(1 / self.per_second)

    async def settle(self) -> None:
        """Wait for the commands still running."""
        while self._tasks:
            await asyncio.wait(list(self._tasks))

    async def _run(self, command: Command, tally: CommandTally) -> None:
        target = command.target
        tally.issued += 1
        start = asyncio.get_running_loop().time()
        scope = asyncio.timeout(COMMAND_TIMEOUT)
        state = self.hass.states.get(target.entity_id)
        available = state is not None and state.state != STATE_UNAVAILABLE
        try:
            async with scope:
                await self.hass.services.async_call(
                    target.domain,
                    command.service,
                    {"entity_id": target.entity_id, **command.data},
                    blocking=True,
                )
        except HomeAssistantError as err:
            tally.refused[err.translation_key or type(err).__name__] += 1
        except Exception as err:  # what the soak is looking for
            if isinstance(err, TimeoutError) and scope.expired():
                tally.hung += 1
                tally.note(f"hung: {command.describe()}")
            else:
                tally.crashed += 1
                tally.note(f"crashed: {command.describe()}: {err!r}")
        else:
            if not available:
                tally.skipped += 1
                return
            tally.acknowledged += 1
            tally.latencies.append(asyncio.get_running_loop().time() - start)
            misses = command.misses()  # at once: nothing else writes to this device meanwhile
            if misses:
                tally.lost += 1
                tally.note(f"lost: {command.describe()}: (expected, actual) {misses}")
        finally:
            self._busy.discard(target.device.id)
