"""Numbers: writable numeric properties with a value range."""

from __future__ import annotations

from typing import Final

from homeassistant.components.number import NumberDeviceClass, NumberEntity, NumberMode
from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.const import Platform

from .coordinator import MiotCoordinator
from .entity import XiaomiPropertyEntity, set_up_properties
from .errors import exception_handler
from .mapping import UNITS, PropertyItem

PARALLEL_UPDATES = 1

NUMBER_CLASSES: Final[frozenset[str]] = frozenset(NumberDeviceClass)
"""A setting's class is its sensor class, where numbers have the same (a charge limit's)."""


class XiaomiNumber(XiaomiPropertyEntity, NumberEntity):
    """A writable number within the spec's range and step."""

    _attr_mode = NumberMode.AUTO

    def __init__(self, coordinator: MiotCoordinator, item: PropertyItem) -> None:
        """Take bounds, step and unit from the spec, the device class from the traits."""
        super().__init__(coordinator, item)
        device_class = item.traits.device_class
        if isinstance(device_class, SensorDeviceClass) and device_class in NUMBER_CLASSES:
            self._attr_device_class = NumberDeviceClass(device_class)
        value_range = self.prop.value_range
        assert value_range is not None
        self._attr_native_min_value = value_range.min
        self._attr_native_max_value = value_range.max
        self._attr_native_step = value_range.step or 1.0
        self._attr_native_unit_of_measurement = UNITS.get(self.prop.unit or "")

    @property
    def native_value(self) -> float | None:
        """The property's value; an integer property's stays an integer ("30", not "30.0")."""
        value = self.raw_value
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None

    @exception_handler
    async def async_set_native_value(self, value: float) -> None:
        """Write the value on its nearest step; a whole float of an integer property is an int."""
        await self.write(value)


async_setup_entry = set_up_properties(Platform.NUMBER, XiaomiNumber)
