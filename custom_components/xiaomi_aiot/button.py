"""Buttons: actions without inputs that no richer entity represents, and write-only flags."""

from __future__ import annotations

from homeassistant.components.button import ButtonEntity
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import MiotCoordinator, XiaomiConfigEntry
from .entity import (
    XiaomiEntity,
    XiaomiPropertyEntity,
    add_device_entities,
    exception_handler,
    name_entity,
)
from .mapping import ActionItem

PARALLEL_UPDATES = 1


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XiaomiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a button for each spare action without inputs."""
    add_device_entities(
        hass,
        entry,
        async_add_entities,
        lambda coordinator: [
            *(XiaomiButton(coordinator, item) for item in coordinator.plan.buttons),
            *(
                XiaomiCommandButton(coordinator, item)
                for item in coordinator.plan.property_items(Platform.BUTTON)
            ),
        ],
    )


class XiaomiButton(XiaomiEntity, ButtonEntity):
    """Calls an action."""

    def __init__(self, coordinator: MiotCoordinator, item: ActionItem) -> None:
        """Name the button by its traits, else by the spec."""
        action = item.action
        super().__init__(coordinator, f"a-{action.siid}-{action.aiid}")
        self.action = action
        name_entity(self, item)
        self._attr_entity_category = item.traits.category
        self._attr_entity_registry_enabled_default = item.traits.enabled

    @exception_handler
    async def async_press(self) -> None:
        """Call the action."""
        await self.coordinator.async_action(self.action.siid, self.action.aiid)


class XiaomiCommandButton(XiaomiPropertyEntity, ButtonEntity):
    """Sends a write-only flag that is a command (a fan's "back to its start position")."""

    @exception_handler
    async def async_press(self) -> None:
        """Write true."""
        await self.write(True)
