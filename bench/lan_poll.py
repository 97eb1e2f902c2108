"""LAN poll benchmark: our asyncio miIO client against python-miio, on simulated devices.

A home of air conditioners runs in the simulator, in a separate process on its own loopback
addresses. Each poll round asks every device once for 15 properties (one `get_properties`).
Three clients poll the same simulator, each in a fresh child process of this script so that
its CPU time and peak RSS are its own:

- ``ours``: `MiotDevice.read_properties` over `DeviceSession`, every device at once with
  `asyncio.gather` on one event loop, sessions kept across rounds, a socket per session;
- ``ours-shared``: the same with one `LanSocket` shared by every session;
- ``miio-seq``: `miio.Device.send("get_properties", ...)`, one device after the other;
- ``miio-pool``: the same calls in a 5-thread `ThreadPoolExecutor`, as Home Assistant's core
  Xiaomi integration runs python-miio in its executor.

Two settings: devices that answer at once (the cost is CPU, on loopback; 5 x `--rounds`
rounds) and devices that answer 20 ms late (the simulator's `delay` fault), like devices on
Wi-Fi (`--rounds` rounds). A microbenchmark adds the encode+decode CPU of one request and its
reply with each codec alone. See docs/performance.md.

    .venv/bin/python -m bench.lan_poll [--devices 100] [--rounds 10] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import json
import os
import platform
import resource
import selectors
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from harness.net import first_address
from harness.processes import stop_process

ROOT = Path(__file__).resolve().parent.parent
MODEL = "xiaomi.aircondition.mc4"
PROPERTIES_PER_REQUEST = 15
POOL_WORKERS = 5
TIMEOUT = 2
READY_TIMEOUT = 60.0
CLIENT_TIMEOUT = 600.0
CLIENTS = ("ours", "ours-shared", "miio-seq", "miio-pool")
CPU_RATIO_TARGET = 0.5
SPEEDUP_TARGET = 5.0

type Key = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Target:
    """One simulated device as a client sees it."""

    address: str
    token: str
    did: int


@dataclass(frozen=True, slots=True)
class Setting:
    """How the devices answer; replies at once are cheap, so that setting runs more rounds."""

    name: str
    delay: float
    round_factor: int


SETTINGS = (Setting("at once", 0.0, 5), Setting("20 ms delay", 0.02, 1))


@dataclass(slots=True)
class Measurement:
    """What one client process measured over the rounds after its warm-up round."""

    client: str
    rounds: int
    requests: int
    errors: int
    round_walls: list[float]
    latencies: list[float]
    cpu_seconds: float
    rss_start_kib: int
    peak_rss_kib: int
    open_files: int = 0

    @property
    def cpu_per_request(self) -> float:
        """Client CPU seconds per request."""
        return self.cpu_seconds / self.requests

    @property
    def round_median(self) -> float:
        """Median wall time of a round, in seconds."""
        return statistics.median(self.round_walls)

    def latency_percentile(self, percent: int) -> float:
        """Per-request latency percentile, in seconds (NaN with fewer than two answers)."""
        if len(self.latencies) < 2:
            return float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[percent - 1]


@dataclass(frozen=True, slots=True)
class CodecFigures:
    """Encode+decode CPU of one request and its reply, per codec."""

    ours: float
    miio: float


# --- the clients (run in child processes) ----------------------------------------------------


def poll_keys() -> list[Key]:
    """The properties polled: the first 15 readable ones of the air conditioner's spec."""
    from custom_components.xiaomi_aiot.miot.bundle import load_bundled_spec

    spec = load_bundled_spec(MODEL)
    readable = [(p.siid, p.piid) for p in spec.properties() if p.readable]
    return readable[:PROPERTIES_PER_REQUEST]


def miio_params(keys: Sequence[Key]) -> list[dict[str, Any]]:
    """The `get_properties` params, item for item as `MiotDevice` sends them."""
    return [{"did": f"{siid}-{piid}", "siid": siid, "piid": piid} for siid, piid in keys]


