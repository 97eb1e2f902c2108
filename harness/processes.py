"""Child processes a test or a benchmark starts: stopping them, always reaped."""

from __future__ import annotations

import os
import subprocess

STOP_TIMEOUT = 10.0
"""Seconds a process has after SIGTERM before it is killed."""


def stop_process(process: subprocess.Popen[str], timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM, then SIGKILL if it lingers; always reaped."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def alive(pid: int) -> bool:
    """Whether a process of this id exists (one of another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
