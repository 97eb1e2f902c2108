"""Binary sensors: read-only booleans, two-state value lists, and states told by events
(a leak sensor's, a motion sensor's, a lock's)."""

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

from .coordinator import MiotCoordinator
from .entity import XiaomiEntity, XiaomiPropertyEntity, add_device_entities
from .mapping import EventItem, EventSensorItem, PropertyItem, lock_state_after, two_states_of
from .runtime import XiaomiConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XiaomiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a binary sensor for each two-state property, each service told by events, and a
    lock's state."""
    add_device_entities(hass, entry, async_add_entities, _binary_sensors)


def _binary_sensors(coordinator: MiotCoordinator) -> list[Entity]:
    plan = coordinator.plan
    entities: list[Entity] = [
        XiaomiBinarySensor(coordinator, item)
        for item in plan.property_items(Platform.BINARY_SENSOR)
    ]
    entities.extend(XiaomiEventBinarySensor(coordinator, item) for item in plan.event_sensors)
    if plan.lock_events:
        entities.append(XiaomiLockState(coordinator, plan.lock_events))
    return entities


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


class XiaomiEventStateEntity(XiaomiEntity, BinarySensorEntity, RestoreEntity):
    """A binary sensor whose state the device's reported events set: unknown until the first,
    and kept across restarts."""

    _restores = True
    """Whether the state from before a restart still holds (not for a passing one)."""

    async def async_added_to_hass(self) -> None:
        """Take the state from before a restart; listen to the device's events."""
        await super().async_added_to_hass()
        last = await self.async_get_last_state()
        if self._restores and last is not None and last.state in (STATE_ON, STATE_OFF):
            self._attr_is_on = last.state == STATE_ON
        self.async_on_remove(self.coordinator.async_add_event_listener(self._handle_event))

    @callback
    def _handle_event(self, siid: int, eiid: int, values: dict[int, Any]) -> None:
        """One reported event (siid, eiid, arguments by piid)."""
        raise NotImplementedError


class XiaomiEventBinarySensor(XiaomiEventStateEntity):
    """A sensor with no property for what it senses (a leak sensor): its events set it.

    A sensor that reports only the start of what it senses (motion) is off again a while
    after each report.
    """

    def __init__(self, coordinator: MiotCoordinator, item: EventSensorItem) -> None:
        """An entity with a device class and no name: Home Assistant names it by its class."""
        super().__init__(coordinator, f"binary_sensor-{item.siid}")
        self.item = item
        self._attr_device_class = item.states.device_class
        self._attr_is_on = None
        # What was sensed before a restart is over by now, where it passes by itself.
        self._restores = item.states.off_after is None
        self._cancel_clear: CALLBACK_TYPE | None = None

    async def async_added_to_hass(self) -> None:
        """Also stop the clock of a passing state when removed."""
        await super().async_added_to_hass()
        self.async_on_remove(self._cancel_timer)

    @callback
    def _handle_event(self, siid: int, eiid: int, values: dict[int, Any]) -> None:
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


class XiaomiLockState(XiaomiEventStateEntity):
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

    @callback
    def _handle_event(self, siid: int, eiid: int, values: dict[int, Any]) -> None:
        item = self._events.get((siid, eiid))
        locked = None if item is None else lock_state_after(item, values)
        if locked is not None:
            # On means unlocked, for a lock's binary sensor.
            self._attr_is_on = not locked
            self.async_write_ha_state()
