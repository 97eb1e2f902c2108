"""Binary sensors: read-only boolean properties, and a lock's state from its events."""

from __future__ import annotations

from typing import Any

from homeassistant.components.binary_sensor import BinarySensorDeviceClass, BinarySensorEntity
from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity

from .coordinator import MiotCoordinator, XiaomiConfigEntry
from .entity import XiaomiEntity, XiaomiPropertyEntity, add_device_entities
from .mapping import EventItem, PropertyItem, lock_state_after

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XiaomiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a binary sensor for each read-only boolean property, and a lock's state."""
    add_device_entities(hass, entry, async_add_entities, _binary_sensors)


def _binary_sensors(coordinator: MiotCoordinator) -> list[Entity]:
    plan = coordinator.plan
    entities: list[Entity] = [
        XiaomiBinarySensor(coordinator, item)
        for item in plan.property_items(Platform.BINARY_SENSOR)
    ]
    if plan.lock_events:
        entities.append(XiaomiLockState(coordinator, plan.lock_events))
    return entities


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


class XiaomiLockState(XiaomiEntity, BinarySensorEntity, RestoreEntity):
    """Whether a lock that cannot be locked from here is unlocked, by the events it reports.

    Xiaomi's door locks report being opened, locked or double-locked, and have no lock
    property to read: the state is the last such event's, kept across restarts, and unknown
    until the first.
    """

    _attr_device_class = BinarySensorDeviceClass.LOCK
    _attr_translation_key = "lock_state"

    def __init__(self, coordinator: MiotCoordinator, events: tuple[EventItem, ...]) -> None:
        """The events that say locked or unlocked."""
        super().__init__(coordinator, "lock-state")
        self._events = {(item.event.siid, item.event.eiid): item for item in events}
        self._attr_is_on = None

    async def async_added_to_hass(self) -> None:
        """Take the state from before a restart; listen to the lock's events."""
        await super().async_added_to_hass()
        if (last := await self.async_get_last_state()) is not None and last.state in (
            STATE_ON,
            STATE_OFF,
        ):
            self._attr_is_on = last.state == STATE_ON
        self.async_on_remove(self.coordinator.async_add_event_listener(self._handle_event))

    @callback
    def _handle_event(self, siid: int, eiid: int, values: dict[int, Any]) -> None:
        item = self._events.get((siid, eiid))
        locked = None if item is None else lock_state_after(item, values)
        if locked is not None:
            # On means unlocked, for a lock's binary sensor.
            self._attr_is_on = not locked
            self.async_write_ha_state()
