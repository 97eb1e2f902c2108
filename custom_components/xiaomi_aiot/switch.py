"""Switches: writable boolean properties."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import XiaomiConfigEntry
from .entity import XiaomiPropertyEntity, exception_handler, property_items

PARALLEL_UPDATES = 1


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XiaomiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a switch for each writable boolean property."""
    async_add_entities(
        XiaomiSwitch(coordinator, item)
        for coordinator, item in property_items(entry, Platform.SWITCH)
    )


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
