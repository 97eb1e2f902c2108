"""Scale benchmark: hundreds of simulated LAN devices in one Home Assistant.

A home of `--devices` LAN devices (500 by default; in every 20, ten lights, four air
conditioners, three speakers, two TVs and a lock) runs in the simulator, with its Xiaomi cloud,
in a process of its own. By default the devices have no push (the simulator's `no_push` fault),
so each is polled every `--interval` seconds; `--push` lets them report their changes, and the
integration then polls them 5 times more rarely. A real Home Assistant runs in another process
with a fresh configuration folder, onboarded and connected to the simulated account through
the config flow, as `script/develop` does. From outside both processes this measures:

1. the time from the account's config entry being created until every entity of every device
   is available; again after the options flow sets the LAN poll interval (the entry reloads),
   and from Home Assistant's start with the devices configured (not with --quick);
2. Home Assistant's CPU, in % of one core, over a steady window of three poll intervals, and
   whether the polls come all at once or spread over the interval (both processes' CPU,
   second by second);
3. memory per device: Home Assistant's RSS (and USS) with the devices minus its RSS just
   before, freshly started with the integration set up for an empty home (a second
   simulator, without devices), divided by the devices;
4. the same poll round with our client and with python-miio (`scale_round.py`), in child
   processes against the same simulator, once Home Assistant has stopped.

    .venv/bin/python -m bench.scale [--devices 500] [--interval 30] [--push] [--quick]
                                    [--json PATH]

Exit status 0 when every target is met, 1 when one is missed, 2 when the benchmark broke. See
docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import json
import math
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import aiohttp
import psutil

from bench import lan_poll, scale_round
from bench import scale_home_assistant as hass
from harness.net import first_address, free_port
from harness.processes import stop_process

TARGET_AVAILABLE_S = 30.0
TARGET_CPU_PERCENT = 5.0
TARGET_KIB_PER_DEVICE = 200.0
OPEN_FILES = 8192
"""Open files allowed to the simulator and Home Assistant: a socket per device, and more."""
READY_TIMEOUT = 120.0
STOP_TIMEOUT = 60.0
SPARKS = "▁▂▃▄▅▆▇█"

# One cycle of 20 devices in home-file order: half of them lights, then air conditioners,
# speakers, TVs and a lock. Any prefix (--devices 10) has a bit of everything.
SLOTS = (
    *("light-color", "ac", "light-ct", "speaker", "light-color", "tv", "light-mono", "ac"),
    *("light-ct", "lock", "light-color", "speaker", "light-ct", "ac", "light-mono", "tv"),
    *("light-color", "speaker", "light-ct", "ac"),
)
KINDS: dict[str, tuple[str, str, list[str] | None]] = {
    "light-color": ("light", "Colour Light", ["brightness", "color_temp", "color"]),
    "light-ct": ("light", "White Light", ["brightness", "color_temp"]),
    "light-mono": ("light", "Dimmable Light", ["brightness"]),
    "ac": ("air_conditioner", "Air Conditioner", None),
    "speaker": ("speaker", "Speaker", None),
    "tv": ("television", "TV", None),
    "lock": ("lock", "Door Lock", None),
}
"""Slot: the simulator's kind, a name, the light's features (which pick its model)."""
DEVICES_PER_ROOM = 20


@dataclass(frozen=True, slots=True)
class Settings:
    """What one run does."""

    devices: int
    interval: int
    window: float
    settle: float
    warm_up: float
    idle: float
    quick: bool
    push: bool
    rounds: int
    seed: int
    timeout: float
    keep: bool
    json_path: Path | None


# --- the simulated homes -------------------------------------------------------------------------


def home_definition(devices: int, *, push: bool) -> dict[str, Any]:
    """A home of `devices` LAN devices in the mix of `SLOTS`, 20 to a room.

    Without `push` the devices refuse `miIO.sub` as older firmware does (the `no_push`
    fault), so the integration polls each of them every interval.
    """
    rooms = [f"Room {n + 1:02d}" for n in range(max(1, math.ceil(devices / DEVICES_PER_ROOM)))]
    items = []
    for n in range(devices):
        slot = SLOTS[n % len(SLOTS)]
        kind, label, features = KINDS[slot]
        item: dict[str, Any] = {
            "id": f"{slot}-{n + 1:04d}",
            "kind": kind,
            "name": f"{label} {n + 1}",
            "room": rooms[n // DEVICES_PER_ROOM],
        }
        if features is not None:
            item["features"] = features
        if not push:
            item["faults"] = {"no_push": True}
        items.append(item)
    return {"home_name": "Scale Home", "rooms": rooms, "devices": items}


EMPTY_HOME: dict[str, Any] = {
    "home_name": "Empty Home",
    # Another Xiaomi account than the devices' home: one entry per account.
    "account": {"username": hass.EMPTY_USERNAME, "password": "demo"},
    "devices": [],
}


def write_home(path: Path, definition: dict[str, Any]) -> Path:
    """Write a home file."""
    import yaml

    path.write_text(yaml.safe_dump(definition, sort_keys=False))
    return path


def more_open_files() -> None:
    """Room for a socket per device, and more, in this process and the children it starts."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = OPEN_FILES if hard == resource.RLIM_INFINITY else min(OPEN_FILES, hard)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


