"""The scale benchmark's side of Home Assistant: start it, connect it, measure it from outside.

Home Assistant runs as users run it (`python -m homeassistant --config DIR --skip-pip`), in its
own process, with a fresh configuration folder. It is onboarded and connected to the simulated
Xiaomi account through its REST and WebSocket APIs with `script/demo_bootstrap.py`'s helpers
(the config flow's account path, as a person does in the UI). Its CPU time and memory are read
from `/proc` (psutil) by this process, which costs it nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import math
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import psutil

from script import demo_bootstrap as bootstrap

ROOT = Path(__file__).resolve().parent.parent

log = bootstrap.log
EMPTY_USERNAME = "empty"
"""The empty home's Xiaomi account (bench/scale.py's `EMPTY_HOME`)."""
BootstrapError = bootstrap.BootstrapError

DOMAIN = "xiaomi_aiot"
POLL = 0.5
"""Seconds between two looks at Home Assistant while waiting for the entities."""
SAMPLE = 0.25
"""Seconds between two CPU samples in the steady window."""
AT_ONCE_SHARE = 0.5
"""Polls count as all at once when one second holds this share of an interval's polling work."""
MEANINGFUL_CPU = 0.01
"""Below this mean CPU (% of a core) the simulator saw no polls worth the name."""

CONFIGURATION = """\
# Written by bench/scale.py: the demo's integrations (see config/configuration.yaml); logs at
# warning, except the integration's LAN-to-cloud fallbacks, which the benchmark counts.
http:
  server_host: 127.0.0.1
  server_port: {port}
api:
config:
history:
logbook:
conversation:
assist_pipeline:
media_source:
logger:
  default: warning
  logs:
    custom_components.xiaomi_aiot.miot.route: debug
"""


def write_config(folder: Path, port: int) -> Path:
    """A fresh configuration folder with the integration linked in."""
    (folder / "custom_components").mkdir(parents=True)
    (folder / "custom_components" / DOMAIN).symlink_to(ROOT / "custom_components" / DOMAIN)
    (folder / "configuration.yaml").write_text(CONFIGURATION.format(port=port))
    return folder


def start(config: Path) -> subprocess.Popen[str]:
    """`python -m homeassistant` on the folder, as `script/develop` runs it."""
    command = [sys.executable, "-m", "homeassistant", "--config", str(config), "--skip-pip"]
    with (config / "console.log").open("w") as console:
        return subprocess.Popen(
            command,
            cwd=config,
            stdout=console,
            stderr=subprocess.STDOUT,
            text=True,
        )


# --- figures -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Memory:
    """A process's memory at one moment, in KiB."""

    rss_kib: int
    uss_kib: int
    peak_rss_kib: int

    @classmethod
    def of(cls, process: psutil.Process) -> Memory:
        """RSS, USS (pages only this process maps, from smaps) and the peak RSS (VmHWM)."""
        full = process.memory_full_info()
        peak = 0
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = int(line.split()[1])
        return cls(full.rss // 1024, full.uss // 1024, peak)


@dataclass(slots=True)
class Setup:
    """Times from a start (the entry's creation, or the options saved) until all is available."""

    seconds: float | None = None
    flow_seconds: float = 0.0
    devices_registered_s: float | None = None
    half_devices_s: float | None = None
    ninety_percent_s: float | None = None
    devices: int = 0
    entities: int = 0
    not_available: int = 0
    cpu_seconds: float = 0.0


@dataclass(slots=True)
class Window:
    """The steady window: CPU of Home Assistant and of the simulator; second by second in %."""

    seconds: float
    ha_cpu_percent: float
    ha_cpu_percent_ticks: float
    simulator_cpu_percent: float
    ha_per_second: list[float]
    simulator_per_second: list[float]
    udp_per_second: list[int]

    def busiest_second_share(self, interval: float) -> float:
        """The simulator's busiest second, as a share of its work in an average interval.

        The simulator's CPU follows the requests it answers. Polls all at once put a whole
        round in a second or two (about 1); spread over a 30 s interval, about 1/30.
        """
        per_interval = sum(self.simulator_per_second) * interval / self.seconds
        return max(self.simulator_per_second) / per_interval if per_interval > 0 else 0.0

    def polls(self, interval: float) -> str:
        """Whether the polls came all at once or spread over the interval."""
        if sum(self.simulator_per_second) < MEANINGFUL_CPU * self.seconds:
            return "none seen"
        if self.busiest_second_share(interval) >= AT_ONCE_SHARE:
            return "all at once"
        return "spread over the interval"


@dataclass(slots=True)
class Boot:
    """One start of Home Assistant: seconds from the process's start."""

    answered_s: float = 0.0
    running_s: float = 0.0
    setup: Setup = field(default_factory=Setup)
    memory: Memory | None = None


@dataclass(slots=True)
class HaFigures:
    """Everything measured in and around the Home Assistant process."""

    entry_id: str = ""
    first_boot: Boot = field(default_factory=Boot)
    """Onboarding, the integration set up for the empty home."""
    boot: Boot = field(default_factory=Boot)
    """A fresh start with the empty home: the baseline, then the devices are added."""
    idle_cpu_percent: float = 0.0
    baseline: Memory | None = None
    after_setup: Memory | None = None
    final: Memory | None = None
    setup: Setup = field(default_factory=Setup)
    reload: Setup = field(default_factory=Setup)
    window: Window | None = None
    not_available_after: int = 0
    stop_s: float = 0.0
    restart: Boot = field(default_factory=Boot)
    """A start with the devices configured (not with --quick)."""
    lan_fallbacks: int = 0


def cpu_seconds(process: psutil.Process) -> float:
    """User + system CPU seconds of a process so far, all its threads (in clock ticks)."""
    times = process.cpu_times()
    return float(times.user + times.system)


def run_seconds(pid: int) -> float:
    """Seconds on a CPU of the process's live threads, to the nanosecond (`schedstat`).

    `cpu_times` counts in clock ticks (10 ms), too coarse for a second of a light load.
    """
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError, ValueError):
            total += int((task / "schedstat").read_text().split()[0])
    return total / 1e9


