"""A pure asyncio library for Xiaomi MIoT devices: the miIO LAN protocol and MIoT specs."""

from .errors import (
    MiotAuthenticationError,
    MiotChecksumError,
    MiotConnectionError,
    MiotDeviceError,
    MiotError,
    MiotProtocolError,
    MiotSpecError,
    MiotValueError,
)
from .spec import MiotAction, MiotEvent, MiotProperty, MiotService, MiotSpec, load_bundled_spec

__all__ = [
    "MiotAction",
    "MiotAuthenticationError",
    "MiotChecksumError",
    "MiotConnectionError",
    "MiotDeviceError",
    "MiotError",
    "MiotEvent",
    "MiotProperty",
    "MiotProtocolError",
    "MiotService",
    "MiotSpec",
    "MiotSpecError",
    "MiotValueError",
    "load_bundled_spec",
]
