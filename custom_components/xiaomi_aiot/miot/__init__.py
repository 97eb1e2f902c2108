"""A pure asyncio library for Xiaomi MIoT devices: the miIO LAN protocol and MIoT specs."""

from .bundle import bundled_models, load_bundled_spec
from .errors import (
    MiotAuthenticationError,
    MiotChecksumError,
    MiotConnectionError,
    MiotDeviceError,
    MiotDeviceOfflineError,
    MiotError,
    MiotProtocolError,
    MiotSpecError,
    MiotValueError,
)
from .spec import MiotAction, MiotEvent, MiotProperty, MiotService, MiotSpec

__all__ = [
    "MiotAction",
    "MiotAuthenticationError",
    "MiotChecksumError",
    "MiotConnectionError",
    "MiotDeviceError",
    "MiotDeviceOfflineError",
    "MiotError",
    "MiotEvent",
    "MiotProperty",
    "MiotProtocolError",
    "MiotService",
    "MiotSpec",
    "MiotSpecError",
    "MiotValueError",
    "bundled_models",
    "load_bundled_spec",
]