def udp_datagrams_in() -> int:
    """UDP datagrams received on this host so far (`/proc/net/snmp`: every process)."""
    rows = [line.split() for line in Path("/proc/net/snmp").read_text().splitlines()]
    names, values = (row for row in rows if row[0] == "Udp:")
    return int(values[names.index("InDatagrams")])


@dataclass(frozen=True, slots=True)
class Plan:
    """What to do in Home Assistant, and for how long."""

    url: str
    config: Path
    home_cloud: str
    empty_cloud: str
    devices: int
    interval: int
    settle: float
    warm_up: float
    """Seconds from the reload to the steady window: every device's first spread poll is due."""
    idle: float
    window: float
    timeout: float


# --- looking at Home Assistant -------------------------------------------------------------------


@dataclass(slots=True)
class Snapshot:
    """The entry's devices and entities as Home Assistant shows them at one moment."""

    taken: float
    devices: int
    entities: int
    available_devices: int
    not_available: int


async def snapshot(
    ha: bootstrap.HomeAssistantClient, entry_id: str, fresh_after: float | None = None
) -> Snapshot:
    """Count the entry's devices, their entities, and the devices whose entities are available.

    Entities counted: in the entity registry, of this entry, of one of its devices (the
    account's Xiao Ai agent has none), not disabled. Available: a state other than
    `unavailable`, written at or after `fresh_after` (epoch seconds) when given. Nothing is
    available while the entry is not loaded.
    """
    entries = await bootstrap.integration_entries(ha)
    loaded = any(e["entry_id"] == entry_id and e["state"] == "loaded" for e in entries)
    devices = {
        device["id"]
        for device in await ha.ws({"type": "config/device_registry/list"})
        if entry_id in (device.get("config_entries") or [])
    }
    entities = {
        entity["entity_id"]: entity["device_id"]
        for entity in await ha.ws({"type": "config/entity_registry/list"})
        if entity.get("config_entry_id") == entry_id
        and entity.get("device_id") in devices
        and not entity.get("disabled_by")
    }
    taken = time.monotonic()
    states = {state["entity_id"]: state for state in await ha.request("GET", "/api/states")}
    ready = dict.fromkeys(entities.values(), loaded)
    not_available = 0
    for entity_id, device_id in entities.items():
        state = states.get(entity_id)
        if (
            state is None
            or state["state"] == "unavailable"
            or (
                fresh_after is not None
                and datetime.datetime.fromisoformat(state["last_updated"]).timestamp() < fresh_after
            )
        ):
            not_available += 1
            ready[device_id] = False
    return Snapshot(taken, len(devices), len(entities), sum(ready.values()), not_available)


