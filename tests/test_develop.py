"""`script/develop --check`: the demo connects through the Xiaomi account and every device is up.

Every device of the demo home (the LAN ones and the car, phones and watch of the cloud) must have
entities, all available, with an area for every room, and the account's entry must be the
integration's only one: on a fresh config directory, on a restart (the new simulator's cloud no
longer knows the stored tokens: re-authentication), with the cloud on another port
(reconfiguration), and on a config directory of an older demo (one entry per LAN device).
"""

from __future__ import annotations

import importlib.metadata
import ipaddress
import json
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import homeassistant
import pytest

from harness import net
from harness.processes import alive
from simulator import load_home

ROOT = Path(__file__).resolve().parent.parent
HOME = load_home(ROOT / "simulator" / "homes" / "demo.yaml")
DEVICES = HOME.devices
LAN = [device for device in DEVICES if device.lan]
ROOMS = [room for room in HOME.rooms if any(device.room == room for device in DEVICES)]


def frontend_mismatch() -> str | None:
    """Why Home Assistant's frontend is not the one it pins, or None when it is.

    `script/develop` would install the pinned one: not from inside the test suite.
    """
    ha = Path(homeassistant.__file__).parent
    manifest = json.loads((ha / "components" / "frontend" / "manifest.json").read_text("utf-8"))
    pin = next(r for r in manifest["requirements"] if r.startswith("home-assistant-frontend=="))
    try:
        installed = importlib.metadata.version("home-assistant-frontend")
    except importlib.metadata.PackageNotFoundError:
        installed = "none"
    if installed == pin.split("==", 1)[1]:
        return None
    return f"Home Assistant needs {pin} to start; installed: {installed}"


FRONTEND_MISMATCH = frontend_mismatch()

pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="needs 127.x.y.z on loopback (Linux)"),
    pytest.mark.skipif(FRONTEND_MISMATCH is not None, reason=str(FRONTEND_MISMATCH)),
]


def develop(config: Path, first_address: str, cloud_port: int) -> str:
    """Run `script/develop --check`; its output, after checking what every run must show."""
    command = [
        "bash",
        str(ROOT / "script" / "develop"),
        "--check",
        "--port",
        "0",
        "--config",
        str(config),
        "--first-address",
        first_address,
        "--cloud-port",
        str(cloud_port),
    ]
    # Not under pytest-cov's subprocess coverage: Home Assistant runs as it would for a person.
    env = {key: value for key, value in os.environ.items() if not key.startswith("COV_CORE_")}
    env["DEVELOP_PYTHON"] = sys.executable
    started = time.monotonic()
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=200, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert time.monotonic() - started < 150, output
    assert "check passed" in output

    ready = re.search(r"==> (\d+)/(\d+) devices ready ([\d.]+) s after start", output)
    assert ready is not None, output
    assert int(ready.group(1)) == int(ready.group(2)) == len(DEVICES), output
    assert float(ready.group(3)) < 90, output
    assert f"({len(LAN)} on the LAN, {len(DEVICES) - len(LAN)} through the cloud;" in output
    for device in DEVICES:
        line = next((x for x in output.splitlines() if f" {device.name} " in x), "")
        assert line.startswith("    ok "), f"{device.name}:\n{output}"
        assert (f" LAN {first_address.rsplit('.', 1)[0]}." in line) == device.lan, line
        if device.room:
            assert f" {device.room} " in line, line
    assert f"areas for the {len(ROOMS)} rooms: {', '.join(ROOMS)}" in output
    assert "one config entry: the Xiaomi account (loaded)" in output
    # The LAN devices were reached on the LAN: none fell back to the cloud.
    assert "went to the cloud instead" not in output
    assert "FAIL" not in output

    pids = re.search(r"simulator \(pid (\d+)\) and Home Assistant \(pid (\d+)\)", output)
    assert pids is not None, output
    assert all(not alive(int(pid)) for pid in pids.groups()), output
    assert f"cloud=http://127.0.0.1:{cloud_port} " in output
    return output


@pytest.mark.timeout(300)
def test_develop_check(tmp_path: Path) -> None:
    """Fresh: onboarded, the account added; restarted: signed in again; moved: reconfigured."""
    config = tmp_path / "config"
    first_address = net.first_address()
    cloud_port = net.free_port()

    output = develop(config, first_address, cloud_port)
    assert "onboarding: created the user 'demo'" in output
    assert (
        f"signed in to the Xiaomi account 'demo' at http://127.0.0.1:{cloud_port} (region cn) "
        f"and added its homes: {HOME.name}"
    ) in output
    assert "removed the entry" not in output
    assert (config / ".demo-token").stat().st_mode & 0o777 == 0o600

    # A restart: the entry is kept; the new simulator's cloud does not know its tokens.
    output = develop(config, first_address, cloud_port)
    assert "using the saved access token" in output
    assert "the account 'demo' is set up already" in output
    assert "signed in to the account again" in output
    assert "signed in to the Xiaomi account" not in output
    assert "removed the entry" not in output

    # The cloud on another port: the entry is pointed at it.
    moved = net.free_port()
    output = develop(config, first_address, moved)
    assert (
        f"pointed the account's entry at http://127.0.0.1:{moved} "
        f"(it had http://127.0.0.1:{cloud_port})"
    ) in output
    assert "signed in to the Xiaomi account" not in output


def older_demo_entries(first_address: str) -> dict[str, object]:
    """Home Assistant's stored config entries as the older demo left them: one per LAN device.

    In the oldest storage format (1.1), which Home Assistant migrates on load.
    """
    first = ipaddress.ip_address(first_address)
    entries = [
        {
            "entry_id": uuid.uuid4().hex,
            "version": 1,
            "domain": "xiaomi_aiot",
            "title": device.name,
            "source": "user",
            "unique_id": str(device.did),
            "data": {
                "host": str(first + index),
                "token": device.token,
                "did": str(device.did),
                "model": device.model,
                "mac": None,
                "name": device.name,
            },
            "options": {},
        }
        for index, device in enumerate(LAN)
    ]
    return {
        "version": 1,
        "minor_version": 1,
        "key": "core.config_entries",
        "data": {"entries": entries},
    }


@pytest.mark.timeout(240)
def test_develop_replaces_an_older_demo(tmp_path: Path) -> None:
    """A config directory with an entry per LAN device ends up with only the account's."""
    config = tmp_path / "config"
    first_address = net.first_address()
    (config / ".storage").mkdir(parents=True)
    (config / ".storage" / "core.config_entries").write_text(
        json.dumps(older_demo_entries(first_address)), "utf-8"
    )

    output = develop(config, first_address, net.free_port())
    for device in LAN:
        assert (
            f"removed the entry {device.name!r} (one LAN device, which the account covers"
        ) in output
    assert output.count("==> removed the entry ") == len(LAN), output
    assert "signed in to the Xiaomi account 'demo'" in output
