"""Cloud poll benchmark: one poll round of an account's cloud devices, per device or batched.

A home of `--devices` cloud-only devices (vehicles, phones and watches in turn) runs in the
simulator, in a process of its own. This process signs in with `MiAccount` through the
simulator's Xiaomi hosts (``via``) and reads every device's readable properties outside
`device-information`, as the coordinator polls them, two ways:

- ``per device``: `MiAppClient.get_properties` for each device, all at once (a request each);
- ``batched``: every device through one `PropertyBatcher` (⌈properties / 150⌉ requests).

Each way runs a warm-up round and then `--rounds` rounds; it prints the ``/miotspec/prop/get``
requests of a round (counted as they leave, by an aiohttp trace), the round's median wall time
and this process's CPU time (``time.process_time``) per device. The aiohttp session has Home
Assistant's connection limits (100 per host). No target: the exit status is 0, or 2 when a
round went wrong (a property not read, or another number of requests than expected).

    .venv/bin/python -m bench.cloud_poll [--devices 200] [--rounds 5] [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiohttp

from bench import lan_poll

KINDS = ("vehicle", "phone", "wearable")
ACCOUNT = {"username": "bench@example.com", "password": "bench"}
CONNECTIONS = 4096
CONNECTIONS_PER_HOST = 100
"""Home Assistant's shared session (``helpers/aiohttp_client.py``)."""
ROUND_TIMEOUT = 120.0

type Keys = dict[str, list[tuple[int, int]]]


@dataclass(frozen=True, slots=True)
class Figures:
    """One way of polling, over its rounds."""

    requests: int
    wall_ms: float
    cpu_ms_per_device: float
    unread: int


def home_definition(devices: int) -> dict[str, Any]:
    """A home of `devices` cloud-only devices: a vehicle, a phone and a watch in turn."""
    items: list[dict[str, Any]] = []
    for n in range(devices):
        kind = KINDS[n % len(KINDS)]
        item: dict[str, Any] = {"id": f"{kind}-{n + 1:04d}", "kind": kind, "name": f"{kind} {n}"}
        item |= {"room": "Garage"} if kind == "vehicle" else {"person": f"Person {n // 3 + 1}"}
        items.append(item)
    return {"home_name": "Cloud Home", "account": ACCOUNT, "rooms": ["Garage"], "devices": items}


def write_home(folder: Path, devices: int) -> Path:
    """Write the home file."""
    import yaml

    path = folder / "home.yaml"
    path.write_text(yaml.safe_dump(home_definition(devices), sort_keys=False))
    return path


def counting_trace(counter: SimpleNamespace, path: str) -> aiohttp.TraceConfig:
    """A trace that counts the requests sent to `path`."""
    trace = aiohttp.TraceConfig()

    async def on_start(
        session: aiohttp.ClientSession, context: Any, params: aiohttp.TraceRequestStartParams
    ) -> None:
        del session, context
        if params.url.path.endswith(path):
            counter.requests += 1

    trace.on_request_start.append(on_start)
    return trace


async def measure(
    poll: Callable[[], Awaitable[list[list[Any]]]],
    counter: SimpleNamespace,
    devices: int,
    rounds: int,
) -> Figures:
    """A warm-up round, then `rounds` rounds of `poll`: medians and the requests of a round."""
    async with asyncio.timeout(ROUND_TIMEOUT):
        await poll()
    walls, cpus, requests, unread = [], [], set(), 0
    for _ in range(rounds):
        counter.requests = 0
        cpu, wall = time.process_time(), time.perf_counter()
        async with asyncio.timeout(ROUND_TIMEOUT):
            results = await poll()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        requests.add(counter.requests)
        unread += sum(not result.ok for device in results for result in device)
    if len(requests) != 1:
        raise RuntimeError(f"rounds sent different numbers of requests: {sorted(requests)}")
    return Figures(
        requests.pop(),
        statistics.median(walls) * 1000,
        statistics.median(cpus) * 1000 / devices,
        unread,
    )


