"""Buttons: actions without inputs that no richer entity represents, and write-only flags."""

from __future__ import annotations

from homeassistant.components.button import ButtonEntity
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import MiotCoordinator
from .entity import XiaomiEntity, XiaomiPropertyEntity, add_device_entities, name_entity
from .errors import exception_handler
from .mapping import ActionItem, CommandItem
from .runtime import XiaomiConfigEntry

PARALLEL_UPDATES = 1


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XiaomiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a button for each spare action, write-only flag, and value of a tabled command."""
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
            *(XiaomiCommandValueButton(coordinator, item) for item in coordinator.plan.commands),
        ],
    )


class XiaomiButton(XiaomiEntity, ButtonEntity):
    """Calls an action."""

    def __init__(self, coordinator: MiotCoordinator, item: ActionItem) -> None:
        """Name the button by its traits, else by the spec."""
        action = item.action
        super().__init__(coordinator, f"a-{action.siid}-{action.aiid}")
        self.action = action
        self.inputs = item.inputs
        name_entity(self, item)
        self._attr_entity_category = item.traits.category
        self._attr_entity_registry_enabled_default = item.traits.enabled

    @exception_handler
    async def async_press(self) -> None:
        """Call the action."""
        await self.coordinator.async_action(self.action.siid, self.action.aiid, self.inputs)


class XiaomiCommandValueButton(XiaomiEntity, ButtonEntity):
    """Writes one value of a write-only command property (a fan's "turn left")."""

    def __init__(self, coordinator: MiotCoordinator, item: CommandItem) -> None:
        """Name the button by the command's translation key."""
        prop = item.prop
        super().__init__(coordinator, f"c-{prop.siid}-{prop.piid}-{item.value}")
        self.prop = prop
        self.command = item.value
        self._attr_translation_key = item.translation_key

    @exception_handler
    async def async_press(self) -> None:
        """Write the command."""
        await self.coordinator.async_write({self.prop.key: self.command})


class XiaomiCommandButton(XiaomiPropertyEntity, ButtonEntity):
    """Sends a write-only flag that is a command (a fan's "back to its start position")."""

    @exception_handler
    async def async_press(self) -> None:
        """Write true."""
        await self.write(True)
