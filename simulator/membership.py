"""Devices joining and leaving the account while the simulator runs.

A device added at run time is validated like one of the home file; a LAN device gets the next
free loopback address and its own miIO endpoint. A removed device leaves the home (the admin
API, the cloud) and goes silent on the LAN, as a device reset by its owner does.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from typing import Any

from .device import VirtualDevice
from .endpoint import DeviceEndpoint
from .home import HomeFileError, parse_device
from .simulator import Simulator

_LOGGER = logging.getLogger(__name__)


class Membership:
    """Adds devices to a running simulator's home, and removes them."""

    def __init__(self, simulator: Simulator) -> None:
        """Remember the addresses in use: a new device never reuses one."""
        self.simulator = simulator
        self._used = {
            ipaddress.IPv4Address(d.address) for d in simulator.devices.values() if d.address
        }
        self._endpoints: dict[str, DeviceEndpoint] = {}

    async def add(self, raw: Any) -> VirtualDevice:
        """Validate a device definition and add it; `HomeFileError` says what is wrong."""
        sim = self.simulator
        loop = asyncio.get_running_loop()
        # parse_device may read a spec from disk
        config = await loop.run_in_executor(
            None, parse_device, raw, sim.home.rooms, "device", sim.home.specs
        )
        if config.id in sim.devices:
            raise HomeFileError(f"device.id: duplicate id {config.id!r}")
        for other in sim.devices.values():
            if other.did == config.did:
                raise HomeFileError(f"device.did: {config.did} is already used by {other.id!r}")
        address = str(self._next_address()) if config.lan else None
        device = VirtualDevice(config, address=address, port=sim.port, rng=sim.rng)
        if address is not None and sim.running:
            self._endpoints[device.id] = await sim.open_endpoint(device)
        if address is not None:
            self._used.add(ipaddress.IPv4Address(address))
        sim.devices[device.id] = device
        _LOGGER.info("%s joined the home (%s)", device.id, address or "cloud only")
        return device

    def remove(self, device_id: str) -> VirtualDevice | None:
        """Remove a device from the home; None if there is no such device."""
        device = self.simulator.devices.pop(device_id, None)
        if device is None:
            return None
        device.apply_faults({"offline": True})
        endpoint = self._endpoints.pop(device_id, None)
        if endpoint is not None:
            endpoint.close()
        _LOGGER.info("%s left the home", device_id)
        return device

    def close(self) -> None:
        """Close the endpoints opened for added devices."""
        for endpoint in self._endpoints.values():
            endpoint.close()
        self._endpoints.clear()

    def _next_address(self) -> ipaddress.IPv4Address:
        if not self._used:
            return ipaddress.IPv4Address(self.simulator.first_address)
        try:
            return max(self._used) + 1
        except ipaddress.AddressValueError as err:
            raise HomeFileError("device: no address left for a LAN device") from err
