"""Curtains and airers: open, close and stop through their motor control, and position."""

from __future__ import annotations

from typing import Any, Final

from homeassistant.components.cover import (
    ATTR_POSITION,
    CoverDeviceClass,
    CoverEntity,
    CoverEntityFeature,
)
from homeassistant.const import Platform

from .coordinator import MiotCoordinator
from .entity import XiaomiRoleEntity, set_up_roles
from .errors import exception_handler
from .mapping import RoleItem
from .miot import MiotProperty
from .miot.spec import Value

PARALLEL_UPDATES = 1

COMMANDS: Final[dict[str, frozenset[str]]] = {
    "open": frozenset({"open", "up", "rise", "opening"}),
    "close": frozenset({"close", "down", "closing", "fall"}),
    "stop": frozenset({"pause", "stop", "stopped"}),
}
"""Names in a motor-control value list and the command they are (an airer goes up and down)."""

MOVING: Final[dict[str, frozenset[str]]] = {
    "opening": frozenset({"opening", "rising", "up"}),
    "closing": frozenset({"closing", "declining", "down", "dowm"}),
}
"""Names in a status value list that say the cover is moving, and which way ("dowm" is a real
document's spelling)."""

DEVICE_CLASSES: Final[dict[str, CoverDeviceClass]] = {"curtain": CoverDeviceClass.CURTAIN}
"""Services and the cover class they are; an airer, a drying rack, is none of HA's classes."""


def command_values(prop: MiotProperty | None) -> dict[str, int]:
    """The motor-control value of each command the device has."""
    if prop is None or not prop.writable:
        return {}
    found: dict[str, int] = {}
    for choice in prop.value_list:
        for command, names in COMMANDS.items():
            if choice.name in names:
                found.setdefault(command, choice.value)
    return found


def percent(prop: MiotProperty, value: float) -> int:
    """A position on Home Assistant's 0..100 scale: a percentage as it is, else scaled."""
    rng = prop.value_range
    if prop.unit == "percentage" or rng is None or rng.max <= rng.min:
        return round(min(max(value, 0), 100))
    return round((value - rng.min) * 100 / (rng.max - rng.min))


def device_position(prop: MiotProperty, position: int) -> int:
    """A 0..100 position as the property's value: within its range, on its step."""
    rng = prop.value_range
    if rng is None:
        return position
    if prop.unit == "percentage" or rng.max <= rng.min:
        value = float(position)
    else:
        value = rng.min + position * (rng.max - rng.min) / 100
    step = rng.step if rng.step > 0 else 1
    value = rng.min + round((value - rng.min) / step) * step
    return int(min(max(value, rng.min), rng.max))


class XiaomiCover(XiaomiRoleEntity, CoverEntity):
    """A curtain or an airer: commands from its motor control, its position from the spec."""

    def __init__(self, coordinator: MiotCoordinator, item: RoleItem) -> None:
        """Find the commands in the motor-control value list and the position's range."""
        super().__init__(coordinator, item)
        self._attr_device_class = DEVICE_CLASSES.get(item.role.service)
        self._commands = command_values(item.prop("motor-control"))
        target = item.prop("target-position")
        self._target = target if target and target.writable and target.value_range else None
        features = CoverEntityFeature(0)
        if "open" in self._commands or self._target:
            features |= CoverEntityFeature.OPEN
        if "close" in self._commands or self._target:
            features |= CoverEntityFeature.CLOSE
        if "stop" in self._commands:
            features |= CoverEntityFeature.STOP
        if self._target:
            features |= CoverEntityFeature.SET_POSITION
        self._attr_supported_features = features

    @property
    def current_cover_position(self) -> int | None:
        """Where the cover is, 0 closed to 100 open; else where it is going."""
        for name in ("current-position", "target-position"):
            prop = self.role.prop(name)
            value = self.value(name)
            if prop is not None and prop.readable and value is not None:
                return percent(prop, float(value))
        return None

    @property
    def is_closed(self) -> bool | None:
        """Whether the cover is fully closed."""
        position = self.current_cover_position
        return None if position is None else position == 0

    @property
    def is_opening(self) -> bool:
        """Whether its status says it is opening."""
        return self.choice_name("status") in MOVING["opening"]

    @property
    def is_closing(self) -> bool:
        """Whether its status says it is closing."""
        return self.choice_name("status") in MOVING["closing"]

    @exception_handler
    async def async_open_cover(self, **kwargs: Any) -> None:
        """Open all the way."""
        await self._move("open", 100)

    @exception_handler
    async def async_close_cover(self, **kwargs: Any) -> None:
        """Close all the way."""
        await self._move("close", 0)

    @exception_handler
    async def async_stop_cover(self, **kwargs: Any) -> None:
        """Stop where it is."""
        await self._move("stop", None)

    @exception_handler
    async def async_set_cover_position(self, **kwargs: Any) -> None:
        """Go to a position."""
        await self._move(None, int(kwargs[ATTR_POSITION]))

    async def _move(self, command: str | None, position: int | None) -> None:
        """Send a motor command, or else (or for a position) write the target position."""
        values: dict[str, Value]
        if command is not None and command in self._commands:
            values = {"motor-control": self._commands[command]}
        elif position is not None and self._target is not None:
            values = {"target-position": device_position(self._target, position)}
        else:
            # Neither way is in the spec: refused with the translated error of a missing action.
            await self.act(command or "set-position")
            return
        await self.write(values)


async_setup_entry = set_up_roles(Platform.COVER, XiaomiCover)
