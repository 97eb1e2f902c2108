"""``python -m simulator --home HOME.yaml``: run a virtual home until SIGINT or SIGTERM.

Prints one line containing ``ready`` on stdout once every endpoint listens, e.g.
``ready admin=http://127.0.0.1:8900 cloud=http://127.0.0.1:41234 devices=8`` (devices: the LAN
endpoints).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Sequence

from .admin import AdminServer
from .cloud import DEFAULT_LIFETIME, CloudServer
from .home import HomeFileError, load_home
from .simulator import DEFAULT_FIRST_ADDRESS, DEFAULT_PORT, Simulator

DEFAULT_ADMIN_PORT = 8900
_LOGGER = logging.getLogger("simulator")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m simulator", description="Run a virtual Xiaomi home on loopback."
    )
    parser.add_argument("--home", required=True, help="the home file (YAML)")
    parser.add_argument(
        "--specs",
        default=None,
        metavar="DIR",
        help="a folder of real spec documents (<model>.json); wins over the home file's specs",
    )
    parser.add_argument(
        "--admin-port",
        type=int,
        default=DEFAULT_ADMIN_PORT,
        help=f"admin API port on 127.0.0.1 (default {DEFAULT_ADMIN_PORT}; 0: any free port)",
    )
    parser.add_argument(
        "--cloud-port",
        type=int,
        default=0,
        help="cloud API port on 127.0.0.1 (default 0: any free port)",
    )
    parser.add_argument(
        "--token-lifetime",
        type=float,
        default=DEFAULT_LIFETIME,
        help=f"seconds a service token of the cloud lasts (default {DEFAULT_LIFETIME:g})",
    )
    parser.add_argument(
        "--first-address",
        default=DEFAULT_FIRST_ADDRESS,
        help=f"address of the first LAN device (default {DEFAULT_FIRST_ADDRESS})",
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"miIO UDP port (default {DEFAULT_PORT})"
    )
    parser.add_argument("--seed", type=int, default=None, help="seed for faults and clocks")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    return parser.parse_args(argv)


async def serve(
    simulator: Simulator,
    admin_port: int,
    cloud_port: int = 0,
    token_lifetime: float = DEFAULT_LIFETIME,
) -> None:
    """Start everything, announce readiness, and wait for SIGINT/SIGTERM."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    admin = AdminServer(simulator)
    cloud = CloudServer(simulator, token_lifetime=token_lifetime)
    cloud.add_admin_routes(admin.app)
    try:
        await simulator.start()
        await cloud.start(cloud_port)
        await admin.start(admin_port)
        for device in simulator.devices.values():
            where = f"{device.address}:{device.port}" if device.address else "cloud only"
            _LOGGER.info("%-24s %-22s token=%s did=%s", device.id, where, device.token, device.did)
        _LOGGER.info("cloud account: %s", simulator.home.account.username)
        lan = len(simulator.lan_devices())
        print(f"ready admin={admin.url} cloud={cloud.url} devices={lan}", flush=True)
        await stop.wait()
        _LOGGER.info("stopping")
    finally:
        await admin.stop()
        await cloud.stop()
        await simulator.stop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the simulator; returns the exit status."""
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        home = load_home(args.home, args.specs)
        simulator = Simulator(home, args.first_address, args.port, args.seed)
        if not args.token_lifetime > 0:
            raise ValueError(f"--token-lifetime {args.token_lifetime:g} is not positive")
    except (HomeFileError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    try:
        asyncio.run(serve(simulator, args.admin_port, args.cloud_port, args.token_lifetime))
    except OSError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
