"""Lights: on/off, brightness, colour temperature, colour and modes, as the spec offers."""

from __future__ import annotations

from typing import Any

from homeassistant.components.light import (
    ATTR_BRIGHTNESS,
    ATTR_COLOR_TEMP_KELVIN,
    ATTR_EFFECT,
    ATTR_RGB_COLOR,
    LightEntity,
)
from homeassistant.components.light.const import ColorMode, LightEntityFeature
from homeassistant.const import Platform
from homeassistant.util.color import brightness_to_value, value_to_brightness

from .coordinator import MiotCoordinator
from .entity import XiaomiRoleEntity, invalid_option, set_up_roles
from .errors import exception_handler
from .mapping import RoleItem
from .miot.spec import Value

PARALLEL_UPDATES = 1


class XiaomiLight(XiaomiRoleEntity, LightEntity):
    """A light whose features come from its spec."""

    def __init__(self, coordinator: MiotCoordinator, item: RoleItem) -> None:
        """Work out colour modes, ranges and effects from the spec."""
        super().__init__(coordinator, item)
        modes: set[ColorMode] = set()
        if (color_temp := item.prop("color-temperature")) and color_temp.value_range:
            modes.add(ColorMode.COLOR_TEMP)
            self._attr_min_color_temp_kelvin = int(color_temp.value_range.min)
            self._attr_max_color_temp_kelvin = int(color_temp.value_range.max)
        if item.prop("color"):
            modes.add(ColorMode.RGB)
        if not modes:
            modes.add(ColorMode.BRIGHTNESS if item.prop("brightness") else ColorMode.ONOFF)
        self._attr_supported_color_modes = modes
        self._attr_color_mode = (
            ColorMode.COLOR_TEMP if ColorMode.COLOR_TEMP in modes else (next(iter(modes)))
        )
        if mode := item.prop("mode"):
            self._attr_supported_features = LightEntityFeature.EFFECT
            self._attr_effect_list = [choice.name for choice in mode.value_list]
        brightness = item.prop("brightness")
        self._brightness_range = (
            (brightness.value_range.min, brightness.value_range.max)
            if brightness and brightness.value_range
            else (1.0, 100.0)
        )

    @property
    def is_on(self) -> bool | None:
        """Whether the light is on."""
        value = self.value("on")
        return None if value is None else bool(value)

    @property
    def brightness(self) -> int | None:
        """Brightness on Home Assistant's 1..255 scale."""
        value = self.value("brightness")
        return None if value is None else value_to_brightness(self._brightness_range, float(value))

    @property
    def color_temp_kelvin(self) -> int | None:
        """Colour temperature in kelvin."""
        value = self.value("color-temperature")
        return None if value is None else int(value)

    @property
    def rgb_color(self) -> tuple[int, int, int] | None:
        """The colour, from the spec's 0xRRGGBB integer."""
        value = self.value("color")
        if value is None:
            return None
        rgb = int(value)
        return ((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF)

    @property
    def effect(self) -> str | None:
        """The mode's name."""
        return self.choice_name("mode")

    @exception_handler
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Turn on, writing every requested change in one request."""
        values: dict[str, Value] = {"on": True}
        if (brightness := kwargs.get(ATTR_BRIGHTNESS)) is not None:
            values["brightness"] = max(
                int(self._brightness_range[0]),
                round(brightness_to_value(self._brightness_range, brightness)),
            )
        if (kelvin := kwargs.get(ATTR_COLOR_TEMP_KELVIN)) is not None:
            low, high = self.min_color_temp_kelvin, self.max_color_temp_kelvin
            values["color-temperature"] = min(max(int(kelvin), low), high)
            self._attr_color_mode = ColorMode.COLOR_TEMP
        if (rgb := kwargs.get(ATTR_RGB_COLOR)) is not None:
            red, green, blue = rgb
            values["color"] = max(1, (red << 16) | (green << 8) | blue)
            self._attr_color_mode = ColorMode.RGB
        if (effect := kwargs.get(ATTR_EFFECT)) is not None:
            mode = self.choice_value("mode", effect)
            if mode is None:
                raise invalid_option(effect, self.effect_list or ())
            values["mode"] = mode
        await self.write(values)

    @exception_handler
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn off."""
        await self.write({"on": False})


async_setup_entry = set_up_roles(Platform.LIGHT, XiaomiLight)
"""Add a light for each light service."""