def current_rss_kib() -> int:
    """The resident set size of this process now, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def poll_ours(
    targets: Sequence[Target], keys: list[Key], rounds: int, *, shared: bool = False
) -> Measurement:
    """Poll with our client: all devices concurrently, sessions kept across rounds.

    `shared`: every session sends from one `LanSocket` instead of a socket of its own.
    """
    plan = [(t.address, t.token, MODEL, keys) for t in targets]
    return await poll_ours_plan(plan, rounds, shared=shared)


async def poll_ours_plan(
    plan: Sequence[tuple[str, str, str, list[Key]]], rounds: int, *, shared: bool = False
) -> Measurement:
    """`poll_ours` for devices given as (address, token, model, properties to read)."""
    from custom_components.xiaomi_aiot.miot.bundle import load_bundled_spec
    from custom_components.xiaomi_aiot.miot.device import MiotDevice
    from custom_components.xiaomi_aiot.miot.errors import MiotError
    from custom_components.xiaomi_aiot.miot.lan import DeviceSession
    from custom_components.xiaomi_aiot.miot.udp import LanSocket

    rss_start = current_rss_kib()
    lan_socket = LanSocket() if shared else None
    sessions = [
        DeviceSession(address, token, timeout=TIMEOUT, socket=lan_socket)
        for address, token, _, _ in plan
    ]
    specs = {model: load_bundled_spec(model) for _, _, model, _ in plan}
    devices = [
        (MiotDevice(session, specs[model]), keys)
        for session, (_, _, model, keys) in zip(sessions, plan, strict=True)
    ]

    async def read(device: MiotDevice, keys: list[Key]) -> float | None:
        start = time.perf_counter()
        try:
            results = await device.read_properties(keys)
        except MiotError:
            return None
        if not all(result.ok for result in results.values()):
            return None
        return time.perf_counter() - start

    async def one_round() -> tuple[float, list[float | None]]:
        start = time.perf_counter()
        latencies = await asyncio.gather(*(read(device, keys) for device, keys in devices))
        return time.perf_counter() - start, latencies

    try:
        await one_round()  # warm-up: handshakes, sockets, caches
        cpu_start = time.process_time()
        results = [await one_round() for _ in range(rounds)]
        cpu_seconds = time.process_time() - cpu_start
        open_files = len(os.listdir("/proc/self/fd"))
    finally:
        for session in sessions:
            session.close()
        if lan_socket is not None:
            lan_socket.close()
    client = "ours-shared" if shared else "ours"
    measured = summarize(client, len(plan), results, cpu_seconds, rss_start)
    measured.open_files = open_files
    return measured


def poll_miio(targets: Sequence[Target], keys: list[Key], rounds: int, workers: int) -> Measurement:
    """Poll with python-miio: sequentially (`workers` 0) or in a thread pool."""
    return poll_miio_batches([(t.address, t.token, [keys]) for t in targets], rounds, workers)


def poll_miio_batches(
    plan: Sequence[tuple[str, str, list[list[Key]]]], rounds: int, workers: int
) -> Measurement:
    """Poll with python-miio, each device (address, token) a `get_properties` per batch."""
    from miio.device import Device
    from miio.exceptions import DeviceException

    rss_start = current_rss_kib()
    devices = [
        (Device(address, token, timeout=TIMEOUT), [miio_params(batch) for batch in batches])
        for address, token, batches in plan
    ]

    def read(item: tuple[Device, list[list[dict[str, Any]]]]) -> float | None:
        device, requests = item
        start = time.perf_counter()
        for params in requests:
            try:
                reply = device.send("get_properties", params)
            except DeviceException:
                return None
            if len(reply) != len(params) or any(answer.get("code") != 0 for answer in reply):
                return None
        return time.perf_counter() - start

    pool = ThreadPoolExecutor(workers) if workers else None

    def one_round() -> tuple[float, list[float | None]]:
        start = time.perf_counter()
        if pool is None:
            latencies = [read(item) for item in devices]
        else:
            latencies = list(pool.map(read, devices))
        return time.perf_counter() - start, latencies

    try:
        one_round()  # warm-up: discovery handshakes, threads
        cpu_start = time.process_time()
        results = [one_round() for _ in range(rounds)]
        cpu_seconds = time.process_time() - cpu_start
    finally:
        if pool is not None:
            pool.shutdown()
    client = "miio-pool" if workers else "miio-seq"
    return summarize(client, len(plan), results, cpu_seconds, rss_start)


def summarize(
    client: str,
    devices: int,
    results: list[tuple[float, list[float | None]]],
    cpu_seconds: float,
    rss_start: int,
) -> Measurement:
    """Collect the rounds' figures into a `Measurement`."""
    latencies = [lat for _, round_latencies in results for lat in round_latencies]
    ok = [lat for lat in latencies if lat is not None]
    return Measurement(
        client=client,
        rounds=len(results),
        requests=len(results) * devices,
        errors=len(latencies) - len(ok),
        round_walls=[wall for wall, _ in results],
        latencies=ok,
        cpu_seconds=cpu_seconds,
        rss_start_kib=rss_start,
        peak_rss_kib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    )


