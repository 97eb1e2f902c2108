"""`script/develop --check`: the demo starts, every simulated device is added and available."""

from __future__ import annotations

import importlib.metadata
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import homeassistant
import pytest

ROOT = Path(__file__).resolve().parent.parent


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


def gone(pid: int) -> bool:
    """Whether a process no longer exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.timeout(240)
def test_develop_check(tmp_path: Path) -> None:
    """A fresh config directory: onboarded, eight devices added, then a second run reuses it."""
    first_address = f"127.{random.randint(100, 254)}.{random.randint(0, 255)}.2"
    command = [
        "bash",
        str(ROOT / "script" / "develop"),
        "--check",
        "--port",
        "0",
        "--config",
        str(tmp_path / "config"),
        "--first-address",
        first_address,
    ]
    # Not under pytest-cov's subprocess coverage: Home Assistant runs as it would for a person.
    env = {key: value for key, value in os.environ.items() if not key.startswith("COV_CORE_")}
    env["DEVELOP_PYTHON"] = sys.executable

    for run in ("first", "second"):
        started = time.monotonic()
        result = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=200, check=False
        )
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"{run} run:\n{output}"
        assert time.monotonic() - started < 150, output
        ready = re.search(r"==> (\d+)/(\d+) devices ready", output)
        assert ready is not None, output
        count = int(ready.group(2))
        assert count > 0
        assert int(ready.group(1)) == count, output
        assert "check passed" in output
        if run == "first":
            assert "onboarding: created the user 'demo'" in output
            assert output.count("==> added ") == count, output
        else:
            assert "using the saved access token" in output
            assert f"{count} of {count} devices are set up already" in output
            assert "==> added " not in output
        pids = re.search(r"simulator \(pid (\d+)\) and Home Assistant \(pid (\d+)\)", output)
        assert pids is not None, output
        assert all(gone(int(pid)) for pid in pids.groups()), output

    assert (tmp_path / "config" / ".demo-token").stat().st_mode & 0o777 == 0o600