@dataclass(frozen=True, slots=True)
class RunningSimulator:
    """A `python -m simulator` process and what its ready line says."""

    process: subprocess.Popen[str]
    admin: str
    cloud: str
    devices: int


def start_simulator(home: Path, log: Path, seed: int, attempts: int = 5) -> RunningSimulator:
    """Run the simulator from a random 127.x.y.2 and wait for its ready line.

    127.0.0.x may be another simulator's (the demo, the tests); a base that is taken is tried
    again elsewhere. 500 devices take 127.x.y.2 to 127.x.(y+1).245.
    """
    for _ in range(attempts):
        first = first_address(last_third=200)
        command = [sys.executable, "-m", "simulator", "--home", str(home), "--admin-port", "0"]
        command += ["--cloud-port", "0", "--first-address", first, "--seed", str(seed)]
        with log.open("w") as errors:
            process = subprocess.Popen(
                command,
                cwd=lan_poll.ROOT,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
            )
        try:
            line = lan_poll.ready_line(process, READY_TIMEOUT)
        except BaseException:
            stop_process(process, STOP_TIMEOUT)
            raise
        if line is not None:
            fields = dict(part.split("=", 1) for part in line.split()[1:])
            devices = int(fields["devices"])
            return RunningSimulator(process, fields["admin"], fields["cloud"], devices)
        stop_process(process, STOP_TIMEOUT)
    raise RuntimeError(f"the simulator did not start:\n{log.read_text()[-2000:]}")


# --- the run -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Results:
    """Everything one run measured."""

    figures: hass.HaFigures
    plan: list[scale_round.PlannedDevice]
    rounds: dict[str, lan_poll.Measurement]


def compare_clients(
    admin: str, described: Sequence[dict[str, Any]], work: Path, rounds: int
) -> tuple[list[scale_round.PlannedDevice], dict[str, lan_poll.Measurement]]:
    """The poll round with each client, every device rebooted first (fresh message ids)."""
    plan = scale_round.poll_plan(described)
    plan_file = scale_round.write_plan(work / "plan.json", plan)
    measured = {}
    for client in scale_round.CLIENTS:
        for device in described:
            lan_poll.admin_call(admin, f"/devices/{device['id']}/faults", {"reboot": True})
        hass.log(f"poll round: {client}, {rounds} rounds after a warm-up")
        measured[client] = scale_round.run_child(client, plan_file, rounds)
    return plan, measured


@contextlib.contextmanager
def home_assistant_errors(config: Path) -> Iterator[None]:
    """Turn a failure to talk to Home Assistant into `RuntimeError` with the end of its log."""
    try:
        yield
    except (hass.BootstrapError, aiohttp.ClientError) as err:
        tail = ""
        with contextlib.suppress(OSError):
            tail = (config / "home-assistant.log").read_text()[-3000:]
        raise RuntimeError(f"{err!r}\nhome-assistant.log ends with:\n{tail}") from err


