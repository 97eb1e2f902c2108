"""Binary sensors: read-only booleans, two-state value lists, and sensors told by events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.components.binary_sensor import BinarySensorDeviceClass, BinarySensorEntity
from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.restore_state import RestoreEntity

from .coordinator import MiotCoordinator, XiaomiConfigEntry
from .entity import XiaomiEntity, XiaomiPropertyEntity, add_device_entities
from .mapping import EventSensorItem, PropertyItem, two_states_of

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XiaomiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a binary sensor for each two-state property and each service told by events."""

    def build(coordinator: MiotCoordinator) -> list[Entity]:
        entities: list[Entity] = [
            XiaomiBinarySensor(coordinator, item)
            for item in coordinator.plan.property_items(Platform.BINARY_SENSOR)
        ]
        entities.extend(
            XiaomiEventBinarySensor(coordinator, item) for item in coordinator.plan.event_sensors
        )
        return entities

    add_device_entities(hass, entry, async_add_entities, build)


class XiaomiBinarySensor(XiaomiPropertyEntity, BinarySensorEntity):
    """A boolean property, or a value list of two states (a smoke sensor's idle or busy)."""

    def __init__(self, coordinator: MiotCoordinator, item: PropertyItem) -> None:
        """Set the device class from the traits, and what means on from `TWO_STATES`."""
        super().__init__(coordinator, item)
        if isinstance(item.traits.device_class, BinarySensorDeviceClass):
            self._attr_device_class = item.traits.device_class
        two_states = two_states_of(item.prop)
        self._on = two_states.on if two_states else frozenset({True})

    @property
    def is_on(self) -> bool | None:
        """Whether the value is one that means on."""
        value = self.raw_value
        if value is None:
            return None
        if self.prop.value_list:
            choice = self.prop.choice(int(value))
            return None if choice is None else choice.name in self._on
        return bool(value) in self._on


class XiaomiEventBinarySensor(XiaomiEntity, BinarySensorEntity, RestoreEntity):
    """A sensor with no property for what it senses (a leak sensor): its events set it.

    Between events the state is the last one, kept across restarts; a sensor that reports
    only the start of what it senses (motion) is off again a while after each report.
    """

    def __init__(self, coordinator: MiotCoordinator, item: EventSensorItem) -> None:
        """An entity with a device class and no name: Home Assistant names it by its class."""
        super().__init__(coordinator, f"binary_sensor-{item.siid}")
        self.item = item
        self._attr_device_class = item.states.device_class
        self._attr_is_on = None
        self._cancel_clear: CALLBACK_TYPE | None = None

    async def async_added_to_hass(self) -> None:
        """Take the last state back, and listen to the events the device reports."""
        await super().async_added_to_hass()
        last = await self.async_get_last_state()
        if last is not None and last.state in (STATE_ON, STATE_OFF):
            # What was sensed a while ago is over by now.
            self._attr_is_on = last.state == STATE_ON and self.item.states.off_after is None
        self.async_on_remove(self.coordinator.async_add_event_listener(self._handle_pushed))
        self.async_on_remove(self._cancel_timer)

    @callback
    def _handle_pushed(self, siid: int, eiid: int, values: dict[int, Any]) -> None:
        if siid != self.item.siid:
            return
        if eiid in self.item.on:
            self._attr_is_on = True
            self._cancel_timer()
            if (off_after := self.item.states.off_after) is not None:
                self._cancel_clear = async_call_later(self.hass, off_after, self._clear)
        elif eiid in self.item.off:
            self._cancel_timer()
            self._attr_is_on = False
        else:
            return
        self.async_write_ha_state()

    @callback
    def _clear(self, _now: datetime) -> None:
        self._cancel_clear = None
        self._attr_is_on = False
        self.async_write_ha_state()

    @callback
    def _cancel_timer(self) -> None:
        if self._cancel_clear is not None:
            self._cancel_clear()
            self._cancel_clear = None
