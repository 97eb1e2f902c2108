"""Water heaters: on/off, current and target temperature, operation modes from the mode list."""

from __future__ import annotations

from typing import Any

from homeassistant.components.water_heater import (
    WaterHeaterEntity,
    WaterHeaterEntityFeature,
)
from homeassistant.const import ATTR_TEMPERATURE, STATE_OFF, STATE_ON, Platform

from .coordinator import MiotCoordinator
from .entity import XiaomiPoweredEntity, invalid_option, set_up_roles, temperature_unit
from .errors import exception_handler
from .mapping import RoleItem

PARALLEL_UPDATES = 1


class XiaomiWaterHeater(XiaomiPoweredEntity, WaterHeaterEntity):
    """A water heater. Its operation is its mode's name, or off; without a mode list, on."""

    def __init__(self, coordinator: MiotCoordinator, item: RoleItem) -> None:
        """Take the temperature range, step and modes from the spec."""
        super().__init__(coordinator, item)
        features = WaterHeaterEntityFeature(0)
        target = item.prop("target-temperature")
        if target and target.writable and target.value_range:
            features |= WaterHeaterEntityFeature.TARGET_TEMPERATURE
            self._attr_min_temp = target.value_range.min
            self._attr_max_temp = target.value_range.max
            self._attr_target_temperature_step = target.value_range.step or None
        self._attr_temperature_unit = temperature_unit(target)
        on = item.prop("on")
        if on and on.writable:
            features |= WaterHeaterEntityFeature.ON_OFF
        mode = item.prop("mode")
        self._modes = [choice.name for choice in mode.value_list] if mode else []
        if mode and mode.writable and self._modes:
            features |= WaterHeaterEntityFeature.OPERATION_MODE
            # A mode list's own "off" is the power switch's where there is one.
            self._attr_operation_list = (
                [STATE_OFF, *(name for name in self._modes if name != STATE_OFF)]
                if on and on.writable
                else list(self._modes)
            )
        self._attr_supported_features = features

    @property
    def current_operation(self) -> str | None:
        """Off when powered off, else the mode's name (on, without a mode list)."""
        on = self.value("on")
        if on is False:
            return STATE_OFF
        if self._modes:
            return self.choice_name("mode")
        return None if on is None else STATE_ON

    @property
    def current_temperature(self) -> float | None:
        """The water's temperature."""
        value = self.value("temperature")
        return None if value is None else float(value)

    @property
    def target_temperature(self) -> float | None:
        """The target temperature; where the device cannot be asked, the last one set."""
        value = self.value("target-temperature")
        return None if value is None else float(value)

    @exception_handler
    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Set the target temperature, on the spec's nearest step."""
        await self.write({"target-temperature": float(kwargs[ATTR_TEMPERATURE])})

    @exception_handler
    async def async_set_operation_mode(self, operation_mode: str) -> None:
        """Power off, or power on in a mode."""
        if operation_mode == STATE_OFF and self.role.prop("on"):
            await self.write({"on": False})
            return
        value = self.choice_value("mode", operation_mode)
        if value is None:
            raise invalid_option(operation_mode, self._modes)
        values: dict[str, int | bool] = {"mode": value}
        if self.role.prop("on"):
            values["on"] = True
        await self.write(values)


async_setup_entry = set_up_roles(Platform.WATER_HEATER, XiaomiWaterHeater)
"""Add a water heater entity for each of its services on every device."""
