"""The fault soak, run against a Home Assistant: baseline, faults, recovery; figures and targets.

Shared by `test_soak.py` (the short form, in the suite) and `bench/soak.py` (the long form).
The home is reached through the integration's account path: the simulated cloud lists every
device with its LAN address and token, LAN devices are polled on the LAN (or by cloud, as
their route says) and the car, phones and watches through the cloud.

1. *baseline*: commands through Home Assistant's services at a steady rate, no faults;
2. *faults*: `HostileNetwork` turns the faults on for a while; commands go on at the same
   rate; memory is sampled every poll interval;
3. *recovery*: every fault off, then the time until every device is back: its updates
   succeed, its entities are available and its state in Home Assistant is the simulator's.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Final

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntry, ConfigEntryState
from homeassistant.const import CONF_SCAN_INTERVAL, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er

from custom_components.xiaomi_aiot.const import (
    CONF_ALLOW_UNLOCK_BY_VOICE,
    CONF_CLOUD_SCAN_INTERVAL,
    CONF_HOMES,
    DOMAIN,
)
from custom_components.xiaomi_aiot.coordinator import MiotCoordinator
from custom_components.xiaomi_aiot.miot.route import Route, RoutedTransport
from custom_components.xiaomi_aiot.push import push_interval
from custom_components.xiaomi_aiot.timing import DEFAULT_TIMING
from harness.hass import sign_in
from simulator import Simulator, VirtualDevice

from .commands import CommandDriver, CommandTally, command_targets, same_value
from .home import FaultTally, HostileNetwork
from .watch import (
    LogFigures,
    MemoryFigures,
    MemoryProbe,
    MemorySample,
    OutageCounter,
    watching_logs,
)

RECOVERY_MARGIN: Final = 2 * DEFAULT_TIMING.account_lan
"""Past one poll interval, a device may take one LAN timeout and a retry to answer."""
SPARE_TASKS: Final = 5
"""Tasks that may be running at one sample and not the other (a poll, a debounced refresh)."""
WATCH_STEP: Final = 0.1
AVAILABLE_AGAIN: Final = "every device available again within one poll interval"
SHOWN_AGAIN: Final = "every device shows its state again within one poll interval"
SHOWN_EVENTUALLY: Final = "every device shows its state again by the safety-net poll"


@dataclass(frozen=True, kw_only=True)
class SoakPlan:
    """How long and how hard."""

    poll_interval: int = 5
    baseline_cycles: int = 1
    fault_cycles: int = 4
    commands_per_second: float = 4.0
    seed: int = 1
    token_lifetime: float = 3600.0
    trace_memory: bool = True
    memory_allowance: int = 512 * 1024
    """Settled growth below this many bytes (or three times the samples' spread) is noise."""
    spare_handles: int = 0
    """File descriptors and tasks above the baseline allowed after recovery (connections
    still open from the faults); 0 holds them exact."""

    @property
    def baseline_seconds(self) -> float:
        """How long the baseline lasts."""
        return float(self.baseline_cycles * self.poll_interval)

    @property
    def fault_seconds(self) -> float:
        """How long the faults last."""
        return float(self.fault_cycles * self.poll_interval)

    @property
    def recovery_limit(self) -> float:
        """The target: every device back within this many seconds of the faults' end."""
        return self.poll_interval + RECOVERY_MARGIN

    def as_dict(self) -> dict[str, Any]:
        """As JSON."""
        return {
            "poll_interval_s": self.poll_interval,
            "baseline_s": self.baseline_seconds,
            "faults_s": self.fault_seconds,
            "commands_per_second": self.commands_per_second,
            "seed": self.seed,
            "token_lifetime_s": self.token_lifetime,
            "trace_memory": self.trace_memory,
            "memory_allowance": self.memory_allowance,
        }


async def _drained_sample(
    hass: HomeAssistant,
    probe: MemoryProbe,
    before: MemorySample,
    *,
    spare: int = 0,
    tries: int = 80,
    pause: float = 0.5,
) -> MemorySample:
    """The sample after recovery once work in flight has drained: a poll still running, or
    the extra connections the faults made, idle in the HTTP client's pool until its 15 s
    keep-alive closes them (each a socket at both ends, in this process, and the server's
    task); a leak holds them for good, so it stays in the sample after the wait (up to 40 s)."""
    sample = probe.sample()
    for _ in range(tries):
        if sample.fds - before.fds <= spare and sample.tasks - before.tasks <= SPARE_TASKS + spare:
            break
        await hass.async_block_till_done()
        await asyncio.sleep(pause)
        sample = probe.sample()
    return sample


async def set_up_account(
    hass: HomeAssistant, network: HostileNetwork, plan: SoakPlan
) -> ConfigEntry:
    """Sign in through the config flow, then set poll intervals and routes in the options."""
    cloud = network.cloud
    result = await sign_in(hass, cloud)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    entry = hass.config_entries.async_get_entry(result["result"].entry_id)
    assert entry is not None
    assert entry.state is ConfigEntryState.LOADED
    flow = await hass.config_entries.options.async_init(entry.entry_id)
    flow = await hass.config_entries.options.async_configure(
        flow["flow_id"],
        {
            CONF_SCAN_INTERVAL: plan.poll_interval,
            CONF_CLOUD_SCAN_INTERVAL: plan.poll_interval,
            CONF_HOMES: [cloud.home_id],
            CONF_ALLOW_UNLOCK_BY_VOICE: False,
        },
    )
    assert flow["step_id"] == "routes", flow
    sim = network.sim
    routes = {
        sim.devices[device_id].name: route.value for device_id, route in network.routes.items()
    }
    flow = await hass.config_entries.options.async_configure(flow["flow_id"], routes)
    assert flow["type"] is FlowResultType.CREATE_ENTRY, flow
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return entry


@dataclass(frozen=True, slots=True)
class Check:
    """A target, met or missed."""

    name: str
    passed: bool
    detail: str


@dataclass(slots=True)
class SoakFigures:
    """Everything a run measured."""

    plan: SoakPlan
    devices: int
    lan_devices: int
    routes: dict[str, int]
    faults: FaultTally
    commands: dict[str, CommandTally]
    recovery: Recovery
    roles: dict[str, str]
    """What the network did to each device, by device name."""
    logs: LogFigures
    outages: int
    recoveries: int
    availability_by_device: dict[str, dict[str, int]]
    """Per device: availability lines (unavailable, back) and outages, recoveries seen."""
    floods: dict[str, str]
    """Devices whose availability lines outnumber their outages or recoveries."""
    memory: MemoryFigures
    before_faults: MemorySample
    after_recovery: MemorySample
    samples: list[MemorySample]
    growth_sites: list[str]
    """Where the memory held at the faults' end and not a third into them was allocated."""
    sign_in_asked: int
    on_cloud_after: int
    """LAN devices on automatic route still reached through the cloud after recovery."""
    wall_seconds: float = 0.0
    checks: list[Check] = field(default_factory=list)

    def slowest_by_role(self) -> dict[str, float]:
        """The last device to show its state again in each role, in seconds."""
        slowest: dict[str, float] = {}
        for name, seconds in self.recovery.consistent.items():
            role = self.roles[name]
            slowest[role] = round(max(seconds, slowest.get(role, 0.0)), 2)
        return dict(sorted(slowest.items()))

    def lost(self) -> int:
        """Acknowledged commands the devices do not show."""
        return sum(tally.lost for tally in self.commands.values())

    def evaluate(self) -> list[Check]:
        """Check every target."""
        baseline = self.commands.get("baseline")
        faults = self.commands.get("faults")
        broken = sum(t.crashed + t.hung for t in self.commands.values())
        limit = self.plan.recovery_limit
        recovery = self.recovery
        memory = self.memory
        allowance = max(self.plan.memory_allowance, 3 * memory.noise)
        fds = self.after_recovery.fds - self.before_faults.fds
        tasks = self.after_recovery.tasks - self.before_faults.tasks
        self.checks = [
            Check(
                "no acknowledged command lost",
                self.lost() == 0,
                f"{self.lost()} of {sum(t.acknowledged for t in self.commands.values())}",
            ),
            Check(
                "every refusal is a Home Assistant error",
                broken == 0,
                f"{broken} crashed or hung",
            ),
            Check(
                "no refusal without faults",
                baseline is not None and not baseline.refused,
                f"{dict(baseline.refused) if baseline else 'no baseline'}",
            ),
            Check(
                "commands went through the faults",
                faults is not None and faults.acknowledged > 0,
                f"{faults.acknowledged if faults else 0} acknowledged",
            ),
            Check(
                "no unhandled exception",
                self.logs.unhandled == 0,
                f"{self.logs.unhandled}: {self.logs.unhandled_examples[:3]}",
            ),
            Check(
                "no unexpected warning from the integration",
                self.logs.our_warnings == 0,
                f"{self.logs.our_warnings}: {self.logs.our_warning_examples[:3]}",
            ),
            Check(
                AVAILABLE_AGAIN,
                not recovery.never_available and recovery.slowest_available <= limit,
                f"slowest {recovery.slowest_available:.1f} s (limit {limit:.1f} s = poll "
                f"interval {self.plan.poll_interval} s + {RECOVERY_MARGIN:.1f} s)"
                + (f"; never: {recovery.never_available}" if recovery.never_available else ""),
            ),
            Check(
                SHOWN_AGAIN,
                not recovery.never and recovery.slowest <= limit,
                f"slowest {recovery.slowest:.1f} s (limit {limit:.1f} s)"
                + (f"; at the limit: {recovery.late}" if recovery.late else ""),
            ),
            Check(
                SHOWN_EVENTUALLY,
                not recovery.never,
                f"never within {recovery.deadline:.0f} s: {recovery.never or 'none'}",
            ),
            Check(
                "availability lines do not flood",
                not self.floods and self.logs.loud_availability == 0,
                f"{self.logs.unavailable_lines.total()} unavailable lines for {self.outages} "
                f"outages, {self.logs.back_lines.total()} back lines for {self.recoveries} "
                f"recoveries, {self.logs.flapping_lines.total()} flapping lines; "
                f"more lines than outages: {self.floods or 'none'}; "
                f"above info: {self.logs.loud_availability}",
            ),
            Check(
                "no sign-in asked for (no token changed)",
                self.sign_in_asked == 0,
                f"{self.sign_in_asked} re-authentication flows",
            ),
            Check(
                "no memory growth",
                memory.settled_growth <= allowance
                and fds <= self.plan.spare_handles
                and tasks <= SPARE_TASKS + self.plan.spare_handles,
                f"{memory.measure} {memory.settled_growth / 1024:+.0f} KiB middle to last "
                f"third of the faults (allowance {allowance / 1024:.0f} KiB; first to last "
                f"{memory.growth / 1024:+.0f} KiB), file descriptors {fds:+d}, tasks {tasks:+d} "
                "after recovery",
            ),
        ]
        return self.checks

    def as_dict(self) -> dict[str, Any]:
        """As JSON."""
        return {
            "plan": self.plan.as_dict(),
            "home": {
                "devices": self.devices,
                "lan_devices": self.lan_devices,
                "cloud_only_devices": self.devices - self.lan_devices,
                "routes": self.routes,
            },
            "faults": self.faults.as_dict(),
            "commands": {phase: tally.as_dict() for phase, tally in self.commands.items()},
            "recovery": {
                **self.recovery.as_dict(),
                "limit_s": self.plan.recovery_limit,
                "slowest_by_role": self.slowest_by_role(),
                "lan_devices_still_on_cloud": self.on_cloud_after,
            },
            "logs": {
                **self.logs.as_dict(),
                "outages": self.outages,
                "recoveries": self.recoveries,
                "floods": self.floods,
                "by_device": self.availability_by_device,
            },
            "memory": {
                **self.memory.as_dict(),
                "before_faults": _sample(self.before_faults),
                "after_recovery": _sample(self.after_recovery),
                "growth_sites": self.growth_sites,
                "series": [_sample(s) for s in self.samples],
            },
            "sign_in_asked": self.sign_in_asked,
            "wall_s": round(self.wall_seconds, 1),
            "checks": [
                {"name": c.name, "passed": c.passed, "detail": c.detail} for c in self.checks
            ],
        }


def _sample(sample: MemorySample) -> dict[str, Any]:
    return {
        "s": round(sample.seconds, 1),
        "traced": sample.traced,
        "rss": sample.rss,
        "fds": sample.fds,
        "tasks": sample.tasks,
    }


async def run_soak(hass: HomeAssistant, network: HostileNetwork, plan: SoakPlan) -> SoakFigures:
    """Set up the account, run the three phases, and evaluate the targets.

    The log is watched from before the account is set up: a device's availability lines go
    through a logger of its own, which remembers the level it was first asked about.
    """
    started = time.monotonic()
    sim = network.sim
    rng = random.Random(plan.seed)
    probe = MemoryProbe(plan.trace_memory)
    loop = asyncio.get_running_loop()
    with watching_logs(device.name for device in sim.devices.values()) as watch:
        entry = await set_up_account(hass, network, plan)
        outages = OutageCounter(_coordinators(entry).values())
        driver = CommandDriver(
            hass, command_targets(hass, entry, sim), rng, plan.commands_per_second
        )
        probe.start()
        await driver.drive("baseline", plan.baseline_seconds)
        await driver.settle()
        before = probe.sample()
        fault_samples: list[MemorySample] = []

        async def sample_every_poll() -> None:
            start = loop.time()
            for cycle in range(1, plan.fault_cycles + 1):
                await asyncio.sleep(max(0.0, start + cycle * plan.poll_interval - loop.time()))
                fault_samples.append(probe.sample())
                if cycle == max(1, plan.fault_cycles // 3):
                    probe.mark()

        async with asyncio.TaskGroup() as group:
            group.create_task(network.run(plan.fault_seconds))
            group.create_task(driver.drive("faults", plan.fault_seconds))
            group.create_task(sample_every_poll())
        growth_sites = probe.growth_sites()
        await driver.settle()
        network.clear()
        recovery = await wait_until_recovered(hass, entry, sim, plan)
        after = await _drained_sample(hass, probe, before, spare=plan.spare_handles)
        probe.stop()
        outages.close()
    figures = SoakFigures(
        plan=plan,
        devices=len(sim.devices),
        lan_devices=len(sim.lan_devices()),
        routes={
            route.value: sum(network.route_of(d) is route for d in sim.lan_devices())
            for route in Route
        },
        faults=network.tally,
        commands=driver.tallies,
        recovery=recovery,
        roles={device.name: network.role_of(device) for device in sim.devices.values()},
        logs=watch.figures,
        outages=outages.outages.total(),
        recoveries=outages.recoveries.total(),
        availability_by_device=outages.by_device(watch.figures),
        floods=outages.floods(watch.figures),
        memory=MemoryFigures.of(fault_samples or [before], traced=plan.trace_memory),
        before_faults=before,
        after_recovery=after,
        samples=[before, *fault_samples, after],
        growth_sites=growth_sites,
        sign_in_asked=_sign_in_flows(hass),
        on_cloud_after=_on_cloud(entry, sim, network),
    )
    figures.wall_seconds = time.monotonic() - started
    figures.evaluate()
    return figures


def _coordinators(entry: ConfigEntry) -> dict[str, MiotCoordinator]:
    coordinators: dict[str, MiotCoordinator] = entry.runtime_data.coordinators
    return coordinators


@dataclass(slots=True)
class Recovery:
    """How the devices came back after the faults, in seconds from their end, by device name.

    A device is *available* again when its updates succeed and its entities are available,
    and *shows its state* when, besides, every value Home Assistant holds is the device's.
    """

    limit: float
    deadline: float
    available: dict[str, float] = field(default_factory=dict)
    consistent: dict[str, float] = field(default_factory=dict)
    late: dict[str, str] = field(default_factory=dict)
    """Why each device that did not show its state at the limit did not, then."""
    never: list[str] = field(default_factory=list)
    """Devices that did not show their state by the deadline."""
    never_available: list[str] = field(default_factory=list)

    @property
    def slowest_available(self) -> float:
        """Seconds until the last device was available."""
        return max(self.available.values(), default=0.0)

    @property
    def slowest(self) -> float:
        """Seconds until the last device showed its state."""
        return max(self.consistent.values(), default=0.0)

    def as_dict(self) -> dict[str, Any]:
        """As JSON."""
        slowest = sorted(self.consistent.items(), key=lambda item: -item[1])[:5]
        return {
            "available_slowest_s": round(self.slowest_available, 2),
            "shown_slowest_s": round(self.slowest, 2),
            "shown_median_s": (
                round(statistics.median(self.consistent.values()), 2) if self.consistent else None
            ),
            "shown_slowest_devices": {name: round(s, 2) for name, s in slowest},
            "deadline_s": round(self.deadline, 1),
            "late": self.late,
            "never_shown": self.never,
            "never_available": self.never_available,
        }


async def wait_until_recovered(
    hass: HomeAssistant, entry: ConfigEntry, sim: Simulator, plan: SoakPlan
) -> Recovery:
    """Follow every device from the faults' end until it shows its state, or the deadline.

    The deadline is the limit plus the integration's safety-net poll while push holds: a
    device that reports its changes itself is read that much less often.
    """
    limit = plan.recovery_limit
    safety_net = push_interval(timedelta(seconds=plan.poll_interval)).total_seconds()
    recovery = Recovery(limit=limit, deadline=limit + safety_net)
    loop = asyncio.get_running_loop()
    start = loop.time()
    by_did = {str(device.did): device for device in sim.devices.values()}
    entities: dict[str, list[str]] = {}
    for item in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id):
        if item.disabled_by is None and item.unique_id:
            entities.setdefault(item.unique_id.partition("-")[0], []).append(item.entity_id)
    pending = dict(_coordinators(entry))
    while pending:
        elapsed = loop.time() - start
        for did, coordinator in list(pending.items()):
            name = coordinator.name
            available, why = _not_back(hass, coordinator, by_did[did], entities.get(did, []))
            if available:
                recovery.available.setdefault(name, elapsed)
            if why is None:
                recovery.consistent[name] = elapsed
                del pending[did]
            elif elapsed > limit:
                recovery.late.setdefault(name, why)
        if elapsed > recovery.deadline:
            break
        await asyncio.sleep(WATCH_STEP)
    recovery.never = sorted(coordinator.name for coordinator in pending.values())
    recovery.never_available = sorted(
        coordinator.name
        for coordinator in pending.values()
        if coordinator.name not in recovery.available
    )
    return recovery


def _not_back(
    hass: HomeAssistant,
    coordinator: MiotCoordinator,
    device: VirtualDevice,
    entity_ids: list[str],
) -> tuple[bool, str | None]:
    """Whether the device is available, and why it does not show its state (None: it does)."""
    if not coordinator.last_update_success or not coordinator.data:
        return False, f"updates fail: {coordinator.last_exception}"
    for entity_id in entity_ids:
        state = hass.states.get(entity_id)
        if state is None or state.state == STATE_UNAVAILABLE:
            return False, f"{entity_id} unavailable"
    differ = {
        f"{key[0]}.{key[1]}": (result.value, device.get(*key))
        for key, result in coordinator.data.items()
        if not (result.ok and same_value(device.get(*key), result.value))
    }
    return True, f"shown / device: {differ}" if differ else None


def _sign_in_flows(hass: HomeAssistant) -> int:
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    return sum(flow["context"].get("source") == SOURCE_REAUTH for flow in flows)


def _on_cloud(entry: ConfigEntry, sim: Simulator, network: HostileNetwork) -> int:
    by_did = {str(device.did): device for device in sim.lan_devices()}
    count = 0
    for did, coordinator in _coordinators(entry).items():
        device = by_did.get(did)
        transport = coordinator.device.transport
        if device is None or network.route_of(device) is not Route.AUTO:
            continue
        if isinstance(transport, RoutedTransport) and transport.active is Route.CLOUD:
            count += 1
    return count