class HomeAssistantProcess:
    """Home Assistant's process on the configuration folder, started and stopped in turn."""

    def __init__(self, config: Path, processes: list[subprocess.Popen[str]]) -> None:
        """`processes` gets every process started, for the final clean-up."""
        self.config = config
        self._processes = processes
        self.process: subprocess.Popen[str] | None = None
        self.started = 0.0

    def start(self) -> psutil.Process:
        """Start it; `started` is when."""
        self.started = time.monotonic()
        self.process = hass.start(self.config)
        self._processes.append(self.process)
        return psutil.Process(self.process.pid)

    def stop(self) -> float:
        """Stop it; the seconds it took."""
        stopping = time.monotonic()
        if self.process is not None:
            stop_process(self.process, STOP_TIMEOUT)
        return time.monotonic() - stopping


def run(settings: Settings, work: Path) -> Results:
    """Start the simulators and Home Assistant, measure, stop; then the poll round.

    Home Assistant starts three times: onboarding and the empty home; a fresh start for the
    baseline, to which the devices' home is added and then measured; a start with the devices
    configured (not with --quick).
    """
    home_file = write_home(
        work / "home.yaml", home_definition(settings.devices, push=settings.push)
    )
    empty_file = write_home(work / "empty.yaml", EMPTY_HOME)
    processes: list[subprocess.Popen[str]] = []
    figures = hass.HaFigures()
    try:
        port = free_port()
        config = hass.write_config(work / "config", port)
        ha = HomeAssistantProcess(config, processes)
        ha_process = ha.start()  # boots while the simulators start
        home = start_simulator(home_file, work / "simulator.log", settings.seed)
        processes.append(home.process)
        empty = start_simulator(empty_file, work / "simulator-empty.log", settings.seed)
        processes.append(empty.process)
        hass.log(f"simulator: {home.devices} devices; admin API {home.admin}")
        plan = hass.Plan(
            url=f"http://127.0.0.1:{port}",
            config=config,
            home_cloud=home.cloud,
            empty_cloud=empty.cloud,
            devices=home.devices,
            interval=settings.interval,
            settle=settings.settle,
            warm_up=settings.warm_up,
            idle=settings.idle,
            window=settings.window,
            timeout=settings.timeout,
        )
        sim_process = psutil.Process(home.process.pid)
        with home_assistant_errors(config):
            asyncio.run(hass.onboard(plan, ha_process.pid, ha.started, figures))
            ha.stop()
            ha_process = ha.start()
            asyncio.run(hass.measure(plan, ha_process, sim_process, ha.started, figures))
            figures.stop_s = ha.stop()
            hass.log(f"Home Assistant stopped in {figures.stop_s:.1f} s")
            if not settings.quick:
                ha_process = ha.start()
                asyncio.run(hass.measure_restart(plan, ha_process, ha.started, figures))
                ha.stop()
        described = [d for d in lan_poll.admin_call(home.admin, "/devices") if d.get("address")]
        polled, rounds = compare_clients(home.admin, described, work, settings.rounds)
    finally:
        for process in reversed(processes):
            stop_process(process, STOP_TIMEOUT)
    return Results(figures, polled, rounds)


# --- the report ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Check:
    """One target: the figure, its value, the target, and whether it is met."""

    figure: str
    value: str
    target: str
    passed: bool


def per_device_kib(figures: hass.HaFigures, devices: int, *, uss: bool = False) -> float:
    """Memory added per device: final minus baseline, over the devices."""
    final, base = figures.final, figures.baseline
    assert final is not None
    assert base is not None
    if uss:
        return (final.uss_kib - base.uss_kib) / devices
    return (final.rss_kib - base.rss_kib) / devices


def checks(figures: hass.HaFigures, devices: int) -> list[Check]:
    """The three targets."""
    available, window = figures.setup.seconds, figures.window
    assert window is not None
    per_device = per_device_kib(figures, devices)
    return [
        Check(
            "every entity available, from the entry's creation",
            "never" if available is None else f"{available:.1f} s",
            f"< {TARGET_AVAILABLE_S:.0f} s",
            available is not None and available < TARGET_AVAILABLE_S,
        ),
        Check(
            "Home Assistant's CPU, steady (% of one core)",
            f"{window.ha_cpu_percent:.2f} %",
            f"< {TARGET_CPU_PERCENT:.0f} %",
            window.ha_cpu_percent < TARGET_CPU_PERCENT,
        ),
        Check(
            "memory per device (RSS)",
            f"{per_device:.0f} KiB",
            f"< {TARGET_KIB_PER_DEVICE:.0f} KiB",
            per_device < TARGET_KIB_PER_DEVICE,
        ),
    ]