async def run(cloud_url: str, username: str, password: str, rounds: int) -> dict[str, Any]:
    """Sign in, list the devices, and measure both ways."""
    from custom_components.xiaomi_aiot.miot.bundle import load_bundled_spec
    from custom_components.xiaomi_aiot.miot.mi_account import MiAccount
    from custom_components.xiaomi_aiot.miot.mi_api import PROP_GET_PATH, MiAppClient
    from custom_components.xiaomi_aiot.miot.mi_batch import BATCH_LIMIT, PropertyBatcher

    counter = SimpleNamespace(requests=0)
    connector = aiohttp.TCPConnector(limit=CONNECTIONS, limit_per_host=CONNECTIONS_PER_HOST)
    async with aiohttp.ClientSession(
        connector=connector, trace_configs=[counting_trace(counter, PROP_GET_PATH)]
    ) as session:
        tokens = await MiAccount(session, via=cloud_url).sign_in(username, password)
        api = MiAppClient(session, tokens, "cn", via=cloud_url)
        keys: Keys = {
            device.did: [
                (prop.siid, prop.piid)
                for prop in load_bundled_spec(device.model).properties()
                if prop.readable and prop.service != "device-information"
            ]
            for device in await api.get_devices()
        }
        batcher = PropertyBatcher(api.get_properties)

        async def per_device() -> list[list[Any]]:
            return await asyncio.gather(
                *(api.get_properties([(did, s, p) for s, p in ks]) for did, ks in keys.items())
            )

        async def batched() -> list[list[Any]]:
            return await asyncio.gather(*(batcher.get(did, ks) for did, ks in keys.items()))

        figures = {
            "per device": await measure(per_device, counter, len(keys), rounds),
            "batched": await measure(batched, counter, len(keys), rounds),
        }
    properties = sum(len(ks) for ks in keys.values())
    return {
        "devices": len(keys),
        "properties": properties,
        "batch_limit": BATCH_LIMIT,
        "expected_batched_requests": math.ceil(properties / BATCH_LIMIT),
        "rounds": rounds,
        "ways": {way: asdict(f) for way, f in figures.items()},
    }


def report(data: dict[str, Any]) -> list[str]:
    """The figures as a markdown table."""
    lines = [
        f"### One poll round: {data['devices']} cloud devices, {data['properties']} properties",
        "",
        lan_poll.machine_description(),
        "",
        "| way | `prop/get` requests | wall time (median) | CPU per device (median) |",
        "|---|---:|---:|---:|",
    ]
    for way, f in data["ways"].items():
        lines.append(
            f"| {way} | {f['requests']} | {f['wall_ms']:.0f} ms | {f['cpu_ms_per_device']:.2f} ms |"
        )
    lines += ["", f"Rounds: {data['rounds']} after a warm-up; limit {data['batch_limit']}."]
    return lines


def problems(data: dict[str, Any]) -> list[str]:
    """What went wrong in the rounds (not timing): unread properties, unexpected requests."""
    found = []
    ways = data["ways"]
    for way, f in ways.items():
        if f["unread"]:
            found.append(f"{way}: {f['unread']} properties not read")
    if ways["per device"]["requests"] != data["devices"]:
        found.append(f"per device: {ways['per device']['requests']} requests")
    if ways["batched"]["requests"] != data["expected_batched_requests"]:
        found.append(f"batched: {ways['batched']['requests']} requests")
    return found


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.cloud_poll", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--devices", type=int, default=200, help="cloud devices (default 200)")
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="the simulator's seed")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    if args.devices < 1 or args.rounds < 1:
        parser.error("--devices and --rounds must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the simulator, measure, print; 2 when the benchmark broke."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cloud-poll-") as folder:
        home = write_home(Path(folder), args.devices)
        with lan_poll.running_simulator(home, Path(folder) / "simulator.log", args.seed) as admin:
            cloud = lan_poll.admin_call(admin, "/cloud")
            data = asyncio.run(
                run(cloud["url"], ACCOUNT["username"], ACCOUNT["password"], args.rounds)
            )
    print("\n".join(report(data)))
    if args.json is not None:
        args.json.write_text(json.dumps(data, indent=2))
    if found := problems(data):
        print("\nbroken: " + "; ".join(found), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
