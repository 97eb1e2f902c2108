"""``python -m simulator`` in a subprocess, for the tests of the command line."""

from __future__ import annotations

import select
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    """A run: its ready line; once it stopped, its exit status and stderr."""

    line: str = ""
    returncode: int | None = None
    stderr: str = ""


@contextmanager
def run_simulator(*args: str, within: float = 60.0) -> Iterator[Run]:
    """Run the simulator with `args` until the block ends (then SIGTERM), ready line read."""
    command = [sys.executable, "-m", "simulator", *args]
    run = Run()
    with subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            readable, _, _ = select.select([process.stdout], [], [], within)
            assert readable, f"no ready line within {within:g} s"
            run.line = process.stdout.readline()
            yield run
        finally:
            process.send_signal(signal.SIGTERM)
            _out, run.stderr = process.communicate(timeout=30)
            run.returncode = process.returncode