def sparkline(series: Sequence[float]) -> str:
    """One character per value, scaled to the largest."""
    top = max(series, default=0.0)
    if top <= 0:
        return SPARKS[0] * len(series)
    last = len(SPARKS) - 1
    return "".join(SPARKS[min(last, int(value / top * len(SPARKS)))] for value in series)


def seconds(value: float | None) -> str:
    """A time in seconds, or a dash when it never came."""
    return "-" if value is None else f"{value:.1f} s"


def cpu_per_round_in_ha(figures: hass.HaFigures, interval: int) -> float:
    """Home Assistant's CPU seconds per poll interval, above its idle CPU without devices."""
    assert figures.window is not None
    return (figures.window.ha_cpu_percent - figures.idle_cpu_percent) / 100 * interval


def print_report(settings: Settings, results: Results, verdicts: list[Check]) -> None:
    """The targets, then start-up, memory, CPU and spread, and the poll round."""
    figures, devices = results.figures, settings.devices
    setup, reload, window = figures.setup, figures.reload, figures.window
    base, after, final = figures.baseline, figures.after_setup, figures.final
    assert window is not None
    assert base is not None
    assert after is not None
    assert final is not None
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    push = "with push (polls rarer)" if settings.push else "without push"
    print(f"\n## Scale: {devices} LAN devices in one Home Assistant, LAN poll every ", end="")
    print(f"{settings.interval} s, devices {push}\n")
    print(f"{now}; {lan_poll.machine_description()}; the simulator on the same cores\n")
    if settings.quick:
        print(
            "--quick: a few devices and a window shorter than the interval check that it all "
            "runs; the memory of the entry itself then weighs on each device, and the CPU "
            "window may hold no poll.\n"
        )
    print("| figure | value | target | result |\n|---|--:|--:|---|")
    for check in verdicts:
        result = "PASS" if check.passed else "**FAIL**"
        print(f"| {check.figure} | {check.value} | {check.target} | {result} |")

    restart = figures.restart if not settings.quick else None
    columns = ["entry created", "options saved (reload)"]
    timelines = [setup, reload]
    if restart is not None:
        columns.append("Home Assistant's start, devices configured")
        timelines.append(restart.setup)
    print("\n| seconds from | " + " | ".join(columns) + " |")
    print("|---|" + "--:|" * len(columns))
    rows: list[tuple[str, Sequence[float | None]]] = [
        ("config flow answered", [setup.flow_seconds, reload.flow_seconds, None]),
        ("every device registered", [t.devices_registered_s for t in timelines]),
        ("half the devices available", [t.half_devices_s for t in timelines]),
        ("90 % of the devices available", [t.ninety_percent_s for t in timelines]),
        ("every entity available", [t.seconds for t in timelines]),
        ("Home Assistant's CPU by then", [t.cpu_seconds for t in timelines]),
    ]
    if restart is not None:
        rows[:0] = [
            ("HTTP answers", [None, None, restart.answered_s]),
            ("running", [None, None, restart.running_s]),
        ]
    for name, values in rows:
        cells = [seconds(value) for value in values[: len(columns)]]
        print(f"| {name} | " + " | ".join(cells) + " |")
    first, fresh = figures.first_boot, figures.boot
    print(
        f"\nWithout devices, Home Assistant's HTTP answered {first.answered_s:.1f} s after its "
        f"first start (running, onboarded, at {first.running_s:.1f} s) and "
        f"{fresh.answered_s:.1f} s after the next (running at {fresh.running_s:.1f} s); with "
        f"the devices it stopped in {figures.stop_s:.1f} s. Counted: {setup.devices} devices, "
        f"their {setup.entities} enabled entities (entity registry, this entry; "
        f"{setup.entities / devices:.1f} a device); {figures.not_available_after} not "
        f"available after the window; {figures.lan_fallbacks} LAN requests fell back to the "
        "cloud."
    )

    print("\n| Home Assistant's memory | RSS | USS |\n|---|--:|--:|")
    memories = [
        ("fresh start, integration set up, no devices", base),
        (f"{devices} devices set up", after),
        ("after the reload and the window", final),
    ]
    if restart is not None and restart.memory is not None:
        memories.append((f"fresh start with the {devices} devices", restart.memory))
    for name, memory in memories:
        print(f"| {name} | {memory.rss_kib / 1024:.1f} MiB | {memory.uss_kib / 1024:.1f} MiB |")
    print(
        f"| per device: (after the window minus no devices) / {devices} "
        f"| {per_device_kib(figures, devices):.0f} KiB "
        f"| {per_device_kib(figures, devices, uss=True):.0f} KiB |"
    )
    if restart is not None and restart.memory is not None:
        print(
            f"| per device, fresh starts: (with minus without devices) / {devices} "
            f"| {(restart.memory.rss_kib - base.rss_kib) / devices:.0f} KiB "
            f"| {(restart.memory.uss_kib - base.uss_kib) / devices:.0f} KiB |"
        )
    print(f"\nPeak RSS of Home Assistant: {final.peak_rss_kib / 1024:.1f} MiB.")

    share = window.busiest_second_share(settings.interval)
    print(
        f"\nSteady window of {window.seconds:.0f} s, from {settings.warm_up:.0f} s after the "
        f"options were saved: Home Assistant {window.ha_cpu_percent:.2f} % of one core "
        f"({window.ha_cpu_percent_ticks:.2f} % in clock ticks; idle with no devices "
        f"{figures.idle_cpu_percent:.2f} %), the simulator {window.simulator_cpu_percent:.2f} %."
        f"\nPolls {window.polls(settings.interval)}: the simulator's busiest second holds "
        f"{share:.0%} of an interval's work (all at once: about 100 %); busiest second: "
        f"simulator {max(window.simulator_per_second):.1f} %, Home Assistant "
        f"{max(window.ha_per_second):.1f} %, {max(window.udp_per_second)} UDP datagrams "
        f"received on the host (mean {statistics.fmean(window.udp_per_second):.0f}/s)."
    )
    print(f"  simulator CPU, each second:      {sparkline(window.simulator_per_second)}")
    print(f"  Home Assistant CPU, each second: {sparkline(window.ha_per_second)}")

    requests = sum(len(device.batches) for device in results.plan)
    print(
        f"\n### The same poll round: {devices} devices, {requests} get_properties requests of "
        f"≤ {max(len(b) for d in results.plan for b in d.batches)} properties\n"
    )
    print("| client | rounds | round, median | CPU / round | CPU / device | peak RSS | errors |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    intervals = window.seconds / settings.interval
    # With push a device is polled every few intervals: no round per interval to show.
    if intervals >= 1 and not settings.push:
        in_ha = cpu_per_round_in_ha(figures, settings.interval)
        print(
            f"| ours in Home Assistant: (steady minus idle) x interval | {intervals:.1f} | - "
            f"| {in_ha * 1e3:.0f} ms | {in_ha / devices * 1e6:.0f} µs "
            f"| {final.peak_rss_kib / 1024:.1f} MiB | - |"
        )
    for name, m in results.rounds.items():
        print(
            f"| {name} | {m.rounds} | {m.round_median * 1e3:.1f} ms "
            f"| {m.cpu_seconds / m.rounds * 1e3:.0f} ms | {m.cpu_per_request * 1e6:.0f} µs "
            f"| {m.peak_rss_kib / 1024:.1f} MiB | {m.errors} |"
        )
    failed = [check for check in verdicts if not check.passed]
    if failed:
        banner = "!" * 72
        print(f"\n{banner}\nTARGET FAILED: {len(failed)} of {len(verdicts)}\n{banner}", flush=True)
        text = "; ".join(f"{c.figure}: {c.value} (target {c.target})" for c in failed)
        print(f"TARGET FAILED: {text}", file=sys.stderr, flush=True)


def write_json(path: Path, settings: Settings, results: Results, verdicts: list[Check]) -> None:
    """Every figure, for machines."""
    figures, devices = results.figures, settings.devices
    assert figures.window is not None
    data = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": lan_poll.machine_description(),
        "settings": {**asdict(settings), "json_path": str(settings.json_path)},
        "checks": [asdict(check) for check in verdicts],
        "passed": all(check.passed for check in verdicts),
        "home_assistant": asdict(figures),
        "memory_per_device_kib": {
            "rss": per_device_kib(figures, devices),
            "uss": per_device_kib(figures, devices, uss=True),
        },
        "polls": {
            "seen": figures.window.polls(settings.interval),
            "busiest_second_share": figures.window.busiest_second_share(settings.interval),
        },
        "poll_round": {
            "devices": len(results.plan),
            "requests": sum(len(device.batches) for device in results.plan),
            "home_assistant_cpu_per_interval_s": cpu_per_round_in_ha(figures, settings.interval),
            **{
                name: {
                    **asdict(m),
                    "round_median_s": m.round_median,
                    "cpu_per_round_s": m.cpu_seconds / m.rounds,
                    "cpu_per_device_s": m.cpu_per_request,
                }
                for name, m in results.rounds.items()
            },
        },
    }
    path.write_text(json.dumps(data, indent=2) + "\n")