def run_client(client: str, targets_file: Path, rounds: int) -> int:
    """Child process: poll with one client and print its `Measurement` as one JSON line."""
    data = json.loads(targets_file.read_text())
    targets = [Target(**item) for item in data["targets"]]
    keys: list[Key] = [(siid, piid) for siid, piid in data["keys"]]
    if client in ("ours", "ours-shared"):
        measurement = asyncio.run(poll_ours(targets, keys, rounds, shared=client != "ours"))
    elif client == "miio-seq":
        measurement = poll_miio(targets, keys, rounds, workers=0)
    else:
        measurement = poll_miio(targets, keys, rounds, workers=POOL_WORKERS)
    print(json.dumps(asdict(measurement)))
    return 0


# --- the codec microbenchmark ----------------------------------------------------------------


def cpu_per_call(func: Callable[[], object], iterations: int, repeats: int = 5) -> float:
    """The best, over `repeats`, of the process CPU seconds per call of `func`."""
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(iterations):
            func()
        best = min(best, (time.process_time() - start) / iterations)
    return best


def codec_microbench(
    target: Target, keys: list[Key], values: dict[Key, Any], iterations: int
) -> CodecFigures:
    """CPU to encode one `get_properties` request and decode its reply, per codec.

    Both sides serialize the same request object and parse the same reply packet (as the
    simulator answers it), JSON included: `FrameCodec.encode`/`decode` with `json` for ours,
    `Message.build`/`Message.parse` for python-miio.
    """
    from miio.protocol import Message

    from custom_components.xiaomi_aiot.miot.packet import FrameCodec

    stamp = 1_000_000
    params = miio_params(keys)
    request = {"id": 1, "method": "get_properties", "params": params}
    result = [{**item, "code": 0, "value": values[item["siid"], item["piid"]]} for item in params]
    reply = {"id": 1, "result": result, "exe_time": 0}
    codec = FrameCodec(target.token)
    reply_packet = codec.encode(
        target.did, stamp, json.dumps(reply, separators=(",", ":")).encode()
    )
    token = bytes.fromhex(target.token)
    header = {
        "length": 0,
        "unknown": 0,
        "device_id": target.did.to_bytes(4, "big"),
        "ts": datetime.datetime.fromtimestamp(stamp, datetime.UTC),
    }

    def ours() -> object:
        payload = json.dumps(request, separators=(",", ":")).encode()
        codec.encode(target.did, stamp, payload)
        return json.loads(codec.decode(reply_packet).payload)

    def miio() -> object:
        message = {"data": {"value": request}, "header": {"value": header}, "checksum": 0}
        Message.build(message, token=token)
        return Message.parse(reply_packet, token=token).data.value

    if ours() != reply or miio() != reply:
        raise RuntimeError("the codecs do not decode the reply alike")
    return CodecFigures(ours=cpu_per_call(ours, iterations), miio=cpu_per_call(miio, iterations))


# --- the simulator (a separate process) -------------------------------------------------------


def write_home(folder: Path, devices: int) -> Path:
    """A home file with `devices` air conditioners."""
    import yaml  # the parent's imports stay out of the clients' RSS

    home = {
        "rooms": ["Bench"],
        "devices": [
            {"id": f"ac-{n:03d}", "kind": "air_conditioner", "name": f"AC {n}", "room": "Bench"}
            for n in range(devices)
        ],
    }
    path = folder / "home.yaml"
    path.write_text(yaml.safe_dump(home, sort_keys=False))
    return path


def wait_ready(process: subprocess.Popen[str], timeout: float) -> str | None:
    """The admin URL from the simulator's `ready` line; None if it exits first."""
    line = ready_line(process, timeout)
    return None if line is None else line.split("admin=", 1)[1].split()[0]


