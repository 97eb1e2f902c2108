"""Binary sensors: read-only boolean properties."""

from __future__ import annotations

from homeassistant.components.binary_sensor import BinarySensorDeviceClass, BinarySensorEntity
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import MiotCoordinator, XiaomiConfigEntry
from .entity import XiaomiPropertyEntity, add_device_entities
from .mapping import PropertyItem

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XiaomiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a binary sensor for each read-only boolean property."""
    add_device_entities(
        hass,
        entry,
        async_add_entities,
        lambda coordinator: [
            XiaomiBinarySensor(coordinator, item)
            for item in coordinator.plan.property_items(Platform.BINARY_SENSOR)
        ],
    )


class XiaomiBinarySensor(XiaomiPropertyEntity, BinarySensorEntity):
    """A boolean property."""

    def __init__(self, coordinator: MiotCoordinator, item: PropertyItem) -> None:
        """Set the device class from the traits."""
        super().__init__(coordinator, item)
        if isinstance(item.traits.device_class, BinarySensorDeviceClass):
            self._attr_device_class = item.traits.device_class

    @property
    def is_on(self) -> bool | None:
        """Whether the property is true."""
        value = self.raw_value
        return None if value is None else bool(value)
