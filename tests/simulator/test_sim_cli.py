"""``python -m simulator``: the ready line, the admin API, a UDP hello, a clean stop."""

from __future__ import annotations

import json
import socket
import urllib.request
from pathlib import Path

import pytest

from custom_components.xiaomi_aiot.miot.packet import HELLO, read_header
from harness.net import first_address
from harness.simulator_process import run_simulator
from simulator.__main__ import main, parse_args

HOME = """\
rooms: [Hall]
devices:
  - {id: lamp, kind: light, name: Lamp, room: Hall, features: [brightness]}
  - {id: phone, kind: phone, name: Phone, person: Alice}
  - {id: door, kind: lock, name: Door, room: Hall}
"""


def test_run_and_stop(tmp_path: Path) -> None:
    """The ready line comes once everything listens; SIGTERM stops it with status 0."""
    home = tmp_path / "home.yaml"
    home.write_text(HOME)
    base = first_address()
    args = ("--home", str(home), "--admin-port", "0", "--first-address", base, "--seed", "4")
    with run_simulator(*args) as run:
        line = run.line
        assert line.startswith("ready admin=http://127.0.0.1:"), line
        assert line.rstrip().endswith(" devices=2")
        url = line.split()[1].removeprefix("admin=")
        with urllib.request.urlopen(f"{url}/devices") as response:
            devices = json.load(response)
        assert [(d["id"], d["address"]) for d in devices] == [
            ("lamp", base),
            ("phone", None),
            ("door", base.rsplit(".", 1)[0] + ".3"),
        ]
        assert devices[0]["model"] == "yeelink.light.mono1"
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.settimeout(5)
            udp.sendto(HELLO, (base, 54321))
            assert read_header(udp.recv(1024)).did == devices[0]["did"]
    assert run.returncode == 0, run.stderr
    assert "lamp" in run.stderr  # the device table goes to stderr


def test_bad_home(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad home file: status 2 and the key path on stderr."""
    home = tmp_path / "home.yaml"
    home.write_text(HOME.replace("name: Door, room: Hall", "name: Door, room: Attic"))
    assert main(["--home", str(home)]) == 2
    assert "error: devices[2].room: 'Attic' is not one of the rooms" in capsys.readouterr().err


def test_bind_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An address that cannot be bound: status 1, naming the device."""
    home = tmp_path / "home.yaml"
    home.write_text(HOME)
    assert main(["--home", str(home), "--first-address", "192.0.2.1", "--admin-port", "0"]) == 1
    assert "error: " in (err := capsys.readouterr().err)
    assert "lamp: cannot listen on 192.0.2.1:54321" in err


def test_defaults() -> None:
    """The documented defaults."""
    args = parse_args(["--home", "h.yaml"])
    assert (args.admin_port, args.first_address, args.port, args.seed) == (
        8900,
        "127.0.0.2",
        54321,
        None,
    )
