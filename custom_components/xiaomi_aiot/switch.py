"""Switches: writable boolean properties."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity
from homeassistant.const import Platform

from .entity import XiaomiPropertyEntity, set_up_properties
from .errors import exception_handler

PARALLEL_UPDATES = 1


class XiaomiSwitch(XiaomiPropertyEntity, SwitchEntity):
    """A writable boolean property."""

    @property
    def is_on(self) -> bool | None:
        """Whether the property is true."""
        value = self.raw_value
        return None if value is None else bool(value)

    @exception_handler
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Write true."""
        await self.write(True)

    @exception_handler
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Write false."""
        await self.write(False)


async_setup_entry = set_up_properties(Platform.SWITCH, XiaomiSwitch)