# --- the command line ----------------------------------------------------------------------------


@contextlib.contextmanager
def work_folder(keep: bool) -> Iterator[Path]:
    """A temporary folder for the homes, the configuration and the logs; --keep keeps it."""
    if not keep:
        with tempfile.TemporaryDirectory(prefix="scale-") as name:
            yield Path(name)
        return
    folder = Path(tempfile.mkdtemp(prefix="scale-"))
    try:
        yield folder
    finally:
        print(f"logs kept in {folder}", file=sys.stderr)


def parse_args(argv: Sequence[str] | None = None) -> Settings:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.scale", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--devices", type=int, help="LAN devices (default 500; --quick 20)")
    parser.add_argument("--quick", action="store_true", help="fewer devices, short windows")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--interval", type=int, default=30, help="LAN poll interval (default 30 s)")
    parser.add_argument(
        "--window", type=float, help="steady window in seconds (default 3 intervals; --quick 3)"
    )
    parser.add_argument("--rounds", type=int, help="poll rounds per client (default 10; --quick 3)")
    parser.add_argument("--seed", type=int, default=1, help="simulator seed (default 1)")
    parser.add_argument(
        "--timeout", type=float, default=180.0, help="seconds to wait for every entity (180)"
    )
    parser.add_argument(
        "--push",
        action="store_true",
        help="devices report their changes (push), so polls are rarer than --interval",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder and its logs")
    args = parser.parse_args(argv)
    devices = args.devices or (20 if args.quick else 500)
    window = args.window or (3.0 if args.quick else 3.0 * args.interval)
    rounds = args.rounds or (3 if args.quick else 10)
    if devices < 1 or rounds < 1 or window <= 0:
        parser.error("--devices, --rounds and --window must be positive")
    if not 5 <= args.interval <= 600:
        parser.error("--interval must be within 5..600 s (the options flow's range)")
    return Settings(
        devices=devices,
        interval=args.interval,
        window=window,
        settle=0.5 if args.quick else 10.0,
        # After a (re)load a device polls next at a point of the interval after the next one:
        # from one interval on, every interval holds one poll of each device.
        warm_up=0.5 if args.quick else args.interval + 10.0,
        idle=1.0 if args.quick else 15.0,
        quick=args.quick,
        push=args.push,
        rounds=rounds,
        seed=args.seed,
        timeout=args.timeout,
        keep=args.keep,
        json_path=args.json,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; the exit status."""
    settings = parse_args(argv)
    more_open_files()  # inherited by the simulators, Home Assistant and the clients
    try:
        with work_folder(settings.keep) as work:
            results = run(settings, work)
    except (RuntimeError, OSError, TimeoutError, subprocess.SubprocessError) as err:
        print(f"scale: the benchmark broke: {err}", file=sys.stderr)
        return 2
    verdicts = checks(results.figures, settings.devices)
    print_report(settings, results, verdicts)
    if settings.json_path is not None:
        write_json(settings.json_path, settings, results, verdicts)
        print(f"\nJSON: {settings.json_path}")
    return 0 if all(check.passed for check in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
