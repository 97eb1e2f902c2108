"""The scale benchmark's poll round, with our client and with python-miio, in child processes.

A round reads every device of the simulated home once, the way the integration's coordinator
polls it: every readable property of its spec outside `device-information`, in `get_properties`
requests of at most `miot.device.BATCH_LIMIT` (15). Each client runs in a fresh process of this
file (its CPU and RSS are its own) and prints its `lan_poll.Measurement` as one JSON line:

- ``ours``: `MiotDevice.read_properties` over `DeviceSession`, every device at once, a socket
  per session;
- ``ours-shared``: the same with one `LanSocket` for every session, as an account's devices
  share one in the integration;
- ``miio-seq``: python-miio's `Device.send("get_properties", ...)`, one batch after the other;
- ``miio-pool``: the same in a 5-thread pool, as Home Assistant's Xiaomi integration runs it.

    python -m bench.scale_round --client ours --plan plan.json --rounds 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench import lan_poll

CLIENTS = lan_poll.CLIENTS
type Key = lan_poll.Key


@dataclass(frozen=True, slots=True)
class PlannedDevice:
    """One device and the batches of properties a coordinator reads from it."""

    address: str
    token: str
    did: int
    model: str
    batches: list[list[Key]]

    @property
    def keys(self) -> list[Key]:
        """Every property read, in order."""
        return [key for batch in self.batches for key in batch]


def poll_plan(described: Sequence[dict[str, Any]]) -> list[PlannedDevice]:
    """What the coordinators poll, for devices as the simulator's admin API describes them."""
    from custom_components.xiaomi_aiot.miot.bundle import load_bundled_spec
    from custom_components.xiaomi_aiot.miot.device import BATCH_LIMIT

    plan = []
    for device in described:
        spec = load_bundled_spec(device["model"])
        keys = [
            (prop.siid, prop.piid)
            for prop in spec.properties()
            if prop.readable and prop.service != "device-information"
        ]
        batches = [keys[i : i + BATCH_LIMIT] for i in range(0, len(keys), BATCH_LIMIT)]
        plan.append(
            PlannedDevice(
                device["address"], device["token"], device["did"], device["model"], batches
            )
        )
    return plan


def read_plan(path: Path) -> list[PlannedDevice]:
    """The plan the parent wrote."""
    return [
        PlannedDevice(
            item["address"],
            item["token"],
            item["did"],
            item["model"],
            [[(siid, piid) for siid, piid in batch] for batch in item["batches"]],
        )
        for item in json.loads(path.read_text())
    ]


async def round_ours(
    plan: Sequence[PlannedDevice], rounds: int, *, shared: bool
) -> lan_poll.Measurement:
    """Our client: every device at once, sessions kept across rounds; `shared`: one socket."""
    devices = [(d.address, d.token, d.model, d.keys) for d in plan]
    return await lan_poll.poll_ours_plan(devices, rounds, shared=shared)


def round_miio(plan: Sequence[PlannedDevice], rounds: int, workers: int) -> lan_poll.Measurement:
    """python-miio: the same batches, one device after the other or in a thread pool."""
    batches = [(device.address, device.token, device.batches) for device in plan]
    return lan_poll.poll_miio_batches(batches, rounds, workers)


def run_child(client: str, plan_file: Path, rounds: int) -> lan_poll.Measurement:
    """Run one client in a fresh process of this file; its measurement."""
    command = [sys.executable, "-m", "bench.scale_round", "--client", client]
    command += ["--plan", str(plan_file), "--rounds", str(rounds)]
    done = subprocess.run(
        command,
        cwd=lan_poll.ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=lan_poll.CLIENT_TIMEOUT,
    )
    if done.returncode != 0:
        raise RuntimeError(f"client {client} failed ({done.returncode}):\n{done.stderr}")
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    known = lan_poll.Measurement.__dataclass_fields__
    return lan_poll.Measurement(**{k: v for k, v in answer.items() if k in known})


def write_plan(path: Path, plan: Sequence[PlannedDevice]) -> Path:
    """Write the plan for the children."""
    path.write_text(json.dumps([asdict(device) for device in plan]))
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Child process: one client's rounds; its measurement as one JSON line on stdout."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.scale_round", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--client", choices=CLIENTS, required=True)
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args(argv)
    plan = read_plan(args.plan)
    if args.client.startswith("ours"):
        measured = asyncio.run(round_ours(plan, args.rounds, shared=args.client == "ours-shared"))
    else:
        workers = lan_poll.POOL_WORKERS if args.client == "miio-pool" else 0
        measured = round_miio(plan, args.rounds, workers)
    print(json.dumps(asdict(measured)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
