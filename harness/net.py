"""Loopback addresses and ports of a run's own, clear of a running demo and of other runs."""

from __future__ import annotations

import random
import socket


def first_address(last_third: int = 255) -> str:
    """A random 127.x.y.2 for a home's first device: clear of a running demo (127.0.0.2 and up).

    `last_third` bounds y, for a home large enough to run on into the next 256 addresses.
    """
    return f"127.{random.randint(100, 254)}.{random.randint(0, last_third)}.2"


def lone_address() -> str:
    """A random loopback address for one device, among the same ranges as `first_address`."""
    return f"127.{random.randint(100, 254)}.{random.randint(0, 255)}.{random.randint(2, 254)}"


def outside_homes() -> str:
    """A loopback address clear of the simulated homes (127.100+.x.y) and of a demo run."""
    return f"127.{random.randint(1, 99)}.{random.randint(0, 255)}.{random.randint(2, 254)}"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on the host now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