def ready_line(process: subprocess.Popen[str], timeout: float) -> str | None:
    """The simulator's `ready` line; None if it exits first."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if not selector.select(left):
                continue
            line = process.stdout.readline()
            if not line:
                return None
            if line.startswith("ready "):
                return line
    raise TimeoutError(f"the simulator was not ready in {timeout} s")


@contextlib.contextmanager
def running_simulator(home: Path, log: Path, seed: int, attempts: int = 3) -> Iterator[str]:
    """Run the simulator on a random 127.x.y.2 base at port 54321; yield its admin URL.

    python-miio always talks to port 54321, so devices differ by address; a base that is
    taken (another simulator) is retried with another one.
    """
    for _ in range(attempts):
        base = first_address()
        command = [sys.executable, "-m", "simulator", "--home", str(home), "--admin-port", "0"]
        command += ["--first-address", base, "--seed", str(seed)]
        with log.open("w") as errors:
            process = subprocess.Popen(
                command, cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True
            )
        try:
            admin = wait_ready(process, READY_TIMEOUT)
        except BaseException:
            stop_process(process)
            raise
        if admin is not None:
            try:
                yield admin
            finally:
                stop_process(process)
            return
        stop_process(process)
    raise RuntimeError(f"the simulator did not start:\n{log.read_text()}")


def admin_call(admin: str, path: str, body: object = None) -> Any:
    """One admin API request (GET, or POST with a JSON body); the decoded JSON answer."""
    import urllib.request

    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        admin + path, data=data, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def reset_devices(admin: str, device_ids: Sequence[str], delay: float) -> None:
    """Reboot every device and set its reply delay, before a client starts.

    A reboot clears the message ids a device remembers, so a client that starts its ids
    where an earlier client did (python-miio starts at 1) is not taken for a replay.
    """
    for device_id in device_ids:
        admin_call(admin, f"/devices/{device_id}/faults", {"delay": delay, "reboot": True})


def run_child(client: str, targets_file: Path, rounds: int) -> Measurement:
    """Run one client in a fresh process of this script and return its measurement."""
    command = [sys.executable, "-m", "bench.lan_poll", "--client", client]
    command += ["--targets", str(targets_file), "--rounds", str(rounds)]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, check=False, timeout=CLIENT_TIMEOUT
    )
    if done.returncode != 0:
        raise RuntimeError(f"client {client} failed ({done.returncode}):\n{done.stderr}")
    return Measurement(**json.loads(done.stdout.strip().splitlines()[-1]))


# --- the report ------------------------------------------------------------------------------


def machine_description() -> str:
    """CPU model, core count, OS and Python, in one line."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def table(results: dict[str, dict[str, Measurement]]) -> list[str]:
    """The markdown table of every client in every setting."""
    lines = [
        "| setting | client | rounds | round, median | CPU / request | latency p50 "
        "| latency p95 | RSS after imports | peak RSS | open files | errors |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for setting, by_client in results.items():
        for client, m in by_client.items():
            lines.append(
                f"| {setting} | {client} | {m.rounds} | {m.round_median * 1e3:.1f} ms "
                f"| {m.cpu_per_request * 1e6:.0f} µs "
                f"| {m.latency_percentile(50) * 1e3:.2f} ms "
                f"| {m.latency_percentile(95) * 1e3:.2f} ms "
                f"| {m.rss_start_kib / 1024:.1f} MiB | {m.peak_rss_kib / 1024:.1f} MiB "
                f"| {m.open_files or '-'} | {m.errors} |"
            )
    return lines


def target_checks(results: dict[str, dict[str, Measurement]]) -> list[tuple[bool, str]]:
    """The two targets: (a) CPU per request, (b) speed-up with slow devices."""
    fast, slow = (results[setting.name] for setting in SETTINGS)
    ours_cpu = fast["ours"].cpu_per_request
    miio_cpu = fast["miio-seq"].cpu_per_request
    speedup = slow["miio-pool"].round_median / slow["ours"].round_median
    return [
        (
            ours_cpu <= CPU_RATIO_TARGET * miio_cpu,
            f"(a) CPU per request, replies at once: ours {ours_cpu * 1e6:.0f} µs vs "
            f"python-miio {miio_cpu * 1e6:.0f} µs = {ours_cpu / miio_cpu:.2f}x "
            f"(target ≤ {CPU_RATIO_TARGET}x)",
        ),
        (
            speedup >= SPEEDUP_TARGET,
            f"(b) round with 20 ms device latency: ours {slow['ours'].round_median * 1e3:.1f} ms "
            f"vs python-miio 5 threads {slow['miio-pool'].round_median * 1e3:.1f} ms = "
            f"{speedup:.1f}x faster (target ≥ {SPEEDUP_TARGET:.0f}x)",
        ),
    ]


def print_report(
    results: dict[str, dict[str, Measurement]], codec: CodecFigures, devices: int
) -> bool:
    """Print the table, the codec line and the target checks; True if both targets pass.

    Target (a) compares with sequential python-miio, its cheapest way per request; the
    ratio to the thread pool (how Home Assistant runs it) is printed beside it.
    """
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"\n## LAN poll: {devices} devices, {PROPERTIES_PER_REQUEST} properties per request\n")
    print(f"{now}; {machine_description()}\n")
    print("\n".join(table(results)))
    print(
        f"\nCodec alone, encode request + decode reply: ours {codec.ours * 1e6:.1f} µs, "
        f"python-miio Message.build/parse {codec.miio * 1e6:.1f} µs "
        f"({codec.miio / codec.ours:.1f}x)\n"
    )
    checks = target_checks(results)
    for passed, text in checks:
        print(f"{'PASS' if passed else 'FAIL'} {text}")
    fast = results[SETTINGS[0].name]
    pool_ratio = fast["ours"].cpu_per_request / fast["miio-pool"].cpu_per_request
    print(f"info: against python-miio in 5 threads, CPU per request is {pool_ratio:.2f}x")
    failed = [text for passed, text in checks if not passed]
    if failed:
        banner = "!" * 72
        print(f"\n{banner}\nTARGET FAILED: {len(failed)} of {len(checks)}\n{banner}", flush=True)
        print("TARGET FAILED: " + "; ".join(failed), file=sys.stderr, flush=True)
    return not failed