async def wait_available(
    ha: bootstrap.HomeAssistantClient,
    plan: Plan,
    entry_id: str,
    setup: Setup,
    start: float,
    *,
    fresh_after: float | None = None,
) -> None:
    """Look every `POLL` seconds until every device's entities are available; fill `setup`.

    Times are from `start` (monotonic); gives up, leaving `setup.seconds` None,
    `plan.timeout` seconds after it.
    """
    expected = plan.devices
    while True:
        shot = await snapshot(ha, entry_id, fresh_after)
        elapsed = shot.taken - start
        setup.devices, setup.entities = shot.devices, shot.entities
        setup.not_available = shot.not_available
        if setup.devices_registered_s is None and shot.devices >= expected:
            setup.devices_registered_s = elapsed
        if setup.half_devices_s is None and shot.available_devices >= expected / 2:
            setup.half_devices_s = elapsed
        if setup.ninety_percent_s is None and shot.available_devices >= 0.9 * expected:
            setup.ninety_percent_s = elapsed
        if shot.available_devices >= expected:
            setup.seconds = elapsed
            return
        if elapsed > plan.timeout:
            bootstrap.log(
                f"not all available after {elapsed:.0f} s: {shot.available_devices}/{expected} "
                f"devices; {shot.not_available} of {shot.entities} entities"
            )
            return
        await asyncio.sleep(POLL)


async def set_poll_interval(ha: bootstrap.HomeAssistantClient, entry_id: str, seconds: int) -> None:
    """The options flow as in the UI: the LAN poll interval; every other answer its default."""
    path = "/api/config/config_entries/options/flow"
    answer = await ha.request("POST", path, json_body={"handler": entry_id})
    body: dict[str, int] = {"scan_interval": seconds}
    while answer.get("type") == "form":
        if answer.get("errors"):
            raise bootstrap.BootstrapError(f"the options flow refused {body}: {answer['errors']}")
        answer = await ha.request("POST", f"{path}/{answer['flow_id']}", json_body=body)
        body = {}  # the routes step: every device keeps its default (automatic)
    if answer.get("type") != "create_entry":
        raise bootstrap.BootstrapError(f"the options flow ended with {answer}")


async def sample_window(ha: psutil.Process, simulator: psutil.Process, seconds: float) -> Window:
    """Both processes' CPU over `seconds`, in total and second by second.

    Sampled every `SAMPLE` seconds from `schedstat` (nanoseconds); a thread that ends takes
    its time with it, so a sample that went down counts as nothing. The clock-tick figure of
    `cpu_times` (which keeps ended threads) is kept beside it as a check.
    """
    buckets = math.ceil(seconds)
    ha_series, sim_series, udp_series = [0.0] * buckets, [0.0] * buckets, [0] * buckets
    ticks = cpu_seconds(ha)
    start = time.monotonic()
    last = (start, run_seconds(ha.pid), run_seconds(simulator.pid), udp_datagrams_in())
    while (elapsed := time.monotonic() - start) < seconds:
        await asyncio.sleep(min(SAMPLE, seconds - elapsed))
        now = (time.monotonic(), run_seconds(ha.pid), run_seconds(simulator.pid))
        udp = udp_datagrams_in()
        bucket = min(buckets - 1, int(now[0] - start))
        ha_series[bucket] += 100 * max(0.0, now[1] - last[1])
        sim_series[bucket] += 100 * max(0.0, now[2] - last[2])
        udp_series[bucket] += udp - last[3]
        last = (*now, udp)
    elapsed = last[0] - start
    return Window(
        seconds=elapsed,
        ha_cpu_percent=sum(ha_series) / elapsed,
        ha_cpu_percent_ticks=100 * (cpu_seconds(ha) - ticks) / elapsed,
        simulator_cpu_percent=sum(sim_series) / elapsed,
        ha_per_second=ha_series,
        simulator_per_second=sim_series,
        udp_per_second=udp_series,
    )


def lan_fallbacks(config: Path) -> int:
    """Requests the integration sent through the cloud because the LAN did not answer.

    Counted in the current start's log (Home Assistant keeps the one before as `.log.1`).
    """
    count = 0
    for log in (config / "home-assistant.log",):
        with contextlib.suppress(FileNotFoundError), log.open(errors="replace") as file:
            count += sum(1 for line in file if "LAN failed (" in line)
    return count


async def wait_started(
    ha: bootstrap.HomeAssistantClient, plan: Plan, pid: int, started: float, boot: Boot
) -> None:
    """Wait for the HTTP server, log in (onboarding on the first start), wait until running."""
    deadline = bootstrap.Deadline(time.time(), plan.timeout)
    await bootstrap.wait_until_up(ha, deadline, pid)
    boot.answered_s = time.monotonic() - started
    await bootstrap.get_token(ha, plan.config / bootstrap.TOKEN_FILE)
    await bootstrap.wait_until_running(ha, deadline)
    boot.running_s = time.monotonic() - started
    bootstrap.log(f"Home Assistant running {boot.running_s:.1f} s after its start")


