"""Air conditioners, heaters, bath heaters and a car's cabin climate: HVAC modes,
temperatures, presets, fan and swing."""

from __future__ import annotations

from typing import Any, Final

from homeassistant.components.climate import ClimateEntity
from homeassistant.components.climate.const import (
    ATTR_HVAC_MODE,
    SWING_BOTH,
    SWING_HORIZONTAL,
    SWING_OFF,
    SWING_VERTICAL,
    ClimateEntityFeature,
    HVACMode,
)
from homeassistant.const import ATTR_TEMPERATURE, Platform

from .coordinator import MiotCoordinator
from .entity import XiaomiRoleEntity, invalid_option, set_up_roles, temperature_unit
from .errors import exception_handler
from .mapping import RoleItem
from .miot.spec import Value, ValueChoice

PARALLEL_UPDATES = 1

HVAC_MODES: Final = {
    "auto": HVACMode.AUTO,
    "cool": HVACMode.COOL,
    "dry": HVACMode.DRY,
    "heat": HVACMode.HEAT,
    "fan": HVACMode.FAN_ONLY,
    "fan_only": HVACMode.FAN_ONLY,
    # A bath heater's: heating fast, or clearing the mirror with warm air; idle is off.
    "quick_heat": HVACMode.HEAT,
    "defog": HVACMode.HEAT,
    "quick_defog": HVACMode.HEAT,
    "idle": HVACMode.OFF,
}
"""Names in a mode value list and the HVAC modes they are. Where several names are one HVAC
mode, the one first here is what that mode sets, and all of them are presets."""

ON_MODES: Final = {"heater": HVACMode.HEAT}
"""The mode of a climate without a mode list when it is on, by its role's service.

A space heater heats. Otherwise it heats or cools to its target: a car's cabin climate is
one, like Tesla's in Home Assistant, off or heat/cool.
"""
ON_MODE: Final = HVACMode.HEAT_COOL

SWING_PROPERTIES: Final = {
    SWING_VERTICAL: ("vertical-swing",),
    SWING_HORIZONTAL: ("horizontal-swing",),
    SWING_BOTH: ("vertical-swing", "horizontal-swing"),
}


