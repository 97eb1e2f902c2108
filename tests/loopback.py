"""Loopback addresses for simulated homes, distinct between the suite's parallel workers."""

from __future__ import annotations

import os
import random

_SECOND_OCTETS = range(100, 255)
"""127.100.x.x and up: clear of a running demo (127.0.0.2 and up)."""


def worker_share(octets: range) -> range:
    """This pytest-xdist worker's share of `octets`, disjoint from every other worker's."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    shares = max(1, min(workers, len(octets)))
    return octets[worker % shares :: shares]


def first_address() -> str:
    """A random 127.x.y.2 of this worker's share: clear of a demo, of other test runs (by
    chance) and of the run's other workers (by construction)."""
    return f"127.{random.choice(worker_share(_SECOND_OCTETS))}.{random.randint(0, 255)}.2"