def client_session() -> aiohttp.ClientSession:
    """HTTP for the REST and WebSocket APIs (a state list of thousands takes a moment)."""
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120))


async def onboard(plan: Plan, pid: int, started: float, figures: HaFigures) -> None:
    """First start: onboarding, then the integration set up for the empty home."""
    async with client_session() as session:
        ha = bootstrap.HomeAssistantClient(session, plan.url)
        try:
            await wait_started(ha, plan, pid, started, figures.first_boot)
            await bootstrap.drop_broken_onboarding_entries(ha)
            await bootstrap.add_account(ha, plan.empty_cloud, EMPTY_USERNAME)
        finally:
            await ha.close()


async def measure(
    plan: Plan,
    ha_process: psutil.Process,
    simulator: psutil.Process,
    started: float,
    figures: HaFigures,
) -> None:
    """A fresh start with the empty home (baseline); the devices' home; options; steady window."""
    async with client_session() as session:
        ha = bootstrap.HomeAssistantClient(session, plan.url)
        try:
            await wait_started(ha, plan, ha_process.pid, started, figures.boot)
            await asyncio.sleep(plan.settle)
            idle = await sample_window(ha_process, simulator, plan.idle)
            figures.idle_cpu_percent = idle.ha_cpu_percent
            figures.baseline = Memory.of(ha_process)
            bootstrap.log(
                f"baseline, the integration with no devices: RSS "
                f"{figures.baseline.rss_kib / 1024:.1f} MiB, CPU {figures.idle_cpu_percent:.2f} %"
            )

            cpu, start = cpu_seconds(ha_process), time.monotonic()
            entry_id = await bootstrap.add_account(ha, plan.home_cloud, bootstrap.CLOUD_USERNAME)
            figures.entry_id = entry_id
            figures.setup.flow_seconds = time.monotonic() - start
            await wait_available(ha, plan, entry_id, figures.setup, start)
            figures.setup.cpu_seconds = cpu_seconds(ha_process) - cpu
            log_setup("entry created", figures.setup)
            await asyncio.sleep(plan.settle)
            figures.after_setup = Memory.of(ha_process)

            cpu, start, wall = cpu_seconds(ha_process), time.monotonic(), time.time()
            await set_poll_interval(ha, entry_id, plan.interval)
            figures.reload.flow_seconds = time.monotonic() - start
            await wait_available(ha, plan, entry_id, figures.reload, start, fresh_after=wall)
            figures.reload.cpu_seconds = cpu_seconds(ha_process) - cpu
            log_setup(f"options saved (LAN poll every {plan.interval} s)", figures.reload)

            await ha.close()  # no WebSocket connection open during the window
            await asyncio.sleep(max(0.0, start + plan.warm_up - time.monotonic()))
            bootstrap.log(f"steady window: {plan.window:.0f} s")
            figures.window = await sample_window(ha_process, simulator, plan.window)
            figures.final = Memory.of(ha_process)
            figures.not_available_after = (await snapshot(ha, entry_id)).not_available
        finally:
            await ha.close()
    figures.lan_fallbacks = lan_fallbacks(plan.config)


async def measure_restart(
    plan: Plan, ha_process: psutil.Process, started: float, figures: HaFigures
) -> None:
    """A start with the devices configured: until every entity is available; then memory."""
    boot = figures.restart
    async with client_session() as session:
        ha = bootstrap.HomeAssistantClient(session, plan.url)
        try:
            await wait_started(ha, plan, ha_process.pid, started, boot)
            await wait_available(ha, plan, figures.entry_id, boot.setup, started)
            boot.setup.cpu_seconds = cpu_seconds(ha_process)
            log_setup("restarted", boot.setup)
            await ha.close()
            await asyncio.sleep(plan.settle)
            boot.memory = Memory.of(ha_process)
        finally:
            await ha.close()
    figures.lan_fallbacks += lan_fallbacks(plan.config)


def log_setup(what: str, setup: Setup) -> None:
    """One progress line."""
    seconds = "not all" if setup.seconds is None else f"{setup.seconds:.1f} s"
    bootstrap.log(
        f"{what}: {setup.devices} devices, {setup.entities} entities; all available: "
        f"{seconds} (flow {setup.flow_seconds:.1f} s; {setup.cpu_seconds:.1f} s of CPU)"
    )
