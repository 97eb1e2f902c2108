"""The soak's home of 50 devices, and the hostile network it lives on.

Every LAN device gets a role: a *calm* one keeps a clean network (a control), a *hostile* one
its own random mix of wire faults, a *rebooting* one wire faults and a reboot (clock reset)
every poll interval or so, a *flapping* one goes offline for periods (for the LAN and the
cloud). Some cloud-only devices flap through the cloud's ``offline_devices``. The cloud
answers 5xx to a share of requests all along, is down for one poll interval in the middle,
and expires every service token once. A few LAN devices are routed "LAN only" and a few
"cloud only", the rest automatically (LAN first, cloud fallback).
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from custom_components.xiaomi_aiot.miot.route import Route
from simulator import Simulator, VirtualDevice, load_home
from simulator.cloud import CloudServer

ROOMS: Final = ("Living Room", "Bedroom", "Study", "Kitchen", "Hallway", "Garage")
HOME_MIX: Final[tuple[tuple[str, str, int, dict[str, Any]], ...]] = (
    # kind, name, how many, extra home-file keys
    ("light", "Light", 6, {"features": ["brightness", "color_temp", "color"]}),
    ("light", "Light", 5, {"features": ["brightness", "color_temp"]}),
    ("light", "Light", 5, {"features": ["brightness"]}),
    ("air_conditioner", "AC", 8, {}),
    ("television", "TV", 5, {}),
    ("lock", "Lock", 5, {}),
    ("speaker", "Speaker", 4, {}),
    ("vehicle", "Car", 2, {}),
    ("phone", "Phone", 5, {}),
    ("wearable", "Watch", 5, {}),
)
"""38 LAN devices (the five LAN models the simulator has) and 12 reached by cloud only."""


class Role(StrEnum):
    """What the network does to a LAN device during the faults."""

    CALM = "calm"
    HOSTILE = "hostile"
    REBOOTING = "rebooting"
    FLAPPING = "flapping"


WIRE_FAULTS: Final = {
    "loss": 0.3,
    "delay": 0.5,
    "duplicate": 0.3,
    "corrupt": 0.2,
    "garbage": 0.3,
    "malformed": 0.05,
}
"""The wire faults a hostile device draws from: 30 % loss, 500 ms late replies, and so on."""
CLEARED: Final = {**dict.fromkeys(WIRE_FAULTS), "offline": None}
CLOUD_ERROR_RATE: Final = 0.3
ROLE_COUNTS: Final = {Role.CALM: 4, Role.REBOOTING: 6, Role.FLAPPING: 6}
"""LAN devices per role; the others are hostile."""
CLOUD_FLAPPING: Final = 3
ROUTED: Final = {Route.LAN: 3, Route.CLOUD: 3}
"""LAN devices routed one way only; the others are automatic."""
TICK: Final = 0.25


def soak_home() -> dict[str, Any]:
    """The home file, as a mapping: 50 devices in six rooms, their owners for phones and watches."""
    devices: list[dict[str, Any]] = []
    numbers: Counter[str] = Counter()
    for kind, name, count, extra in HOME_MIX:
        for _ in range(count):
            numbers[kind] += 1
            number = numbers[kind]
            device: dict[str, Any] = {
                "id": f"{kind.replace('_', '-')}-{number:02d}",
                "kind": kind,
                "name": f"{name} {number:02d}",
                **extra,
            }
            if kind in ("phone", "wearable"):
                device["person"] = f"Person {number:02d}"
            else:
                device["room"] = ROOMS[len(devices) % len(ROOMS)]
            devices.append(device)
    return {"home_name": "Soak Home", "rooms": list(ROOMS), "devices": devices}


@asynccontextmanager
async def running_home(
    first_address: str, *, seed: int, token_lifetime: float
) -> AsyncIterator[tuple[Simulator, CloudServer]]:
    """The soak home's LAN devices on loopback from `first_address`, and its cloud."""
    home = await asyncio.get_running_loop().run_in_executor(None, load_home, soak_home())
    sim = Simulator(home, first_address=first_address, seed=seed)
    await sim.start()
    cloud = CloudServer(sim, token_lifetime=token_lifetime)
    try:
        await cloud.start(port=0)
        yield sim, cloud
    finally:
        await cloud.stop()
        await sim.stop()


@dataclass(slots=True)
class FaultTally:
    """How much the network did: for the report."""

    wire_faults: Counter[str] = field(default_factory=Counter)
    reboots: int = 0
    offline_periods: int = 0
    cloud_outages: int = 0
    token_expiries: int = 0

    def as_dict(self) -> dict[str, Any]:
        """As JSON."""
        return {
            "devices_with_wire_fault": dict(sorted(self.wire_faults.items())),
            "reboots": self.reboots,
            "offline_periods": self.offline_periods,
            "cloud_outages": self.cloud_outages,
            "token_expiries": self.token_expiries,
        }


