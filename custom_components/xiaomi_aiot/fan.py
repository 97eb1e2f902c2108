"""Fans and air purifiers: on/off, speed as a percentage, presets, oscillation."""

from __future__ import annotations

from typing import Any

from homeassistant.components.fan import FanEntity, FanEntityFeature
from homeassistant.const import Platform
from homeassistant.util.percentage import (
    ordered_list_item_to_percentage,
    percentage_to_ordered_list_item,
    percentage_to_ranged_value,
    ranged_value_to_percentage,
)

from .coordinator import MiotCoordinator
from .entity import XiaomiRoleEntity, invalid_option, set_up_roles
from .errors import exception_handler
from .mapping import RoleItem
from .miot.spec import MiotProperty, Value

PARALLEL_UPDATES = 1

MAX_SPEED_COUNT = 100
"""A stepless speed counts as at most this many speeds (HA's percentage has 100)."""


def stepless_speed(item: RoleItem) -> tuple[str, MiotProperty] | None:
    """The role's speed that is a range (a stepless speed, else a ranged fan level)."""
    for name in ("speed-level", "fan-level"):
        prop = item.prop(name)
        if prop is not None and prop.value_range is not None and prop.writable:
            return name, prop
    return None


class XiaomiFan(XiaomiRoleEntity, FanEntity):
    """A fan or an air purifier whose speeds, presets and swing come from its spec."""

    def __init__(self, coordinator: MiotCoordinator, item: RoleItem) -> None:
        """Take the speed, levels and presets from the spec."""
        super().__init__(coordinator, item)
        features = FanEntityFeature(0)
        if item.prop("on"):
            features |= FanEntityFeature.TURN_ON | FanEntityFeature.TURN_OFF
        self._speed = stepless_speed(item)
        levels = item.prop("fan-level")
        self._levels: list[int] = (
            [choice.value for choice in levels.value_list] if levels and levels.writable else []
        )
        if self._speed is not None:
            value_range = self._speed[1].value_range
            assert value_range is not None
            self._range = (value_range.min, value_range.max)
            steps = round((value_range.max - value_range.min) / (value_range.step or 1)) + 1
            self._attr_speed_count = min(steps, MAX_SPEED_COUNT)
            features |= FanEntityFeature.SET_SPEED
        elif self._levels:
            self._attr_speed_count = len(self._levels)
            features |= FanEntityFeature.SET_SPEED
        if (mode := item.prop("mode")) and mode.writable and mode.value_list:
            self._attr_preset_modes = [choice.name for choice in mode.value_list]
            features |= FanEntityFeature.PRESET_MODE
        if (swing := item.prop("horizontal-swing")) and swing.writable:
            features |= FanEntityFeature.OSCILLATE
        self._attr_supported_features = features

    @property
    def is_on(self) -> bool | None:
        """Whether the fan runs."""
        return self.flag("on")

    @property
    def percentage(self) -> int | None:
        """The speed as a percentage of the fastest; 0 when off."""
        if self.value("on") is False:
            return 0
        if self._speed is not None:
            speed = self.number(self._speed[1])
            return None if speed is None else ranged_value_to_percentage(self._range, speed)
        level = self.value("fan-level")
        if level not in self._levels:
            return None
        return ordered_list_item_to_percentage(self._levels, int(level))

    @property
    def preset_mode(self) -> str | None:
        """The mode's name."""
        return self.choice_name("mode")

    @property
    def oscillating(self) -> bool | None:
        """Whether the fan swings from side to side."""
        return self.flag("horizontal-swing")

    @exception_handler
    async def async_turn_on(
        self, percentage: int | None = None, preset_mode: str | None = None, **kwargs: Any
    ) -> None:
        """Turn on, at a speed or in a preset if asked, in one request."""
        values = self._on()
        if preset_mode is not None:
            values |= self._preset_values(preset_mode)
        if percentage is not None:
            values |= self._speed_values(percentage)
        await self.write(values)

    @exception_handler
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn off."""
        await self.write({"on": False})

    @exception_handler
    async def async_set_percentage(self, percentage: int) -> None:
        """Run at a speed; 0 turns the fan off."""
        if percentage == 0 and self.role.prop("on"):
            await self.write({"on": False})
            return
        await self.write(self._on() | self._speed_values(percentage))

    @exception_handler
    async def async_set_preset_mode(self, preset_mode: str) -> None:
        """Run in a preset mode."""
        await self.write(self._on() | self._preset_values(preset_mode))

    @exception_handler
    async def async_oscillate(self, oscillating: bool) -> None:
        """Start or stop swinging."""
        await self.write({"horizontal-swing": oscillating})

    def _on(self) -> dict[str, Value]:
        return {"on": True} if self.role.prop("on") else {}

    def _speed_values(self, percentage: int) -> dict[str, Value]:
        # Turned on "at 0 %", a fan runs at its slowest.
        percentage = max(percentage, 1)
        if self._speed is not None:
            low, high = self._range
            speed = percentage_to_ranged_value(self._range, percentage)
            return {self._speed[0]: min(max(speed, low), high)}
        if self._levels:
            return {"fan-level": percentage_to_ordered_list_item(self._levels, percentage)}
        return {}

    def _preset_values(self, preset_mode: str) -> dict[str, Value]:
        mode = self.choice_value("mode", preset_mode)
        if mode is None:
            raise invalid_option(preset_mode, self.preset_modes or ())
        return {"mode": mode}


async_setup_entry = set_up_roles(Platform.FAN, XiaomiFan)