# --- the driver ------------------------------------------------------------------------------


def run_benchmark(devices: int, rounds: int, codec_iterations: int, seed: int) -> None:
    """Start the simulator, run every client in every setting, print the report."""
    keys = poll_keys()
    with tempfile.TemporaryDirectory(prefix="lan-poll-") as folder:
        work = Path(folder)
        home = write_home(work, devices)
        with running_simulator(home, work / "simulator.log", seed) as admin:
            described = admin_call(admin, "/devices")
            targets = [Target(d["address"], d["token"], d["did"]) for d in described]
            targets_file = work / "targets.json"
            payload = {"targets": [asdict(t) for t in targets], "keys": keys}
            targets_file.write_text(json.dumps(payload))
            print(f"simulator: {admin}, {len(targets)} devices from {targets[0].address}")
            results: dict[str, dict[str, Measurement]] = {}
            for setting in SETTINGS:
                results[setting.name] = {}
                for client in CLIENTS:
                    reset_devices(admin, [d["id"] for d in described], setting.delay)
                    print(f"  {setting.name}: {client} ...", flush=True)
                    measured = run_child(client, targets_file, rounds * setting.round_factor)
                    results[setting.name][client] = measured
        values = {(p["siid"], p["piid"]): p["value"] for p in described[0]["properties"]}
        codec = codec_microbench(targets[0], keys, values, codec_iterations)
    print_report(results, codec, devices)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.lan_poll", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--devices", type=int, default=100, help="devices (default 100)")
    parser.add_argument(
        "--rounds",
        type=int,
        help="measured rounds with 20 ms delay; 5x as many at once (default 10; --quick: 3)",
    )
    parser.add_argument("--quick", action="store_true", help="fewer rounds and iterations")
    parser.add_argument("--seed", type=int, default=1, help="simulator seed (default 1)")
    parser.add_argument("--client", choices=CLIENTS, help=argparse.SUPPRESS)
    parser.add_argument("--targets", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rounds is None:
        args.rounds = 3 if args.quick else 10
    if args.rounds < 1 or args.devices < 1:
        parser.error("--rounds and --devices must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark (or, with --client, one client); always exit 0 unless it broke."""
    args = parse_args(argv)
    if args.client is not None:
        return run_client(args.client, args.targets, args.rounds)
    run_benchmark(args.devices, args.rounds, 300 if args.quick else 2000, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
