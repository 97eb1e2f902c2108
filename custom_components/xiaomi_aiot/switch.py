"""Switches: writable boolean properties."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import XiaomiConfigEntry
from .entity import XiaomiPropertyEntity, add_device_entities, exception_handler

PARALLEL_UPDATES = 1


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XiaomiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a switch for each writable boolean property."""
    add_device_entities(
        hass,
        entry,
        async_add_entities,
        lambda coordinator: [
            XiaomiSwitch(coordinator, item)
            for item in coordinator.plan.property_items(Platform.SWITCH)
        ],
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
