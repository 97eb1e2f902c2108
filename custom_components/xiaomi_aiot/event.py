"""Events: a spec event (a lock operation, say) fires when its arguments change.

A spec event that is a device trigger (mapping's `TRIGGERS`) is fired on the bus as well,
as `xiaomi_aiot_event` with the device's id, for `device_trigger.py`.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.event import ATTR_EVENT_TYPE, EventEntity
from homeassistant.const import CONF_DEVICE_ID, CONF_TYPE
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DEVICE_EVENT
from .coordinator import MiotCoordinator
from .entity import XiaomiEntity, add_device_entities, name_entity
from .mapping import EVENT_ATTRIBUTES, EventItem
from .runtime import XiaomiConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XiaomiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an event entity for each spec event."""
    add_device_entities(
        hass,
        entry,
        async_add_entities,
        lambda coordinator: [XiaomiEvent(coordinator, item) for item in coordinator.plan.events],
    )


class XiaomiEvent(XiaomiEntity, EventEntity):
    """A spec event; its type is the value name of the argument that says what happened.

    A device that pushes reports each event as it happens: every one fires. Without push, an
    event is seen when the values of its arguments differ from the last poll: two identical
    operations between polls show as one.
    """

    def __init__(self, coordinator: MiotCoordinator, item: EventItem) -> None:
        """Event types are the value names of the mapping's kind argument."""
        event = item.event
        super().__init__(coordinator, f"e-{event.siid}-{event.eiid}")
        self.item = item
        name_entity(self, item)
        self._attr_entity_category = item.traits.category
        self._attr_entity_registry_enabled_default = item.traits.enabled
        self._kind = item.kind
        self._attr_event_types = (
            [choice.name for choice in self._kind.value_list] if self._kind else [event.name]
        )
        self._last = self._arguments()

    def _arguments(self) -> tuple[Any, ...] | None:
        values = tuple(self.coordinator.value(prop.key) for prop in self.item.arguments)
        return None if all(value is None for value in values) else values

    async def async_added_to_hass(self) -> None:
        """Listen to the events the device reports itself."""
        await super().async_added_to_hass()
        self.async_on_remove(self.coordinator.async_add_event_listener(self._handle_pushed))

    @callback
    def _handle_pushed(self, siid: int, eiid: int, values: dict[int, Any]) -> None:
        event = self.item.event
        if (siid, eiid) != (event.siid, event.eiid):
            return
        current = tuple(
            values.get(prop.piid, self.coordinator.value(prop.key)) for prop in self.item.arguments
        )
        self._last = current
        self._fire(current)
        self.async_write_ha_state()

    @callback
    def _handle_coordinator_update(self) -> None:
        current = self._arguments()
        if current is not None and current != self._last:
            self._last = current
            # While the device pushes, its events come as events: a change of the arguments
            # alone (a poll, or the properties report beside the event) is not one.
            if not self.coordinator.push_healthy and self.item.polled:
                self._fire(current)
        super()._handle_coordinator_update()

    def _fire(self, values: tuple[Any, ...]) -> None:
        attributes: dict[str, Any] = {}
        event_type = self.item.event.name
        for prop, value in zip(self.item.arguments, values, strict=True):
            choice = prop.choice(int(value)) if prop.value_list and value is not None else None
            if prop is self._kind:
                # The type says it already: no attribute repeats it.
                event_type = choice.name if choice else ""
            else:
                shown = choice.name if choice else value
                attributes[EVENT_ATTRIBUTES.get(prop.name, prop.name.replace("-", "_"))] = shown
        # A value the spec does not list gives no type to fire.
        if event_type not in self.event_types:
            return
        self._trigger_event(event_type, attributes)
        entry = self.registry_entry
        if self.item.trigger and entry is not None and entry.device_id is not None:
            self.hass.bus.async_fire(
                DEVICE_EVENT,
                {
                    CONF_DEVICE_ID: entry.device_id,
                    CONF_TYPE: self.item.trigger,
                    ATTR_EVENT_TYPE: event_type,
                    **attributes,
                },
            )
