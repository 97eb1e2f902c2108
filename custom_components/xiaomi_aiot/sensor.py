"""Sensors: readable properties that no richer entity represents."""

from __future__ import annotations

from homeassistant.components.sensor import SensorEntity
from homeassistant.const import Platform

from .coordinator import MiotCoordinator
from .entity import XiaomiPropertyEntity, set_up_properties
from .mapping import PropertyItem, sensor_classes
from .miot.spec import Value

PARALLEL_UPDATES = 0


class XiaomiSensor(XiaomiPropertyEntity, SensorEntity):
    """A property's value; a value list becomes an enumeration of named states."""

    def __init__(self, coordinator: MiotCoordinator, item: PropertyItem) -> None:
        """Set class, unit and options from the spec and the traits."""
        super().__init__(coordinator, item)
        classes = sensor_classes(self.prop, item.traits)
        self._attr_device_class = classes.device_class
        self._attr_state_class = classes.state_class
        self._attr_native_unit_of_measurement = classes.unit
        if self.prop.value_list:
            self._attr_options = [choice.name for choice in self.prop.value_list]

    @property
    def native_value(self) -> Value | None:
        """The value, or the name of its value-list entry."""
        value = self.raw_value
        if value is None or not self.prop.value_list:
            return value
        choice = self.prop.choice(int(value))
        return choice.name if choice else None


async_setup_entry = set_up_properties(Platform.SENSOR, XiaomiSensor)
