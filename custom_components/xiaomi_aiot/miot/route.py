"""Routing a device's commands: over the LAN when it answers there, through the cloud otherwise."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from enum import StrEnum
from typing import Any, Final

from .device import Transport
from .errors import (
    MIOT_METHODS,
    MiotAuthenticationError,
    MiotConnectionError,
    MiotDeviceError,
)

_LOGGER = logging.getLogger(__name__)

LAN_RETRY_INTERVAL: Final = 300.0
"""Seconds before a device that stopped answering on the LAN is tried there again."""


class Route(StrEnum):
    """How a device is reached."""

    AUTO = "auto"
    LAN = "lan"
    CLOUD = "cloud"


class RoutedTransport:
    """LAN first when the device answers there with its token; the cloud otherwise.

    After the LAN fails, commands go through the cloud, and the LAN is tried again every
    `lan_retry_interval` seconds, so a device that comes back on the LAN is used there again.
    """

    def __init__(
        self,
        lan: Transport | None,
        cloud: Transport | None,
        route: Route = Route.AUTO,
        *,
        lan_retry_interval: float = LAN_RETRY_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Use `lan` and/or `cloud` as `route` says; the path a route names must be given."""
        if lan is None and cloud is None:
            raise ValueError("a routed transport needs at least one path")
        if (route == Route.LAN and lan is None) or (route == Route.CLOUD and cloud is None):
            raise ValueError(f"route {route} needs its path")
        self.lan = lan
        self.cloud = cloud
        self.route = route
        self.lan_retry_interval = lan_retry_interval
        self._clock = clock
        self._lan_retry_at = 0.0
        self.lan_speaks_miot = True
        """False once the device answered a MIoT method on the LAN as unknown (an older miIO
        device): then the cloud, which speaks MIoT for it, carries every command."""
        self.active: Route = Route.LAN if self._uses_lan_first() else Route.CLOUD

    def _uses_lan_first(self) -> bool:
        if self.lan is None or self.route == Route.CLOUD:
            return False
        if not self.lan_speaks_miot and self.route == Route.AUTO and self.cloud is not None:
            return False
        return self.route == Route.LAN or self.cloud is None or self._clock() >= self._lan_retry_at

    async def send(self, method: str, params: Any = None) -> Any:
        """Send over the path the route and the LAN's health choose."""
        if self._uses_lan_first():
            assert self.lan is not None
            try:
                result = await self.lan.send(method, params)
            except (MiotConnectionError, MiotAuthenticationError) as err:
                if self.route == Route.LAN or self.cloud is None:
                    raise
                _LOGGER.debug("LAN failed (%s); using the cloud", err)
                self._lan_retry_at = self._clock() + self.lan_retry_interval
            except MiotDeviceError as err:
                legacy = err.unknown_method and method in MIOT_METHODS
                if not legacy or self.route == Route.LAN or self.cloud is None:
                    raise
                _LOGGER.debug("the device speaks no MIoT on the LAN; using the cloud")
                self.lan_speaks_miot = False
            else:
                self.active = Route.LAN
                return result
        assert self.cloud is not None
        self.active = Route.CLOUD
        return await self.cloud.send(method, params)