class XiaomiClimate(XiaomiRoleEntity, ClimateEntity):
    """An air conditioner, or a car's cabin climate."""

    def __init__(self, coordinator: MiotCoordinator, item: RoleItem) -> None:
        """Take modes, ranges and fan levels from the spec."""
        super().__init__(coordinator, item)
        features = ClimateEntityFeature(0)
        # Each mode and its value in the mode list; None where the spec has no mode list.
        self._modes: dict[HVACMode, int | None] = {}
        # The HVAC mode of each value of the mode list that is one.
        self._hvac_of: dict[int, HVACMode] = {}
        by_hvac: dict[HVACMode, list[ValueChoice]] = {}
        if mode := item.prop("mode"):
            for choice in mode.value_list:
                if hvac := HVAC_MODES.get(choice.name):
                    self._hvac_of[choice.value] = hvac
                    by_hvac.setdefault(hvac, []).append(choice)
            order = list(HVAC_MODES)
            self._modes = {
                hvac: min(choices, key=lambda c: order.index(c.name)).value
                for hvac, choices in by_hvac.items()
            }
        elif item.prop("on"):
            self._modes[ON_MODES.get(item.role.service, ON_MODE)] = None
        hvac_modes: list[HVACMode] = [hvac for hvac in self._modes if hvac != HVACMode.OFF]
        if item.prop("on") or HVACMode.OFF in self._modes:
            hvac_modes.insert(0, HVACMode.OFF)
            features |= ClimateEntityFeature.TURN_OFF
        if item.prop("on"):
            features |= ClimateEntityFeature.TURN_ON
        self._attr_hvac_modes = hvac_modes
        presets = [
            choice.name for choices in by_hvac.values() if len(choices) > 1 for choice in choices
        ]
        if presets:
            features |= ClimateEntityFeature.PRESET_MODE
            self._attr_preset_modes = presets
        if (target := item.prop("target-temperature")) and target.value_range:
            features |= ClimateEntityFeature.TARGET_TEMPERATURE
            self._attr_min_temp = target.value_range.min
            self._attr_max_temp = target.value_range.max
            self._attr_target_temperature_step = target.value_range.step
        self._attr_temperature_unit = temperature_unit(target)
        if fan := item.prop("fan-level"):
            features |= ClimateEntityFeature.FAN_MODE
            self._attr_fan_modes = [choice.name for choice in fan.value_list]
        swings = [
            swing
            for swing, names in SWING_PROPERTIES.items()
            if all(item.prop(name) for name in names)
        ]
        if swings:
            features |= ClimateEntityFeature.SWING_MODE
            self._attr_swing_modes = [SWING_OFF, *swings]
        self._attr_supported_features = features
        # A cabin measures its own temperature; a room, in the environment service.
        self._current = coordinator.spec.find(
            item.role.service, "temperature"
        ) or coordinator.spec.find("environment", "temperature")

    @property
    def hvac_mode(self) -> HVACMode | None:
        """Off when powered off, else the mode."""
        on = self.value("on")
        if on is False:
            return HVACMode.OFF
        if self.role.prop("mode") is None:
            return next(iter(self._modes)) if on else None
        mode = self.value("mode")
        return None if mode is None else self._hvac_of.get(int(mode))

    @property
    def preset_mode(self) -> str | None:
        """The mode's name, where the mode is one of several of its HVAC mode."""
        name = self.choice_name("mode")
        return name if name in (self._attr_preset_modes or ()) else None

    @property
    def current_temperature(self) -> float | None:
        """The indoor temperature, where the spec has one."""
        value = None if self._current is None else self.coordinator.value(self._current.key)
        return None if value is None else float(value)

    @property
    def target_temperature(self) -> float | None:
        """The target temperature."""
        value = self.value("target-temperature")
        return None if value is None else float(value)

    @property
    def fan_mode(self) -> str | None:
        """The fan level's name."""
        return self.choice_name("fan-level")

    @property
    def swing_mode(self) -> str | None:
        """Which swings are on."""
        on = {name for name in ("vertical-swing", "horizontal-swing") if self.value(name)}
        return next(
            (swing for swing, names in SWING_PROPERTIES.items() if on == set(names)), SWING_OFF
        )

    @exception_handler
    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Power off, or power on in a mode."""
        await self.write(self._hvac_values(hvac_mode))

    @exception_handler
    async def async_turn_on(self) -> None:
        """Power on in the last mode."""
        await self.write({"on": True})

    @exception_handler
    async def async_turn_off(self) -> None:
        """Power off, or go idle where the mode list says so."""
        await self.write(self._hvac_values(HVACMode.OFF))

    @exception_handler
    async def async_set_preset_mode(self, preset_mode: str) -> None:
        """Set the mode by name."""
        if preset_mode not in (self._attr_preset_modes or ()):
            raise invalid_option(preset_mode, self._attr_preset_modes or ())
        value = self.choice_value("mode", preset_mode)
        values: dict[str, Value] = {"mode": value} if value is not None else {}
        if self.role.prop("on"):
            values["on"] = True
        await self.write(values)

    @exception_handler
    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Set the target temperature, and the mode if one is given."""
        values: dict[str, Value] = {}
        if (mode := kwargs.get(ATTR_HVAC_MODE)) is not None:
            values |= self._hvac_values(HVACMode(mode))
        if (temperature := kwargs.get(ATTR_TEMPERATURE)) is not None:
            values["target-temperature"] = float(temperature)
        await self.write(values)

    @exception_handler
    async def async_set_fan_mode(self, fan_mode: str) -> None:
        """Set the fan level by name."""
        level = self.choice_value("fan-level", fan_mode)
        if level is not None:
            await self.write({"fan-level": level})

    @exception_handler
    async def async_set_swing_mode(self, swing_mode: str) -> None:
        """Turn the swings on or off."""
        wanted = set(SWING_PROPERTIES.get(swing_mode, ()))
        await self.write(
            {
                name: name in wanted
                for name in ("vertical-swing", "horizontal-swing")
                if self.role.prop(name)
            }
        )

    def _hvac_values(self, hvac_mode: HVACMode) -> dict[str, Value]:
        if hvac_mode == HVACMode.OFF and self.role.prop("on"):
            return {"on": False}
        if hvac_mode not in self._modes:
            # set_temperature passes its hvac_mode unchecked against the entity's modes.
            raise invalid_option(hvac_mode, self.hvac_modes)
        values: dict[str, Value] = {}
        if (mode := self._modes[hvac_mode]) is not None:
            values["mode"] = mode
        if self.role.prop("on"):
            values["on"] = True
        return values


async_setup_entry = set_up_roles(Platform.CLIMATE, XiaomiClimate)
"""Add a climate entity for each of its services on every device."""
