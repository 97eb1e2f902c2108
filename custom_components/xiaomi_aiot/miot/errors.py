"""Typed errors raised by the miot library."""

from __future__ import annotations

from .codes import MiotCode


class MiotError(Exception):
    """Base class of every error the library raises."""


class MiotConnectionError(MiotError):
    """The device or service could not be reached, or did not answer in time."""


class MiotDeviceOfflineError(MiotConnectionError):
    """The cloud answered, but says the device is offline."""


class MiotAuthenticationError(MiotError):
    """The token or credentials were refused (a device's token, or the cloud account)."""


class MiotProtocolError(MiotError):
    """A packet or message did not follow the protocol."""


class MiotChecksumError(MiotProtocolError):
    """A packet's checksum does not match: corrupted, or made with another token."""


MIOT_METHODS = frozenset({"get_properties", "set_properties", "action"})
"""The MIoT methods: an older miIO device does not know them, the cloud speaks them for it."""


class MiotDeviceError(MiotError):
    """The device answered with an error code."""

    def __init__(self, code: int, message: str = "") -> None:
        """Keep the device's code and message."""
        super().__init__(f"device error {code}: {message}" if message else f"device error {code}")
        self.code = code
        self.message = message

    @property
    def unknown_method(self) -> bool:
        """Whether the device does not know the method it was sent."""
        return self.code == MiotCode.METHOD_NOT_FOUND


class MiotSpecError(MiotError):
    """A spec document is malformed, or names something it does not define."""


class MiotValueError(MiotError, ValueError):
    """A value does not fit the property or action it is meant for."""


class MiotSpecNotFoundError(MiotSpecError):
    """The spec server has no document (or no type URN) for what was asked."""
