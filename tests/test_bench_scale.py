"""The scale benchmark runs end to end: a real Home Assistant, ten simulated devices."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = ("ours", "ours-shared", "miio-seq", "miio-pool")


def no_multicast() -> str | None:
    """Why a real Home Assistant cannot start here (its zeroconf joins a multicast group), or
    None when it can."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        group = socket.inet_aton("224.0.0.251") + socket.inet_aton("0.0.0.0")
        try:
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, group)
        except OSError as err:
            return f"a real Home Assistant needs multicast for zeroconf; this network: {err}"
    return None


NO_MULTICAST = no_multicast()


def run_bench(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m bench.<name>` with `args`, its output captured, within 100 s."""
    # Coverage measures this process only: its subprocesses (Home Assistant, the simulator,
    # the poll-round clients) would write data that does not combine with the suite's.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COV_CORE_", "COVERAGE_"))}
    return subprocess.run(
        [sys.executable, "-m", f"bench.{name}", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=100,
        check=False,
    )


@pytest.mark.skipif(NO_MULTICAST is not None, reason=str(NO_MULTICAST))
def test_scale_benchmark_quick_run_prints_its_table_and_writes_json(tmp_path: Path) -> None:
    """`python -m bench.scale --devices 10 --quick` measures everything and reports it.

    Ten devices say little about the targets (a few KiB of noise is a lot per device), so a
    missed target (exit status 1) is fine here; a broken benchmark (2) is not.
    """
    figures = tmp_path / "scale.json"
    done = run_bench("scale", "--devices", "10", "--quick", "--json", str(figures))

    assert done.returncode in (0, 1), done.stderr
    assert "| every entity available, from the entry's creation |" in done.stdout
    assert "### The same poll round: 10 devices" in done.stdout
    data = json.loads(figures.read_text())
    setup = data["home_assistant"]["setup"]
    assert setup["devices"] == 10
    assert setup["seconds"] is not None
    assert data["home_assistant"]["reload"]["seconds"] is not None
    assert data["home_assistant"]["not_available_after"] == 0
    assert all(data["poll_round"][client]["errors"] == 0 for client in CLIENTS)


def test_cloud_poll_benchmark_reads_every_device_both_ways(tmp_path: Path) -> None:
    """`python -m bench.cloud_poll --devices 10 --rounds 1`: a request per device, or batched."""
    figures = tmp_path / "cloud_poll.json"
    done = run_bench("cloud_poll", "--devices", "10", "--rounds", "1", "--json", str(figures))

    assert done.returncode == 0, done.stderr
    assert "### One poll round: 10 cloud devices" in done.stdout
    data = json.loads(figures.read_text())
    ways = data["ways"]
    assert ways["per device"]["requests"] == 10
    assert ways["batched"]["requests"] == data["expected_batched_requests"] == 1
    assert all(way["unread"] == 0 for way in ways.values())