class HostileNetwork:
    """Decides each device's role and route, and turns the faults on, over time, and off."""

    def __init__(
        self, sim: Simulator, cloud: CloudServer, poll_interval: float, rng: random.Random
    ) -> None:
        """Draw roles, wire faults and routes from `rng`."""
        self.sim = sim
        self.cloud = cloud
        self.poll_interval = poll_interval
        self._rng = rng
        lan = sim.lan_devices()
        roles = [role for role, count in ROLE_COUNTS.items() for _ in range(count)]
        roles += [Role.HOSTILE] * (len(lan) - len(roles))
        self.roles: dict[str, Role] = {
            device.id: role for device, role in zip(rng.sample(lan, len(lan)), roles, strict=True)
        }
        self.wire: dict[str, dict[str, float]] = {
            device.id: self._draw_wire_faults() for device in lan if self._has_wire_faults(device)
        }
        cloud_only = [d for d in sim.devices.values() if d.address is None]
        self.cloud_flapping = [d.id for d in rng.sample(cloud_only, CLOUD_FLAPPING)]
        routes = [route for route, count in ROUTED.items() for _ in range(count)]
        self.routes: dict[str, Route] = {
            device.id: route
            for device, route in zip(rng.sample(lan, len(routes)), routes, strict=True)
        }
        self.tally = FaultTally()
        self._offline_in_cloud: set[str] = set()

    def _has_wire_faults(self, device: VirtualDevice) -> bool:
        return self.roles[device.id] in (Role.HOSTILE, Role.REBOOTING)

    def _draw_wire_faults(self) -> dict[str, float]:
        """Each fault with even odds; never none, one device in four gets all of them."""
        if self._rng.random() < 0.25:
            return dict(WIRE_FAULTS)
        drawn = {key: value for key, value in WIRE_FAULTS.items() if self._rng.random() < 0.5}
        return drawn or {"loss": WIRE_FAULTS["loss"]}

    def role_of(self, device: VirtualDevice) -> str:
        """What the network does to a device, for the report."""
        if device.address is not None:
            return self.roles[device.id].value
        return "cloud flapping" if device.id in self.cloud_flapping else "cloud"

    def route_of(self, device: VirtualDevice) -> Route:
        """The route the device is given in the options."""
        return self.routes.get(device.id, Route.AUTO)

    def with_role(self, role: Role) -> list[str]:
        """The LAN devices of a role, by id."""
        return [device_id for device_id, has in self.roles.items() if has is role]

    async def run(self, seconds: float) -> None:
        """Faults on for `seconds`: wire faults, reboots, offline periods, cloud 5xx and outage.

        They are left as they are at the end; `clear` turns them off.
        """
        loop = asyncio.get_running_loop()
        start = loop.time()
        end = start + seconds
        for device_id, faults in self.wire.items():
            self.sim.devices[device_id].apply_faults(faults)
            self.tally.wire_faults.update(faults.keys())
        self.cloud.apply_faults({"error_rate": CLOUD_ERROR_RATE})
        reboots = {d: start + self._later(0.2, 1.0) for d in self.with_role(Role.REBOOTING)}
        flapping = [*self.with_role(Role.FLAPPING), *self.cloud_flapping]
        flips = {d: start + self._later(0.0, 1.0) for d in flapping}
        outage = start + 0.4 * seconds
        events: list[tuple[float, Callable[[], None]]] = [
            (start + 0.25 * seconds, self._expire_tokens),
            (outage, self._cloud_down),
            (outage + self.poll_interval, self._cloud_flaky),
        ]
        while (now := loop.time()) < end:
            for device_id in [d for d, when in reboots.items() if now >= when]:
                self.sim.devices[device_id].apply_faults({"reboot": True})
                self.tally.reboots += 1
                reboots[device_id] = now + self._later(0.5, 1.5)
            for device_id in [d for d, when in flips.items() if now >= when]:
                flips[device_id] = now + self._flip(device_id)
            while events and now >= events[0][0]:
                events.pop(0)[1]()
            await asyncio.sleep(min(TICK, end - now))

    def _later(self, low: float, high: float) -> float:
        """A random delay between `low` and `high` poll intervals."""
        return self._rng.uniform(low, high) * self.poll_interval

    def _flip(self, device_id: str) -> float:
        """Take a device offline, or bring it back; how long until the next flip."""
        device = self.sim.devices[device_id]
        if device.address is None:  # cloud only: offline for the cloud
            going = device_id not in self._offline_in_cloud
            self._offline_in_cloud ^= {device_id}
            self.cloud.apply_faults({"offline_devices": sorted(self._offline_in_cloud)})
        else:
            going = device.online
            device.apply_faults({"offline": going})
        if going:
            self.tally.offline_periods += 1
            return self._later(0.5, 2.0)
        return self._later(0.5, 1.5)

    def _expire_tokens(self) -> None:
        self.cloud.apply_faults({"expire_tokens": True})
        self.tally.token_expiries += 1

    def _cloud_down(self) -> None:
        self.cloud.apply_faults({"error_rate": 1.0})
        self.tally.cloud_outages += 1

    def _cloud_flaky(self) -> None:
        self.cloud.apply_faults({"error_rate": CLOUD_ERROR_RATE})

    def clear(self) -> None:
        """Every fault off: devices online with a clean network, the cloud healthy."""
        for device in self.sim.devices.values():
            device.apply_faults(CLEARED)
        self._offline_in_cloud.clear()
        self.cloud.apply_faults({"error_rate": None, "offline_devices": None})
