"""Selects: writable properties with a value list."""

from __future__ import annotations

from homeassistant.components.select import SelectEntity
from homeassistant.const import Platform

from .coordinator import MiotCoordinator
from .entity import XiaomiPropertyEntity, set_up_properties
from .errors import exception_handler
from .mapping import PropertyItem

PARALLEL_UPDATES = 1


class XiaomiSelect(XiaomiPropertyEntity, SelectEntity):
    """A choice among the spec's listed values, by name."""

    def __init__(self, coordinator: MiotCoordinator, item: PropertyItem) -> None:
        """Offer the value list's names."""
        super().__init__(coordinator, item)
        self._attr_options = [choice.name for choice in self.prop.value_list]
        self._values = {choice.name: choice.value for choice in self.prop.value_list}

    @property
    def current_option(self) -> str | None:
        """The name of the current value."""
        value = self.raw_value
        choice = None if value is None else self.prop.choice(int(value))
        return choice.name if choice else None

    @exception_handler
    async def async_select_option(self, option: str) -> None:
        """Write the value of the chosen name."""
        await self.write(self._values[option])


async_setup_entry = set_up_properties(Platform.SELECT, XiaomiSelect)
