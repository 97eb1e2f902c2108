"""The virtual home at run time: devices, their addresses and their UDP endpoints."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import random
import time
from collections.abc import Callable
from functools import partial

from .device import VirtualDevice
from .endpoint import DeviceEndpoint
from .home import Home
from .push import REPORT_RETRIES, REPORT_RETRY_INTERVAL

_LOGGER = logging.getLogger(__name__)

DEFAULT_FIRST_ADDRESS = "127.0.0.2"
DEFAULT_PORT = 54321


class Simulator:
    """Runs every LAN device of a home as a miIO endpoint on its own loopback address.

    LAN devices get `first_address`, then the next addresses, in home-file order, all at
    `port`; cloud-only devices get no address. `seed` makes fault decisions and clocks
    repeatable. `report_retry_interval` and `report_retries` say how push reports are retried
    (tests shorten them).
    """

    def __init__(
        self,
        home: Home,
        first_address: str = DEFAULT_FIRST_ADDRESS,
        port: int = DEFAULT_PORT,
        seed: int | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        report_retry_interval: float = REPORT_RETRY_INTERVAL,
        report_retries: int = REPORT_RETRIES,
    ) -> None:
        """Build the devices (nothing listens until `start`)."""
        if not 0 <= port <= 0xFFFF:
            raise ValueError(f"port {port} is not in 0..65535")
        if report_retry_interval <= 0 or report_retries < 0:
            raise ValueError("report_retry_interval must be positive, report_retries not negative")
        first = ipaddress.IPv4Address(first_address)
        self.home = home
        self.port = port
        self.first_address = str(first)
        self.rng = random.Random(seed)
        self.report_retry_interval = report_retry_interval
        self.report_retries = report_retries
        self.devices: dict[str, VirtualDevice] = {}
        self._endpoints: dict[str, DeviceEndpoint] = {}
        offset = 0
        for config in home.devices:
            address: str | None = None
            if config.lan:
                try:
                    address = str(first + offset)
                except ipaddress.AddressValueError as err:
                    raise ValueError(f"no address left for {config.id!r} after {first}") from err
                offset += 1
            self.devices[config.id] = VirtualDevice(
                config, address=address, port=port, rng=self.rng, clock=clock
            )

    @property
    def running(self) -> bool:
        """Whether the endpoints are listening."""
        return bool(self._endpoints)

    def lan_devices(self) -> list[VirtualDevice]:
        """The devices with a miIO endpoint, in address order."""
        return [d for d in self.devices.values() if d.address is not None]

    def device_at(self, address: str) -> VirtualDevice | None:
        """The device listening on an address."""
        return next((d for d in self.devices.values() if d.address == address), None)

    async def open_endpoint(self, device: VirtualDevice) -> DeviceEndpoint:
        """Listen on a LAN device's address (`OSError` if it cannot be bound)."""
        assert device.address is not None
        factory = partial(
            DeviceEndpoint,
            device,
            self.rng,
            retry_interval=self.report_retry_interval,
            retries=self.report_retries,
        )
        _transport, endpoint = await asyncio.get_running_loop().create_datagram_endpoint(
            factory, local_addr=(device.address, self.port)
        )
        return endpoint

    async def start(self) -> None:
        """Open every LAN endpoint; on failure close the ones opened and raise `OSError`."""
        if self._endpoints:
            return
        try:
            for device in self.lan_devices():
                self._endpoints[device.id] = await self.open_endpoint(device)
                _LOGGER.debug("%s listens on %s:%s", device.id, device.address, self.port)
        except OSError as err:
            address = f"{device.address}:{self.port}"
            await self.stop()
            message = f"{device.id}: cannot listen on {address}: {err.strerror or err}"
            raise OSError(err.errno, message) from err

    async def stop(self) -> None:
        """Close every endpoint and cancel delayed replies and reports."""
        endpoints = list(self._endpoints.values())
        self._endpoints.clear()
        for endpoint in endpoints:
            endpoint.close()
        if endpoints:
            await asyncio.sleep(0)  # let the transports finish closing

    async def __aenter__(self) -> Simulator:
        """Start, for ``async with``."""
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Stop, for ``async with``."""
        await self.stop()
