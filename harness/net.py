"""Loopback addresses and ports of a run's own, clear of a running demo and of other runs."""

from __future__ import annotations

import os
import random
import socket
import sys
from collections.abc import Sequence

_SECOND_OCTETS = range(100, 255)
"""127.100.x.x and up: clear of a running demo (127.0.0.2 and up)."""


def worker_share(octets: range) -> range:
    """This pytest-xdist worker's share of `octets`, disjoint from every other worker's."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    shares = max(1, min(workers, len(octets)))
    return octets[worker % shares :: shares]


def first_address(last_third: int = 255) -> str:
    """A random 127.x.y.2 for a home's first device, of this test worker's share: clear of a
    running demo (127.0.0.2 and up), of other runs (by chance) and of the run's other workers
    (by construction).

    `last_third` bounds y, for a home large enough to run on into the next 256 addresses.
    """
    second = random.choice(worker_share(_SECOND_OCTETS))
    return f"127.{second}.{random.randint(0, last_third)}.2"


def lone_address() -> str:
    """A random loopback address for one device, among the same ranges as `first_address`."""
    return f"127.{random.randint(100, 254)}.{random.randint(0, 255)}.{random.randint(2, 254)}"


def outside_homes() -> str:
    """A loopback address clear of the simulated homes (127.100+.x.y) and of a demo run."""
    return f"127.{random.randint(1, 99)}.{random.randint(0, 255)}.{random.randint(2, 254)}"


def free_port(host: str = "127.0.0.1", port: int = 0) -> int:
    """`port` (a free one for 0), once it is sure to be free on the host now; OSError if taken.

    A port left in TIME_WAIT by a server that just stopped counts as free: it can be listened on.
    """
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
        return int(probe.getsockname()[1])


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m harness.net PROGRAM HOST PORT OPTION`: print a port `free_port` finds free.

    `script/develop` checks its ports with it: when one is taken it says so, as PROGRAM, and
    names the OPTION that moves it.
    """
    program, host, port, option = argv or sys.argv[1:]
    try:
        print(free_port(host, int(port)))
    except OSError as err:
        print(
            f"{program}: cannot listen on {host}:{port} ({err.strerror}): use another {option}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
