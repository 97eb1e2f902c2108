"""Humidifiers and dehumidifiers: on/off, target humidity, modes, the room's humidity."""

from __future__ import annotations

from typing import Final

from homeassistant.components.humidifier import HumidifierDeviceClass, HumidifierEntity
from homeassistant.components.humidifier.const import HumidifierEntityFeature
from homeassistant.const import Platform
from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN
from .coordinator import MiotCoordinator
from .entity import XiaomiPoweredEntity, invalid_option, set_up_roles
from .errors import exception_handler
from .mapping import RoleItem

PARALLEL_UPDATES = 1

DEVICE_CLASSES: Final = {
    "humidifier": HumidifierDeviceClass.HUMIDIFIER,
    "dehumidifier": HumidifierDeviceClass.DEHUMIDIFIER,
}
"""Role services and the device classes of their entities."""


class XiaomiHumidifier(XiaomiPoweredEntity, HumidifierEntity):
    """A humidifier or dehumidifier whose target range and modes come from its spec."""

    def __init__(self, coordinator: MiotCoordinator, item: RoleItem) -> None:
        """Take the target range and the modes from the spec."""
        super().__init__(coordinator, item)
        self._attr_device_class = DEVICE_CLASSES.get(item.role.service)
        target = item.prop("target-humidity")
        self._target_range = target.value_range if target and target.writable else None
        if self._target_range is not None:
            self._attr_min_humidity = self._target_range.min
            self._attr_max_humidity = self._target_range.max
        if (mode := item.prop("mode")) and mode.writable and mode.value_list:
            self._attr_supported_features = HumidifierEntityFeature.MODES
            self._attr_available_modes = [choice.name for choice in mode.value_list]
        self._current = coordinator.spec.find("environment", "relative-humidity")

    @property
    def is_on(self) -> bool | None:
        """Whether it runs."""
        return self.flag("on")

    @property
    def target_humidity(self) -> float | None:
        """The humidity it aims for."""
        return self.number(self.role.prop("target-humidity"))

    @property
    def current_humidity(self) -> float | None:
        """The room's relative humidity, where the spec measures it."""
        return self.number(self._current)

    @property
    def mode(self) -> str | None:
        """The mode's name."""
        return self.choice_name("mode")

    @exception_handler
    async def async_set_humidity(self, humidity: int) -> None:
        """Aim for a humidity, on the nearest step the device takes."""
        if self._target_range is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unknown_property",
                translation_placeholders={"property": "target-humidity"},
            )
        await self.write({"target-humidity": humidity})

    @exception_handler
    async def async_set_mode(self, mode: str) -> None:
        """Run in a mode."""
        value = self.choice_value("mode", mode)
        if value is None:
            raise invalid_option(mode, self.available_modes or ())
        await self.write({"mode": value})


async_setup_entry = set_up_roles(Platform.HUMIDIFIER, XiaomiHumidifier)
